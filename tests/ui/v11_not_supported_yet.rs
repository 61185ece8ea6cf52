arazzo::arazzo_workflow!("./v11_not_supported_yet.yml");

fn main() {}
