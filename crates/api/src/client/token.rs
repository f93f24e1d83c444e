//! Where the client's bearer token comes from, and when to renew it.
//!
//! Pure: the transports supply "now" (milliseconds since the Unix epoch) so the policy
//! is the same natively and in the browser, and testable without waiting.

use std::fmt;

/// Who a token speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// `SERVER_ACCESS`: everything of the application. Keep it on your server.
    Server,
    /// `CLIENT_ACCESS` bound to one user: only that user's data (what a browser gets).
    Client {
        /// The user the token is bound to.
        user_id: String,
    },
}

impl Scope {
    /// A client scope for `user_id`.
    pub fn client(user_id: impl Into<String>) -> Self {
        Scope::Client { user_id: user_id.into() }
    }

    /// The form body of `POST /token` for this scope.
    pub fn form(&self) -> String {
        match self {
            Scope::Server => "scope=SERVER_ACCESS".into(),
            Scope::Client { user_id } => format!("scope=CLIENT_ACCESS&userId={}", super::request::encode_component(user_id)),
        }
    }
}

/// How the client gets (and renews) its token.
#[derive(Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// `POST /token` with the application's API key: for backends. Renewed
    /// automatically before expiry.
    ApiKey {
        /// The API key, as issued (already base64 of `id:secret`).
        api_key: String,
        /// Which token to ask for.
        scope: Scope,
    },
    /// A token handed over as is (e.g. to a browser); it is never renewed.
    Fixed {
        /// The bearer token.
        access_token: String,
    },
    /// `POST` to the host backend's token URL, which answers a
    /// [`ClientToken`](crate::ClientToken) — what the widget's `token-url` does.
    /// Renewed automatically before expiry.
    Url {
        /// Absolute URL, or a path on the API's base URL.
        url: String,
    },
}

// Hand-written so neither an API key nor a token ends up in a log line.
impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenSource::ApiKey { scope, .. } => write!(f, "ApiKey {{ scope: {scope:?} }}"),
            TokenSource::Fixed { .. } => f.write_str("Fixed"),
            TokenSource::Url { url } => write!(f, "Url {{ url: {url:?} }}"),
        }
    }
}

/// The longest margin before expiry at which a token is renewed.
pub const MAX_RENEW_MARGIN_MS: u64 = 60_000;

/// How long before expiry a token of `lifetime_ms` is renewed: a tenth of its life,
/// at most a minute — early enough that a request never leaves with a token that
/// expires in flight, late enough not to hammer `/token` with short-lived tokens.
pub fn renew_margin_ms(lifetime_ms: u64) -> u64 {
    (lifetime_ms / 10).min(MAX_RENEW_MARGIN_MS)
}

/// Whether a token issued at `issued_at_ms` and expiring at `expires_at_ms` should be
/// renewed at `now_ms`.
pub fn should_renew(now_ms: u64, issued_at_ms: u64, expires_at_ms: u64) -> bool {
    let margin = renew_margin_ms(expires_at_ms.saturating_sub(issued_at_ms));
    now_ms.saturating_add(margin) >= expires_at_ms
}

/// A token held by the client.
#[derive(Clone, PartialEq, Eq)]
pub struct CachedToken {
    /// The bearer token.
    pub access_token: String,
    /// When it was received.
    pub issued_at_ms: u64,
    /// When it expires; `None` for a [`TokenSource::Fixed`] token of unknown life.
    pub expires_at_ms: Option<u64>,
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken").field("issued_at_ms", &self.issued_at_ms).field("expires_at_ms", &self.expires_at_ms).finish()
    }
}

/// The client's current token, if still fresh enough to use.
#[derive(Debug, Clone, Default)]
pub struct TokenCache {
    current: Option<CachedToken>,
}

impl TokenCache {
    /// The cached token when it needs no renewal at `now_ms`.
    pub fn fresh(&self, now_ms: u64) -> Option<&str> {
        let t = self.current.as_ref()?;
        match t.expires_at_ms {
            Some(exp) if should_renew(now_ms, t.issued_at_ms, exp) => None,
            _ => Some(&t.access_token),
        }
    }

    /// Keeps a token received at `now_ms` that lives `expires_in_secs`.
    pub fn store(&mut self, access_token: String, expires_in_secs: Option<u64>, now_ms: u64) {
        let expires_at_ms = expires_in_secs.map(|s| now_ms.saturating_add(s.saturating_mul(1000)));
        self.current = Some(CachedToken { access_token, issued_at_ms: now_ms, expires_at_ms });
    }

    /// Forgets the token (the server refused it), so the next call fetches another.
    pub fn clear(&mut self) {
        self.current = None;
    }

    /// The token held, fresh or not.
    pub fn current(&self) -> Option<&CachedToken> {
        self.current.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renews_a_minute_before_an_hour_long_token_expires() {
        let issued = 1_000_000;
        let exp = issued + 3_600_000;
        assert!(!should_renew(issued, issued, exp));
        assert!(!should_renew(exp - 60_001, issued, exp));
        assert!(should_renew(exp - 60_000, issued, exp));
        assert!(should_renew(exp + 5, issued, exp), "expired");
    }

    #[test]
    fn short_tokens_renew_at_nine_tenths_of_their_life() {
        assert_eq!(renew_margin_ms(10_000), 1_000);
        assert!(!should_renew(8_999, 0, 10_000));
        assert!(should_renew(9_000, 0, 10_000));
        assert!(should_renew(0, 0, 0), "a token with no life is always renewed");
    }

    #[test]
    fn cache_serves_fresh_tokens_only() {
        let mut c = TokenCache::default();
        assert_eq!(c.fresh(0), None);
        c.store("t1".into(), Some(3600), 0);
        assert_eq!(c.fresh(1_000), Some("t1"));
        assert_eq!(c.fresh(3_590_000), None);
        c.store("fixed".into(), None, 0);
        assert_eq!(c.fresh(u64::MAX), Some("fixed"), "fixed tokens never go stale");
        c.clear();
        assert_eq!(c.fresh(0), None);
    }

    #[test]
    fn scope_forms_encode_the_user() {
        assert_eq!(Scope::Server.form(), "scope=SERVER_ACCESS");
        assert_eq!(Scope::client("u 1&x").form(), "scope=CLIENT_ACCESS&userId=u%201%26x");
    }

    #[test]
    fn debug_hides_secrets() {
        let s = TokenSource::ApiKey { api_key: "KEY".into(), scope: Scope::Server };
        assert!(!format!("{s:?}").contains("KEY"));
        let c = CachedToken { access_token: "TOK".into(), issued_at_ms: 0, expires_at_ms: None };
        assert!(!format!("{c:?}").contains("TOK"));
    }
}
