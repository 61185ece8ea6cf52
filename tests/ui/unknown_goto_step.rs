arazzo::arazzo_workflow!("./unknown_goto_step.yml");

fn main() {}
