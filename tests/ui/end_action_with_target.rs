arazzo::arazzo_workflow!("./end_action_with_target.yml");

fn main() {}
