//! Scheduled refresh: every active connection is refreshed in the background
//! up to N times a day (0..=5 per application), spread evenly with per-connection
//! jitter, backing off when the institution is unavailable, so API reads can always be
//! served from the stored copy.
//!
//! - [`plan`]: the rules, pure (slots, jitter, catch-up after downtime, backoff).
//! - [`crate::store::schedules`]: the SQL (`schedules`, `scheduler_settings`, leases),
//!   with the other tables' SQL.
//! - [`runner`]: the tick that claims due schedules and queues ordinary jobs.
//! - [`settings`]: refreshes a day per application.
//! - [`bench`]: the find-due/claim benchmark behind `tally-server bench-scheduler`.

pub mod bench;
pub mod plan;
pub mod runner;
pub mod settings;

pub use runner::{Scheduler, SchedulerHandle, TickReport};
