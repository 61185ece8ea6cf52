arazzo::arazzo_workflow!("./missing_callee_input.yml");

fn main() {}
