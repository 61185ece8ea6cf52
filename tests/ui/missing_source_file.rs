arazzo::arazzo_workflow!("./missing_source_file.yml");

fn main() {}
