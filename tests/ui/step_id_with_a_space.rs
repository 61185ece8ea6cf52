// A stepId outside the recommended pattern is accepted (Arazzo says SHOULD); a reference
// to it by another spelling is the error, with the suggestion.
arazzo::arazzo_workflow!("./step_id_with_a_space.yml");

fn main() {}
