//! trybuild UI tests: every compile error of `arazzo_workflow!` is pinned in a `.stderr` file.
//!
//! Each case in `tests/ui/` is a small Arazzo document with one deliberate mistake (or a
//! handful, in `several_errors`), named file-relative (`"./case.yml"`) so the case builds the
//! same in trybuild's scratch project. `tests/ui-pass/` holds cases that must compile, which
//! pin the generated types. Regenerate with `TRYBUILD=overwrite cargo test --test ui` and read
//! every changed line before committing.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui-pass/*.rs");
}
