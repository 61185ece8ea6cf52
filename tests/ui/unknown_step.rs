arazzo::arazzo_workflow!("./unknown_step.yml");

fn main() {}
