//! One router per resource, merged in `crate::app`. Every path is served with and
//! without a trailing slash, as the contract's clients use both.

pub mod accounts;
pub mod connections;
pub mod connectors;
pub mod consents;
pub mod demo;
pub mod events;
pub mod expenses;
pub mod fallback;
pub mod institutions;
pub mod jobs;
pub mod legacy;
pub mod openapi;
pub mod scheduler;
pub mod static_files;
pub mod statements;
pub mod token;
pub mod transactions;
pub mod users;

use axum::Router;
use serde::Deserialize;
use sqlx::AnyConnection;
use tally_api::{FieldSpec, Filter};
use utoipa::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

use crate::auth::Auth;
use crate::error::ApiError;
use crate::store;
use crate::store::users::UserRow;
use crate::AppState;

/// Every API route, and `/openapi.json` describing them: each handler is registered
/// once (`routes!` in its module's `router()`), for the router and the document alike.
pub fn api_router(state: &AppState) -> Router<AppState> {
    let api = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(token::router())
        .merge(users::router())
        .merge(connections::router())
        .merge(connectors::router())
        .merge(consents::router())
        .merge(events::router())
        .merge(statements::router())
        .merge(legacy::router())
        .merge(jobs::router())
        .merge(accounts::router())
        .merge(transactions::router())
        .merge(expenses::router())
        .merge(institutions::router())
        .merge(scheduler::router());
    let (mut router, mut doc) = api.split_for_parts();
    // The demo's route is served in demo mode only; the document always describes it.
    let (demo, demo_doc) = demo::router().split_for_parts();
    doc.merge(demo_doc);
    if state.demo_app.is_some() {
        router = router.merge(demo);
    }
    router.merge(openapi::router(&doc))
}

/// Registers one path's handlers (one `routes!(…)`) for the router and the document,
/// and serves the path with a trailing slash too.
pub fn both(router: OpenApiRouter<AppState>, routes: UtoipaMethodRouter<AppState>) -> OpenApiRouter<AppState> {
    let slashed: Vec<String> = routes.1.paths.keys().map(|path| format!("{path}/")).collect();
    let handlers = routes.2.clone();
    slashed.iter().fold(router.routes(routes), |r, path| r.route(path, handlers.clone()))
}

/// Query parameters of list endpoints; numbers arrive as text so a bad one gets a
/// clear error naming it.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub filter: Option<String>,
    pub limit: Option<String>,
    pub next: Option<String>,
}

/// Most conditions one filter may have. Each becomes a term of one SQL `WHERE`, and
/// SQLite refuses an expression tree deeper than 1,000: 497 `ne` conditions on
/// transactions (each `(col <> $n OR col IS NULL)`) answered 500 before this bound.
/// `store::sql::and_filter` also nests the terms as a balanced tree, so depth grows with
/// log2 of the count; the bound keeps statements small for every database. Real
/// filters have a handful of conditions; a long list of ids is one `in(…)`.
pub const MAX_FILTER_CONDITIONS: usize = 100;

/// Parses `?filter=` for a resource: malformed, or more than
/// [`MAX_FILTER_CONDITIONS`] conditions → 400 parameter-not-valid naming the problem,
/// with `source.parameter: "filter"`.
pub fn parse_filter(text: Option<&str>, fields: &[FieldSpec]) -> Result<Filter, ApiError> {
    let filter = Filter::parse_for(text.unwrap_or(""), fields)
        .map(|f| f.normalised(fields))
        .map_err(|e| ApiError::invalid_param("filter", format!("Invalid filter: {e}")))?;
    let n = filter.conditions.len();
    if n > MAX_FILTER_CONDITIONS {
        return Err(ApiError::invalid_param(
            "filter",
            format!("Invalid filter: a filter takes at most {MAX_FILTER_CONDITIONS} conditions, got {n}; put many values of one field in one in(…)."),
        ));
    }
    Ok(filter)
}

/// The user of a `/users/{id}/…` path, checked against the token.
pub async fn user_for(conn: &mut AnyConnection, auth: &Auth, user_id: &str) -> Result<UserRow, ApiError> {
    auth.require_user(user_id)?;
    store::users::get(conn, &auth.app_id, user_id).await?.ok_or_else(|| ApiError::not_found(format!("User '{user_id}' does not exist.")))
}
