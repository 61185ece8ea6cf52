arazzo::arazzo_workflow!("./required_input_not_declared.yml");

fn main() {}
