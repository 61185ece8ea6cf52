arazzo::arazzo_workflow!("./unknown_called_workflow.yml");

fn main() {}
