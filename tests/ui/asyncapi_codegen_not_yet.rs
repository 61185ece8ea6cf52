arazzo::arazzo_workflow!("./asyncapi_codegen_not_yet.yml");

fn main() {}
