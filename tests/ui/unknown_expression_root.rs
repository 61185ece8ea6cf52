arazzo::arazzo_workflow!("./unknown_expression_root.yml");

fn main() {}
