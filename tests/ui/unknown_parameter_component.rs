arazzo::arazzo_workflow!("./unknown_parameter_component.yml");

fn main() {}
