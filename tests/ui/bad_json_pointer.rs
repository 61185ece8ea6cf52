arazzo::arazzo_workflow!("./bad_json_pointer.yml");

fn main() {}
