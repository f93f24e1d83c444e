//! The widget's files as a browser gets them from the real app (routes/static_files.rs):
//! the precompressed variant the build wrote, chosen by `Accept-Encoding`, with the
//! content type of the file it stands for, `Vary: Accept-Encoding`, and the cache policy
//! (a year and `immutable` for content-hashed names, `no-cache` for the fixed names a
//! host imports). Each variant here has different bytes, so a wrong choice shows in the
//! body, not only in a header.

mod common;

use std::path::Path;

use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, IF_MODIFIED_SINCE, LAST_MODIFIED, VARY};
use reqwest::StatusCode;
use tally_server::{app, db, AppState, SecretKey, StaticConfig};

const WASM: &[u8] = b"\0asm identity bytes";
const WASM_BR: &[u8] = b"brotli bytes";
const WASM_GZ: &[u8] = b"gzip bytes, longer than the brotli ones";
const HASHED: &str = "pkg/chunk-0a1b2c3d4e5f6789.wasm";

struct Site {
    base: String,
    http: reqwest::Client,
    _root: tempfile::TempDir,
    _db: common::Db,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Site {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// The app over a static root laid out like the repository after `cargo xtask demo`.
async fn site() -> Site {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    write(r, "index.html", b"<!doctype html><title>demo</title>");
    write(r, "www/tally-connect.js", b"export {};");
    write(r, "www/pkg/tally_widget_bg.wasm", WASM);
    write(r, "www/pkg/tally_widget_bg.wasm.br", WASM_BR);
    write(r, "www/pkg/tally_widget_bg.wasm.gz", WASM_GZ);
    write(r, "www/pkg/tally_widget.js", b"// glue, identity");
    write(r, "www/pkg/tally_widget.js.gz", b"glue gzip only");
    write(r, &format!("www/{HASHED}"), WASM);
    write(r, &format!("www/{HASHED}.br"), WASM_BR);

    let db = common::fresh_db().await;
    let pool = db::connect(&db.url).await.expect("database");
    let state = AppState::new(pool, common::test_config(), &SecretKey::generate());
    let router = app(state, &StaticConfig { root: Some(r.to_path_buf()) });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        tally_server::serve::run(listener, router, &Default::default(), std::future::pending()).await;
    });
    // reqwest here has no decompression features: it neither sends Accept-Encoding on
    // its own nor decodes, so each test sees exactly the bytes on the wire.
    Site { base: format!("http://{addr}"), http: reqwest::Client::new(), _root: root, _db: db, server }
}

struct Got {
    status: StatusCode,
    encoding: Option<String>,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Site {
    async fn get(&self, path: &str, accept: Option<&str>) -> Got {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(a) = accept {
            req = req.header(ACCEPT_ENCODING, a);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let encoding = headers.get(CONTENT_ENCODING).map(|v| v.to_str().unwrap().to_string());
        Got { status, encoding, headers, body: res.bytes().await.unwrap().to_vec() }
    }
}

fn header<'a>(g: &'a Got, name: reqwest::header::HeaderName) -> &'a str {
    g.headers.get(&name).map(|v| v.to_str().unwrap()).unwrap_or_else(|| panic!("no {name} header"))
}

#[tokio::test]
async fn the_encoding_follows_accept_encoding() {
    let s = site().await;
    let wasm = "/www/pkg/tally_widget_bg.wasm";
    // (Accept-Encoding, the Content-Encoding expected, the body expected)
    let cases: [(Option<&str>, Option<&str>, &[u8]); 8] = [
        (None, None, WASM),
        (Some("identity"), None, WASM),
        (Some("gzip"), Some("gzip"), WASM_GZ),
        (Some("br"), Some("br"), WASM_BR),
        // What Chromium sends over HTTPS.
        (Some("gzip, deflate, br, zstd"), Some("br"), WASM_BR),
        // q-values count: gzip preferred, brotli refused, both refused.
        (Some("br;q=0.5, gzip;q=1"), Some("gzip"), WASM_GZ),
        (Some("gzip, br;q=0"), Some("gzip"), WASM_GZ),
        (Some("br;q=0, gzip;q=0"), None, WASM),
    ];
    for (accept, want_encoding, want_body) in cases {
        let g = s.get(wasm, accept).await;
        assert_eq!(g.status, StatusCode::OK, "{accept:?}");
        assert_eq!(g.encoding.as_deref(), want_encoding, "{accept:?}");
        assert_eq!(g.body, want_body, "{accept:?}");
        assert_eq!(header(&g, CONTENT_LENGTH), want_body.len().to_string(), "{accept:?}");
        // The type of the file it stands for: WebAssembly.instantiateStreaming refuses
        // anything but application/wasm.
        assert_eq!(header(&g, CONTENT_TYPE), "application/wasm", "{accept:?}");
        assert_eq!(header(&g, VARY), "accept-encoding", "{accept:?}");
    }
}

#[tokio::test]
async fn a_missing_variant_falls_back() {
    let s = site().await;
    // The glue has a .gz and no .br: a client that only takes brotli gets the file.
    let g = s.get("/www/pkg/tally_widget.js", Some("br")).await;
    assert_eq!((g.status, g.encoding.as_deref()), (StatusCode::OK, None));
    assert_eq!(g.body, b"// glue, identity");
    assert!(header(&g, CONTENT_TYPE).starts_with("text/javascript"), "{}", header(&g, CONTENT_TYPE));
    let g = s.get("/www/pkg/tally_widget.js", Some("gzip, br")).await;
    assert_eq!((g.encoding.as_deref(), g.body.as_slice()), (Some("gzip"), &b"glue gzip only"[..]));
    // The wrapper has no variant at all.
    let g = s.get("/www/tally-connect.js", Some("gzip, br")).await;
    assert_eq!((g.status, g.encoding.as_deref(), g.body.as_slice()), (StatusCode::OK, None, &b"export {};"[..]));
}

#[tokio::test]
async fn hashed_names_are_immutable_and_fixed_names_revalidate() {
    let s = site().await;
    let g = s.get(&format!("/www/{HASHED}"), Some("br")).await;
    assert_eq!((g.status, g.encoding.as_deref()), (StatusCode::OK, Some("br")));
    assert_eq!(header(&g, CACHE_CONTROL), "public, max-age=31536000, immutable");

    for path in ["/", "/index.html", "/www/tally-connect.js", "/www/pkg/tally_widget.js", "/www/pkg/tally_widget_bg.wasm"] {
        for accept in [None, Some("gzip, br")] {
            let g = s.get(path, accept).await;
            assert_eq!(g.status, StatusCode::OK, "{path}");
            assert_eq!(header(&g, CACHE_CONTROL), "no-cache", "{path} {accept:?}");
        }
    }

    // no-cache means "ask first": the revalidation is a 304 without a body, and it
    // keeps the policy.
    let g = s.get("/www/pkg/tally_widget_bg.wasm", Some("br")).await;
    let stamp = header(&g, LAST_MODIFIED).to_string();
    let res = s.http.get(format!("{}/www/pkg/tally_widget_bg.wasm", s.base))
        .header(ACCEPT_ENCODING, "br")
        .header(IF_MODIFIED_SINCE, &stamp)
        .send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(res.headers()[CACHE_CONTROL], "no-cache");
    assert_eq!(res.headers()[VARY], "accept-encoding");
    assert!(res.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn errors_get_no_cache_policy() {
    let s = site().await;
    let g = s.get("/www/pkg/nothing-here-0a1b2c3d4e.wasm", Some("br")).await;
    assert_eq!(g.status, StatusCode::NOT_FOUND);
    // A 404 must not be cached for a year under a name a later deploy may fill.
    assert!(g.headers.get(CACHE_CONTROL).is_none(), "{:?}", g.headers.get(CACHE_CONTROL));
}
