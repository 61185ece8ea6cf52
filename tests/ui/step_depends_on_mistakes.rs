arazzo::arazzo_workflow!("./step_depends_on_mistakes.yml");

fn main() {}
