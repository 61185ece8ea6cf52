arazzo::arazzo_workflow!("./remote_source_url.yml");

fn main() {}
