//! `tally-server`: the Connect API v2 over HTTP.
//!
//! `app()` builds the whole router from an [`AppState`]; `main.rs` only parses the
//! command line, opens the database and binds a socket, so tests run the very same
//! app on an ephemeral port.

pub mod db;
pub mod error;
pub mod routes;
pub mod sandbox;

use std::path::PathBuf;

use axum::Router;
use sqlx::AnyPool;
use tower_http::trace::TraceLayer;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub db: AnyPool,
}

/// Where static files (the demo page and the built widget) are served from, if at all.
#[derive(Clone, Debug, Default)]
pub struct StaticConfig {
    pub root: Option<PathBuf>,
}

/// The whole HTTP application.
pub fn app(state: AppState, statics: &StaticConfig) -> Router {
    let mut router = Router::new().merge(routes::institutions::router());
    if let Some(root) = &statics.root {
        router = router.merge(routes::static_files::router(root));
    }
    router.layer(TraceLayer::new_for_http()).with_state(state)
}
