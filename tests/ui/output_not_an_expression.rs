arazzo::arazzo_workflow!("./output_not_an_expression.yml");

fn main() {}
