//! `/users/{id}/transactions[?filter=&limit=&next=]` (keyset-paged, the contract's
//! order) and `/users/{id}/transactions/{tid}`.

use axum::extract::State;
use tally_api::{CategoryCorrection, Links, List, Transaction, TRANSACTION_FIELDS};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{parse_filter, user_for, ListQuery};
use std::collections::HashMap;

use crate::auth::{Auth, Version};
use crate::views::Shaped;
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::paging::{self, MAX_LIMIT};
use crate::store::accounts::Owner;
use crate::{store, views, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    let r = super::both(OpenApiRouter::new(), routes!(list));
    let r = super::both(r, routes!(one));
    super::both(r, routes!(correct))
}


/// Serves one page for an owner; `base` is the list's own path, for the links.
pub async fn page<T>(state: &AppState, app_id: &str, owner: Owner<'_>, base: &str, q: ListQuery, view: impl Fn(&store::transactions::TxRow) -> T) -> Result<List<T>, ApiError> {
    let filter = parse_filter(q.filter.as_deref(), TRANSACTION_FIELDS)?;
    let limit = match q.limit.as_deref() {
        None | Some("") => MAX_LIMIT,
        Some(text) => match text.parse::<u32>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => return Err(ApiError::invalid_param("limit", format!("'limit' must be a whole number from 1 to {MAX_LIMIT}, got '{text}'."))),
        },
    };
    let cursor = match q.next.as_deref() {
        None | Some("") => None,
        Some(c) => Some(paging::decode_cursor(c).ok_or_else(|| ApiError::invalid_param("next", "The 'next' cursor is not one this server issued."))?),
    };
    let mut conn = state.db.acquire().await?;
    let (rows, more, total) = store::transactions::page(&mut conn, app_id, &owner, &filter, cursor.as_deref(), limit).await?;
    let mut query = format!("limit={limit}");
    if !filter.conditions.is_empty() {
        query.push_str(&format!("&filter={}", tally_api::client::request::encode_component(&filter.to_string())));
    }
    let self_link = match q.next.as_deref() {
        Some(n) if !n.is_empty() => format!("{base}?{query}&next={n}"),
        _ => format!("{base}?{query}"),
    };
    let next = more.then(|| rows.last().map(|r| format!("{base}?{query}&next={}", paging::encode_cursor(&r.page_key)))).flatten();
    Ok(List {
        kind: "list".into(),
        count: Some(rows.len() as u64),
        size: Some(total as u64),
        data: rows.iter().map(view).collect(),
        links: Some(Links { self_: Some(self_link), next, ..Links::default() }),
    })
}

#[utoipa::path(get, path = "/users/{id}/transactions", tag = "transactions", params(("id" = String, Path), ("filter" = Option<String>, Query), ("limit" = Option<u32>, Query), ("next" = Option<String>, Query)), responses((status = 200, description = "a page of transactions with links.next", body = tally_api::List<tally_api::Transaction>), (status = 400, description = "malformed filter", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Shaped<List<Transaction>, List<tally_api::v3::Transaction>>, ApiError> {
    let currencies = {
        let mut conn = state.db.acquire().await?;
        user_for(&mut conn, &auth, &id).await?;
        currencies(&mut conn, &auth, &id).await?
    };
    let base = format!("/users/{id}/transactions");
    let owner = Owner::User(&id);
    Ok(match auth.version {
        Version::V3 => Shaped::V3(page(&state, &auth.app_id, owner, &base, q, |t| views::v3::transaction(t, currency(&currencies, t))).await?),
        _ => Shaped::Classic(page(&state, &auth.app_id, owner, &base, q, views::transaction).await?),
    })
}

/// Account id → currency, for 3.0's transactions (none needed on 1.0 and 2.0).
async fn currencies(conn: &mut sqlx::AnyConnection, auth: &Auth, user_id: &str) -> Result<HashMap<String, String>, ApiError> {
    if auth.version != Version::V3 {
        return Ok(HashMap::new());
    }
    let accounts = store::accounts::list(conn, &auth.app_id, &Owner::User(user_id), &Default::default()).await?;
    Ok(accounts.into_iter().map(|a| (a.id, a.currency)).collect())
}

fn currency<'a>(currencies: &'a HashMap<String, String>, t: &store::transactions::TxRow) -> &'a str {
    currencies.get(&t.account_id).map_or("AUD", String::as_str)
}

#[utoipa::path(get, path = "/users/{id}/transactions/{tid}", tag = "transactions", params(("id" = String, Path), ("tid" = String, Path)), responses((status = 200, description = "the transaction", body = tally_api::Transaction), (status = 404, description = "unknown", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn one(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, tid)): Path<(String, String)>,
) -> Result<Shaped<Transaction, tally_api::v3::Transaction>, ApiError> {
    let mut conn = state.db.acquire().await?;
    user_for(&mut conn, &auth, &id).await?;
    let t = store::transactions::get(&mut conn, &auth.app_id, &tid)
        .await?
        .filter(|t| t.user_id.as_deref() == Some(id.as_str()))
        .ok_or_else(|| ApiError::not_found(format!("Transaction '{tid}' does not exist for user '{id}'.")))?;
    let currencies = currencies(&mut conn, &auth, &id).await?;
    Ok(Shaped::pick(auth.version, || views::transaction(&t), || views::v3::transaction(&t, currency(&currencies, &t))))
}

/// A user's category correction: applies to this transaction and to every transaction
/// of the same merchant, now and later (stored by merchant key).
#[utoipa::path(put, path = "/users/{id}/transactions/{tid}/category", tag = "transactions", params(("id" = String, Path), ("tid" = String, Path)), request_body(content = tally_api::CategoryCorrection, description = "{category}"), responses((status = 200, description = "the transaction", body = tally_api::Transaction)), security(("bearer" = [])))]
async fn correct(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, tid)): Path<(String, String)>,
    Json(body): Json<CategoryCorrection>,
) -> Result<axum::Json<Transaction>, ApiError> {
    let category = tally_classify::category_by_slug(body.category.trim()).ok_or_else(|| {
        let slugs: Vec<&str> = tally_classify::all_categories().iter().map(|c| c.slug).collect();
        ApiError::invalid_body("/category", format!("Unknown category '{}'; expected one of {}.", body.category, slugs.join(", ")))
    })?;
    let mut tx = crate::db::begin_write(&state.db).await?;
    user_for(&mut tx, &auth, &id).await?;
    let row = store::transactions::get(&mut tx, &auth.app_id, &tid)
        .await?
        .filter(|t| t.user_id.as_deref() == Some(id.as_str()))
        .ok_or_else(|| ApiError::not_found(format!("Transaction '{tid}' does not exist for user '{id}'.")))?;
    match &row.merchant_key {
        Some(key) => {
            store::corrections::upsert(&mut tx, &id, key, category.slug, &state.now()).await?;
            store::transactions::set_category_for_merchant(&mut tx, &id, key, category.slug, category.title, (category.anzsic_code, category.anzsic_title)).await?;
        }
        None => store::transactions::set_category(&mut tx, &tid, category.slug, category.title, (category.anzsic_code, category.anzsic_title)).await?,
    }
    let row = store::transactions::get(&mut tx, &auth.app_id, &tid).await?.ok_or_else(|| ApiError::not_found("The transaction is gone."))?;
    tx.commit().await?;
    Ok(axum::Json(views::transaction(&row)))
}
