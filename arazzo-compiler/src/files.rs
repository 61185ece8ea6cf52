//! The files a compilation reads, and positions in them: the leaf that diagnostics ([`crate::diag`])
//! and the YAML tree ([`crate::yaml`]) both point into.

use std::path::{Path, PathBuf};

/// Index of a file among those a compilation read (`Files`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// Every file the compiler read, with the path to show in messages.
#[derive(Debug, Default, Clone)]
pub struct Files {
    files: Vec<FileEntry>,
}

#[derive(Debug, Clone)]
struct FileEntry {
    absolute: PathBuf,
    display: String,
}

impl Files {
    /// Registers a file (or returns its id if it is already known).
    pub fn add(&mut self, absolute: PathBuf, display: String) -> FileId {
        if let Some(i) = self.files.iter().position(|f| f.absolute == absolute) {
            return FileId(u32::try_from(i).unwrap_or(u32::MAX));
        }
        self.files.push(FileEntry { absolute, display });
        FileId(u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX))
    }

    /// The path shown in messages for `id`.
    pub fn display(&self, id: FileId) -> &str {
        self.files
            .get(id.0 as usize)
            .map_or("<unknown>", |f| f.display.as_str())
    }

    /// The absolute path of `id`.
    pub fn absolute(&self, id: FileId) -> Option<&Path> {
        self.files.get(id.0 as usize).map(|f| f.absolute.as_path())
    }

    /// The id of an already registered absolute path.
    pub fn find(&self, absolute: &Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.absolute == absolute)
            .and_then(|i| u32::try_from(i).ok())
            .map(FileId)
    }

    /// All absolute paths, in the order they were read.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|f| f.absolute.as_path())
    }
}

/// Where a node was written: file, 1-based line and 1-based column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    /// The file.
    pub file: FileId,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
}
