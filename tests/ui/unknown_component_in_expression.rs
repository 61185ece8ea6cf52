arazzo::arazzo_workflow!("./unknown_component_in_expression.yml");

fn main() {}
