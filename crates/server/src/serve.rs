//! The HTTP listener: hyper's HTTP/1.1 server with a timer, a bound on open
//! connections, and graceful shutdown.
//!
//! Why not `axum::serve`: it runs hyper without a timer, so no header-read timeout
//! applies and nothing bounds how many sockets a client may hold. Measured from
//! outside (an attacker's probe of 2026-12): 1,500 partial-header connections, 300 idle and 200 slow-body
//! ones were all still open after 30 s, and the server's descriptors went from 19 to
//! 2,019. Here:
//! - hyper's `header_read_timeout` closes a connection that has not sent a complete
//!   request head in time. Its timer starts whenever the connection waits for a head,
//!   so it also ends idle connections: one that never sends anything and one kept
//!   alive after its last response.
//! - a semaphore of `max_connections` permits is taken before each `accept`, so past
//!   the limit new connections wait in the kernel's listen backlog instead of each
//!   taking a descriptor, a task and buffers.
//! - the body-read and request timeouts are tower-http layers in `app` (`lib.rs`), so
//!   they answer with the contract's error object.
//!
//! Each accepted connection's peer address is put in the request's extensions as
//! axum's `ConnectInfo`, for limits per client address.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::config::HttpLimits;

/// How long shutdown waits for open requests to finish.
const DRAIN: Duration = Duration::from_secs(10);

/// Serves `router` on `listener` until `shutdown` resolves, then lets open requests
/// finish (up to 10 s).
pub async fn run(listener: TcpListener, router: Router, limits: &HttpLimits, shutdown: impl Future<Output = ()>) {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout).keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => p.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // EMFILE and the like: wait rather than spin; the error is the OS's.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(req.map(axum::body::Body::new))
        });
        let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still open after {} s of shutdown; leaving them", DRAIN.as_secs());
    }
}
