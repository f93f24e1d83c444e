//! `POST /users/{id}/statements`: Basiq's "Create a statement". A `multipart/form-data`
//! body with `institutionId` and `statement` (the file) answers 202 with a job that
//! reads the file (`verify-credentials`) and stores its accounts and transactions; see
//! `crate::statements` for what happens next. Only what HTTP can tell is refused here
//! (no such user, not a form, no file, too big, an institution without statements):
//! whether the file is readable is the job's first step, as Basiq documents it.

use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use tally_api::{Job, StatementUpload};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::user_for;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::Path;
use crate::statements::JOB_KIND;
use crate::{db, jobs, quota, store, views, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    // Room for the file and the form around it; the file's own limit is checked below.
    let limit = DefaultBodyLimit::max(StatementUpload::MAX_BYTES + 64 * 1024);
    super::both(OpenApiRouter::new(), routes!(create).layer(limit))
}

/// Uploads a statement file (OFX/QFX, QIF or CSV, recognised from its content) for an
/// institution whose `methods` include `statement`.
#[utoipa::path(
    post,
    path = "/users/{id}/statements",
    tag = "statements",
    params(("id" = String, Path)),
    request_body(content = tally_api::StatementUpload, content_type = "multipart/form-data"),
    responses(
        (status = 202, description = "a job reading the file: verify-credentials, retrieve-accounts, retrieve-transactions", body = tally_api::Job),
        (status = 400, description = "no file, no institution, or an institution that takes no statements", body = tally_api::ErrorBody),
        (status = 413, description = "the file is larger than 10 MiB", body = tally_api::ErrorBody),
        (status = 415, description = "not multipart/form-data", body = tally_api::ErrorBody),
        (status = 429, description = "over the user's upload or job quota", body = tally_api::ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn create(State(state): State<AppState>, auth: Auth, Path(id): Path<String>, form: Result<Multipart, MultipartRejection>) -> Result<(StatusCode, axum::Json<Job>), ApiError> {
    let mut conn = state.db.acquire().await?;
    let user = user_for(&mut conn, &auth, &id).await?;
    drop(conn);
    let form = form.map_err(|e| ApiError::Other {
        status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
        code: "parameter-not-valid",
        title: "Unsupported media type.",
        detail: format!("Send the statement as multipart/form-data with the parts 'institutionId' and 'statement' ({}).", e.body_text()),
    })?;
    let upload = read_form(form).await?;
    let institution = state
        .connectors
        .institution(&upload.institution_id)
        .filter(|i| i.takes_statements())
        .ok_or_else(|| ApiError::Other {
            status: StatusCode::BAD_REQUEST,
            code: "institution-not-supported",
            title: "Institution not supported.",
            detail: format!(
                "Institution '{}' does not take statements; pick one whose methods include 'statement' from GET /institutions, or '{}' (Other bank).",
                upload.institution_id,
                crate::statements::institutions::OTHER_BANK
            ),
        })?;
    let sealed = state.keys.seal(&upload.file);
    let now = state.now();
    let mut tx = db::begin_write(&state.db).await?;
    quota::new_upload(&mut tx, &state, &user.id).await?;
    let c = match store::connections::statement_for(&mut tx, &auth.app_id, &user.id, &institution.id).await? {
        Some(c) => c,
        None => {
            quota::new_connection(&mut tx, &state, &user.id).await?;
            let cid = store::connections::insert_statement(&mut tx, &auth.app_id, &user.id, &institution.id, &now).await?;
            crate::events::under_consent(&mut tx, &auth.app_id, &user.id, &cid, !auth.is_server(), state.clock.now()).await?;
            store::connections::get(&mut tx, &auth.app_id, &cid).await?.ok_or_else(|| ApiError::Internal("connection vanished".into()))?
        }
    };
    let job = jobs::queue_for_user(&mut tx, &state, &c, JOB_KIND).await?;
    store::statement_uploads::insert(&mut tx, &job.id, &auth.app_id, &c.id, &upload.filename, upload.file.len(), &sealed, &now).await?;
    tx.commit().await?;
    jobs::kick(&state);
    tracing::info!(connection = %c.id, job = %job.id, institution = %institution.id, bytes = upload.file.len(), "statement uploaded");
    Ok((StatusCode::ACCEPTED, axum::Json(views::job(&job))))
}

/// The form's two parts. Other parts are ignored, as a browser's form may add some.
struct Upload {
    institution_id: String,
    filename: String,
    file: Vec<u8>,
}

async fn read_form(mut form: Multipart) -> Result<Upload, ApiError> {
    let (mut institution_id, mut file) = (None, None);
    while let Some(field) = form.next_field().await.map_err(form_error)? {
        match field.name() {
            Some(StatementUpload::INSTITUTION_ID) => {
                let text = field.text().await.map_err(form_error)?;
                let text = text.trim();
                if text.is_empty() || text.len() > 64 || text.chars().any(char::is_control) {
                    return Err(ApiError::invalid_param(StatementUpload::INSTITUTION_ID, "'institutionId' must be an institution id such as 'AU10001'."));
                }
                institution_id = Some(text.to_string());
            }
            Some(StatementUpload::STATEMENT) => file = Some(read_file(field).await?),
            _ => {}
        }
    }
    let institution_id = institution_id
        .ok_or_else(|| ApiError::missing_param(StatementUpload::INSTITUTION_ID, "The form has no 'institutionId' part: say which bank the statement is from."))?;
    let (filename, file) = file.ok_or_else(|| ApiError::missing_param(StatementUpload::STATEMENT, "The form has no 'statement' part: attach the file."))?;
    Ok(Upload { institution_id, filename, file })
}

/// The file part, read in chunks so an oversized one is refused as soon as it is.
async fn read_file(mut field: Field<'_>) -> Result<(String, Vec<u8>), ApiError> {
    let filename: String = field.file_name().unwrap_or("statement").chars().filter(|c| !c.is_control()).take(255).collect();
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(form_error)? {
        if bytes.len() + chunk.len() > StatementUpload::MAX_BYTES {
            return Err(file_too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok((filename, bytes))
}

fn file_too_large() -> ApiError {
    ApiError::Other {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        code: "parameter-not-valid",
        title: "Statement too large.",
        detail: format!("The statement is larger than {} MiB; export a shorter period.", StatementUpload::MAX_BYTES / (1024 * 1024)),
    }
}

fn form_error(e: MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return file_too_large();
    }
    if crate::error::is_body_timeout(&e) {
        return crate::error::body_timed_out();
    }
    ApiError::invalid_body("/", format!("The multipart form could not be read: {}", e.body_text()))
}
