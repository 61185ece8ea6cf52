arazzo::arazzo_workflow!("./unsupported_arazzo_version.yml");

fn main() {}
