arazzo::arazzo_workflow!("./step_read_before_it_runs.yml");

fn main() {}
