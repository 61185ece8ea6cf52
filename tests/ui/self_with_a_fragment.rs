arazzo::arazzo_workflow!("./self_with_a_fragment.yml");

fn main() {}
