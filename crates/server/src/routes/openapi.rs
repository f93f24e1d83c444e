//! `GET /openapi.json`: the API description, generated from the handlers'
//! `#[utoipa::path]` annotations. Bodies reference tally-api's wire types, whose
//! schemas come from the same serde definitions the server answers with (tally-api's
//! `openapi` feature), so the document cannot drift from the JSON.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{accounts, connections, demo, expenses, institutions, jobs, legacy, scheduler, statements, token, transactions, users};
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Tally Connect API", description = "A self-hostable server speaking the Connect API v2 wire contract."),
    paths(
        token::token,
        users::create, users::get, users::update, users::delete, users::link,
        connections::create, connections::list, connections::one, connections::update, connections::delete,
        connections::refresh, connections::refresh_all, connections::refresh_all_short,
        statements::create,
        jobs::one, jobs::list, jobs::mfa, jobs::events,
        accounts::list, accounts::one,
        transactions::list, transactions::one, transactions::correct,
        expenses::create, expenses::one,
        institutions::list, institutions::one, institutions::public_list, institutions::public_one, institutions::logo,
        legacy::create, legacy::one, legacy::update, legacy::delete, legacy::refresh,
        legacy::accounts, legacy::account, legacy::transactions, legacy::transaction,
        scheduler::show, scheduler::update,
        demo::token,
    ),
    modifiers(&Bearer)
)]
pub struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()));
    }
}

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
}
