arazzo::arazzo_workflow!("./unknown_source_type.yml");

fn main() {}
