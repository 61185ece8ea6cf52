arazzo::arazzo_workflow!("./unknown_action_component.yml");

fn main() {}
