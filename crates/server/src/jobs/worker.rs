//! The job worker: a tokio task that claims queued jobs (and jobs whose worker died)
//! from the database and runs each in its own task, at most `worker_concurrency` at a
//! time. All decisions are the state machine's (machine.rs); this file does the I/O:
//! connector calls, storing results, saving steps after every change (so `GET
//! /jobs/{id}` and the event stream see each step as it happens) and keeping the lease.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::machine::{self, Failure, JobState, Next, Steps};
use tally_api::{StepResult, StepTitle};
use crate::clock::stamp;
use crate::connector::{ConnectorError, Credentials, Ctx, InstitutionConnector, Login, MfaChallenge};
use crate::store::connections::ConnRow;
use crate::store::jobs::JobRow;
use crate::statements::{self, source};
use crate::{categorise, db, store, views, AppState};

/// How long an MFA challenge waits for its answer.
pub const MFA_EXPIRY_MS: i64 = 120_000;

/// The running worker. Dropping it (or [`WorkerHandle::abort`]) stops it and every job
/// it was running, as a crash would: their leases then run out and another worker
/// takes them over.
pub struct WorkerHandle {
    task: tokio::task::JoinHandle<()>,
}

impl WorkerHandle {
    pub fn abort(&self) {
        self.task.abort();
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts the worker on the current tokio runtime.
pub fn spawn(state: AppState) -> WorkerHandle {
    WorkerHandle { task: tokio::spawn(main_loop(state)) }
}

fn poll_interval(state: &AppState) -> Duration {
    (state.config.job_lease / 4).clamp(Duration::from_millis(50), Duration::from_millis(500))
}

async fn main_loop(state: AppState) {
    let permits = Arc::new(Semaphore::new(state.config.worker_concurrency.max(1)));
    let mut running: JoinSet<()> = JoinSet::new();
    loop {
        while running.try_join_next().is_some() {}
        if let Err(e) = expire_mfa(&state).await {
            tracing::warn!(error = %e, "MFA expiry sweep failed");
        }
        let free = permits.available_permits();
        if free > 0 {
            match claim(&state, free).await {
                Ok(ids) => {
                    for id in ids {
                        let Ok(permit) = permits.clone().acquire_owned().await else { return };
                        let st = state.clone();
                        running.spawn(async move {
                            run(&st, &id).await;
                            drop(permit);
                        });
                    }
                }
                Err(e) => tracing::warn!(error = %e, "claiming jobs failed"),
            }
        }
        tokio::select! {
            _ = state.wake_worker.notified() => {}
            _ = tokio::time::sleep(poll_interval(&state)) => {}
            Some(_) = running.join_next(), if !running.is_empty() => {}
        }
    }
}

fn lease_until(state: &AppState) -> String {
    let lease = chrono::Duration::from_std(state.config.job_lease).unwrap_or(chrono::Duration::seconds(30));
    stamp(state.clock.now() + lease)
}

/// Claims up to `n` jobs; returns their ids.
async fn claim(state: &AppState, n: usize) -> Result<Vec<String>, sqlx::Error> {
    let mut c = state.db.acquire().await?;
    let now = state.now();
    let mut won = Vec::new();
    for (id, seen_state, seen_lease) in store::jobs::claimable(&mut c, &now, n as i64).await? {
        if store::jobs::claim(&mut c, &id, &seen_state, seen_lease.as_deref(), &lease_until(state), &now).await? {
            if seen_state == "running" {
                tracing::warn!(job = %id, "taking over a job whose worker stopped");
            }
            won.push(id);
        }
    }
    Ok(won)
}

/// Fails jobs whose MFA challenge went unanswered.
async fn expire_mfa(state: &AppState) -> Result<(), sqlx::Error> {
    let mut c = state.db.acquire().await?;
    for job in store::jobs::expired_mfa(&mut c, &state.now()).await? {
        let mut steps = job.steps();
        steps.fail(
            &StepTitle::MfaChallenge,
            &Failure::new("job-timed-out", "The challenge was not answered in time.", "Start the connection again to get a new challenge."),
        );
        if store::jobs::fail_if_awaiting(&mut c, &job.id, &steps, &state.now()).await? {
            state.job_changed(&job.id);
        }
    }
    Ok(())
}

/// Saves the steps and tells listeners.
async fn save(state: &AppState, job: &JobRow, steps: &Steps, st: JobState, mfa_expires: Option<&str>) -> Result<(), sqlx::Error> {
    let mut c = state.db.acquire().await?;
    let lease = (st == JobState::Running).then(|| lease_until(state));
    store::jobs::save(&mut c, &job.id, steps, st, lease.as_deref(), mfa_expires, &state.now()).await?;
    state.job_changed(&job.id);
    Ok(())
}

/// Runs a connector call while renewing the job's lease, so a long step is not taken
/// for a dead one.
async fn with_lease<T>(state: &AppState, job_id: &str, fut: impl Future<Output = T>) -> T {
    tokio::pin!(fut);
    let every = (state.config.job_lease / 3).max(Duration::from_millis(20));
    loop {
        tokio::select! {
            out = &mut fut => return out,
            _ = tokio::time::sleep(every) => {
                if let Ok(mut c) = state.db.acquire().await {
                    let _ = store::jobs::renew(&mut c, job_id, &lease_until(state)).await;
                }
            }
        }
    }
}

fn failure(e: &ConnectorError) -> Failure {
    Failure::new(e.code, &e.title, &e.detail)
}

/// The institution's challenge as the `mfa-challenge` step shows it.
fn challenge(job_id: &str, ch: &MfaChallenge) -> tally_api::MfaChallenge {
    tally_api::MfaChallenge {
        method: ch.method.to_string(),
        description: ch.description.clone(),
        input: ch.input.clone(),
        expiry_ms: Some(MFA_EXPIRY_MS as u64),
        response: Some(format!("/jobs/{job_id}/mfa")),
    }
}

/// Runs one claimed job to its end (or to an MFA wait). Database errors leave the job
/// leased; when the lease runs out it is taken over, at most `max_job_attempts` times.
async fn run(state: &AppState, job_id: &str) {
    if let Err(e) = run_inner(state, job_id).await {
        tracing::error!(job = %job_id, error = %e, "job interrupted by a storage error");
    }
}

/// Where a run stops: the job is over, or it waits for the user's MFA answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Finished(JobState),
    AwaitMfa,
}

/// A job that can run: its connection, and where its data comes from.
struct Runnable {
    conn_row: ConnRow,
    connector: Arc<dyn InstitutionConnector>,
    creds: Credentials,
}

/// Loads the job, runs what it can and saves where it stopped: every way a run ends
/// (finished, failed before it could start, waiting for MFA) goes through [`stop`].
async fn run_inner(state: &AppState, job_id: &str) -> Result<(), sqlx::Error> {
    let (job, conn_row) = {
        let mut c = state.db.acquire().await?;
        let Some(job) = store::jobs::get(&mut c, job_id).await? else { return Ok(()) };
        let conn_row = store::connections::get_by_id(&mut c, &job.connection_id).await?;
        (job, conn_row)
    };
    let mut steps = job.steps();
    let end = match runnable(state, &job, conn_row.clone()).await? {
        Ok(r) => drive(state, &job, &r, &mut steps).await?,
        Err(f) => {
            steps.fail_current(&f);
            Stop::Finished(JobState::Failed)
        }
    };
    stop(state, &job, conn_row.as_ref(), &steps, end).await
}

/// Whether the job may run at all: not retried too often, its connection still there,
/// a source for its data. Otherwise the failure its current step gets.
async fn runnable(state: &AppState, job: &JobRow, conn_row: Option<ConnRow>) -> Result<Result<Runnable, Failure>, sqlx::Error> {
    if job.attempts >= state.config.max_job_attempts {
        return Ok(Err(machine::timed_out()));
    }
    let Some(conn_row) = conn_row else { return Ok(Err(machine::gone())) };
    Ok(source_for(state, job, &conn_row).await?.map(|(connector, creds)| Runnable { conn_row, connector, creds }))
}

/// Does what follows a job's end and saves the steps as the run left them.
async fn stop(state: &AppState, job: &JobRow, conn_row: Option<&ConnRow>, steps: &Steps, end: Stop) -> Result<(), sqlx::Error> {
    match end {
        Stop::AwaitMfa => {
            let expires = stamp(state.clock.now() + chrono::Duration::milliseconds(MFA_EXPIRY_MS));
            save(state, job, steps, JobState::AwaitingMfa, Some(&expires)).await
        }
        Stop::Finished(st) => {
            // What follows the end is done before the job reads as finished, so a
            // client that sees it finished also sees its effects (a refused first
            // upload's connection already gone).
            if let Some(c) = conn_row {
                ended(state, job, c, st).await?;
            }
            save(state, job, steps, st, None).await?;
            tracing::info!(job = %job.id, state = st.as_str(), "job finished");
            Ok(())
        }
    }
}

/// Runs the steps the machine asks for, saving after each change, until it says stop.
async fn drive(state: &AppState, job: &JobRow, r: &Runnable, steps: &mut Steps) -> Result<Stop, sqlx::Error> {
    let ctx = Ctx { job_id: job.id.clone(), today: state.clock.today() };
    let mut mfa_answer: Option<Vec<String>> =
        job.mfa_response.as_deref().and_then(|sealed| state.keys.open(sealed).ok()).and_then(|a| serde_json::from_slice(&a).ok());
    loop {
        match steps.next() {
            Next::Finished(st) => return Ok(Stop::Finished(st)),
            Next::Mfa => {
                // Claimed without an answer (should not happen): wait again.
                let Some(answer) = mfa_answer.take() else { return Ok(Stop::AwaitMfa) };
                answer_mfa(state, job, r, &ctx, &answer, steps).await?;
                save(state, job, steps, JobState::Running, None).await?;
            }
            Next::Run(title) => {
                steps.start(&title);
                save(state, job, steps, JobState::Running, None).await?;
                if let Some(stop) = run_step(state, job, r, &ctx, &title, steps).await? {
                    return Ok(stop);
                }
            }
        }
    }
}

/// Checks the user's MFA answer with the institution.
async fn answer_mfa(state: &AppState, job: &JobRow, r: &Runnable, ctx: &Ctx, answer: &[String], steps: &mut Steps) -> Result<(), sqlx::Error> {
    {
        let mut c = state.db.acquire().await?;
        store::jobs::clear_mfa(&mut c, &job.id).await?;
    }
    let title = StepTitle::MfaChallenge;
    match with_lease(state, &job.id, r.connector.login(ctx, &r.creds, Some(answer))).await {
        Ok(Login::Ok) => steps.succeed(&title, StepResult::None),
        Ok(Login::Mfa(_)) => steps.fail(&title, &Failure::new("invalid-credentials", "The answer was not accepted.", "Start again.")),
        Err(e) => {
            steps.fail(&title, &failure(&e));
            credentials_failed(state, &r.conn_row, &e).await?;
        }
    }
    Ok(())
}

/// Runs one step (already started and saved) and records its outcome in `steps`;
/// `Some` when the run stops here (the institution asked for MFA).
async fn run_step(state: &AppState, job: &JobRow, r: &Runnable, ctx: &Ctx, title: &StepTitle, steps: &mut Steps) -> Result<Option<Stop>, sqlx::Error> {
    let links = views::ConnectionLinks::of(&r.conn_row);
    let (connector, creds, conn_row) = (&r.connector, &r.creds, &r.conn_row);
    match title {
        StepTitle::VerifyCredentials => match with_lease(state, &job.id, connector.login(ctx, creds, None)).await {
            Ok(Login::Ok) => {
                steps.succeed(title, StepResult::Link(links.this.clone()));
                let mut c = state.db.acquire().await?;
                store::connections::mark_verified(&mut c, &conn_row.id, &state.now()).await?;
            }
            Ok(Login::Mfa(ch)) => {
                steps.challenge(StepResult::Link(links.this.clone()), challenge(&job.id, &ch));
                let mut c = state.db.acquire().await?;
                store::connections::set_mfa_enabled(&mut c, &conn_row.id).await?;
                return Ok(Some(Stop::AwaitMfa));
            }
            Err(e) => {
                steps.fail(title, &failure(&e));
                credentials_failed(state, conn_row, &e).await?;
            }
        },
        StepTitle::RetrieveAccounts => match with_lease(state, &job.id, connector.accounts(ctx, creds)).await {
            Ok(accounts) => {
                let mut tx = db::begin_write(&state.db).await?;
                match store::connections::lock_current(&mut tx, &conn_row.id).await? {
                    Some(now) => {
                        store::accounts::upsert_all(&mut tx, &now, &accounts, &state.now()).await?;
                        tx.commit().await?;
                        steps.succeed(title, StepResult::Link(links.accounts.clone()));
                    }
                    None => steps.fail(title, &machine::gone()),
                }
            }
            Err(e) => steps.fail(title, &failure(&e)),
        },
        StepTitle::RetrieveTransactions => match with_lease(state, &job.id, fetch_and_store(state, connector.as_ref(), ctx, creds, conn_row)).await? {
            Ok(Some(n)) => {
                tracing::info!(job = %job.id, stored = n, "transactions stored");
                steps.succeed(title, StepResult::Link(links.transactions.clone()));
            }
            Ok(None) => steps.fail(title, &machine::gone()),
            Err(e) => steps.fail(title, &failure(&e)),
        },
        // The machine never runs the challenge (it waits for an answer), and
        // jobs are only ever made with the known steps: a stored job that
        // says otherwise fails rather than loops.
        StepTitle::MfaChallenge | StepTitle::Unknown(_) => {
            steps.fail(title, &Failure::new("job-failed", "The job cannot run this step.", &format!("Step '{title}' is not one this server runs.")));
        }
    }
    Ok(None)
}

/// Where a job's data comes from: the institution's connector with the connection's
/// credentials, or, for an upload's job, the uploaded file.
async fn source_for(state: &AppState, job: &JobRow, c: &ConnRow) -> Result<Result<(Arc<dyn InstitutionConnector>, Credentials), Failure>, sqlx::Error> {
    if job.kind == statements::JOB_KIND {
        let upload = {
            let mut conn = state.db.acquire().await?;
            store::statement_uploads::get(&mut conn, &job.id).await?
        };
        let bytes = upload.and_then(|u| state.keys.open(&u.body).ok());
        let (Some(bytes), Some(institution)) = (bytes, state.connectors.institution(&c.institution_id)) else {
            return Ok(Err(Failure::new(source::NOT_READABLE, "The uploaded file is gone.", "Upload the statement again.")));
        };
        return Ok(Ok((Arc::new(source::StatementSource::new(institution, bytes)), source::no_credentials())));
    }
    let creds = c
        .credentials
        .as_deref()
        .and_then(|sealed| state.keys.open(sealed).ok())
        .and_then(|plain| serde_json::from_slice::<Credentials>(&plain).ok());
    let Some(creds) = creds else {
        return Ok(Err(Failure::new("invalid-credentials", "No usable credentials.", "Update the connection's credentials and try again.")));
    };
    let Some(connector) = state.connectors.get(&c.institution_id) else {
        return Ok(Err(Failure::new(
            "institution-not-supported",
            "Institution not supported.",
            "This server has no connector for the institution.",
        )));
    };
    Ok(Ok((connector, creds)))
}

/// What follows a job's end: an upload's file is dropped (statements::finish).
async fn ended(state: &AppState, job: &JobRow, c: &ConnRow, st: JobState) -> Result<(), sqlx::Error> {
    if job.kind == statements::JOB_KIND {
        statements::finish(state, job, c, st == JobState::Failed).await?;
    }
    crate::events::job_ended(state, c).await
}

/// Wrong credentials make the connection invalid until they are updated.
async fn credentials_failed(state: &AppState, c: &ConnRow, e: &ConnectorError) -> Result<(), sqlx::Error> {
    if e.invalidates_credentials() {
        let mut conn = state.db.acquire().await?;
        store::connections::set_status(&mut conn, &c.id, tally_api::ConnectionStatus::Invalid.as_str()).await?;
    }
    Ok(())
}

/// Reads every transaction, categorises the new ones and stores them in one
/// transaction together with the refreshed account balances; `None` when the
/// connection was deleted meanwhile (nothing is stored).
async fn fetch_and_store(
    state: &AppState,
    connector: &dyn InstitutionConnector,
    ctx: &Ctx,
    creds: &Credentials,
    c: &ConnRow,
) -> Result<Result<Option<usize>, ConnectorError>, sqlx::Error> {
    let accounts = match connector.accounts(ctx, creds).await {
        Ok(a) => a,
        Err(e) => return Ok(Err(e)),
    };
    let txs = match connector.transactions(ctx, creds).await {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let known = {
        let mut conn = state.db.acquire().await?;
        store::transactions::posted_keys(&mut conn, &c.id).await?
    };
    let mut tx = db::begin_write(&state.db).await?;
    // Its current row: deleted meanwhile → store nothing; linked meanwhile → the rows
    // go to the new owner.
    let Some(current) = store::connections::lock_current(&mut tx, &c.id).await? else { return Ok(Ok(None)) };
    let c = &current;
    let ids = store::accounts::upsert_all(&mut tx, c, &accounts, &state.now()).await?;
    let fresh: Vec<_> = txs
        .into_iter()
        .filter(|t| t.pending || ids.get(&t.account_external_id).map(|a| !known.contains(&(a.clone(), t.external_id.clone()))).unwrap_or(false))
        .collect();
    let enriched = categorise::enrich(state, &mut tx, c.user_id.as_deref(), &c.institution_id, fresh).await?;
    let n = store::transactions::store_refresh(&mut tx, c, &ids, &enriched).await?;
    if let (Some(user), Some((first, last))) = (c.user_id.as_deref(), posted_span(&enriched)) {
        crate::transfers::rematch(&mut tx, user, first, last).await?;
    }
    store::connections::mark_refreshed(&mut tx, &c.id, &state.now()).await?;
    tx.commit().await?;
    Ok(Ok(Some(n)))
}

/// The first and last posted dates among `txs`, if any is posted.
fn posted_span(txs: &[(crate::connector::TransactionData, store::transactions::Enrichment)]) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    let dates = txs.iter().filter(|(t, _)| !t.pending).filter_map(|(t, _)| t.post_date);
    dates.fold(None, |span, d| Some(span.map_or((d, d), |(lo, hi): (chrono::NaiveDate, chrono::NaiveDate)| (lo.min(d), hi.max(d)))))
}
