arazzo::arazzo_workflow!("./disallowed_enum_value.yml");

fn main() {}
