//! Jobs: the pure model of a job's steps and what they mean, and the edge that follows
//! a job on the server.

pub mod advice;
pub mod backoff;
pub mod clock;
pub mod steps;
pub mod watch;
