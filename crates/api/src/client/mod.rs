//! The typed client for the whole Connect API v2: one definition of every endpoint
//! ([`endpoints`]), run natively over reqwest (feature `native`) or in the browser over
//! gloo-net (feature `browser`).
//!
//! Without either feature this module still offers the pure parts — endpoint
//! descriptions, the [`Error`] type, the token policy, typed filter builders and the
//! event-stream parser — with no extra dependencies.
//!
//! ```no_run
//! # #[cfg(feature = "native")]
//! # async fn demo() -> Result<(), tally_api::client::Error> {
//! use std::time::Duration;
//! use tally_api::client::{Client, StepTitle};
//! use tally_api::{InstitutionId, NewConnection, NewUser};
//!
//! let server = Client::with_api_key("http://127.0.0.1:8080", "my-api-key");
//! let user = server.create_user(&NewUser { email: Some("ann@example.com".into()), mobile: None, ..Default::default() }).await?;
//! let job = server
//!     .create_connection(&user.id, &NewConnection {
//!         login_id: "gavinBelson".into(),
//!         password: "hooli2016".into(),
//!         security_code: None,
//!         secondary_login_id: None,
//!         institution: InstitutionId { id: "AU00000".into() },
//!     })
//!     .await?;
//! server.wait_for_step(&job.id, StepTitle::RetrieveTransactions, Duration::from_secs(60)).await?;
//! // A CLIENT_ACCESS token for the browser widget (what your `token-url` returns):
//! let for_widget = server.mint_client_token(&user.id).await?;
//! # let _ = for_widget; Ok(()) }
//! ```

pub mod endpoints;
pub mod error;
pub mod filter_builder;
pub mod jobs;
pub mod request;
pub mod scheduler;
pub mod sse;
pub mod token;

#[cfg(any(feature = "native", feature = "browser"))]
mod calls;
#[cfg(any(feature = "native", feature = "browser"))]
mod core;
#[cfg(any(feature = "native", feature = "browser"))]
mod job_wait;
#[cfg(any(feature = "native", feature = "browser"))]
pub mod paging;
#[cfg(any(feature = "native", feature = "browser"))]
pub mod transport;

#[cfg(any(feature = "native", feature = "browser"))]
pub use self::core::Client;
pub use endpoints::ApiVersion;
pub use error::{Error, ErrorKind};
pub use filter_builder::{
    AccountFilter, Cmp, ConnectionFilter, ConnectionStatus, Date, Direction, JobFilter, ToFilter, TransactionClass, TransactionFilter,
    TransactionStatus,
};
pub use jobs::Progress;
pub use crate::{MfaChallenge, StepTitle};
pub use request::{AuthMode, Body, Method, Multipart, Part, PartValue, Request};
pub use scheduler::{Scheduler, SchedulerUpdate};
pub use token::{Scope, TokenSource};
#[cfg(any(feature = "native", feature = "browser"))]
pub use transport::{DefaultTransport, Transport};
