arazzo::arazzo_workflow!("./impossible_response_pointer.yml");

fn main() {}
