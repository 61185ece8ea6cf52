arazzo::arazzo_workflow!("./depends_on_missing_input.yml");

fn main() {}
