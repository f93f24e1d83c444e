//! SQL built at run time (a filter's conditions, multi-row inserts): the text and its
//! bind values kept together, each placeholder numbered as its value is bound, so no
//! caller counts placeholders or columns by hand.
//!
//! Why not sqlx's own `QueryBuilder`: with the `Any` driver it writes `?` for every
//! placeholder (`AnyArguments` keeps the default `Arguments::format_placeholder`, and
//! the backend is only known when the query runs). SQLite reads `?`, PostgreSQL
//! refuses it: a syntax error (sqlx issue 3000, open in 0.8.6). This builder is the
//! same idea with `$1, $2, …`, which both read. The test
//! `sqlx_query_builder_on_any_still_writes_question_marks` fails when sqlx changes
//! that, and then `QueryBuilder` can take this one's place.

use std::fmt::Write as _;

use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{Any, Arguments, Encode, FromRow, Type};

use super::Val;

/// SQL text with its bind values.
pub struct Sql {
    text: String,
    /// Taken by the `build…` methods, as `QueryBuilder` does: a statement runs once.
    args: Option<AnyArguments<'static>>,
}

impl Sql {
    pub fn new(text: impl Into<String>) -> Self {
        Sql { text: text.into(), args: Some(AnyArguments::default()) }
    }

    /// Appends SQL text (never a value: values go through [`Sql::bind`]).
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Binds a value and appends its placeholder.
    pub fn bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'static + Send + Encode<'static, Any> + Type<Any>,
    {
        let args = self.args.as_mut().expect("bind after build");
        args.add(value).expect("Any encodes every value it has a type for");
        write!(self.text, "${}", args.len()).expect("writing to a String");
        self
    }

    /// Binds a stored value ([`Val`]).
    pub fn bind_val(&mut self, value: &Val) -> &mut Self {
        match value {
            Val::Text(t) => self.bind(t.clone()),
            Val::Int(i) => self.bind(*i),
        }
    }

    /// Binds values separated by `, ` (an `IN (…)` list or a row of `VALUES (…)`).
    pub fn bind_list<'v>(&mut self, values: impl IntoIterator<Item = &'v Val>) -> &mut Self {
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind_val(v);
        }
        self
    }

    /// The text so far.
    pub fn sql(&self) -> &str {
        &self.text
    }

    fn take_args(&mut self) -> AnyArguments<'static> {
        self.args.take().expect("a statement is built once")
    }

    /// The statement, ready to execute.
    pub fn build(&mut self) -> Query<'_, Any, AnyArguments<'_>> {
        let args = self.take_args();
        sqlx::query_with(&self.text, args)
    }

    /// The statement, reading rows as `T`.
    pub fn build_query_as<T>(&mut self) -> QueryAs<'_, Any, T, AnyArguments<'_>>
    where
        T: for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        let args = self.take_args();
        sqlx::query_as_with(&self.text, args)
    }

    /// The statement, reading the first column as `T`.
    pub fn build_query_scalar<T>(&mut self) -> QueryScalar<'_, Any, T, AnyArguments<'_>>
    where
        (T,): for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        let args = self.take_args();
        sqlx::query_scalar_with(&self.text, args)
    }
}

/// Appends ` AND …` for a validated filter over `columns` (filter field → column).
/// Fields missing from `columns` are refused by validation before this is called;
/// here they are simply skipped.
///
/// The terms are nested as a balanced tree, `((a AND b) AND (c AND d))`, not a chain:
/// SQLite limits an expression tree to depth 1,000 and a chain of `n` terms is `n`
/// deep, so 497 `ne` terms (two levels each) failed; balanced, 1,000 terms are about
/// 10 levels deep.
pub fn and_filter(sql: &mut Sql, filter: &tally_api::Filter, columns: &[(&str, &str)]) {
    let terms: Vec<(&str, &tally_api::Condition)> =
        filter.conditions.iter().filter_map(|c| columns.iter().find(|(f, _)| *f == c.field).map(|(_, col)| (*col, c))).collect();
    if !terms.is_empty() {
        sql.push(" AND ");
        balanced_and(sql, &terms);
    }
}

/// `terms` joined by AND, nested in halves so the depth is log2 of their number.
fn balanced_and(sql: &mut Sql, terms: &[(&str, &tally_api::Condition)]) {
    match terms {
        [] => {}
        [(col, c)] => term(sql, col, c),
        _ => {
            let (a, b) = terms.split_at(terms.len() / 2);
            sql.push("(");
            balanced_and(sql, a);
            sql.push(" AND ");
            balanced_and(sql, b);
            sql.push(")");
        }
    }
}

fn term(sql: &mut Sql, col: &str, c: &tally_api::Condition) {
    use tally_api::Op;
    let first = || c.values.first().cloned().unwrap_or_default();
    let cmp = |sql: &mut Sql, op: &str| {
        sql.push(col).push(op).bind(first());
    };
    match c.op {
        Op::Eq => cmp(sql, " = "),
        Op::Ne => {
            sql.push("(").push(col).push(" <> ").bind(first()).push(" OR ").push(col).push(" IS NULL)");
        }
        Op::Gt => cmp(sql, " > "),
        Op::Gteq => cmp(sql, " >= "),
        Op::Lt => cmp(sql, " < "),
        Op::Lteq => cmp(sql, " <= "),
        Op::Bt => {
            let second = c.values.get(1).cloned().unwrap_or_default();
            sql.push("(").push(col).push(" >= ").bind(first()).push(" AND ").push(col).push(" <= ").bind(second).push(")");
        }
        Op::In => {
            let vals: Vec<Val> = c.values.iter().map(|v| Val::from(v.as_str())).collect();
            sql.push(col).push(" IN (").bind_list(&vals).push(")");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tally_api::{Condition, Filter, Op};

    #[test]
    fn placeholders_are_numbered_as_values_are_bound() {
        let mut sql = Sql::new("SELECT 1 FROM t WHERE a = ");
        sql.bind("x".to_string()).push(" AND b IN (").bind_list(&[Val::from(1i64), Val::from("y")]).push(")");
        assert_eq!(sql.sql(), "SELECT 1 FROM t WHERE a = $1 AND b IN ($2, $3)");
    }

    #[test]
    fn filter_terms_nest_as_a_balanced_tree() {
        let f = |n: usize| Filter { conditions: (0..n).map(|i| Condition::new("a", Op::Ne, &[&format!("x{i}")])).collect() };
        let mut none = Sql::new("");
        and_filter(&mut none, &f(0), &[("a", "col")]);
        assert_eq!(none.sql(), "");
        let mut sql = Sql::new("owner = ");
        sql.bind("u".to_string());
        and_filter(&mut sql, &f(3), &[("a", "col")]);
        assert_eq!(sql.sql(), "owner = $1 AND ((col <> $2 OR col IS NULL) AND ((col <> $3 OR col IS NULL) AND (col <> $4 OR col IS NULL)))");
        let mut big = Sql::new("");
        and_filter(&mut big, &f(1000), &[("a", "col")]);
        let mut depth = 0usize;
        let mut deepest = 0;
        for ch in big.sql().chars() {
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

    /// The reason for [`Sql`]: when this fails, sqlx's `QueryBuilder` numbers
    /// placeholders for the `Any` driver and can replace it.
    #[test]
    fn sqlx_query_builder_on_any_still_writes_question_marks() {
        let mut qb = sqlx::QueryBuilder::<Any>::new("SELECT 1 WHERE a = ");
        qb.push_bind(1i64);
        assert_eq!(qb.sql(), "SELECT 1 WHERE a = ?");
    }
}
