arazzo::arazzo_workflow!("./jsonpath_does_not_parse.yml");

fn main() {}
