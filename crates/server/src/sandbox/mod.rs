//! The sandbox: institutions and test users that work offline, like the original's.

pub mod institutions;
