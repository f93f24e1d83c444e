//! `GET /events[?filter=]`, `/events/{id}`, `/events/types`, `/events/types/{id}`
//! (3.0): the feed `crate::events` writes. A CLIENT_ACCESS token sees its own user's
//! events only.

use axum::extract::State;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use serde_json::Value;
use tally_api::v3::{Event, EventType};
use tally_api::{Links, List, Op, EVENT_FIELDS};

use super::{parse_filter, ListQuery};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::store::events::EventRow;
use crate::{events, store, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    let r = super::both(OpenApiRouter::new(), routes!(list));
    let r = super::both(r, routes!(types));
    let r = super::both(r, routes!(one_type));
    super::both(r, routes!(one))
}

fn event<D>(e: &EventRow, data: D) -> Event<D> {
    Event {
        kind: "event".into(),
        id: e.id.clone(),
        created_date: e.created.clone(),
        entity: e.entity.clone(),
        event_type: e.event_type.clone(),
        user_id: e.user_id.clone(),
        data_ref: e.data_ref.clone(),
        data,
        links: Links { self_: Some(format!("/events/{}", e.id)), ..Links::default() },
    }
}

#[utoipa::path(get, path = "/events", tag = "events", params(("filter" = Option<String>, Query, description = "user.id.eq('…'), event.entity.eq('connection'|'consent'), event.type.eq('created'|…)")), responses((status = 200, description = "the last 7 days' events, newest first (at most 1,000)", body = tally_api::List<tally_api::v3::Event<String>>), (status = 400, description = "malformed filter", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn list(State(state): State<AppState>, auth: Auth, Query(q): Query<ListQuery>) -> Result<Json<List<Event<String>>>, ApiError> {
    let filter = parse_filter(q.filter.as_deref(), EVENT_FIELDS)?;
    let wanted = |field: &str| -> Result<Option<String>, ApiError> {
        let mut value = None;
        for c in filter.conditions.iter().filter(|c| c.field == field) {
            match (c.op, c.values.as_slice()) {
                (Op::Eq, [v]) if value.is_none() => value = Some(v.clone()),
                _ => return Err(ApiError::invalid_param("filter", format!("Invalid filter: '{field}' takes one eq('…') here."))),
            }
        }
        Ok(value)
    };
    let mut user = wanted("user.id")?;
    let (entity, kind) = (wanted("event.entity")?, wanted("event.type")?);
    if let Some(own) = &auth.user_id {
        if user.as_ref().is_some_and(|u| u != own) {
            return Err(ApiError::forbidden("This token is bound to another user."));
        }
        user = Some(own.clone());
    }
    let mut conn = state.db.acquire().await?;
    let since = events::since(state.clock.now());
    let rows = store::events::list(&mut conn, &auth.app_id, &since, user.as_deref(), entity.as_deref(), kind.as_deref()).await?;
    let mut self_link = "/events".to_string();
    if let Some(f) = q.filter.as_deref().filter(|f| !f.is_empty()) {
        self_link.push_str(&format!("?filter={}", tally_api::client::request::encode_component(f)));
    }
    Ok(Json(List::all(rows.iter().map(|e| event(e, e.data.clone())).collect(), self_link)))
}

#[utoipa::path(get, path = "/events/{id}", tag = "events", params(("id" = String, Path)), responses((status = 200, description = "one event, its data as an object", body = tally_api::v3::Event<serde_json::Value>), (status = 404, description = "unknown, or older than 7 days", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn one(State(state): State<AppState>, auth: Auth, Path(id): Path<String>) -> Result<Json<Event<Value>>, ApiError> {
    let mut conn = state.db.acquire().await?;
    let e = store::events::get(&mut conn, &auth.app_id, &id)
        .await?
        .filter(|e| auth.user_id.as_ref().is_none_or(|u| *u == e.user_id))
        .ok_or_else(|| ApiError::not_found(format!("Event '{id}' does not exist.")))?;
    let data = serde_json::from_str(&e.data).unwrap_or(Value::Null);
    Ok(Json(event(&e, data)))
}

fn event_type(id: &str, description: &str) -> EventType {
    EventType { kind: "type".into(), id: id.into(), description: description.into(), links: Links { self_: Some(format!("/events/types/{id}")), ..Links::default() } }
}

#[utoipa::path(get, path = "/events/types", tag = "events", responses((status = 200, description = "the kinds of event written", body = tally_api::List<tally_api::v3::EventType>)), security(("bearer" = [])))]
async fn types(_auth: Auth) -> Json<List<EventType>> {
    Json(List::all(events::TYPES.iter().map(|(id, d)| event_type(id, d)).collect(), "/events/types".into()))
}

#[utoipa::path(get, path = "/events/types/{id}", tag = "events", params(("id" = String, Path)), responses((status = 200, description = "one kind of event", body = tally_api::v3::EventType), (status = 404, description = "unknown", body = tally_api::ErrorBody)), security(("bearer" = [])))]
async fn one_type(_auth: Auth, Path(id): Path<String>) -> Result<Json<EventType>, ApiError> {
    events::TYPES
        .iter()
        .find(|(t, _)| *t == id)
        .map(|(t, d)| Json(event_type(t, d)))
        .ok_or_else(|| ApiError::not_found(format!("Event type '{id}' does not exist; see GET /events/types.")))
}
