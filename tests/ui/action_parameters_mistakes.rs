arazzo::arazzo_workflow!("./action_parameters_mistakes.yml");

fn main() {}
