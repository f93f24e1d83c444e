//! `GET`/`PUT /scheduler`: how many times a day the server refreshes each connection
//! of the application from the institution (0 to 5; API reads are served from the
//! stored copy). SERVER_ACCESS only.

use serde::{Deserialize, Serialize};

use super::request::{Body, Method, Request};
use crate::Links;

/// The scheduler's settings: `{"type":"scheduler","refreshesPerDay":5,"source":…}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scheduler {
    /// `scheduler`
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Scheduled refreshes a day per connection, 0 (off) to 5.
    pub refreshes_per_day: u8,
    /// `application` when the application chose it, `default` otherwise.
    #[serde(default)]
    pub source: String,
    /// `self`
    #[serde(default)]
    pub links: Links,
}

/// `PUT /scheduler` body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchedulerUpdate {
    /// Scheduled refreshes a day per connection, 0 (off) to 5.
    pub refreshes_per_day: u8,
}

/// `GET /scheduler`
pub fn get() -> Request<Scheduler> {
    Request::json(Method::Get, "/scheduler")
}

/// `PUT /scheduler`: every schedule is replanned on the scheduler's next tick.
pub fn put(settings: &SchedulerUpdate) -> Request<Scheduler> {
    Request::json(Method::Put, "/scheduler").with_body(Body::json(settings))
}
