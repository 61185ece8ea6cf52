arazzo::arazzo_workflow!("./call_input_type_mismatch.yml");

fn main() {}
