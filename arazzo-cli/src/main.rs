//! `arazzo`: see what the `arazzo_workflow!` macro sees, without a build.
//!
//! - `arazzo check <files…>`: the macro's diagnostics, with source snippets (or `--format json`;
//!   `--skip-sources` checks the documents alone, reading none of their sources);
//! - `arazzo fix <files…> [--dry-run]`: rewrites the forms other runners accept as the
//!   specification spells them, in place (or prints the diff);
//! - `arazzo upgrade <files…> [--dry-run]`: rewrites Arazzo 1.0.x documents as 1.1.0 in place
//!   (or prints the diff) and lists what needs a manual fix;
//! - `arazzo expand <file>`: the Rust the macro generates, formatted;
//! - `arazzo graph <file>`: the workflows as a Mermaid or Graphviz diagram (SVG through `dot`);
//! - `arazzo list <file>`: workflows with their typed inputs and outputs.
//!
//! Every command runs the same `arazzo-compiler` pipeline as the macro: there is no second
//! copy of any check. Paths are relative to the working directory, as for the macro's
//! `Cargo.toml`-relative paths when run from the crate root.

mod fix;
mod graph;
mod list;
mod render;
mod upgrade;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use arazzo_compiler::{Compiled, Diagnostic, Request};
use clap::{Parser, Subcommand, ValueEnum};

/// Check Arazzo documents, show the Rust they compile to, draw and list their workflows.
#[derive(Debug, Parser)]
#[command(name = "arazzo", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Reports every error of each document (exit code 1 if any), as the macro would.
    Check {
        /// Arazzo documents, relative to the working directory.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// `human`: messages with source snippets; `json`: one array of diagnostics.
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        /// Check each document's own structure and expressions without reading its source
        /// descriptions (which may then be remote): operations, parameters and responses are
        /// not checked.
        #[arg(long)]
        skip_sources: bool,
    },
    /// Rewrites, in place, the forms other runners accept that have exactly one Arazzo
    /// spelling (the errors marked "fixable"), then reports the errors left (exit code 1 if
    /// any).
    Fix {
        /// Arazzo documents, relative to the working directory. Only these are rewritten.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the changes as a unified diff instead of writing them.
        #[arg(long)]
        dry_run: bool,
    },
    /// Rewrites, in place, Arazzo 1.0.x documents as 1.1.0 (comments and layout kept), and
    /// lists what 1.1 reads differently and needs a manual fix (exit code 1 if anything does).
    Upgrade {
        /// Arazzo documents, relative to the working directory.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the changes as a unified diff instead of writing them.
        #[arg(long)]
        dry_run: bool,
    },
    /// Prints the Rust code that `arazzo_workflow!` generates for a document, formatted.
    Expand {
        /// The Arazzo document.
        file: PathBuf,
    },
    /// Prints the workflows of a document as a diagram.
    Graph {
        /// The Arazzo document.
        file: PathBuf,
        /// Only this workflow.
        #[arg(long)]
        workflow: Option<String>,
        /// Diagram language.
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
        /// Also write an SVG here, rendered by Graphviz `dot` (which must be installed).
        #[arg(long)]
        svg: Option<PathBuf>,
    },
    /// Lists the workflows of a document with their inputs and outputs.
    List {
        /// The Arazzo document.
        file: PathBuf,
    },
}

/// Output of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Human,
    Json,
}

/// Language of `graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum GraphFormat {
    Mermaid,
    Dot,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    match cli.command {
        Command::Check {
            files,
            format,
            skip_sources,
        } => {
            let mut all = Vec::new();
            for file in &files {
                if let Err(diagnostics) = compile(&cwd, file, skip_sources) {
                    all.extend(diagnostics);
                }
            }
            match format {
                CheckFormat::Human if all.is_empty() => {
                    eprintln!("{} checked, no errors", plural(files.len(), "document"));
                }
                CheckFormat::Human => report(&cwd, &all, None),
                CheckFormat::Json => println!("{}", render::json(&all)),
            }
            Ok(if all.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Fix { files, dry_run } => fix_files(&cwd, &files, dry_run),
        Command::Upgrade { files, dry_run } => upgrade::upgrade_files(&cwd, &files, dry_run),
        // The macro's own pipeline, so that what it refuses (a step whose code cannot be
        // generated yet) is refused here too.
        Command::Expand { file } => match arazzo_compiler::expand(&request(&cwd, &file, false)) {
            Ok(expansion) => {
                let parsed: syn::File = syn::parse2(expansion.tokens).map_err(|e| {
                    format!("the generated code does not parse (a compiler bug): {e}")
                })?;
                print!("{}", prettyplease::unparse(&parsed));
                let _ = std::io::stdout().flush();
                Ok(ExitCode::SUCCESS)
            }
            Err(diagnostics) => {
                report(&cwd, &diagnostics, None);
                Ok(ExitCode::FAILURE)
            }
        },
        Command::List { file } => with_program(&cwd, &file, |compiled| {
            print!("{}", list::render(&compiled.program));
            Ok(())
        }),
        Command::Graph {
            file,
            workflow,
            format,
            svg,
        } => with_program(&cwd, &file, |compiled| {
            let program = &compiled.program;
            if let Some(id) = &workflow
                && !program.workflows.iter().any(|w| &w.id == id)
            {
                let known: Vec<&str> = program.workflows.iter().map(|w| w.id.as_str()).collect();
                return Err(format!(
                    "no workflow `{id}` in {}; it has: {}",
                    file.display(),
                    known.join(", ")
                ));
            }
            let text = graph::render(program, workflow.as_deref(), format);
            print!("{text}");
            if let Some(out) = svg {
                let dot = match format {
                    GraphFormat::Dot => text,
                    GraphFormat::Mermaid => {
                        graph::render(program, workflow.as_deref(), GraphFormat::Dot)
                    }
                };
                graph::write_svg(&dot, &out)?;
                eprintln!("wrote {}", out.display());
            }
            Ok(())
        }),
    }
}

/// `arazzo fix`: fixes each file (or prints the diff), says what was fixed and reports the
/// errors left.
fn fix_files(cwd: &Path, files: &[PathBuf], dry_run: bool) -> Result<ExitCode, String> {
    let mut clean = true;
    for file in files {
        let shown = file.display().to_string();
        let outcome = match fix::fix(cwd, file) {
            Ok(outcome) => outcome,
            Err(diagnostics) => {
                report(cwd, &diagnostics, None);
                clean = false;
                continue;
            }
        };
        if outcome.after != outcome.before {
            if dry_run {
                print!("{}", fix::diff(&shown, &outcome.before, &outcome.after));
            } else {
                fix::write(&cwd.join(file), &outcome.after)?;
            }
        }
        let verb = if dry_run { "would fix" } else { "fixed" };
        match outcome.applied.len() {
            0 => eprintln!("{shown}: nothing to fix"),
            n => eprintln!("{shown}: {verb} {}", plural(n, "error")),
        }
        for a in &outcome.applied {
            eprintln!("  {}:{}: `{}` → `{}`", a.line, a.col, a.old, a.new);
        }
        if !outcome.remaining.is_empty() {
            clean = false;
            // In a dry run the snippets come from the fixed text, which is not on disk.
            let edited = dry_run.then(|| (cwd.join(file), outcome.after.as_str()));
            report(cwd, &outcome.remaining, edited);
        }
    }
    let _ = std::io::stdout().flush();
    if clean {
        eprintln!("{} checked, no errors", plural(files.len(), "document"));
    }
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Compiles `file`, then runs `then` on the program; diagnostics are printed (exit code 1).
fn with_program(
    cwd: &Path,
    file: &Path,
    then: impl FnOnce(&Compiled) -> Result<(), String>,
) -> Result<ExitCode, String> {
    match compile(cwd, file, false) {
        Ok(compiled) => {
            then(&compiled)?;
            let _ = std::io::stdout().flush();
            Ok(ExitCode::SUCCESS)
        }
        Err(diagnostics) => {
            report(cwd, &diagnostics, None);
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Prints `diagnostics` with their sources to stderr (in color on a terminal), then how many
/// there are. `edited`: a file whose text is not the disk's (a path and that text).
fn report(cwd: &Path, diagnostics: &[Diagnostic], edited: Option<(PathBuf, &str)>) {
    let color = std::io::IsTerminal::is_terminal(&std::io::stderr());
    render::human(cwd, diagnostics, color, edited);
    eprintln!("{}", plural(diagnostics.len(), "error"));
}

/// Runs the compiler's pipeline on `file`, relative to `cwd` (or absolute); with
/// `skip_sources`, without reading its source descriptions ([`Request::skip_sources`]).
fn compile(cwd: &Path, file: &Path, skip_sources: bool) -> Result<Compiled, Vec<Diagnostic>> {
    arazzo_compiler::compile(&request(cwd, file, skip_sources))
}

/// The compiler's request for `file`, relative to `cwd` (or absolute).
fn request(cwd: &Path, file: &Path, skip_sources: bool) -> Request {
    // The compiler takes a path relative to a base directory, as the macro does: the
    // document's own directory (messages still show paths relative to `cwd`).
    let absolute = cwd.join(file);
    let base = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
    let relative = absolute.file_name().map(PathBuf::from).unwrap_or_default();
    Request {
        path: relative.to_string_lossy().replace('\\', "/"),
        manifest_dir: base,
        invoking_file: None,
        cwd: Some(cwd.to_path_buf()),
        skip_sources,
        ..Default::default()
    }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
