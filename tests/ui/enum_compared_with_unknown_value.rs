arazzo::arazzo_workflow!("./enum_compared_with_unknown_value.yml");

fn main() {}
