arazzo::arazzo_workflow!("./unknown_depends_on.yml");

fn main() {}
