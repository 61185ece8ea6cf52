arazzo::arazzo_workflow!("./unknown_parameter.yml");

fn main() {}
