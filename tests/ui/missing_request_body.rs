arazzo::arazzo_workflow!("./missing_request_body.yml");

fn main() {}
