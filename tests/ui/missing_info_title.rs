arazzo::arazzo_workflow!("./missing_info_title.yml");

fn main() {}
