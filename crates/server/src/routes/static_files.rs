//! The demo host page (`/`) and the widget package (`/www/…`, with the widget's build
//! in `/www/pkg/…`: the glue, the first wasm module and its lazily fetched chunks).
//!
//! Why it is more than a `ServeDir`: the widget's first module is about 740 KB of wasm
//! (BENCHMARKS.md) that a host page downloads before the first screen shows (issue 18). The build (`cargo xtask demo` /
//! `package`) writes a brotli `.br` and a gzip `.gz` next to the widget's files, and
//! tower-http's `ServeDir` picks one by the request's `Accept-Encoding` (q-values
//! honoured; the file itself when neither is acceptable or no variant exists). That
//! choice depends on a request header, so every answer says `Vary: Accept-Encoding`
//! (tower-http does not) or a shared cache could hand brotli to a client that asked for
//! none.
//!
//! Caching: a file whose name carries a content hash (see [`is_content_hashed`]) never
//! changes under that name, so it is cached for a year as `immutable`; every other file
//! (the page, `tally-connect.js`, the wasm-bindgen glue and the wasm under their fixed
//! names, which the package's users import by name) is `no-cache`: kept, but revalidated
//! each time with `If-Modified-Since` (a 304 without a body when unchanged), so a new
//! build is never hidden behind a stale copy.

use std::path::Path;

use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, VARY};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

use crate::AppState;

/// For a name that changes whenever its content does.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For a name that keeps its content's place across builds: reuse only after asking.
pub const REVALIDATE: &str = "no-cache";

/// Serves `index.html` at `/` and the npm package folder at `/www`, both from `root`
/// (the repository in the demo), precompressed where the build wrote `.br`/`.gz`.
pub fn router(root: &Path) -> Router<AppState> {
    Router::new()
        .route_service("/", ServeFile::new(root.join("index.html")).precompressed_br().precompressed_gzip())
        .route_service("/index.html", ServeFile::new(root.join("index.html")).precompressed_br().precompressed_gzip())
        .nest_service("/www", ServeDir::new(root.join("www")).precompressed_br().precompressed_gzip())
        .layer(axum::middleware::from_fn(cache_headers))
}

/// Adds `Vary` and `Cache-Control` to successful and not-modified answers.
async fn cache_headers(req: Request, next: Next) -> Response {
    let hashed = is_content_hashed(req.uri().path());
    let mut res = next.run(req).await;
    let status = res.status();
    if status.is_success() || status == axum::http::StatusCode::NOT_MODIFIED {
        let h = res.headers_mut();
        h.insert(VARY, HeaderValue::from_static("accept-encoding"));
        h.insert(CACHE_CONTROL, HeaderValue::from_static(if hashed { IMMUTABLE } else { REVALIDATE }));
    }
    res
}

/// True when the last path segment's stem ends in `-HASH` or `.HASH`, HASH being at
/// least 8 hex digits with at least one decimal digit among them (so an English word
/// made of a–f letters, like `-defaced`, is not taken for one):
/// `tally_widget_bg-3f9a0c1d2e4b5a67.wasm`, `chunk.0a1b2c3d.js`.
pub fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, _ext)) = name.rsplit_once('.') else { return false };
    let Some(pos) = stem.rfind(['-', '.']) else { return false };
    let hash = &stem[pos + 1..];
    pos > 0 && hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()) && hash.bytes().any(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::is_content_hashed;

    #[test]
    fn hashed_names() {
        // The widget's chunks as `cargo xtask package` names them (xtask/src/demo.rs).
        for yes in ["/www/pkg/tally_widget_bg-3f9a0c1d2e4b5a67.wasm", "/www/pkg/chunk.0a1b2c3d.js", "x-ABCDEF12.css", "/www/pkg/connect-92e78d7f8c380ca5.wasm", "/www/pkg/chunk_3-f088b53fc4acd3bc.wasm"] {
            assert!(is_content_hashed(yes), "{yes}");
        }
        for no in [
            "/www/pkg/tally_widget_bg.wasm",
            "/www/tally-connect.js",
            "/",
            "/www/pkg/x-0a1b2c3.js",       // 7 digits
            "/www/pkg/report-defacedbead.js", // no digit: a word
            "/www/pkg/-0a1b2c3d.js",       // nothing before the hash
            "/www/pkg/name-0a1b2c3d",      // no extension: the hash is the stem's
            "/www/pkg/a-0a1b2c3g.js",      // not hex
        ] {
            assert!(!is_content_hashed(no), "{no}");
        }
    }
}
