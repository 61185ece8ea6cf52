arazzo::arazzo_workflow!("./missing_required_parameter.yml");

fn main() {}
