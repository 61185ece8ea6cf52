arazzo::arazzo_workflow!("./xpath_selector.yml");

fn main() {}
