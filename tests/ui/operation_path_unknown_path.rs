arazzo::arazzo_workflow!("./operation_path_unknown_path.yml");

fn main() {}
