//! API-key checks at a bounded cost in memory and time.
//!
//! An API key is checked against its argon2 hash, which is slow and takes 19 MiB on
//! purpose. Measured from outside before this module (an attacker's probe of 2026-12): 100 concurrent
//! `POST /token` calls with a wrong secret for a known application id (readable from
//! any CLIENT token's `sub`) took the server from 9 MB to 1.13 GB, never released, and
//! another application's `GET /users/{id}` from 2 ms to 3.8 s, because each check held
//! a pooled database connection across its hash. Now, in order:
//! 1. a key verified in the last [`VERIFIED_TTL`] is accepted from memory, by the
//!    SHA-256 of the presented key: a legitimate client minting many tokens pays argon2
//!    once, and an attacker's guesses cannot touch this path;
//! 2. every other check must pass two rate limits before it may hash: one per
//!    application and one per client address (429 with `Retry-After`);
//! 3. the stored hash is read with a connection that is released before hashing;
//! 4. argon2 runs on at most [`hashing_permits`] threads at once, each in a working
//!    buffer kept for the next check (so memory is permits × 19 MiB, whichever threads
//!    run them); a check that cannot get a permit within [`PERMIT_WAIT`] is a 429 too.
//!
//! The limits of 2 and 4 are per process (they bound this process's memory and CPU).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::error::ApiError;
use crate::ratelimit::RateLimiter;
use crate::{crypto, store, AppState};

/// How long a verified key is remembered: short, so a key that is replaced stops
/// working within minutes on every instance.
pub const VERIFIED_TTL: Duration = Duration::from_secs(300);
/// The longest a check waits for a hashing thread.
pub const PERMIT_WAIT: Duration = Duration::from_secs(2);
/// Remembered keys kept at most; only verified keys get in, so this is never reached
/// but by a deployment with that many live applications.
const MAX_REMEMBERED: usize = 10_000;

/// Threads that may run argon2 at once: half the cores (at least one), so hashing
/// never takes every core from the requests of other applications.
pub fn hashing_permits() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get() / 2).max(1)
}

/// The shared state of key checks (one per server).
pub struct KeyChecks {
    hashing: Semaphore,
    /// argon2's working memory, one buffer per permit, kept between checks
    /// (`crypto::verify_secret_in`).
    memory: Mutex<Vec<Vec<argon2::Block>>>,
    per_app: RateLimiter,
    per_address: RateLimiter,
    verified: Mutex<HashMap<[u8; 32], (String, Instant)>>,
}

impl std::fmt::Debug for KeyChecks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyChecks").field("permits", &self.hashing.available_permits()).finish()
    }
}

impl KeyChecks {
    /// Hash checks allowed per application and per address: a burst, then a rate.
    pub fn new(config: &crate::Config) -> Self {
        KeyChecks {
            hashing: Semaphore::new(hashing_permits()),
            memory: Mutex::new(Vec::new()),
            per_app: RateLimiter::new(config.key_check_burst, config.key_checks_per_second),
            per_address: RateLimiter::new(config.key_check_burst, config.key_checks_per_second),
            verified: Mutex::new(HashMap::new()),
        }
    }

    /// Checks `key` (the Basic credential, base64 of `app_id:secret`) for `app_id`.
    pub async fn verify(&self, state: &AppState, key: &str, app_id: &str, secret: String, client: Option<IpAddr>) -> Result<(), ApiError> {
        let digest: [u8; 32] = Sha256::digest(key.as_bytes()).into();
        if self.remembered(&digest, app_id) {
            return Ok(());
        }
        self.per_app.allow(app_id).map_err(|wait| ApiError::too_many_requests("API key checks for this application", wait))?;
        if let Some(ip) = client {
            self.per_address.allow(&ip.to_string()).map_err(|wait| ApiError::too_many_requests("API key checks from this address", wait))?;
        }
        let hash = {
            let mut conn = state.db.acquire().await?;
            store::apps::get(&mut conn, app_id).await?.map(|a| a.key_hash)
        };
        let bad = || ApiError::unauthorized("The API key is not valid.");
        let hash = hash.ok_or_else(bad)?;
        let permit = tokio::time::timeout(PERMIT_WAIT, self.hashing.acquire())
            .await
            .map_err(|_| ApiError::too_many_requests("API key checks at once; the server is busy", Duration::from_secs(1)))?
            .expect("the semaphore is never closed");
        let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner()).pop().unwrap_or_default();
        let (ok, memory) = tokio::task::spawn_blocking(move || (crypto::verify_secret_in(&secret, &hash, &mut memory), memory))
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        self.memory.lock().unwrap_or_else(|e| e.into_inner()).push(memory);
        drop(permit);
        if !ok {
            return Err(bad());
        }
        self.remember(digest, app_id);
        Ok(())
    }

    fn remembered(&self, digest: &[u8; 32], app_id: &str) -> bool {
        let map = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        map.get(digest).is_some_and(|(app, at)| app == app_id && at.elapsed() < VERIFIED_TTL)
    }

    fn remember(&self, digest: [u8; 32], app_id: &str) {
        let mut map = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_REMEMBERED {
            map.retain(|_, (_, at)| at.elapsed() < VERIFIED_TTL);
        }
        if map.len() < MAX_REMEMBERED {
            map.insert(digest, (app_id.to_string(), Instant::now()));
        }
    }
}
