//! `GET /connectors[?filter=]` and `GET /connectors/{id}/{method}` (3.0): the ways to
//! connect, one per institution and method, from the same institution list as
//! `/institutions` (`views::v3::connectors`).

use axum::extract::State;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use serde::Serialize;
use tally_api::v3::Connector;
use tally_api::{Links, CONNECTOR_FIELDS};

use super::{parse_filter, ListQuery};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::{views, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    let r = super::both(OpenApiRouter::new(), routes!(list));
    super::both(r, routes!(one))
}

/// `{type: "list", totalCount, data, links}` as Basiq's documents write it.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConnectorList {
    #[serde(rename = "type")]
    kind: String,
    total_count: usize,
    data: Vec<Connector>,
    links: Links,
}

fn all(state: &AppState) -> Vec<Connector> {
    state.connectors.institutions().iter().flat_map(views::v3::connectors).collect()
}

#[utoipa::path(get, path = "/connectors", tag = "connectors", params(("filter" = Option<String>, Query)), responses((status = 200, description = "every way to connect: institutions by method", body = ConnectorList), (status = 400, description = "malformed filter", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn list(State(state): State<AppState>, _auth: Auth, Query(q): Query<ListQuery>) -> Result<Json<ConnectorList>, ApiError> {
    let filter = parse_filter(q.filter.as_deref(), CONNECTOR_FIELDS)?;
    let data: Vec<Connector> = all(&state)
        .into_iter()
        .filter(|c| {
            filter.matches(|field| match field {
                "connector.id" => Some(c.id.as_str()),
                "connector.method" => Some(c.method.as_str()),
                "connector.stage" => Some(c.stage.as_str()),
                _ => None,
            })
        })
        .collect();
    Ok(Json(ConnectorList { kind: "list".into(), total_count: data.len(), data, links: Links { self_: Some("/connectors".into()), ..Links::default() } }))
}

#[utoipa::path(get, path = "/connectors/{id}/{method}", tag = "connectors", params(("id" = String, Path), ("method" = String, Path)), responses((status = 200, description = "one way to connect", body = tally_api::v3::Connector), (status = 404, description = "no such institution or method", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn one(State(state): State<AppState>, _auth: Auth, Path((id, method)): Path<(String, String)>) -> Result<Json<Connector>, ApiError> {
    all(&state)
        .into_iter()
        .find(|c| c.id == id && c.method == method)
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("No connector '{id}' with method '{method}'; see GET /connectors.")))
}
