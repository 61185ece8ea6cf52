arazzo::arazzo_workflow!("./negative_retry_limit.yml");

fn main() {}
