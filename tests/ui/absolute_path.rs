arazzo::arazzo_workflow!("/etc/workflow.yml");

fn main() {}
