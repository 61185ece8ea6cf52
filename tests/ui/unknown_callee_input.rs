arazzo::arazzo_workflow!("./unknown_callee_input.yml");

fn main() {}
