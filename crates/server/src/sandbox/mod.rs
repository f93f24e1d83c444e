//! The sandbox: institutions and test users that work offline, like the original's.

pub mod connector;
pub mod data;
pub mod institutions;
pub mod rng;

pub use connector::SandboxConnector;
