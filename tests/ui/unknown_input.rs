arazzo::arazzo_workflow!("./unknown_input.yml");

fn main() {}
