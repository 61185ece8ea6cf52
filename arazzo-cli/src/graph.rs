//! `arazzo graph`: workflows as Mermaid or Graphviz diagrams.
//!
//! Steps are nodes labelled with their operation and method/path (or the workflow they call);
//! edges show the sequence, `goto`s after success and failure, `retry` loops with their limits,
//! workflow calls and `dependsOn` prerequisites, and where a run ends or fails.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use arazzo_compiler::ir::{Action, ActionKind, ParamIn, PathPiece, Program, Step, Workflow};

use crate::GraphFormat;

/// One workflow's drawing: the workflow, its nodes and its edges.
type Cluster<'p> = (&'p Workflow, (Vec<Node>, Vec<Edge>));

/// An edge of the diagram.
struct Edge {
    from: String,
    to: String,
    label: String,
    /// Failure paths are dashed.
    failure: bool,
}

/// A node: id and label lines.
struct Node {
    id: String,
    label: Vec<String>,
    kind: NodeKind,
}

#[derive(Clone, Copy, PartialEq)]
enum NodeKind {
    Step,
    Workflow,
    Terminal,
}

/// The diagram of `program` (or of one of its workflows) in `format`.
pub fn render(program: &Program, only: Option<&str>, format: GraphFormat) -> String {
    let mut clusters = Vec::new();
    for (index, wf) in program.workflows.iter().enumerate() {
        if only.is_some_and(|id| id != wf.id) {
            continue;
        }
        clusters.push((wf, workflow_graph(program, index, wf)));
    }
    match format {
        GraphFormat::Mermaid => mermaid(&clusters),
        GraphFormat::Dot => dot(&clusters),
    }
}

fn workflow_graph(program: &Program, index: usize, wf: &Workflow) -> (Vec<Node>, Vec<Edge>) {
    let prefix = format!("w{index}");
    let step_id = |i: usize| format!("{prefix}s{i}");
    let start = format!("{prefix}start");
    let end = format!("{prefix}end");
    let failed = format!("{prefix}failed");
    let mut nodes = vec![
        Node {
            id: start.clone(),
            label: vec![format!("start {}", wf.id)],
            kind: NodeKind::Terminal,
        },
        Node {
            id: end.clone(),
            label: vec!["end".to_owned()],
            kind: NodeKind::Terminal,
        },
        Node {
            id: failed.clone(),
            label: vec!["fails".to_owned()],
            kind: NodeKind::Terminal,
        },
    ];
    let mut edges = Vec::new();
    let workflow_node = |nodes: &mut Vec<Node>, id: &str| -> String {
        let node = format!("{prefix}wf_{}", sanitize(id));
        if !nodes.iter().any(|n| n.id == node) {
            nodes.push(Node {
                id: node.clone(),
                label: vec![format!("workflow {id}")],
                kind: NodeKind::Workflow,
            });
        }
        node
    };
    // Prerequisites run before the first step.
    let mut entry = start.clone();
    for prerequisite in &wf.depends_on {
        let node = workflow_node(&mut nodes, &prerequisite.id);
        edges.push(Edge {
            from: entry.clone(),
            to: node.clone(),
            label: "dependsOn".to_owned(),
            failure: false,
        });
        entry = node;
    }
    edges.push(Edge {
        from: entry,
        to: wf.steps.first().map_or(end.clone(), |_| step_id(0)),
        label: String::new(),
        failure: false,
    });
    for (i, step) in wf.steps.iter().enumerate() {
        let here = step_id(i);
        nodes.push(Node {
            id: here.clone(),
            label: step_label(program, step),
            kind: NodeKind::Step,
        });
        if let Some(call) = &step.call {
            let callee = workflow_node(&mut nodes, &call.workflow);
            edges.push(Edge {
                from: here.clone(),
                to: callee,
                label: "calls".to_owned(),
                failure: false,
            });
        }
        let next = if i + 1 < wf.steps.len() {
            step_id(i + 1)
        } else {
            end.clone()
        };
        for (actions, failure) in [(&step.on_success, false), (&step.on_failure, true)] {
            for action in actions.iter() {
                let (to, label) = match &action.kind {
                    ActionKind::End if failure => (failed.clone(), "end".to_owned()),
                    ActionKind::End => (end.clone(), "end".to_owned()),
                    ActionKind::Goto(target) => (step_id(*target), "goto".to_owned()),
                    ActionKind::GotoWorkflow(workflow) => {
                        (workflow_node(&mut nodes, &workflow.id), "goto".to_owned())
                    }
                    ActionKind::Retry {
                        target,
                        workflow,
                        after,
                        limit,
                    } => {
                        let mut label = format!("retry ≤{limit}");
                        if let Some(after) = after {
                            let _ = write!(label, " after {after}s");
                        }
                        if let Some(workflow) = workflow {
                            let node = workflow_node(&mut nodes, &workflow.id);
                            edges.push(Edge {
                                from: here.clone(),
                                to: node.clone(),
                                label: format!("{} ({label}){}", action.name, when(action)),
                                failure,
                            });
                            edges.push(Edge {
                                from: node,
                                to: here.clone(),
                                label: "then retry".to_owned(),
                                failure,
                            });
                            continue;
                        }
                        (step_id(target.unwrap_or(i)), label)
                    }
                };
                let label = format!("{} ({label}){}", action.name, when(action));
                edges.push(Edge {
                    from: here.clone(),
                    to,
                    label,
                    failure,
                });
            }
        }
        // Without an action that applies, success moves on and failure fails the run.
        if !step.on_success.iter().any(|a| a.criteria.is_empty()) {
            edges.push(Edge {
                from: here.clone(),
                to: next,
                label: String::new(),
                failure: false,
            });
        }
        if !step.on_failure.iter().any(|a| a.criteria.is_empty()) {
            edges.push(Edge {
                from: here.clone(),
                to: failed.clone(),
                label: "failure".to_owned(),
                failure: true,
            });
        }
    }
    // Terminals nothing reaches are left out.
    nodes.retain(|n| {
        n.kind != NodeKind::Terminal || edges.iter().any(|e| e.to == n.id || e.from == n.id)
    });
    (nodes, edges)
}

/// `if <criteria>` for an action that has criteria.
fn when(action: &Action) -> String {
    if action.criteria.is_empty() {
        return String::new();
    }
    let texts: Vec<&str> = action.criteria.iter().map(|c| c.text.as_str()).collect();
    format!(" if {}", texts.join(" && "))
}

fn step_label(program: &Program, step: &Step) -> Vec<String> {
    if let Some(call) = &step.call {
        return vec![step.id.clone(), format!("calls {}", call.workflow)];
    }
    if let Some(message) = &step.message {
        let source = program
            .sources
            .get(step.source)
            .map(|s| format!(" ({})", s.name))
            .unwrap_or_default();
        let channel = message.address.as_deref().unwrap_or(&message.channel);
        return vec![
            step.id.clone(),
            format!("{}{source}", step.operation),
            format!("channel {channel}"),
        ];
    }
    let names: Vec<(usize, &str)> = step
        .params
        .iter()
        .filter_map(|p| match p.location {
            ParamIn::Path(i) => Some((i, p.name.as_str())),
            _ => None,
        })
        .collect();
    let mut path = String::new();
    for segment in &step.path {
        path.push('/');
        for piece in segment {
            match piece {
                PathPiece::Lit(text) => path.push_str(text),
                PathPiece::Param(i) => {
                    let name = names.iter().find(|(j, _)| j == i).map_or("?", |(_, n)| n);
                    let _ = write!(path, "{{{name}}}");
                }
            }
        }
    }
    let source = program
        .sources
        .get(step.source)
        .map(|s| format!(" ({})", s.name))
        .unwrap_or_default();
    vec![
        step.id.clone(),
        format!("{}{source}", step.operation),
        format!("{} {path}", step.method.to_ascii_uppercase()),
    ]
}

fn sanitize(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn mermaid_text(text: &str) -> String {
    text.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
        .replace('|', "#124;")
}

fn mermaid(clusters: &[Cluster<'_>]) -> String {
    let mut out = String::from("flowchart TD\n");
    for (wf, (nodes, edges)) in clusters {
        let _ = writeln!(
            out,
            "  subgraph {}[\"workflow {}\"]",
            sanitize(&wf.module),
            mermaid_text(&wf.id)
        );
        for node in nodes {
            let label = node
                .label
                .iter()
                .map(|l| mermaid_text(l))
                .collect::<Vec<_>>()
                .join("<br/>");
            let shaped = match node.kind {
                NodeKind::Step => format!("[\"{label}\"]"),
                NodeKind::Workflow => format!("[[\"{label}\"]]"),
                NodeKind::Terminal => format!("([\"{label}\"])"),
            };
            let _ = writeln!(out, "    {}{shaped}", node.id);
        }
        for edge in edges {
            let arrow = if edge.failure { "-.->" } else { "-->" };
            if edge.label.is_empty() {
                let _ = writeln!(out, "    {} {arrow} {}", edge.from, edge.to);
            } else {
                let _ = writeln!(
                    out,
                    "    {} {arrow}|\"{}\"| {}",
                    edge.from,
                    mermaid_text(&edge.label),
                    edge.to
                );
            }
        }
        out.push_str("  end\n");
    }
    out
}

fn dot_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

fn dot(clusters: &[Cluster<'_>]) -> String {
    let mut out = String::from(
        "digraph arazzo {\n  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=11];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
    );
    for (index, (wf, (nodes, edges))) in clusters.iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster_{index} {{");
        let _ = writeln!(out, "    label=\"workflow {}\";", dot_text(&wf.id));
        for node in nodes {
            let label = node
                .label
                .iter()
                .map(|l| dot_text(l))
                .collect::<Vec<_>>()
                .join("\\n");
            let shape = match node.kind {
                NodeKind::Step => "box",
                NodeKind::Workflow => "box3d",
                NodeKind::Terminal => "oval",
            };
            let _ = writeln!(out, "    {} [label=\"{label}\", shape={shape}];", node.id);
        }
        for edge in edges {
            let style = if edge.failure { ", style=dashed" } else { "" };
            let _ = writeln!(
                out,
                "    {} -> {} [label=\"{}\"{style}];",
                edge.from,
                edge.to,
                dot_text(&edge.label)
            );
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    out
}

/// Renders `dot_source` to an SVG file with Graphviz `dot`; says so when `dot` is missing.
pub fn write_svg(dot_source: &str, out: &Path) -> Result<(), String> {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .arg("-o")
        .arg(out)
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "Graphviz `dot` is not installed, so no SVG was written; install graphviz, or render the `--format dot` output elsewhere".to_owned(),
            _ => format!("cannot run Graphviz `dot`: {e}"),
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write as _;
        stdin
            .write_all(dot_source.as_bytes())
            .map_err(|e| format!("cannot feed Graphviz `dot`: {e}"))?;
    }
    let status = child
        .wait()
        .map_err(|e| format!("Graphviz `dot` did not finish: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("Graphviz `dot` failed ({status})"))
    }
}
