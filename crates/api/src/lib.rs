//! `tally-api`: the Connect API v2 wire contract, defined once.
//!
//! Every JSON shape the server sends and the widget reads lives here, so the two can
//! never disagree about a field name. Nothing in this crate does I/O except the
//! optional typed client.
//!
//! # The typed client (the Rust SDK)
//!
//! [`client::Client`] covers every endpoint, natively (feature `native`: reqwest and
//! tokio; add `rustls` for HTTPS) and in the browser (feature `browser`: gloo-net).
//! It caches its token and renews it before expiry, waits for job steps, streams
//! pages, and builds filters with types. The pure parts (endpoint descriptions,
//! [`client::Error`], filter builders) need no feature.
//!
//! ```no_run
//! # #[cfg(feature = "native")]
//! # async fn quickstart() -> Result<(), tally_api::client::Error> {
//! use std::time::Duration;
//! use futures_util::TryStreamExt;
//! use tally_api::client::{Client, Cmp, Direction, TransactionFilter};
//! use tally_api::{InstitutionId, NewConnection, NewUser, StepTitle};
//!
//! let api = Client::with_api_key("http://127.0.0.1:8080", std::env::var("TALLY_API_KEY").unwrap_or_default());
//! let user = api.create_user(&NewUser { email: Some("ann@example.com".into()), mobile: None, ..Default::default() }).await?;
//! let login = NewConnection {
//!     login_id: "gavinBelson".into(),
//!     password: "hooli2016".into(),
//!     security_code: None,
//!     secondary_login_id: None,
//!     institution: InstitutionId { id: "AU00000".into() },
//! };
//! let job = api.create_connection(&user.id, &login).await?;
//! api.wait_for_step(&job.id, StepTitle::RetrieveTransactions, Duration::from_secs(60)).await?;
//!
//! let money_out = TransactionFilter::new().direction(Cmp::eq(Direction::Debit));
//! let spent: Vec<_> = api.all_transactions(&user.id, &money_out).try_collect().await?;
//! println!("{} payments", spent.len());
//!
//! // What a host backend's `token-url` hands the widget:
//! let token = api.mint_client_token(&user.id).await?;
//! # let _ = token; Ok(()) }
//! ```

#![deny(missing_docs)]

pub mod client;
pub mod filter;
pub mod spending;
pub mod taxonomy;
pub mod v3;
pub mod vocab;
pub mod wire;

#[cfg(any(feature = "native", feature = "browser"))]
pub use client::Client;

pub use filter::{
    Condition, FieldKind, FieldSpec, Filter, FilterError, Op, ACCOUNT_FIELDS, CONNECTION_FIELDS, CONNECTOR_FIELDS, EVENT_FIELDS, JOB_FIELDS, TRANSACTION_FIELDS,
};
pub use vocab::{
    ConnectionStatus, Direction, MfaChallenge, Money, StepFailure, StepResult, StepStatus, StepTitle, TransactionClass, TransactionStatus,
};
pub use wire::*;
