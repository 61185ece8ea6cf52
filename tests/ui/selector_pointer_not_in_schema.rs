arazzo::arazzo_workflow!("./selector_pointer_not_in_schema.yml");

fn main() {}
