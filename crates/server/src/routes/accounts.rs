//! `/users/{id}/accounts[?filter=]` and `/users/{id}/accounts/{aid}`.

use axum::extract::State;
use tally_api::{Account, List, ACCOUNT_FIELDS};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{parse_filter, user_for, ListQuery};
use crate::auth::{Auth, Version};
use crate::views::Shaped;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::store::accounts::Owner;
use crate::{store, views, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    let r = super::both(OpenApiRouter::new(), routes!(list));
    super::both(r, routes!(one))
}

#[utoipa::path(get, path = "/users/{id}/accounts", tag = "accounts", params(("id" = String, Path), ("filter" = Option<String>, Query)), responses((status = 200, description = "list of accounts", body = tally_api::List<tally_api::Account>)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Shaped<List<Account>, List<tally_api::v3::Account>>, ApiError> {
    let filter = parse_filter(q.filter.as_deref(), ACCOUNT_FIELDS)?;
    let mut conn = state.db.acquire().await?;
    user_for(&mut conn, &auth, &id).await?;
    let rows = store::accounts::list(&mut conn, &auth.app_id, &Owner::User(&id), &filter).await?;
    let this = format!("/users/{id}/accounts");
    let intervals = match auth.version {
        Version::V3 => store::transactions::intervals(&mut conn, &id).await?,
        _ => Default::default(),
    };
    Ok(Shaped::pick(
        auth.version,
        || List::all(rows.iter().map(views::account).collect(), this.clone()),
        || List::all(rows.iter().map(|a| views::v3::account(a, &intervals)).collect(), this.clone()),
    ))
}

#[utoipa::path(get, path = "/users/{id}/accounts/{aid}", tag = "accounts", params(("id" = String, Path), ("aid" = String, Path)), responses((status = 200, description = "the account", body = tally_api::Account), (status = 404, description = "unknown", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn one(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, aid)): Path<(String, String)>,
) -> Result<Shaped<Account, tally_api::v3::Account>, ApiError> {
    let mut conn = state.db.acquire().await?;
    user_for(&mut conn, &auth, &id).await?;
    let a = store::accounts::get(&mut conn, &auth.app_id, &aid)
        .await?
        .filter(|a| a.user_id.as_deref() == Some(id.as_str()))
        .ok_or_else(|| ApiError::not_found(format!("Account '{aid}' does not exist for user '{id}'.")))?;
    let intervals = match auth.version {
        Version::V3 => store::transactions::intervals(&mut conn, &id).await?,
        _ => Default::default(),
    };
    Ok(Shaped::pick(auth.version, || views::account(&a), || views::v3::account(&a, &intervals)))
}
