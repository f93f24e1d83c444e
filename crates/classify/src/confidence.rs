//! How sure a classification is: the one level type the engine and the tables
//! that feed it (`brands.rs`, `structure.rs`) share, in a module of its own so
//! that they need not import the engine that imports them.

use serde::{Deserialize, Serialize};

/// How sure a result is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    Low,
    Medium,
    High,
    VeryHigh,
}

impl Confidence {
    /// The wire name (`very-high`).
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
            Confidence::VeryHigh => "very-high",
        }
    }
}
