//! Client tokens: getting one from where the host said ([`TokenSource`]: its
//! `token-url` or its `getToken()`), keeping one, renewing it before it expires, and
//! waiting when the host has not provided a source yet (a token URL that arrives late
//! simply releases the waiters).

pub mod policy;

use std::cell::RefCell;
use std::rc::Rc;

use tally_api::ClientToken;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::backend::BackendError;
use crate::options::TokenSource;
use policy::HeldToken;

#[derive(Default)]
struct State {
    source: Option<TokenSource>,
    held: Option<HeldToken>,
    /// The fetch in progress, shared so concurrent calls ask the host only once.
    in_flight: Option<js_sys::Promise>,
    /// Resolvers of calls waiting for the host to provide a source.
    waiting: Vec<js_sys::Function>,
}

/// Hands out valid tokens. Cheap to clone (shared state).
#[derive(Clone, Default)]
pub struct TokenProvider {
    state: Rc<RefCell<State>>,
}

impl TokenProvider {
    /// Sets or replaces the token source. A new source drops the token in hand (it may
    /// belong to another user) and wakes calls that were waiting for one.
    pub fn set_source(&self, source: Option<TokenSource>) {
        let waiting = {
            let mut st = self.state.borrow_mut();
            if st.source == source {
                return;
            }
            st.source = source;
            st.held = None;
            st.in_flight = None;
            if st.source.is_some() { std::mem::take(&mut st.waiting) } else { Vec::new() }
        };
        for resolve in waiting {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    }

    /// Forgets `token` if it is still the one in hand (after the server called it stale).
    pub fn invalidate(&self, token: &HeldToken) {
        let mut st = self.state.borrow_mut();
        if st.held.as_ref().map(|h| &h.access_token) == Some(&token.access_token) {
            st.held = None;
        }
    }

    /// A token that is valid for a while yet: the one in hand, or a fresh one.
    pub async fn token(&self, signal: &web_sys::AbortSignal) -> Result<HeldToken, BackendError> {
        loop {
            if signal.aborted() {
                return Err(BackendError::aborted());
            }
            let now = js_sys::Date::now();
            let (source, in_flight) = {
                let st = self.state.borrow();
                if let Some(h) = st.held.as_ref().filter(|h| !h.needs_renewal(now)) {
                    return Ok(h.clone());
                }
                (st.source.clone(), st.in_flight.clone())
            };
            let Some(source) = source else {
                self.wait_for_source().await;
                continue;
            };
            let promise = match in_flight {
                Some(p) => p,
                None => {
                    let p = request(&source, signal);
                    self.state.borrow_mut().in_flight = Some(p.clone());
                    p
                }
            };
            let answer = JsFuture::from(promise.clone()).await;
            let mut st = self.state.borrow_mut();
            let ours = st.in_flight.as_ref().map(|p| JsValue::from(p.clone()) == JsValue::from(promise.clone())).unwrap_or(false);
            if ours {
                st.in_flight = None;
            } else if st.source.as_ref() != Some(&source) {
                continue; // the source changed while we waited: start over with the new one
            }
            let token = answer.map_err(token_failed).and_then(|v| parse(&v))?;
            let held = HeldToken::new(token.access_token, token.user_id, token.expires_in, js_sys::Date::now());
            st.held = Some(held.clone());
            return Ok(held);
        }
    }

    async fn wait_for_source(&self) {
        let promise = js_sys::Promise::new(&mut |resolve, _| self.state.borrow_mut().waiting.push(resolve));
        let _ = JsFuture::from(promise).await;
    }
}

/// Starts asking the host for a token; the promise resolves to the token object.
fn request(source: &TokenSource, signal: &web_sys::AbortSignal) -> js_sys::Promise {
    match source {
        TokenSource::Function(f) => match f.call0(&JsValue::UNDEFINED) {
            // Accept a plain object as well as a Promise of one.
            Ok(v) => js_sys::Promise::resolve(&v),
            Err(e) => js_sys::Promise::reject(&e),
        },
        TokenSource::Url(url) => {
            let url = url.clone();
            let signal = signal.clone();
            wasm_bindgen_futures::future_to_promise(async move {
                let res = gloo_net::http::Request::post(&url)
                    .header("Accept", "application/json")
                    .abort_signal(Some(&signal))
                    .send()
                    .await
                    .map_err(|e| JsValue::from_str(&e.to_string()))?;
                if !res.ok() {
                    return Err(JsValue::from_str(&format!("the token URL answered with status {}", res.status())));
                }
                let text = res.text().await.map_err(|e| JsValue::from_str(&e.to_string()))?;
                js_sys::JSON::parse(&text).map_err(|_| JsValue::from_str("the token URL did not answer with JSON"))
            })
        }
    }
}

/// Reads `{access_token, expires_in, user_id}` without trusting it.
fn parse(v: &JsValue) -> Result<ClientToken, BackendError> {
    let get = |k: &str| js_sys::Reflect::get(v, &JsValue::from_str(k)).ok();
    let access_token = get("access_token").and_then(|x| x.as_string()).filter(|s| !s.is_empty());
    let user_id = get("user_id").and_then(|x| x.as_string()).filter(|s| !s.is_empty());
    let expires_in = get("expires_in").and_then(|x| x.as_f64()).filter(|n| n.is_finite() && *n >= 0.0);
    match (access_token, user_id, expires_in) {
        (Some(access_token), Some(user_id), Some(expires_in)) => Ok(ClientToken { access_token, user_id, expires_in: expires_in as u64 }),
        _ => Err(BackendError::new(
            "token",
            "The host page's token provider answered without access_token, expires_in and user_id.",
        )),
    }
}

fn token_failed(e: JsValue) -> BackendError {
    if e.dyn_ref::<js_sys::Error>().map(|e| e.name() == "AbortError").unwrap_or(false) {
        return BackendError::aborted();
    }
    let why = e
        .as_string()
        .or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| "unknown error".into());
    BackendError::new("token", format!("Could not get a sign-in token from the host page: {why}."))
}
