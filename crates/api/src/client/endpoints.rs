//! Every endpoint of the Connect API v2 contract, each described once as a pure
//! [`Request`] (no I/O). [`Client`](super::Client) runs them over a transport; you can
//! also run them yourself, e.g. with another HTTP stack:
//!
//! ```
//! use tally_api::client::{endpoints, Method};
//! let req = endpoints::user("u 1");
//! assert_eq!((req.method, req.path.as_str()), (Method::Get, "/users/u%201"));
//! ```

use super::error::Error;
use super::request::{encode_component as seg, AuthMode, Body, Method, Multipart, Query, Request};
use super::token::Scope;
use crate::filter::Filter;
use crate::{
    Account, CategoryCorrection, ClientToken, Connection, ExpensesRequest, Institution, Job, LinkConnection, List, MfaResponse,
    NewConnection, NewUser, StatementUpload, TokenResponse, Transaction, UpdateConnection, User,
};

/// The API version a client speaks, fixed into its tokens at `POST /token`
/// (`basiq-version`). The wire types read both: where 3.0 changed a shape (an
/// account's `class` is a word, a connection's `method` is `web`/`csv`, `subClass` may
/// be `{}`) they accept either.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ApiVersion {
    /// Connect API 2.0.
    V2,
    /// Basiq's current version, the default for new clients.
    #[default]
    V3,
}

impl ApiVersion {
    /// The `basiq-version` header's value.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V2 => "2.0",
            ApiVersion::V3 => "3.0",
        }
    }
}

fn filter_query(filter: &Filter) -> Query {
    Query::new().opt("filter", Some(filter.to_string()))
}

// ---- tokens --------------------------------------------------------------------------

/// `POST /token` with the API key (Basic), `basiq-version`, and the scope as a form.
pub fn token(api_key: &str, scope: &Scope, version: ApiVersion) -> Request<TokenResponse> {
    Request::json(Method::Post, "/token")
        .with_auth(AuthMode::Basic(api_key.to_string()))
        .with_header("basiq-version", version.as_str())
        .with_body(Body::Form(scope.form()))
}

/// `POST <token-url>` on a host backend, answering a [`ClientToken`] (the widget's
/// `token-url` protocol). Sends no credentials of ours: the host knows its user by
/// its own session.
pub fn host_token(url: &str) -> Request<ClientToken> {
    Request::json(Method::Post, url).with_auth(AuthMode::None)
}

// ---- institutions --------------------------------------------------------------------

/// `GET /institutions`
pub fn institutions() -> Request<List<Institution>> {
    Request::json(Method::Get, "/institutions")
}

/// `GET /institutions/{id}`
pub fn institution(id: &str) -> Request<Institution> {
    Request::json(Method::Get, format!("/institutions/{}", seg(id)))
}

/// `GET /public/institutions` (no token needed).
pub fn public_institutions() -> Request<List<Institution>> {
    Request::json(Method::Get, "/public/institutions").with_auth(AuthMode::None)
}

// ---- users -----------------------------------------------------------------------------

/// `POST /users` (email or mobile required) → 201 user.
pub fn create_user(user: &NewUser) -> Request<User> {
    Request::json(Method::Post, "/users").with_body(Body::json(user))
}

/// `GET /users/{id}`, with its connections and accounts.
pub fn user(id: &str) -> Request<User> {
    Request::json(Method::Get, format!("/users/{}", seg(id)))
}

/// `POST /users/{id}`: new email and/or mobile.
pub fn update_user(id: &str, changes: &NewUser) -> Request<User> {
    Request::json(Method::Post, format!("/users/{}", seg(id))).with_body(Body::json(changes))
}

/// `DELETE /users/{id}`, with all their connections and data.
pub fn delete_user(id: &str) -> Request<()> {
    Request::no_content(Method::Delete, format!("/users/{}", seg(id)))
}

/// `POST /users/{id}/link`: attaches 1.0 connections (migration); all or nothing.
pub fn link_connections(user_id: &str, connections: &[LinkConnection]) -> Request<List<Connection>> {
    Request::json(Method::Post, format!("/users/{}/link", seg(user_id))).with_body(Body::json(connections))
}

// ---- connections -----------------------------------------------------------------------

/// `POST /users/{id}/connections` → 202 job that verifies the credentials and fetches data.
pub fn create_connection(user_id: &str, connection: &NewConnection) -> Request<Job> {
    Request::json(Method::Post, format!("/users/{}/connections", seg(user_id))).with_body(Body::json(connection))
}

/// `GET /users/{id}/connections[?filter=]`
pub fn connections(user_id: &str, filter: &Filter) -> Request<List<Connection>> {
    Request::json(Method::Get, filter_query(filter).on(&format!("/users/{}/connections", seg(user_id))))
}

/// `GET /users/{id}/connections/{cid}`
pub fn connection(user_id: &str, connection_id: &str) -> Request<Connection> {
    Request::json(Method::Get, format!("/users/{}/connections/{}", seg(user_id), seg(connection_id)))
}

/// `POST /users/{id}/connections/{cid}`: new credentials → 202 job.
pub fn update_connection(user_id: &str, connection_id: &str, changes: &UpdateConnection) -> Request<Job> {
    Request::json(Method::Post, format!("/users/{}/connections/{}", seg(user_id), seg(connection_id))).with_body(Body::json(changes))
}

/// `DELETE /users/{id}/connections/{cid}`, with its accounts and transactions.
pub fn delete_connection(user_id: &str, connection_id: &str) -> Request<()> {
    Request::no_content(Method::Delete, format!("/users/{}/connections/{}", seg(user_id), seg(connection_id)))
}

/// `POST /users/{id}/connections/{cid}/refresh` → 202 new job, or 200 with the job
/// already queued or running for it.
pub fn refresh_connection(user_id: &str, connection_id: &str) -> Request<Job> {
    Request::json(Method::Post, format!("/users/{}/connections/{}/refresh", seg(user_id), seg(connection_id)))
}

/// `POST /users/{id}/connections/refresh` (the announcement's `/users/{id}/refresh`)
/// → 202 list of jobs, one per connection.
pub fn refresh_all(user_id: &str) -> Request<List<Job>> {
    Request::json(Method::Post, format!("/users/{}/connections/refresh", seg(user_id)))
}

// ---- statements ----------------------------------------------------------------------

/// `POST /users/{id}/statements`, `multipart/form-data` with `institutionId` and the
/// file as `statement` (Basiq's "Create a statement") → 202 job with a connection's
/// three steps: `verify-credentials` reads the file, then `retrieve-accounts` and
/// `retrieve-transactions` store what it holds. The file is sent as
/// `application/octet-stream`: the server recognises OFX/QFX, QIF or CSV from the
/// content, not from the name or type.
///
/// ```
/// use tally_api::client::{endpoints, Body, Method, PartValue};
/// let req = endpoints::upload_statement("u1", "AU10001", "march.csv", b"\"01/03/2026\",\"-4.50\",\"COFFEE\",\"+95.50\"".as_slice());
/// assert_eq!((req.method, req.path.as_str()), (Method::Post, "/users/u1/statements"));
/// let Body::Multipart(form) = &req.body else { unreachable!() };
/// assert_eq!(form.parts[0].value, PartValue::Text("AU10001".into()));
/// assert!(matches!(&form.parts[1].value, PartValue::File { filename, .. } if filename == "march.csv"));
/// ```
pub fn upload_statement(user_id: &str, institution_id: &str, filename: &str, bytes: impl Into<std::sync::Arc<[u8]>>) -> Request<Job> {
    let form = Multipart::new()
        .text(StatementUpload::INSTITUTION_ID, institution_id)
        .file(StatementUpload::STATEMENT, filename, "application/octet-stream", bytes.into());
    Request::json(Method::Post, format!("/users/{}/statements", seg(user_id))).with_body(Body::Multipart(form))
}

// ---- jobs --------------------------------------------------------------------------------

/// `GET /jobs/{id}`
pub fn job(id: &str) -> Request<Job> {
    Request::json(Method::Get, format!("/jobs/{}", seg(id)))
}

/// `GET /users/{id}/jobs[?filter=connection.id.eq('…')]`
pub fn user_jobs(user_id: &str, filter: &Filter) -> Request<List<Job>> {
    Request::json(Method::Get, filter_query(filter).on(&format!("/users/{}/jobs", seg(user_id))))
}

/// `POST /jobs/{id}/mfa` `{"mfa-response":[…]}` → 202 job.
pub fn answer_mfa(job_id: &str, answers: &MfaResponse) -> Request<Job> {
    Request::json(Method::Post, format!("/jobs/{}/mfa", seg(job_id))).with_body(Body::json(answers))
}

/// The path of `GET /jobs/{id}/events`: server-sent events, `event: job` with the job's
/// JSON each time a step changes, ending when the job finishes.
pub fn job_events_path(job_id: &str) -> String {
    format!("/jobs/{}/events", seg(job_id))
}

// ---- accounts and transactions ---------------------------------------------------------

/// `GET /users/{id}/accounts[?filter=]`
pub fn accounts(user_id: &str, filter: &Filter) -> Request<List<Account>> {
    Request::json(Method::Get, filter_query(filter).on(&format!("/users/{}/accounts", seg(user_id))))
}

/// `GET /users/{id}/accounts/{aid}`
pub fn account(user_id: &str, account_id: &str) -> Request<Account> {
    Request::json(Method::Get, format!("/users/{}/accounts/{}", seg(user_id), seg(account_id)))
}

/// `GET /users/{id}/transactions?filter=&limit=`: the first page; follow
/// `links.next` with [`transactions_next`].
pub fn transactions(user_id: &str, filter: &Filter, limit: Option<u32>) -> Request<List<Transaction>> {
    transactions_matching(user_id, &filter.to_string(), limit)
}

/// [`transactions`] with the filter as contract text, e.g.
/// `transaction.postDate.gteq('2024-01-01')` (empty: no filter), for callers that
/// build the text themselves: the widget does, from its date chips, and parsing it into
/// a [`Filter`] only to print it again would ship the filter parser in its wasm.
pub fn transactions_matching(user_id: &str, filter: &str, limit: Option<u32>) -> Request<List<Transaction>> {
    let q = Query::new().opt("filter", Some(filter.to_string())).opt("limit", limit.map(|l| l.to_string()));
    Request::json(Method::Get, q.on(&format!("/users/{}/transactions", seg(user_id))))
}

/// The page a list's `links.next` points at, for the server at `base_url`. The link
/// may be a path or an absolute URL under `base_url`; a link anywhere else is refused,
/// so the bearer token is never sent anywhere but the API.
pub fn transactions_next(base_url: &str, next: &str) -> Result<Request<List<Transaction>>, Error> {
    Ok(Request::json(Method::Get, next_path(base_url, next)?))
}

/// The path of a `links.next` to request under `base`, or an error for a link to
/// another host.
fn next_path(base: &str, next: &str) -> Result<String, Error> {
    if next.starts_with('/') {
        return Ok(next.to_string());
    }
    let base = base.trim_end_matches('/');
    match next.strip_prefix(base) {
        Some(rest) if rest.starts_with('/') => Ok(rest.to_string()),
        _ => Err(Error::unexpected(format!("links.next '{next}' points outside the API at '{base}'; not following it."))),
    }
}

/// `GET /users/{id}/transactions/{tid}`
pub fn transaction(user_id: &str, transaction_id: &str) -> Request<Transaction> {
    Request::json(Method::Get, format!("/users/{}/transactions/{}", seg(user_id), seg(transaction_id)))
}

/// `PUT /users/{id}/transactions/{tid}/category`: the user's own category for a
/// transaction (and that merchant's later ones). Answers the transaction as it is now.
pub fn correct_category(user_id: &str, transaction_id: &str, correction: &CategoryCorrection) -> Request<Transaction> {
    Request::json(Method::Put, format!("/users/{}/transactions/{}/category", seg(user_id), seg(transaction_id))).with_body(Body::json(correction))
}

// ---- expenses ----------------------------------------------------------------------------

/// `POST /users/{id}/expenses {"fromMonth","toMonth","accounts"?}` → 201 a stored
/// snapshot of spending by expense division (`id`, `links.self`).
pub fn expenses(user_id: &str, months: &ExpensesRequest) -> Request<crate::Expenses> {
    Request::json(Method::Post, format!("/users/{}/expenses", seg(user_id))).with_body(Body::json(months))
}

/// `GET /users/{id}/expenses/{snapshotId}`: a snapshot made earlier.
pub fn expenses_snapshot(user_id: &str, snapshot_id: &str) -> Request<crate::Expenses> {
    Request::json(Method::Get, format!("/users/{}/expenses/{}", seg(user_id), seg(snapshot_id)))
}

// ---- scheduler ---------------------------------------------------------------------------

pub use super::scheduler::{get as scheduler, put as set_scheduler};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::{Condition, Op};

    #[test]
    fn token_request_follows_the_contract() {
        let r = token("KEY", &Scope::client("u1"), ApiVersion::default());
        assert_eq!((r.method, r.path.as_str()), (Method::Post, "/token"));
        assert_eq!(r.auth, AuthMode::Basic("KEY".into()));
        assert_eq!(r.body, Body::Form("scope=CLIENT_ACCESS&userId=u1".into()));
        assert!(r.headers.contains(&("basiq-version", "3.0".into())), "new clients speak 3.0");
        assert!(token("KEY", &Scope::Server, ApiVersion::V2).headers.contains(&("basiq-version", "2.0".into())));
    }

    #[test]
    fn filters_go_in_the_query_encoded() {
        let f = Filter { conditions: vec![Condition::new("account.id", Op::Eq, &["a1"])] };
        assert_eq!(transactions("u1", &f, Some(50)).path, "/users/u1/transactions?filter=account.id.eq%28%27a1%27%29&limit=50");
        assert_eq!(transactions("u1", &Filter::default(), None).path, "/users/u1/transactions");
        assert_eq!(user_jobs("u1", &Filter::default()).path, "/users/u1/jobs");
        let text = transactions_matching("u1", "transaction.postDate.gteq('2024-01-01')", Some(200));
        assert_eq!(text.path, "/users/u1/transactions?filter=transaction.postDate.gteq%28%272024-01-01%27%29&limit=200");
        assert_eq!(transactions_matching("u1", "", Some(5)).path, "/users/u1/transactions?limit=5");
    }

    #[test]
    fn next_pages_stay_on_the_api() {
        let path = |base: &str, next: &str| transactions_next(base, next).map(|r| r.path);
        assert_eq!(path("http://h:1", "/users/u/transactions?next=x").unwrap(), "/users/u/transactions?next=x");
        assert_eq!(path("http://h:1/", "http://h:1/users/u/transactions?next=x").unwrap(), "/users/u/transactions?next=x");
        assert_eq!(path("", "/users/u/transactions?next=x").unwrap(), "/users/u/transactions?next=x");
        assert!(path("http://h:1", "http://evil/users").is_err());
        assert!(path("http://h:1", "http://h:10/users").is_err());
    }

    #[test]
    fn bodies_use_contract_names() {
        let r = answer_mfa("j1", &MfaResponse { mfa_response: vec!["1234".into()] });
        assert_eq!(r.body, Body::Json(r#"{"mfa-response":["1234"]}"#.into()));
        assert_eq!(r.body.content_type(), Some("application/json"));
        assert_eq!(public_institutions().auth, AuthMode::None);
        assert_eq!(refresh_all("u1").path, "/users/u1/connections/refresh");
        assert_eq!(host_token("https://host/tok").url("http://api"), "https://host/tok");
    }

    #[test]
    fn a_statement_goes_as_a_multipart_form_with_basiqs_part_names() {
        let r = upload_statement("u 1", "AU19999", "bank.ofx", vec![1u8, 2, 3]);
        assert_eq!(r.path, "/users/u%201/statements");
        assert_eq!(r.auth, AuthMode::Bearer);
        assert_eq!(r.body.content_type(), None, "the transport sets multipart's type with its boundary");
        let Body::Multipart(form) = &r.body else { panic!("{:?}", r.body) };
        let names: Vec<&str> = form.parts.iter().map(|p| p.name).collect();
        assert_eq!(names, ["institutionId", "statement"]);
        assert!(!format!("{r:?}").contains("[1, 2, 3]"), "Debug names the size, not every byte: {r:?}");
        let again = r.clone();
        assert_eq!(again.body, r.body, "a retry sends the same file");
    }
}
