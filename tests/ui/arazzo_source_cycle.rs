arazzo::arazzo_workflow!("./arazzo_source_cycle.yml");

fn main() {}
