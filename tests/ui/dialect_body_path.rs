arazzo::arazzo_workflow!("./dialect_body_path.yml");

fn main() {}
