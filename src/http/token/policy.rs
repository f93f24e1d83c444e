//! The token the widget holds, and when to renew it. Pure, so it is unit-tested without
//! a browser or a clock. The rules are the SDK's: renewal is
//! `tally_api::client::token::should_renew`, and whether a failed call deserves a retry
//! with a fresh token is `Error::is_stale_token`.

use tally_api::client::token::should_renew;

/// A token as the widget keeps it: the secret, its user, and when it stops working.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldToken {
    pub access_token: String,
    pub user_id: String,
    /// Milliseconds since the epoch (js Date.now()) at which the server stops accepting it.
    pub expires_at_ms: f64,
    /// When it was obtained, to size the renewal margin.
    pub obtained_at_ms: f64,
}

impl HeldToken {
    pub fn new(access_token: String, user_id: String, expires_in_s: u64, now_ms: f64) -> Self {
        HeldToken { access_token, user_id, expires_at_ms: now_ms + expires_in_s as f64 * 1000.0, obtained_at_ms: now_ms }
    }

    /// True when the token should be replaced before the next call: the SDK's rule
    /// ([`should_renew`]: a tenth of its lifetime before expiry, at most a minute), so
    /// the widget and a Rust backend renew alike. (`as u64` saturates: a clock before
    /// 1970 reads as 0.)
    pub fn needs_renewal(&self, now_ms: f64) -> bool {
        should_renew(now_ms as u64, self.obtained_at_ms as u64, self.expires_at_ms as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_hour_token_is_renewed_in_its_last_minute() {
        let t = HeldToken::new("t".into(), "u".into(), 3600, 0.0);
        assert!(!t.needs_renewal(3_539_000.0));
        assert!(t.needs_renewal(3_540_000.0));
        assert!(t.needs_renewal(4_000_000.0));
    }

    #[test]
    fn a_short_token_is_renewed_in_its_last_tenth() {
        let t = HeldToken::new("t".into(), "u".into(), 10, 1000.0);
        assert!(!t.needs_renewal(9_999.0));
        assert!(t.needs_renewal(10_000.0));
        let zero = HeldToken::new("t".into(), "u".into(), 0, 1000.0);
        assert!(zero.needs_renewal(1000.0), "a token that is already expired is renewed at once");
    }
}
