arazzo::arazzo_workflow!("./retry_as_success_action.yml");

fn main() {}
