//! `GET /institutions`, `GET /institutions/{id}` and the unauthenticated
//! `GET /public/institutions`. Institutions are not secret: no token needed.

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::Json;
use tally_api::{Institution, List};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::Path;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    let r = super::both(OpenApiRouter::new(), routes!(list));
    let r = super::both(r, routes!(one));
    let r = super::both(r, routes!(public_list));
    let r = super::both(r, routes!(public_one));
    r.routes(routes!(logo))
}

/// The institution's logo (`logo.links.full` / `square`): drawn from its short name,
/// as Tally ships no bank's artwork (the sandbox banks have none; the real banks'
/// marks are theirs).
#[utoipa::path(get, path = "/public/institutions/{id}/logo.svg", tag = "institutions", params(("id" = String, Path)), responses((status = 200, description = "the logo", content_type = "image/svg+xml", body = String), (status = 404, description = "unknown", body = tally_api::ErrorBody)))]
async fn logo(State(state): State<AppState>, Path(id): Path<String>) -> Result<impl axum::response::IntoResponse, ApiError> {
    let inst = state.connectors.institution(&id).ok_or_else(|| ApiError::not_found(format!("Institution '{id}' does not exist.")))?;
    let headers = [(CONTENT_TYPE, "image/svg+xml"), (CACHE_CONTROL, "public, max-age=86400")];
    Ok((headers, monogram_svg(&inst.id, &inst.short_name)))
}

/// A square monogram: the first letters of the name's words on a colour taken from the
/// id, so each bank keeps its own. Pure, and escapes what it writes.
pub fn monogram_svg(id: &str, name: &str) -> String {
    const COLOURS: [&str; 6] = ["#1d4ed8", "#047857", "#b45309", "#7c3aed", "#be123c", "#0f766e"];
    let colour = COLOURS[id.bytes().fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize)) % COLOURS.len()];
    let letters: String = name.split_whitespace().filter_map(|w| w.chars().next()).filter(|c| c.is_alphanumeric()).take(2).flat_map(char::to_uppercase).collect();
    let letters = if letters.is_empty() { "?".to_string() } else { letters };
    let escaped = letters.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\" role=\"img\" aria-label=\"{escaped}\">\
         <rect width=\"64\" height=\"64\" rx=\"12\" fill=\"{colour}\"/>\
         <text x=\"32\" y=\"41\" font-family=\"system-ui, sans-serif\" font-size=\"26\" font-weight=\"700\" \
         text-anchor=\"middle\" fill=\"#ffffff\">{escaped}</text></svg>"
    )
}

/// The same list without a token (`/public/…`): institutions are not secret.
#[utoipa::path(get, path = "/public/institutions", tag = "institutions", responses((status = 200, description = "list of institutions", body = tally_api::List<tally_api::Institution>)))]
async fn public_list(state: State<AppState>) -> Json<List<Institution>> {
    list(state).await
}

/// One institution without a token.
#[utoipa::path(get, path = "/public/institutions/{id}", tag = "institutions", params(("id" = String, Path)), responses((status = 200, description = "the institution", body = tally_api::Institution), (status = 404, description = "unknown", body = tally_api::ErrorBody)))]
async fn public_one(state: State<AppState>, id: Path<String>) -> Result<Json<Institution>, ApiError> {
    one(state, id).await
}

#[cfg(test)]
mod tests {
    use super::monogram_svg;

    #[test]
    fn monograms_take_initials_and_escape() {
        let svg = monogram_svg("AU00001", "Pied Piper");
        assert!(svg.starts_with("<svg") && svg.contains(">PP</text>"), "{svg}");
        assert_eq!(monogram_svg("AU00001", "x"), monogram_svg("AU00001", "x"), "stable");
        assert!(monogram_svg("X", "").contains(">?</text>"));
        assert!(!monogram_svg("X", "<script> &").contains("<script"));
    }
}

#[utoipa::path(get, path = "/institutions", tag = "institutions", responses((status = 200, description = "list of institutions", body = tally_api::List<tally_api::Institution>)))]
async fn list(State(state): State<AppState>) -> Json<List<Institution>> {
    Json(List::of(state.connectors.institutions()))
}

#[utoipa::path(get, path = "/institutions/{id}", tag = "institutions", params(("id" = String, Path)), responses((status = 200, description = "the institution", body = tally_api::Institution), (status = 404, description = "unknown", body = tally_api::ErrorBody)))]
async fn one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Institution>, ApiError> {
    state
        .connectors
        .institution(&id)
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("Institution '{id}' does not exist.")))
}
