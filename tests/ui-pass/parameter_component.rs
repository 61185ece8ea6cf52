// A parameter taken from `components.parameters`, its value overridden by the step.
arazzo::arazzo_workflow!("./parameter_component.yml");

fn main() {}
