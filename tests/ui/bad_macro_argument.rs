arazzo::arazzo_workflow!("../../workflows/mixpanel.yml", secret = ["projectToken"]);

fn main() {}
