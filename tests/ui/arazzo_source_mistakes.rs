arazzo::arazzo_workflow!("./arazzo_source_mistakes.yml");

fn main() {}
