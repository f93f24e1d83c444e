//! `tally-api`: the Connect API v2 wire contract, defined once.
//!
//! Every JSON shape the server sends and the widget reads lives here, so the two can
//! never disagree about a field name. Nothing in this crate does I/O except the
//! optional typed client.

pub mod wire;

pub use wire::*;
