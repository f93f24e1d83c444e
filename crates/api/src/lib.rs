//! `tally-api`: the Connect API v2 wire contract, defined once.
//!
//! Every JSON shape the server sends and the widget reads lives here, so the two can
//! never disagree about a field name. Nothing in this crate does I/O except the
//! optional typed client.

pub mod client;
pub mod filter;
pub mod wire;

#[cfg(any(feature = "native", feature = "browser"))]
pub use client::Client;

pub use filter::{
    Condition, FieldKind, FieldSpec, Filter, FilterError, Op, ACCOUNT_FIELDS, CONNECTION_FIELDS, JOB_FIELDS, TRANSACTION_FIELDS,
};
pub use wire::*;
