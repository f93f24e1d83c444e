//! SQL, one module per table, next to nothing else. Every query is portable
//! (SQLite and PostgreSQL through sqlx Any) and scoped by application id, so one
//! application can never read another's rows whatever ids it guesses. SQL made at run
//! time (filters, multi-row inserts) goes through [`Sql`], which numbers its own
//! placeholders.

pub mod accounts;
pub mod apps;
pub mod connections;
pub mod consents;
pub mod corrections;
pub mod events;
pub mod expenses;
pub mod jobs;
pub mod rate_limits;
pub mod schedules;
pub mod sql;
pub mod statement_uploads;
pub mod transactions;
pub mod users;

pub use sql::Sql;

/// A new opaque id.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// A value to bind in dynamically built SQL.
#[derive(Debug, Clone)]
pub enum Val {
    Text(Option<String>),
    Int(Option<i64>),
}

impl From<String> for Val {
    fn from(s: String) -> Self {
        Val::Text(Some(s))
    }
}
impl From<&str> for Val {
    fn from(s: &str) -> Self {
        Val::Text(Some(s.to_string()))
    }
}
impl From<Option<String>> for Val {
    fn from(s: Option<String>) -> Self {
        Val::Text(s)
    }
}
impl From<i64> for Val {
    fn from(i: i64) -> Self {
        Val::Int(Some(i))
    }
}
impl From<Option<i64>> for Val {
    fn from(i: Option<i64>) -> Self {
        Val::Int(i)
    }
}
