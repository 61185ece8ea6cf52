arazzo::arazzo_workflow!("./status_code_in_workflow_step.yml");

fn main() {}
