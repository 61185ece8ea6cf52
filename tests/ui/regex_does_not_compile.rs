arazzo::arazzo_workflow!("./regex_does_not_compile.yml");

fn main() {}
