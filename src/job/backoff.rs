//! How often to poll a job when there is no live stream: quickly at first (most steps
//! take a second or two), then backing off to a ceiling, and giving up watching after
//! a bound so a stuck job never polls forever.

/// The polling schedule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    pub first_ms: f64,
    pub factor: f64,
    pub max_ms: f64,
    /// Stop watching after this long without the job finishing.
    pub give_up_after_ms: f64,
    /// Stop after this many failed polls in a row (the server is unreachable).
    pub max_failures: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { first_ms: 500.0, factor: 1.5, max_ms: 5_000.0, give_up_after_ms: 5.0 * 60_000.0, max_failures: 5 }
    }
}

impl Backoff {
    /// The wait before poll number `attempt` (0-based).
    pub fn delay_ms(&self, attempt: u32) -> f64 {
        (self.first_ms * self.factor.powi(attempt.min(64) as i32)).min(self.max_ms)
    }

    /// True once `elapsed_ms` of watching is enough.
    pub fn exhausted(&self, elapsed_ms: f64) -> bool {
        elapsed_ms >= self.give_up_after_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_then_stay_at_the_ceiling() {
        let b = Backoff::default();
        let d: Vec<f64> = (0..8).map(|i| b.delay_ms(i)).collect();
        assert_eq!(d[0], 500.0);
        assert_eq!(d[1], 750.0);
        assert!(d.windows(2).all(|w| w[1] >= w[0]));
        assert_eq!(b.delay_ms(1000), 5_000.0);
        assert!(!b.exhausted(60_000.0) && b.exhausted(300_000.0));
    }
}
