arazzo::arazzo_workflow!("./goto_without_target.yml");

fn main() {}
