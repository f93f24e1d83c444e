//! When to renew a client token. Pure, so the rule is unit-tested without a browser or
//! a clock. (Whether a failed call deserves a retry with a fresh token is the SDK's
//! `Error::is_stale_token`.)

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

    /// True when the token should be replaced before the next call. We renew a little
    /// *before* expiry (a fifth of its lifetime, at most a minute) so a request that
    /// leaves with it still arrives while it is valid, and clocks that disagree by a
    /// few seconds don't matter.
    pub fn needs_renewal(&self, now_ms: f64) -> bool {
        let lifetime = (self.expires_at_ms - self.obtained_at_ms).max(0.0);
        let margin = (lifetime / 5.0).min(60_000.0);
        now_ms >= self.expires_at_ms - margin
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
    fn a_short_token_is_renewed_in_its_last_fifth() {
        let t = HeldToken::new("t".into(), "u".into(), 10, 1000.0);
        assert!(!t.needs_renewal(8_999.0));
        assert!(t.needs_renewal(9_000.0));
        let zero = HeldToken::new("t".into(), "u".into(), 0, 1000.0);
        assert!(zero.needs_renewal(1000.0), "a token that is already expired is renewed at once");
    }
}
