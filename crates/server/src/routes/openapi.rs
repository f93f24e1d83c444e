//! `GET /openapi.json`: the API description, generated from the handlers'
//! `#[utoipa::path]` annotations as `routes::api_router` registers them (utoipa-axum's
//! `routes!`), so a route cannot be served without being described. Bodies reference
//! tally-api's wire types, whose schemas come from the same serde definitions the
//! server answers with (tally-api's `openapi` feature), so the document cannot drift
//! from the JSON.

use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::routing::get;
use axum::Router;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::AppState;

/// The document's own parts; the paths and their schemas come from the routes.
#[derive(OpenApi)]
#[openapi(
    info(title = "Tally Connect API", description = "A self-hostable server speaking the Connect API v2 wire contract."),
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

/// Serves `doc`, serialised once.
pub fn router(doc: &utoipa::openapi::OpenApi) -> Router<AppState> {
    let json = Bytes::from(serde_json::to_vec(doc).expect("the OpenAPI document serialises"));
    Router::new().route("/openapi.json", get(move || async move { ([(CONTENT_TYPE, "application/json")], json) }))
}
