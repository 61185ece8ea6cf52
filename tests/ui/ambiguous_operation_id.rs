arazzo::arazzo_workflow!("./ambiguous_operation_id.yml");

fn main() {}
