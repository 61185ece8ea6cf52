arazzo::arazzo_workflow!("./invalid_step_id.yml");

fn main() {}
