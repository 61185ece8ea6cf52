arazzo::arazzo_workflow!("./condition_accessor_typo.yml");

fn main() {}
