arazzo::arazzo_workflow!("./two_operation_targets.yml");

fn main() {}
