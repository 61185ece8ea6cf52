arazzo::arazzo_workflow!("./unsupported_content_type.yml");

fn main() {}
