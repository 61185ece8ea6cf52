arazzo::arazzo_workflow!("./status_code_in_parameter.yml");

fn main() {}
