arazzo::arazzo_workflow!("./yaml_syntax_error.yml");

fn main() {}
