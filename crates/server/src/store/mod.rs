//! SQL, one module per table, next to nothing else. Every query is portable
//! (SQLite and PostgreSQL through sqlx Any) and scoped by application id, so one
//! application can never read another's rows whatever ids it guesses.

pub mod accounts;
pub mod apps;
pub mod connections;
pub mod corrections;
pub mod expenses;
pub mod jobs;
pub mod statement_uploads;
pub mod transactions;
pub mod users;

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::Any;

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

/// Binds values in order.
pub fn bind_all<'q>(mut q: Query<'q, Any, AnyArguments<'q>>, vals: &[Val]) -> Query<'q, Any, AnyArguments<'q>> {
    for v in vals {
        q = match v {
            Val::Text(t) => q.bind(t.clone()),
            Val::Int(i) => q.bind(*i),
        };
    }
    q
}

/// `$first, $first+1, …` for `n` values.
pub fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Turns a validated filter into ` AND …` SQL over `columns` (filter field → column),
/// with placeholders numbered from `first`. Fields missing from `columns` are refused
/// by validation before this is called; here they are simply skipped.
pub fn filter_sql(filter: &tally_api::Filter, columns: &[(&str, &str)], first: usize) -> (String, Vec<Val>) {
    use tally_api::Op;
    let mut sql = String::new();
    let mut vals: Vec<Val> = Vec::new();
    for c in &filter.conditions {
        let Some((_, col)) = columns.iter().find(|(f, _)| *f == c.field) else { continue };
        let n = first + vals.len();
        let cond = match c.op {
            Op::Eq => format!("{col} = ${n}"),
            Op::Ne => format!("({col} <> ${n} OR {col} IS NULL)"),
            Op::Gt => format!("{col} > ${n}"),
            Op::Gteq => format!("{col} >= ${n}"),
            Op::Lt => format!("{col} < ${n}"),
            Op::Lteq => format!("{col} <= ${n}"),
            Op::Bt => format!("({col} >= ${n} AND {col} <= ${})", n + 1),
            Op::In => format!("{col} IN ({})", placeholders(n, c.values.len())),
        };
        sql.push_str(" AND ");
        sql.push_str(&cond);
        vals.extend(c.values.iter().map(|v| Val::from(v.clone())));
    }
    (sql, vals)
}
