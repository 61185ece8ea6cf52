//! The Arazzo version a document declares (its `arazzo` field), and what the version decides:
//! which object model it is read with ([`crate::screen`]) and what its criteria mean
//! ([`Version::semantics`], [`CRITERIA_CHANGES`]).

use std::fmt;

use crate::diag::Diags;
use crate::files::Loc;

/// A version of the Arazzo Specification this compiler reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    /// Arazzo 1.0.x (1.0.0, 1.0.1).
    V1_0,
    /// Arazzo 1.1.x.
    V1_1,
}

impl Version {
    /// The version an `arazzo` field declares (`1.0.1`, `1.1.0`, `1.1.0-rc1`, …); `None` for
    /// a version this compiler does not read.
    pub fn parse(text: &str) -> Option<Version> {
        if text.starts_with("1.0.") {
            Some(Version::V1_0)
        } else if text.starts_with("1.1.") {
            Some(Version::V1_1)
        } else {
            None
        }
    }

    /// What criteria mean in a document of this version.
    pub fn semantics(self) -> Semantics {
        match self {
            Version::V1_0 => Semantics {
                jsonpath_versions: &["draft-goessner-dispatch-jsonpath-00"],
                xpath_versions: &["xpath-30", "xpath-20", "xpath-10"],
                jsonpointer_expression_type: false,
                embedded_expressions_in_typed_conditions: false,
            },
            Version::V1_1 => Semantics {
                jsonpath_versions: &["rfc9535", "draft-goessner-dispatch-jsonpath-00"],
                xpath_versions: &["xpath-31", "xpath-30", "xpath-20", "xpath-10"],
                jsonpointer_expression_type: true,
                embedded_expressions_in_typed_conditions: true,
            },
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Version::V1_0 => "1.0",
            Version::V1_1 => "1.1",
        })
    }
}

/// Reports `what`, written at `loc`, as an Arazzo 1.1 construct in a document of `version`
/// (1.0): it is an error there, which `arazzo upgrade` fixes.
pub fn too_new(diags: &mut Diags, loc: Loc, what: &str, version: Version) {
    diags.error_help(
        loc,
        format!("{what} is Arazzo 1.1; this document is Arazzo {version}"),
        Some(
            "run `arazzo upgrade` on this document to move it to Arazzo 1.1.0, or remove it"
                .to_owned(),
        ),
    );
}

/// Reports `what`, written at `loc`, as an Arazzo 1.1 construct this compiler does not
/// implement yet.
pub fn not_yet(diags: &mut Diags, loc: Loc, what: &str) {
    diags.error(
        loc,
        format!("{what} is valid Arazzo 1.1 but not supported by this version of the compiler yet"),
    );
}

/// What the criteria of a document mean, by its version: the one place the criteria checks
/// ask. Where the 1.0 text is silent (case, numeric text, `null`), both versions get the 1.1
/// clarifications, which the runtime implements (docs/spec-support.md, "1.0 vs 1.1").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Semantics {
    /// The `version`s an Expression Type Object may give for `jsonpath` (1.0: the draft only;
    /// the default, RFC 9535, is the same in both).
    pub jsonpath_versions: &'static [&'static str],
    /// The `version`s an Expression Type Object may give for `xpath` (1.1 adds `xpath-31`,
    /// the default in both).
    pub xpath_versions: &'static [&'static str],
    /// Whether an Expression Type Object may say `type: jsonpointer` (1.1 only).
    pub jsonpointer_expression_type: bool,
    /// Whether `{$…}` in a `regex`/`jsonpath`/`xpath` condition is a runtime expression
    /// substituted before evaluation (1.1) or text of the pattern (1.0).
    pub embedded_expressions_in_typed_conditions: bool,
}

/// A rule about criteria that Arazzo 1.1 changed or clarified, as data: what `arazzo upgrade`
/// pins when it moves a 1.0 document to 1.1, and what docs/spec-support.md lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CriteriaChange {
    /// A short name of the rule.
    pub rule: &'static str,
    /// What the 1.0.1 text says.
    pub v1_0: &'static str,
    /// What the 1.1.0 text says.
    pub v1_1: &'static str,
    /// What a 1.0 document gets from this compiler.
    pub for_1_0: &'static str,
    /// Whether moving a document from 1.0 to 1.1 can change what a criterion means, so
    /// `arazzo upgrade` must rewrite it.
    pub upgrade_rewrites: bool,
}

/// Every criteria rule 1.1 changed or clarified.
pub const CRITERIA_CHANGES: &[CriteriaChange] = &[
    CriteriaChange {
        rule: "embedded expressions in regex/jsonpath/xpath conditions",
        v1_0: "the condition is a regex, JSONPath or XPath expression as written",
        v1_1: "`{$…}` runtime expressions are substituted into the condition before it is evaluated",
        for_1_0: "`{$…}` is text of the pattern",
        upgrade_rewrites: true,
    },
    CriteriaChange {
        rule: "expression type versions",
        v1_0: "jsonpath: `draft-goessner-dispatch-jsonpath-00`; xpath: `xpath-30`, `xpath-20`, `xpath-10`",
        v1_1: "adds `rfc9535` for jsonpath, `xpath-31` for xpath and the type `jsonpointer` (`rfc6901`)",
        for_1_0: "the 1.0 values only; a 1.1 value is an error that points at `arazzo upgrade`",
        upgrade_rewrites: false,
    },
    CriteriaChange {
        rule: "default expression versions",
        v1_0: "JSONPath RFC 9535, XPath 3.1",
        v1_1: "JSONPath `rfc9535`, XPath `xpath-31` (unchanged)",
        for_1_0: "the same defaults",
        upgrade_rewrites: false,
    },
    CriteriaChange {
        rule: "text comparison",
        v1_0: "string comparisons MUST be case insensitive",
        v1_1: "the same",
        for_1_0: "case-insensitive comparison",
        upgrade_rewrites: false,
    },
    CriteriaChange {
        rule: "numeric text",
        v1_0: "not said",
        v1_1: "numeric strings SHOULD be coerced to numbers when compared with numeric operators",
        for_1_0: "the 1.1 rule (1.0 is silent)",
        upgrade_rewrites: false,
    },
    CriteriaChange {
        rule: "null",
        v1_0: "not said",
        v1_1: "`null` only equals itself; a condition that evaluates to `null` fails",
        for_1_0: "the 1.1 rule (1.0 is silent)",
        upgrade_rewrites: false,
    },
    CriteriaChange {
        rule: "criterion without `type`",
        v1_0: "`simple`",
        v1_1: "`simple`",
        for_1_0: "`simple`",
        upgrade_rewrites: false,
    },
];
