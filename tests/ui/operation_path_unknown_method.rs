arazzo::arazzo_workflow!("./operation_path_unknown_method.yml");

fn main() {}
