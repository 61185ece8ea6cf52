arazzo::arazzo_workflow!("./unknown_nested_output_property.yml");

fn main() {}
