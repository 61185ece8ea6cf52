arazzo::arazzo_workflow!("./valid_with_unsupported.yml");

fn main() {}
