arazzo::arazzo_workflow!("./parameter_in_mismatch.yml");

fn main() {}
