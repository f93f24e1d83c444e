//! The typed filter builders against the parser the server uses: whatever a builder
//! produces, the parser reads back to the same conditions — from the text, and after
//! the trip through a URL query — and the running server accepts it and selects
//! exactly the transactions the same filter selects client-side.

mod common;


use futures_util::TryStreamExt;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use tally_api::client::request::encode_component;
use tally_api::client::{Client, Cmp, Date, Direction, TransactionClass, TransactionFilter, TransactionStatus};
use tally_api::{Filter, Op, Transaction, TRANSACTION_FIELDS};

/// The transaction fields a builder can filter on.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Account,
    Connection,
    Institution,
    Id,
    PostDate,
    TransactionDate,
    Status,
    Direction,
    Class,
}

const FIELDS: [Field; 9] =
    [Field::Account, Field::Connection, Field::Institution, Field::Id, Field::PostDate, Field::TransactionDate, Field::Status, Field::Direction, Field::Class];

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Account => "account.id",
            Field::Connection => "connection.id",
            Field::Institution => "institution.id",
            Field::Id => "transaction.id",
            Field::PostDate => "transaction.postDate",
            Field::TransactionDate => "transaction.transactionDate",
            Field::Status => "transaction.status",
            Field::Direction => "transaction.direction",
            Field::Class => "transaction.class",
        }
    }

    fn of(self, t: &Transaction) -> Option<&str> {
        match self {
            Field::Account => Some(&t.account),
            Field::Connection => Some(&t.connection),
            Field::Institution => Some(&t.institution),
            Field::Id => Some(&t.id),
            Field::PostDate => t.post_date.as_deref(),
            Field::TransactionDate => t.transaction_date.as_deref(),
            Field::Status => Some(t.status.as_str()),
            Field::Direction => Some(t.direction.as_str()),
            Field::Class => Some(t.class.as_str()),
        }
    }
}

/// One condition as plain data, turned into builder calls by [`apply`].
#[derive(Debug, Clone)]
struct Spec {
    field: Field,
    op: Op,
    values: Vec<String>,
}

fn cmp<V: tally_api::client::filter_builder::FilterValue>(op: Op, values: Vec<V>) -> Cmp<V> {
    let mut it = values.into_iter();
    let mut one = || it.next().expect("a value per operator arity");
    match op {
        Op::Eq => Cmp::eq(one()),
        Op::Ne => Cmp::ne(one()),
        Op::Gt => Cmp::gt(one()),
        Op::Gteq => Cmp::gteq(one()),
        Op::Lt => Cmp::lt(one()),
        Op::Lteq => Cmp::lteq(one()),
        Op::Bt => {
            let low = one();
            Cmp::between(low, one())
        }
        Op::In => Cmp::one_of(std::iter::once(one()).chain(it)),
    }
}

fn word<W: Clone + std::fmt::Display>(all: &[W], text: &str) -> W {
    all.iter().find(|w| w.to_string() == text).expect("a generated word").clone()
}

fn apply(b: TransactionFilter, s: &Spec) -> TransactionFilter {
    let strs = || s.values.iter().map(String::as_str).collect::<Vec<_>>();
    let dates = || s.values.iter().map(|v| v.parse::<Date>().expect("a generated date")).collect::<Vec<_>>();
    match s.field {
        Field::Account => b.account_id(cmp(s.op, strs())),
        Field::Connection => b.connection_id(cmp(s.op, strs())),
        Field::Institution => b.institution_id(cmp(s.op, strs())),
        Field::Id => b.transaction_id(cmp(s.op, strs())),
        Field::PostDate => b.post_date(cmp(s.op, dates())),
        Field::TransactionDate => b.transaction_date(cmp(s.op, dates())),
        Field::Status => b.status(cmp(s.op, s.values.iter().map(|v| word(TransactionStatus::KNOWN, v)).collect())),
        Field::Direction => b.direction(cmp(s.op, s.values.iter().map(|v| word(Direction::KNOWN, v)).collect())),
        Field::Class => b.class(cmp(s.op, s.values.iter().map(|v| word(TransactionClass::KNOWN, v)).collect())),
    }
}

fn build(specs: &[Spec]) -> TransactionFilter {
    specs.iter().fold(TransactionFilter::new(), apply)
}

fn date_text(from: i64, to: i64) -> BoxedStrategy<String> {
    (from..=to).prop_map(|d| Date::from_unix_days(d).expect("in range").to_string()).boxed()
}

fn words<W: std::fmt::Display>(all: &'static [W]) -> BoxedStrategy<String> {
    proptest::sample::select(all.iter().map(|w| w.to_string()).collect::<Vec<_>>()).boxed()
}

/// Values for `field`: ids from `ids` (any text when empty), dates in `days`.
fn values_for(field: Field, ids: &[String], days: (i64, i64)) -> BoxedStrategy<String> {
    match field {
        Field::Account | Field::Connection | Field::Institution | Field::Id if ids.is_empty() => {
            // Quotes, commas, parentheses, URL specials and non-ASCII included.
            "[a-zA-Z0-9',() _.%&=+?#/ü-]{1,12}".boxed()
        }
        Field::Account | Field::Connection | Field::Institution | Field::Id => proptest::sample::select(ids.to_vec()).boxed(),
        Field::PostDate | Field::TransactionDate => date_text(days.0, days.1),
        Field::Status => words(TransactionStatus::KNOWN),
        Field::Direction => words(Direction::KNOWN),
        Field::Class => words(TransactionClass::KNOWN),
    }
}

fn spec(ids: Vec<String>, days: (i64, i64)) -> impl Strategy<Value = Spec> {
    (proptest::sample::select(&FIELDS[..]), proptest::sample::select(&Op::ALL[..])).prop_flat_map(move |(field, op)| {
        let n = match op {
            Op::Bt => 2..3,
            Op::In => 1..4,
            _ => 1..2,
        };
        proptest::collection::vec(values_for(field, &ids, days), n).prop_map(move |mut values| {
            if op == Op::Bt {
                // The server refuses reversed ranges; the order it checks is the text's.
                values.sort();
            }
            Spec { field, op, values }
        })
    })
}

/// The inverse of `encode_component`, as the server's query parser does it.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).expect("hex"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}

proptest! {
    #![proptest_config(Config::with_cases(512))]

    #[test]
    fn builder_text_parses_back_to_the_same_filter(specs in proptest::collection::vec(spec(Vec::new(), (-3650, 22_000)), 0..5)) {
        let b = build(&specs);
        let text = b.to_string();
        let parsed = Filter::parse_for(&text, TRANSACTION_FIELDS).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(&parsed, &b.build());
        prop_assert_eq!(parsed.conditions.len(), specs.len());
        for (c, s) in parsed.conditions.iter().zip(&specs) {
            prop_assert_eq!((c.field.as_str(), c.op, &c.values), (s.field.name(), s.op, &s.values));
        }
        prop_assert!(b.validate().is_ok());
        // Through the query string and back, as the server receives it.
        let decoded = percent_decode(&encode_component(&text));
        prop_assert_eq!(Filter::parse(&decoded).unwrap(), b.build());
    }
}

/// The server accepts every builder filter and selects what the same filter selects
/// client-side ([`Filter::matches`], the widget's evaluation).
#[test]
fn the_server_agrees_with_the_builder() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (server, client, user, all) = rt.block_on(async {
        let t = common::start().await;
        let c = Client::with_api_key(&t.base, t.api_key().await);
        let user = common::connected_user(&c, "p@example.com").await;
        let all: Vec<Transaction> = c.all_transactions(&user, &()).try_collect().await.unwrap();
        (t, c, user, all)
    });
    assert!(all.len() > 20);
    let days: Vec<i64> = all
        .iter()
        .flat_map(|t| [t.post_date.as_deref(), t.transaction_date.as_deref()])
        .flatten()
        .filter_map(|d| d.parse::<Date>().ok())
        .map(Date::to_unix_days)
        .collect();
    let span = (days.iter().min().unwrap() - 3, days.iter().max().unwrap() + 3);
    let mut ids: Vec<String> = all.iter().flat_map(|t| [t.account.clone(), t.connection.clone(), t.institution.clone()]).collect();
    ids.extend(all.iter().take(5).map(|t| t.id.clone()));
    ids.push("no-such-id".into());
    ids.sort();
    ids.dedup();

    let mut runner = TestRunner::new(Config { cases: 48, ..Config::default() });
    let strategy = proptest::collection::vec(spec(ids, span), 1..3);
    runner
        .run(&strategy, |specs| {
            let b = build(&specs);
            let got: Vec<Transaction> = rt
                .block_on(client.all_transactions(&user, &b).try_collect())
                .map_err(|e| TestCaseError::fail(format!("{b}: {e}")))?;
            let mut got: Vec<&str> = got.iter().map(|t| t.id.as_str()).collect();
            let f = b.build();
            let mut want: Vec<&str> = all
                .iter()
                .filter(|t| f.matches(|name| FIELDS.iter().find(|x| x.name() == name).and_then(|x| x.of(t))))
                .map(|t| t.id.as_str())
                .collect();
            got.sort();
            want.sort();
            prop_assert_eq!(got, want, "filter {}", b);
            Ok(())
        })
        .unwrap();
    drop(server);
}
