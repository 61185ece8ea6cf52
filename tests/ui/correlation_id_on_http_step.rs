arazzo::arazzo_workflow!("./correlation_id_on_http_step.yml");

fn main() {}
