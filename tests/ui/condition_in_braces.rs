arazzo::arazzo_workflow!("./condition_in_braces.yml");

fn main() {}
