//! The crate's one error type.

/// Everything that can go wrong in `tally-classify`. Bad input is always an
/// `Err`, never a panic.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The model artefact is not a model file at all, or is truncated/corrupt.
    #[error("model file is invalid: {0}")]
    ModelInvalid(String),
    /// The model artefact was written by another format or feature version.
    #[error("model format version {found} is not supported (expected {expected})")]
    ModelVersion { found: u32, expected: u32 },
    /// A category slug that is not in the taxonomy.
    #[error("unknown category `{0}`")]
    UnknownCategory(String),
    /// A transaction class name that is not in the contract.
    #[error("unknown transaction class `{0}`")]
    UnknownClass(String),
    /// A month that is not `YYYY-MM`.
    #[error("invalid month `{0}` (expected YYYY-MM)")]
    InvalidMonth(String),
    /// A month range that is empty or too long.
    #[error("invalid month range {from}..{to}: {detail}")]
    InvalidRange {
        from: String,
        to: String,
        detail: &'static str,
    },
    /// One line of CLI input could not be read.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A row of the crate's own data files is malformed (a build-time bug,
    /// reported rather than panicking).
    #[error("data file {file} line {line}: {detail}")]
    Data {
        file: &'static str,
        line: usize,
        detail: String,
    },
    /// File system errors (CLI: writing the model).
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Shorthand used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
