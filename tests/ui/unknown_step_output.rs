arazzo::arazzo_workflow!("./unknown_step_output.yml");

fn main() {}
