arazzo::arazzo_workflow!("./workflow_output_never_run.yml");

fn main() {}
