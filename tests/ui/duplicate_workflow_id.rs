arazzo::arazzo_workflow!("./duplicate_workflow_id.yml");

fn main() {}
