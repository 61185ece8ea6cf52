arazzo::arazzo_workflow!("./unknown_workflow_in_expression.yml");

fn main() {}
