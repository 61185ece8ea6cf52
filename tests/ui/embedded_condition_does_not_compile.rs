arazzo::arazzo_workflow!("./embedded_condition_does_not_compile.yml");

fn main() {}
