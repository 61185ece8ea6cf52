arazzo::arazzo_workflow!("./typed_criterion_without_context.yml");

fn main() {}
