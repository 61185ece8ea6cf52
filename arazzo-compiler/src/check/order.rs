//! The order of checking: documents after the documents they refer to, workflows after the
//! workflows they run, so that every reference sees a checked target.

use std::collections::HashMap;

use super::actions::action_workflows;
use crate::arazzo::{Document, Target};
use crate::load::Unit;

/// Unit indexes in an order where every document comes after the documents it refers to.
pub(super) fn unit_order(units: &[Unit]) -> Vec<usize> {
    post_order(units.len(), |i| {
        units[i]
            .sources
            .iter()
            .filter_map(|s| s.arazzo)
            .filter(|j| *j < units.len())
            .collect()
    })
}

/// Workflow indexes in an order where every workflow comes after the workflows it calls
/// (depth-first post-order); a call cycle is left to the checker to report.
pub(super) fn call_order(doc: &Document) -> Vec<usize> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, w) in doc.workflows.iter().enumerate() {
        index.entry(w.id.value.as_str()).or_insert(i);
    }
    post_order(doc.workflows.len(), |i| {
        let wf = &doc.workflows[i];
        wf.steps
            .iter()
            .filter_map(|s| match &s.target {
                Some(Target::WorkflowId(id)) => Some(id),
                _ => None,
            })
            .chain(&wf.depends_on)
            .chain(action_workflows(doc, wf))
            .filter_map(|id| index.get(id.value.as_str()).copied())
            .collect()
    })
}

/// The nodes `0..n` in depth-first post-order along `edges` (each node after the nodes it
/// reaches, cycles cut where they close), without recursion: chains of any length cost heap,
/// not stack.
pub(super) fn post_order(n: usize, edges: impl Fn(usize) -> Vec<usize>) -> Vec<usize> {
    let mut seen = vec![false; n];
    let mut out = Vec::with_capacity(n);
    // (node, its successors, how many of them were visited)
    let mut stack: Vec<(usize, Vec<usize>, usize)> = Vec::new();
    for root in 0..n {
        if std::mem::replace(&mut seen[root], true) {
            continue;
        }
        stack.push((root, edges(root), 0));
        while let Some((node, next, done)) = stack.last_mut() {
            match next.get(*done).copied() {
                Some(j) => {
                    *done += 1;
                    if j < n && !std::mem::replace(&mut seen[j], true) {
                        stack.push((j, edges(j), 0));
                    }
                }
                None => {
                    out.push(*node);
                    stack.pop();
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::post_order;

    #[test]
    fn post_order_puts_every_node_after_what_it_reaches() {
        // 0 → 1 → 2, 0 → 2, 3 alone.
        let edges = [vec![1, 2], vec![2], vec![], vec![]];
        assert_eq!(post_order(4, |i| edges[i].clone()), [2, 1, 0, 3]);
    }

    #[test]
    fn post_order_cuts_cycles_and_ignores_unknown_nodes() {
        // 0 → 1 → 0, 1 → 9 (out of range).
        let edges = [vec![1], vec![0, 9]];
        assert_eq!(post_order(2, |i| edges[i].clone()), [1, 0]);
    }

    #[test]
    fn post_order_follows_a_million_long_chain_without_recursion() {
        let n = 1_000_000;
        let order = post_order(n, |i| if i + 1 < n { vec![i + 1] } else { vec![] });
        assert_eq!(order.first(), Some(&(n - 1)));
        assert_eq!(order.last(), Some(&0));
    }
}
