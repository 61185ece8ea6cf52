arazzo::arazzo_workflow!("./self_in_a_1_0_document.yml");

fn main() {}
