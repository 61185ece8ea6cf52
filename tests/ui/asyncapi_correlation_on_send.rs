arazzo::arazzo_workflow!("./asyncapi_correlation_on_send.yml");

fn main() {}
