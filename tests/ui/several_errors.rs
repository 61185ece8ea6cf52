arazzo::arazzo_workflow!("./several_errors.yml");

fn main() {}
