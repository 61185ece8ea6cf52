arazzo::arazzo_workflow!("./double_quoted_text_in_condition.yml");

fn main() {}
