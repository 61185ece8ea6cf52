arazzo::arazzo_workflow!("./duplicate_step_id.yml");

fn main() {}
