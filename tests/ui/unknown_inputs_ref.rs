arazzo::arazzo_workflow!("./unknown_inputs_ref.yml");

fn main() {}
