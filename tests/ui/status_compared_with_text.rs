arazzo::arazzo_workflow!("./status_compared_with_text.yml");

fn main() {}
