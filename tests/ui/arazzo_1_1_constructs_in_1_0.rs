arazzo::arazzo_workflow!("./arazzo_1_1_constructs_in_1_0.yml");

fn main() {}
