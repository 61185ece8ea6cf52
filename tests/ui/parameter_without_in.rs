arazzo::arazzo_workflow!("./parameter_without_in.yml");

fn main() {}
