arazzo::arazzo_workflow!("./unknown_operation_id.yml");

fn main() {}
