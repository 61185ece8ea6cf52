arazzo::arazzo_workflow!("./no_such_document.yml");

fn main() {}
