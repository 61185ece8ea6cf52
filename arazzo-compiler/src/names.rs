//! Turning document names into Rust identifiers.

/// Rust's strict and reserved keywords (2024 edition).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// The methods every generated `ClientBuilder` has, whatever the document (the runtime's
/// `client_builder_methods!` defines them): the checker keeps the base-URL and credential
/// methods it names off them.
pub const BUILDER_METHODS: &[&str] = &[
    "build",
    "http_client",
    "request_timeout",
    "max_body_bytes",
    "step_budget",
    "max_retry_delay",
    "workflow_timeout",
    "retry_policy",
];

/// Splits a name into lower-case words at case changes, digits and punctuation.
fn words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Crate names a workflow's module never takes, since it sits beside the user's code: the
/// crates generated code and most users' code name by path.
pub const RESERVED_MODULES: &[&str] = &[
    "arazzo",
    "std",
    "core",
    "alloc",
    "tokio",
    "serde",
    "serde_json",
    "reqwest",
    "tracing",
    "futures",
    "http",
    "hyper",
    "url",
    "proc_macro",
];

/// Type names a workflow module's generated types never take: the items the code generator
/// declares there (and above it) and the prelude names generated code uses unqualified
/// ([`PRELUDE_TYPES`]).
pub const RESERVED_TYPES: &[&str] = &[
    "Outputs",
    "Client",
    "ClientBuilder",
    "Progress",
    "Cx",
    "Ran",
    "Workflow",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Into",
];

/// Function names a workflow module declares besides its steps' functions: no step's function
/// takes them (a step `run` gets `run_2`).
pub const RESERVED_FNS: &[&str] = &[
    "run",
    "run_journaled",
    "steps",
    "arm",
    "__preflight",
    "__run_at_depth",
];

/// The prelude names generated code uses unqualified: no generated type takes them (a
/// source's module of named schemas reserves only these).
pub const PRELUDE_TYPES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Default", "Into",
];

/// `identityStatus` → `identity_status`; `$anon_id` → `anon_id`; `type` → `type_`;
/// `2fa` → `_2fa`; a name with no usable character → `field`.
///
/// ```
/// use arazzo_compiler::names::snake;
/// assert_eq!(snake("identityStatus"), "identity_status");
/// assert_eq!(snake("$anon_id"), "anon_id");
/// assert_eq!(snake("type"), "type_");
/// ```
pub fn snake(name: &str) -> String {
    let mut out = words(name).join("_");
    if out.is_empty() {
        out = "field".to_owned();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// `createIdentity` → `CreateIdentity`; `identity-resolve-and-track` → `IdentityResolveAndTrack`.
///
/// ```
/// use arazzo_compiler::names::pascal;
/// assert_eq!(pascal("identity-resolve-and-track"), "IdentityResolveAndTrack");
/// assert_eq!(pascal("2xx"), "T2xx");
/// ```
pub fn pascal(name: &str) -> String {
    let mut out: String = words(name)
        .iter()
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|f| f.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect();
    if out.is_empty() {
        out = "Type".to_owned();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'T');
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// Makes `name` unique among `taken` by appending `_2`, `_3`, ...; records it.
///
/// ```
/// let mut taken = Vec::new();
/// let a = arazzo_compiler::names::unique("id".into(), &mut taken);
/// let b = arazzo_compiler::names::unique("id".into(), &mut taken);
/// assert_eq!((a.as_str(), b.as_str()), ("id", "id_2"));
/// ```
pub fn unique(name: String, taken: &mut Vec<String>) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{name}_{n}");
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_table() {
        for (input, expected) in [
            ("identityStatus", "identity_status"),
            ("$anon_id", "anon_id"),
            ("projectID", "project_id"),
            ("HTTPServer", "http_server"),
            ("type", "type_"),
            ("2fa", "_2fa"),
            ("self", "self_"),
            ("x-rate-limit", "x_rate_limit"),
            ("$", "field"),
            ("already_snake", "already_snake"),
        ] {
            assert_eq!(snake(input), expected, "{input}");
        }
    }

    #[test]
    fn pascal_case_table() {
        for (input, expected) in [
            ("createIdentity", "CreateIdentity"),
            ("identity-resolve-and-track", "IdentityResolveAndTrack"),
            ("1st", "T1st"),
            ("", "Type"),
        ] {
            assert_eq!(pascal(input), expected, "{input}");
        }
    }

    #[test]
    fn reserved_types_end_with_the_prelude() {
        assert!(RESERVED_TYPES.ends_with(PRELUDE_TYPES));
    }

    #[test]
    fn unique_names() {
        let mut taken = vec![];
        assert_eq!(unique("a".into(), &mut taken), "a");
        assert_eq!(unique("a".into(), &mut taken), "a_2");
        assert_eq!(unique("a".into(), &mut taken), "a_3");
    }
}
