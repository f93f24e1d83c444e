//! The demo host page (`/`) and the widget package (`/www/…`, with the wasm-pack
//! output in `/www/pkg/…`).

use std::path::Path;

use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

use crate::AppState;

/// Serves `index.html` at `/` and the npm package folder at `/www`, both from `root`
/// (the repository in the demo).
pub fn router(root: &Path) -> Router<AppState> {
    Router::new()
        .route_service("/", ServeFile::new(root.join("index.html")))
        .route_service("/index.html", ServeFile::new(root.join("index.html")))
        .nest_service("/www", ServeDir::new(root.join("www")))
}
