// A step that calls another workflow of the same document compiles, and its outputs keep the
// callee's types.
use std::collections::BTreeMap;

arazzo::arazzo_workflow!("./workflow_call.yml");

#[allow(dead_code)]
fn types(out: caller::Outputs) {
    let _: BTreeMap<String, BTreeMap<String, f64>> = out.values;
}

fn main() {}
