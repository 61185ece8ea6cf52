arazzo::arazzo_workflow!(workflows::mixpanel);

fn main() {}
