arazzo::arazzo_workflow!("./unknown_callee_output.yml");

fn main() {}
