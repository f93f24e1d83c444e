//! `POST /token`: an API key (Basic) in, a bearer token out.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::HeaderMap;
use axum::{Extension, Json};
use tally_api::TokenResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{self, Version, CLIENT_ACCESS, SERVER_ACCESS};
use crate::error::ApiError;
use crate::extract::Body;
use crate::{crypto, store, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    super::both(OpenApiRouter::new(), routes!(token))
}

/// `scope` and `userId` from a form body (the contract), a JSON body (some clients), or
/// no body at all (SERVER_ACCESS).
fn read_params(headers: &HeaderMap, body: &[u8]) -> Result<(Option<String>, Option<String>), ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok((None, None));
    }
    let ct = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if ct.starts_with("application/json") {
        let v: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| ApiError::invalid_body("/", format!("The body is not valid JSON: {e}")))?;
        let field = |k: &str| -> Result<Option<String>, ApiError> {
            match v.get(k) {
                None | Some(serde_json::Value::Null) => Ok(None),
                Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(ApiError::invalid_body(&format!("/{k}"), format!("'{k}' must be a string."))),
            }
        };
        return Ok((field("scope")?, field("userId")?));
    }
    let text = std::str::from_utf8(body).map_err(|_| ApiError::invalid_body("/", "The form body is not UTF-8."))?;
    let mut scope = None;
    let mut user = None;
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = auth::form_decode(v);
        match k {
            "scope" => scope = Some(v),
            "userId" => user = Some(v),
            _ => {}
        }
    }
    Ok((scope, user))
}

#[utoipa::path(post, path = "/token", tag = "auth", request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "scope=SERVER_ACCESS or scope=CLIENT_ACCESS&userId=…"), params(("Authorization" = String, Header, description = "Basic <API key>"), ("basiq-version" = Option<String>, Header, description = "1.0 (default) or 2.0")), responses((status = 200, description = "access_token, expires_in, token_type", body = tally_api::TokenResponse), (status = 401, description = "bad API key", body = tally_api::ErrorBody), (status = 429, description = "too many requests", body = tally_api::ErrorBody)))]
async fn token(
    State(state): State<AppState>,
    client: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Json<TokenResponse>, ApiError> {
    let key = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| h.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
        .map(|(_, k)| k.trim().to_string())
        .ok_or_else(|| ApiError::unauthorized("Send the API key as 'Authorization: Basic <key>'."))?;
    let (app_id, secret) = crypto::split_api_key(&key).ok_or_else(|| ApiError::unauthorized("The API key is not valid."))?;
    // Limit before the (deliberately slow) hash check, so guessing is slow too.
    state.token_limiter.allow(&state.db, &app_id).await?.map_err(|wait| ApiError::too_many_requests("token requests for this API key", wait))?;
    let version = Version::from_header(headers.get("basiq-version").and_then(|v| v.to_str().ok()))?;
    state.key_checks.verify(&state, &key, &app_id, secret, client.map(|c| c.0 .0.ip())).await?;
    let mut conn = state.db.acquire().await?;
    let (scope, user_id) = read_params(&headers, &body)?;
    let scope = scope.unwrap_or_else(|| SERVER_ACCESS.to_string());
    let token = match scope.as_str() {
        SERVER_ACCESS => auth::issue(&state, &app_id, SERVER_ACCESS, None, version),
        CLIENT_ACCESS => {
            let user_id = user_id.filter(|u| !u.is_empty()).ok_or_else(|| ApiError::Missing {
                parameter: Some("userId".into()),
                pointer: None,
                detail: "A CLIENT_ACCESS token is bound to a user: send 'userId'.".into(),
            })?;
            store::users::get(&mut conn, &app_id, &user_id).await?.ok_or_else(|| ApiError::Invalid {
                parameter: Some("userId".into()),
                pointer: None,
                detail: format!("User '{user_id}' does not exist in this application."),
            })?;
            auth::issue(&state, &app_id, CLIENT_ACCESS, Some(&user_id), version)
        }
        other => {
            return Err(ApiError::Invalid {
                parameter: Some("scope".into()),
                pointer: None,
                detail: format!("Unknown scope '{other}'; use SERVER_ACCESS or CLIENT_ACCESS."),
            })
        }
    };
    Ok(Json(TokenResponse { access_token: token, expires_in: state.config.token_ttl_secs, token_type: "Bearer".into() }))
}
