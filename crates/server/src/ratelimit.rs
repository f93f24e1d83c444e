//! Per-key rate limits for `/token` and the demo's token endpoint, on governor's keyed
//! GCRA limiter, and [`TokenLimiter`], which holds the token limit for a whole
//! deployment: on PostgreSQL, where several instances may share the database, the
//! same GCRA runs in the database (store/rate_limits.rs, one upsert per request); on
//! SQLite, which one process owns, governor's in-memory limiter is enough.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::Quota;

/// Past this many tracked keys, keys back at a full bucket are dropped. Keys are chosen
/// by the caller before the API key is verified, so the map must not grow without
/// bound; a key idle for `burst / per_second` seconds is indistinguishable from new.
const PRUNE_ABOVE: usize = 10_000;

/// `burst` requests at once per key, refilled at `per_second`.
pub struct RateLimiter<C: Clock = DefaultClock> {
    inner: governor::RateLimiter<String, DefaultKeyedStateStore<String>, C, NoOpMiddleware<C::Instant>>,
    clock: C,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter").field("keys", &self.inner.len()).finish()
    }
}

impl RateLimiter {
    pub fn new(burst: u32, per_second: f64) -> Self {
        Self::with_clock(burst, per_second, DefaultClock::default())
    }
}

impl<C: Clock + Clone> RateLimiter<C> {
    /// A limiter on `clock` (tests pass governor's fake clock).
    pub fn with_clock(burst: u32, per_second: f64, clock: C) -> Self {
        let inner = governor::RateLimiter::dashmap_with_clock(quota(burst, per_second), clock.clone());
        RateLimiter { inner, clock }
    }

    /// `Ok` if `key` may make one more request now, else how long until it may.
    pub fn allow(&self, key: &str) -> Result<(), Duration> {
        if self.inner.len() > PRUNE_ABOVE {
            self.inner.retain_recent();
        }
        self.inner.check_key(&key.to_string()).map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }
}

/// The `/token` limit: in memory for one process, or in the database for many.
pub enum TokenLimiter {
    Local(RateLimiter),
    Shared { interval_micros: i64, tolerance_micros: i64 },
}

impl std::fmt::Debug for TokenLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TokenLimiter::Local(_) => "TokenLimiter::Local",
            TokenLimiter::Shared { .. } => "TokenLimiter::Shared",
        })
    }
}

impl TokenLimiter {
    /// Shared when `shared` (the database is PostgreSQL), else in memory.
    pub fn new(burst: u32, per_second: f64, shared: bool) -> Self {
        if !shared {
            return TokenLimiter::Local(RateLimiter::new(burst, per_second));
        }
        let q = quota(burst, per_second);
        let interval = i64::try_from(q.replenish_interval().as_micros()).unwrap_or(i64::MAX / 4).max(1);
        let tolerance = interval.saturating_mul(i64::from(q.burst_size().get()));
        TokenLimiter::Shared { interval_micros: interval, tolerance_micros: tolerance }
    }

    /// `Ok` if `key` may make one more request now, else how long until it may.
    pub async fn allow(&self, db: &sqlx::AnyPool, key: &str) -> Result<Result<(), Duration>, sqlx::Error> {
        match self {
            TokenLimiter::Local(l) => Ok(l.allow(key)),
            TokenLimiter::Shared { interval_micros, tolerance_micros } => {
                // Wall time, not the app clock: instances agree on it (NTP), and a
                // rate is about real seconds even in tests with a frozen clock.
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_micros() as i64);
                let mut conn = db.acquire().await?;
                let wait = crate::store::rate_limits::take(&mut conn, key, now, *interval_micros, *tolerance_micros).await?;
                Ok(match wait {
                    None => Ok(()),
                    Some(us) => Err(Duration::from_micros(us.max(1) as u64)),
                })
            }
        }
    }
}

/// The quota for a burst and a refill rate; nonsense (zero, negative, not a number)
/// becomes the strictest quota that still lets one request through per hour rather
/// than a panic at start-up.
fn quota(burst: u32, per_second: f64) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    let period = (per_second.is_finite() && per_second > 0.0)
        .then(|| Duration::try_from_secs_f64(1.0 / per_second).ok())
        .flatten()
        .unwrap_or(Duration::from_secs(3600));
    Quota::with_period(period.max(Duration::from_nanos(1))).expect("the period is not zero").allow_burst(burst)
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;

    #[test]
    fn bursts_then_refills() {
        let clock = FakeRelativeClock::default();
        let rl = RateLimiter::with_clock(3, 1.0, clock.clone());
        assert!((0..3).all(|_| rl.allow("a").is_ok()));
        let wait = rl.allow("a").unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(1), "{wait:?}");
        assert!(rl.allow("b").is_ok(), "keys are independent");
        clock.advance(Duration::from_millis(1000));
        assert!(rl.allow("a").is_ok());
        clock.advance(Duration::from_millis(100));
        assert!(rl.allow("a").is_err());
        clock.advance(Duration::from_secs(60));
        assert!((0..3).all(|_| rl.allow("a").is_ok()), "refill caps at the burst");
        assert!(rl.allow("a").is_err());
    }

    #[test]
    fn nonsense_rates_are_strict_not_a_panic() {
        for rate in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e-300] {
            let rl = RateLimiter::with_clock(0, rate, FakeRelativeClock::default());
            assert!(rl.allow("k").is_ok(), "one request goes through ({rate})");
            assert!(rl.allow("k").is_err(), "then the limit holds ({rate})");
        }
    }

    #[test]
    fn many_keys_are_pruned_once_back_at_a_full_bucket() {
        let clock = FakeRelativeClock::default();
        let rl = RateLimiter::with_clock(1, 10.0, clock.clone());
        for i in 0..=PRUNE_ABOVE {
            let _ = rl.allow(&format!("k{i}"));
        }
        clock.advance(Duration::from_secs(1));
        let _ = rl.allow("one more");
        assert!(rl.inner.len() < 10, "{} keys kept", rl.inner.len());
    }
}
