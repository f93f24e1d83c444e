//! A job, all in one place: the pure model of its steps and what they mean
//! ([`steps`], [`advice`], [`clock`], [`backoff`]), the follower that watches it on the
//! server ([`watch`]: its live stream, or polling), and the view of its progress
//! ([`progress`], with the [`mfa`] form for the bank's question). The connect flow, the
//! statement upload and each connection's refresh show a [`JobProgress`].

pub mod advice;
pub mod backoff;
pub mod clock;
pub mod mfa;
pub mod progress;
pub mod steps;
pub mod watch;

pub use progress::{chunk, JobProgress, JobProgressProps};
