arazzo::arazzo_workflow!("./unknown_criterion_type.yml");

fn main() {}
