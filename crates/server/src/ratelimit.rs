//! A token bucket per API key for `/token`: small, pure and keyed by application id,
//! which is enough for one process; several instances each enforce their own share.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// One bucket's arithmetic, with time passed in so it can be tested without sleeping.
#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    tokens: f64,
    last: Instant,
}

impl Bucket {
    fn new(burst: u32, now: Instant) -> Self {
        Bucket { tokens: burst as f64, last: now }
    }

    /// Takes one token if there is one, after refilling for the time passed.
    fn take(&mut self, burst: u32, per_second: f64, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * per_second).min(burst as f64);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Buckets by key.
#[derive(Debug)]
pub struct RateLimiter {
    burst: u32,
    per_second: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    pub fn new(burst: u32, per_second: f64) -> Self {
        RateLimiter { burst, per_second, buckets: Mutex::new(HashMap::new()) }
    }

    /// Whether `key` may make one more request now.
    pub fn allow(&self, key: &str) -> bool {
        self.allow_at(key, Instant::now())
    }

    fn allow_at(&self, key: &str, now: Instant) -> bool {
        let mut map = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            // Keys are attacker-chosen before verification: never grow without bound.
            map.clear();
        }
        map.entry(key.to_string()).or_insert_with(|| Bucket::new(self.burst, now)).take(self.burst, self.per_second, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn bursts_then_refills() {
        let rl = RateLimiter::new(3, 1.0);
        let t0 = Instant::now();
        assert!((0..3).all(|_| rl.allow_at("a", t0)));
        assert!(!rl.allow_at("a", t0));
        assert!(rl.allow_at("b", t0), "keys are independent");
        assert!(rl.allow_at("a", t0 + Duration::from_millis(1000)));
        assert!(!rl.allow_at("a", t0 + Duration::from_millis(1100)));
        assert!((0..3).all(|_| rl.allow_at("a", t0 + Duration::from_secs(60))), "refill caps at the burst");
        assert!(!rl.allow_at("a", t0 + Duration::from_secs(60)));
    }
}
