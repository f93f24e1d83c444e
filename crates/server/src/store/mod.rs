//! SQL, one module per table, next to nothing else. Every query is portable
//! (SQLite and PostgreSQL through sqlx Any) and scoped by application id, so one
//! application can never read another's rows whatever ids it guesses.

pub mod accounts;
pub mod apps;
pub mod connections;
pub mod corrections;
pub mod expenses;
pub mod jobs;
pub mod rate_limits;
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
///
/// The terms are nested as a balanced tree, `((a AND b) AND (c AND d))`, not a chain:
/// SQLite limits an expression tree to depth 1,000 and a chain of `n` terms is `n`
/// deep, so 497 `ne` terms (two levels each) failed; balanced, 1,000 terms are about
/// 10 levels deep.
pub fn filter_sql(filter: &tally_api::Filter, columns: &[(&str, &str)], first: usize) -> (String, Vec<Val>) {
    use tally_api::Op;
    let mut terms: Vec<String> = Vec::new();
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
        terms.push(cond);
        vals.extend(c.values.iter().map(|v| Val::from(v.clone())));
    }
    if terms.is_empty() {
        return (String::new(), vals);
    }
    (format!(" AND {}", balanced_and(&terms)), vals)
}

/// `terms` joined by AND, nested in halves so the depth is log2 of their number.
fn balanced_and(terms: &[String]) -> String {
    match terms {
        [] => "1 = 1".into(),
        [one] => one.clone(),
        _ => {
            let (a, b) = terms.split_at(terms.len() / 2);
            format!("({} AND {})", balanced_and(a), balanced_and(b))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tally_api::{Condition, Filter, Op};

    #[test]
    fn filter_terms_nest_as_a_balanced_tree() {
        let f = |n: usize| Filter { conditions: (0..n).map(|i| Condition::new("a", Op::Ne, &[&format!("x{i}")])).collect() };
        assert_eq!(filter_sql(&f(0), &[("a", "col")], 1).0, "");
        let (sql, vals) = filter_sql(&f(3), &[("a", "col")], 2);
        assert_eq!(sql, " AND ((col <> $2 OR col IS NULL) AND ((col <> $3 OR col IS NULL) AND (col <> $4 OR col IS NULL)))");
        assert_eq!(vals.len(), 3);
        let (sql, _) = filter_sql(&f(1000), &[("a", "col")], 1);
        let mut depth = 0usize;
        let mut deepest = 0;
        for ch in sql.chars() {
            match ch {
                '(' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ')' => depth -= 1,
                _ => {}
            }
        }
        assert!(deepest <= 12, "1000 terms nest {deepest} deep");
    }
}
