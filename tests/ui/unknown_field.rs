arazzo::arazzo_workflow!("./unknown_field.yml");

fn main() {}
