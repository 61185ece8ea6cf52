arazzo::arazzo_workflow!("./unknown_source.yml");

fn main() {}
