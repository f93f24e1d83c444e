//! `POST /users/{id}/expenses` (201, a stored snapshot) and
//! `GET /users/{id}/expenses/{snapshotId}`. The aggregation is tally-classify's
//! pure `summarise`; this only loads the user's posted transactions of the months.

use axum::extract::State;
use axum::http::StatusCode;
use serde_json::Value;
use tally_api::{Expenses, ExpensesRequest};
use tally_classify::{ExpenseItem, TxClass};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::user_for;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::{store, views, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    let r = super::both(OpenApiRouter::new(), routes!(create));
    super::both(r, routes!(one))
}

fn month(s: &str, field: &str) -> Result<String, ApiError> {
    let ok = s.len() == 7 && s.as_bytes()[4] == b'-' && s[..4].bytes().all(|b| b.is_ascii_digit()) && matches!(s[5..].parse::<u32>(), Ok(1..=12));
    if ok {
        Ok(s.to_string())
    } else {
        Err(ApiError::invalid_body(&format!("/{field}"), format!("'{s}' is not a month; expected YYYY-MM.")))
    }
}

#[utoipa::path(post, path = "/users/{id}/expenses", tag = "expenses", params(("id" = String, Path)), request_body(content = tally_api::ExpensesRequest, description = "{fromMonth, toMonth, accounts?}"), responses((status = 201, description = "the expenses snapshot", body = tally_api::Expenses), (status = 400, description = "bad months", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(body): Json<ExpensesRequest>,
) -> Result<(StatusCode, axum::Json<Expenses>), ApiError> {
    let from = month(&body.from_month, "fromMonth")?;
    let to = month(&body.to_month, "toMonth")?;
    crate::quota::expense_range(&state, &from, &to)?;
    let mut conn = state.db.acquire().await?;
    user_for(&mut conn, &auth, &id).await?;
    let rows = store::transactions::for_expenses(&mut conn, &auth.app_id, &id, &format!("{from}-01"), &format!("{to}-31")).await?;
    let rows: Vec<_> = rows.into_iter().filter(|r| body.accounts.as_ref().is_none_or(|a| a.contains(&r.account_id))).collect();
    let items = rows.iter().filter_map(|r| {
        let class = r.class.parse::<TxClass>().ok()?;
        let month = r.post_date.as_deref().or(r.transaction_date.as_deref())?.get(..7)?;
        Some(ExpenseItem { month, amount_cents: r.amount, class, category: r.category_id.as_deref(), own_transfer: r.transfer_id.is_some() })
    });
    let summary = tally_classify::summarise(items, &from, &to).map_err(|e| ApiError::invalid_body("/fromMonth", e.to_string()))?;
    let sid = store::new_id();
    let snapshot = views::expenses(&summary, &sid, format!("/users/{id}/expenses/{sid}"));
    let text = serde_json::to_string(&snapshot).map_err(|e| ApiError::Internal(e.to_string()))?;
    store::expenses::insert(&mut conn, &sid, &id, &text, &state.now()).await?;
    store::expenses::prune(&mut conn, &id, &sid, state.config.quotas.snapshots_per_user).await?;
    Ok((StatusCode::CREATED, axum::Json(snapshot)))
}

#[utoipa::path(get, path = "/users/{id}/expenses/{sid}", tag = "expenses", params(("id" = String, Path), ("sid" = String, Path)), responses((status = 200, description = "a stored expenses snapshot", body = tally_api::Expenses), (status = 404, description = "unknown", body = tally_api::ErrorBody)), security(("bearer" = [])))]
/// The snapshot as it was answered when made: kept as JSON text, so snapshots stored by
/// an earlier version (money in cents) still read back as they were.
async fn one(State(state): State<AppState>, auth: Auth, Path((id, sid)): Path<(String, String)>) -> Result<axum::Json<Value>, ApiError> {
    let mut conn = state.db.acquire().await?;
    user_for(&mut conn, &auth, &id).await?;
    let body = store::expenses::get(&mut conn, &id, &sid).await?.ok_or_else(|| ApiError::not_found(format!("Expenses '{sid}' do not exist.")))?;
    serde_json::from_str(&body).map(axum::Json).map_err(|e| ApiError::Internal(e.to_string()))
}
