//! Tokens: `POST /token` mints them, [`Auth`] checks them on every other request.
//!
//! A token is an HS256 JWT carrying the application, the scope, the user a
//! CLIENT_ACCESS token is bound to, and the API version fixed at issue time (from
//! `basiq-version`, 1.0 when absent), so later calls need no version header. Expiry is
//! checked against the server's [`Clock`](crate::clock::Clock), not the system's, so
//! tests can expire a token by moving time.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::header::AUTHORIZATION;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::AppState;

pub const SERVER_ACCESS: &str = "SERVER_ACCESS";
pub const CLIENT_ACCESS: &str = "CLIENT_ACCESS";

/// The API version a token speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V1,
    V2,
    /// Basiq's current version: 2.0's resources in the shapes of Basiq's published 3.0
    /// documents (`views::v3`).
    V3,
}

impl Version {
    /// From the `basiq-version` header; absent means 1.0 (the announcement's rule).
    pub fn from_header(value: Option<&str>) -> Result<Version, ApiError> {
        match value.map(str::trim) {
            None | Some("") | Some("1.0") | Some("1") => Ok(Version::V1),
            Some("2.0") | Some("2") => Ok(Version::V2),
            Some("3.0") | Some("3") => Ok(Version::V3),
            Some(other) => Err(ApiError::Invalid {
                parameter: Some("basiq-version".into()),
                pointer: None,
                detail: format!("Unsupported API version '{other}'; use 1.0, 2.0 or 3.0."),
            }),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Version::V1 => "1.0",
            Version::V2 => "2.0",
            Version::V3 => "3.0",
        }
    }
}

/// What a token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The application.
    pub sub: String,
    pub scope: String,
    #[serde(rename = "userId", default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    pub version: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
}

/// Signs a token for `app_id`.
pub fn issue(state: &AppState, app_id: &str, scope: &str, user_id: Option<&str>, version: Version) -> String {
    let now = state.clock.now().timestamp();
    let claims = Claims {
        sub: app_id.into(),
        scope: scope.into(),
        user_id: user_id.map(Into::into),
        version: version.as_str().into(),
        iat: now,
        exp: now + state.config.token_ttl_secs as i64,
        jti: uuid::Uuid::new_v4().to_string(),
    };
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(&state.keys.jwt)).expect("HS256 signing")
}

/// The caller of a request, from a verified token.
#[derive(Debug, Clone)]
pub struct Auth {
    pub app_id: String,
    /// Set for CLIENT_ACCESS tokens: the one user they may see.
    pub user_id: Option<String>,
    pub version: Version,
}

impl Auth {
    pub fn is_server(&self) -> bool {
        self.user_id.is_none()
    }

    /// Application-wide endpoints: SERVER_ACCESS only.
    pub fn require_server(&self) -> Result<(), ApiError> {
        if self.is_server() {
            Ok(())
        } else {
            Err(ApiError::forbidden("This endpoint needs a SERVER_ACCESS token; a CLIENT_ACCESS token may only read its own user's data."))
        }
    }

    /// Endpoints under `/users/{id}`: a client token only for its own user.
    pub fn require_user(&self, user_id: &str) -> Result<(), ApiError> {
        match &self.user_id {
            Some(own) if own != user_id => Err(ApiError::forbidden("This token is bound to another user.")),
            _ => Ok(()),
        }
    }

    /// Checks a token's text.
    pub fn from_token(state: &AppState, token: &str) -> Result<Auth, ApiError> {
        let mut v = Validation::new(Algorithm::HS256);
        // Expiry is checked below, on the server's clock.
        v.validate_exp = false;
        v.required_spec_claims.clear();
        let data = jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(&state.keys.jwt), &v)
            .map_err(|_| ApiError::unauthorized("The token is not valid: it is malformed or was not issued by this server."))?;
        let c = data.claims;
        if c.exp <= state.clock.now().timestamp() {
            return Err(ApiError::forbidden("Token has expired"));
        }
        let version = match c.version.as_str() {
            "3.0" => Version::V3,
            "2.0" => Version::V2,
            _ => Version::V1,
        };
        match (c.scope.as_str(), c.user_id) {
            (SERVER_ACCESS, _) => Ok(Auth { app_id: c.sub, user_id: None, version }),
            (CLIENT_ACCESS, Some(u)) => Ok(Auth { app_id: c.sub, user_id: Some(u), version }),
            _ => Err(ApiError::unauthorized("The token's scope is not valid.")),
        }
    }
}

fn bearer(parts: &Parts) -> Result<Option<&str>, ApiError> {
    let Some(h) = parts.headers.get(AUTHORIZATION) else { return Ok(None) };
    let h = h.to_str().map_err(|_| ApiError::unauthorized("The Authorization header is not valid text."))?;
    match h.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => Ok(Some(token.trim())),
        _ => Err(ApiError::unauthorized("Expected 'Authorization: Bearer <token>'.")),
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match bearer(parts)? {
            Some(token) => Auth::from_token(state, token),
            None => Err(ApiError::unauthorized("This endpoint needs 'Authorization: Bearer <token>'; get one from POST /token.")),
        }
    }
}

/// [`Auth`] that also takes the token from `?access_token=`, for the server-sent
/// events endpoint only: browsers' EventSource cannot set headers.
#[derive(Debug, Clone)]
pub struct StreamAuth(pub Auth);

impl FromRequestParts<AppState> for StreamAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(token) = bearer(parts)? {
            return Auth::from_token(state, token).map(StreamAuth);
        }
        let query = parts.uri.query().unwrap_or("");
        let token = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "access_token")
            .map(|(_, v)| v.replace('+', " "));
        match token {
            Some(t) if !t.is_empty() => Auth::from_token(state, &percent_decode(&t)).map(StreamAuth),
            _ => Err(ApiError::unauthorized("This endpoint needs a token: 'Authorization: Bearer <token>' or '?access_token=<token>'.")),
        }
    }
}

/// Minimal %XX decoding (JWTs are URL-safe already; this tolerates clients that
/// encode anyway).
/// Decodes a form value: `+` is a space, then %XX.
pub fn form_decode(s: &str) -> String {
    percent_decode(&s.replace('+', " "))
}

fn percent_decode(s: &str) -> String {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
