//! The scheduler's loop: every tick, enroll new connections, apply the outcome of
//! finished scheduled jobs, then claim due schedules with a lease and act on each as
//! [`plan::decide`] says. Scheduled refreshes are ordinary jobs (trigger `scheduled`)
//! queued through [`crate::connections::one_job`] (one job per connection, as for a
//! user's refresh), so the worker runs them like any other.
//!
//! Time comes only from the `now` given to [`Scheduler::tick`] (the spawned loop passes
//! the injected clock), so tests drive days of schedule in a few seconds.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};

use super::plan::{self, AfterJob, ConnectionFacts, Decision, Due, Outcome, Policy, Status};
use crate::store::schedules::{self as sstore, Applied, Claimed, Finished};
use crate::clock::{parse_stamp, stamp};
use crate::connections::{self, OneJob, Trigger};
use crate::{db, jobs, store, AppState};

/// What one tick did, for logs and tests.
#[derive(Debug, Default, Clone)]
pub struct TickReport {
    pub enrolled: u64,
    pub resumed: u64,
    /// Finished scheduled jobs whose outcome was applied.
    pub outcomes: usize,
    pub claimed: usize,
    /// (connection id, job id) of each scheduled job queued.
    pub queued: Vec<(String, String)>,
    /// Claimed but left to wait (replanned, caught up, invalid, busy, fresh).
    pub waited: usize,
}

/// One instance's scheduler. Several may run on one PostgreSQL database: each claims
/// its own batches under its own lease owner id.
pub struct Scheduler {
    state: AppState,
    owner: String,
    policy: Policy,
    /// Schedules claimed per statement.
    pub batch: i64,
    /// Batches per tick at most, so one tick cannot run forever behind a backlog.
    pub max_batches: usize,
    /// How long a claim stays ours; a crashed instance's claims return after this.
    pub lease: Duration,
    /// The previous tick's time: new connections are looked for from a bit before it.
    enrolled_at: Mutex<Option<DateTime<Utc>>>,
}

/// Connections created this long before the previous tick are still looked at, for
/// clock skew between instances and transactions that committed late.
const ENROLL_OVERLAP: i64 = 3600;

impl Scheduler {
    pub fn new(state: AppState) -> Self {
        Scheduler {
            state,
            owner: format!("sched-{}", uuid::Uuid::new_v4().simple()),
            policy: Policy::default(),
            batch: 500,
            max_batches: 20,
            lease: Duration::seconds(60),
            enrolled_at: Mutex::new(None),
        }
    }

    pub fn with_policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// One pass at time `now`.
    pub async fn tick(&self, now: DateTime<Utc>) -> Result<TickReport, sqlx::Error> {
        let mut report = TickReport::default();
        let now_s = stamp(now);
        let mut c = self.state.db.acquire().await?;
        let since = self.enrolled_at.lock().unwrap_or_else(|e| e.into_inner()).map(|t| stamp(t - Duration::seconds(ENROLL_OVERLAP)));
        report.enrolled = sstore::enroll(&mut c, since.as_deref(), &now_s).await?;
        *self.enrolled_at.lock().unwrap_or_else(|e| e.into_inner()) = Some(now);
        report.resumed = sstore::resume_recovered(&mut c, &now_s).await?;
        for f in sstore::finished_jobs(&mut c, 5000).await? {
            if self.apply_outcome(&mut c, &f, now).await? {
                report.outcomes += 1;
            }
        }
        drop(c);
        let mut per_day: HashMap<String, u8> = HashMap::new();
        for _ in 0..self.max_batches.max(1) {
            let claimed = self.claim(now).await?;
            report.claimed += claimed.len();
            for row in &claimed {
                let n = match per_day.get(&row.app_id) {
                    Some(n) => *n,
                    None => {
                        let mut c = self.state.db.acquire().await?;
                        let n = super::settings::per_day(&mut c, &self.state.config, &row.app_id).await?;
                        per_day.insert(row.app_id.clone(), n);
                        n
                    }
                };
                match self.act(row, n, now).await? {
                    Some(job) => report.queued.push((row.connection_id.clone(), job)),
                    None => report.waited += 1,
                }
            }
            if (claimed.len() as i64) < self.batch {
                break;
            }
        }
        if !report.queued.is_empty() {
            jobs::kick(&self.state);
        }
        Ok(report)
    }

    async fn claim(&self, now: DateTime<Utc>) -> Result<Vec<Claimed>, sqlx::Error> {
        let postgres = !db::is_sqlite(&self.state.db);
        let mut tx = db::begin_write(&self.state.db).await?;
        let rows = sstore::claim(&mut tx, postgres, &self.owner, &stamp(now + self.lease), &stamp(now), self.batch).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// Decides about one claimed schedule and carries it out; the queued job's id, if any.
    async fn act(&self, row: &Claimed, per_day: u8, now: DateTime<Utc>) -> Result<Option<String>, sqlx::Error> {
        let mut c = self.state.db.acquire().await?;
        let conn_row = store::connections::get_by_id(&mut c, &row.connection_id).await?;
        let facts = match &conn_row {
            Some(cr) => Some(ConnectionFacts {
                status: Status::parse(&cr.status),
                last_refreshed: cr.last_refreshed.as_deref().and_then(parse_stamp),
                has_active_job: store::jobs::active_for_connection(&mut c, &cr.id).await?.is_some(),
            }),
            None => None,
        };
        drop(c);
        let due = Due {
            now,
            per_day,
            hash: plan::jitter_hash(&row.connection_id),
            due_at: parse_stamp(&row.due_at).unwrap_or(now),
            last_run_at: row.last_run_at.as_deref().and_then(parse_stamp),
            failing_since: row.failing_since.as_deref().and_then(parse_stamp),
            replan: row.replan != 0,
            connection: facts,
        };
        let decision = plan::decide(&due, &self.policy);
        let mut tx = db::begin_write(&self.state.db).await?;
        let queued = match (decision, conn_row) {
            (Decision::Forget, _) | (_, None) => {
                sstore::forget(&mut tx, &row.connection_id, &self.owner).await?;
                None
            }
            (Decision::Off, _) => {
                sstore::release(&mut tx, &row.connection_id, &self.owner, None, None, None).await?;
                None
            }
            (Decision::Wait { due, shown, reason }, _) => {
                tracing::debug!(connection = %row.connection_id, ?reason, due = %stamp(due), "scheduled refresh waits");
                let shown = shown.map(stamp);
                sstore::release(&mut tx, &row.connection_id, &self.owner, Some(&stamp(due)), shown.as_deref(), None).await?;
                None
            }
            (Decision::Refresh { next_due }, Some(cr)) => {
                // A user refresh may have started since we looked: never two jobs at once.
                let next = stamp(next_due);
                match connections::one_job(&mut tx, &self.state, &cr.id, Trigger::Scheduled).await? {
                    OneJob::Queued(job) => {
                        if sstore::release(&mut tx, &cr.id, &self.owner, Some(&next), Some(&next), Some((&job.id, &stamp(now)))).await? {
                            tracing::info!(connection = %cr.id, job = %job.id, next = %next, "scheduled refresh queued");
                            Some(job.id)
                        } else {
                            // Our lease ran out and another instance owns the row: let it decide.
                            drop(tx);
                            return Ok(None);
                        }
                    }
                    OneJob::Gone | OneJob::Running(_) | OneJob::Refused(_) => {
                        sstore::release(&mut tx, &cr.id, &self.owner, Some(&next), Some(&next), None).await?;
                        None
                    }
                }
            }
        };
        tx.commit().await?;
        Ok(queued)
    }

    /// Applies a finished scheduled job's outcome: back to normal slots, or backoff.
    async fn apply_outcome(&self, c: &mut sqlx::AnyConnection, f: &Finished, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
        let outcome = match (&f.state, &f.steps) {
            (None, _) => Outcome::Gone,
            (Some(s), _) if s == "success" => Outcome::Success,
            (_, steps) => Outcome::Failed(failure_code(steps.as_deref()).unwrap_or_default()),
        };
        let finished = f.updated.as_deref().and_then(parse_stamp).unwrap_or(now);
        let since = f.failing_since.as_deref().and_then(parse_stamp);
        let after = plan::after_job(&outcome, since, finished, &self.policy);
        let (at, since_s, now_s) = match after {
            AfterJob::Retry { at, since } => (stamp(at), stamp(since), stamp(now)),
            _ => (String::new(), String::new(), stamp(now)),
        };
        let applied = match after {
            AfterJob::Settled => Applied::Settled,
            AfterJob::Retry { .. } => Applied::Retry { at: &at, since: &since_s },
            AfterJob::GiveUp => Applied::GiveUp { now: &now_s },
        };
        if matches!(after, AfterJob::GiveUp) {
            tracing::warn!(connection = %f.connection_id, "institution unavailable for a week: scheduled refresh stops until the connection is refreshed");
        }
        sstore::apply_outcome(c, &f.connection_id, &f.job_id, applied).await
    }

    /// Runs ticks on the state's clock every `every` until the handle is dropped. A
    /// tick that had a full backlog is followed at once by the next.
    pub fn spawn(self, every: StdDuration) -> SchedulerHandle {
        let task = tokio::spawn(async move {
            loop {
                let now = self.state.clock.now();
                let busy = match self.tick(now).await {
                    Ok(r) => {
                        if r.claimed > 0 || r.outcomes > 0 {
                            tracing::debug!(claimed = r.claimed, queued = r.queued.len(), outcomes = r.outcomes, "scheduler tick");
                        }
                        r.claimed as i64 >= self.batch * self.max_batches as i64
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "scheduler tick failed");
                        false
                    }
                };
                if !busy {
                    tokio::time::sleep(every).await;
                }
            }
        });
        SchedulerHandle { task }
    }
}

/// The code of the failed step's result, e.g. `service-unavailable`.
fn failure_code(steps: Option<&str>) -> Option<String> {
    let steps = crate::jobs::machine::Steps::from_json(steps?).ok()?;
    let failed = steps.0.iter().find(|s| s.status == tally_api::StepStatus::Failed)?;
    match failed.outcome() {
        tally_api::StepResult::Failed(f) if !f.code.is_empty() => Some(f.code),
        _ => None,
    }
}

/// The running scheduler; dropping it stops it (claims in flight run out their lease).
pub struct SchedulerHandle {
    task: tokio::task::JoinHandle<()>,
}

impl SchedulerHandle {
    pub fn abort(&self) {
        self.task.abort();
    }
}

impl Drop for SchedulerHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::failure_code;

    #[test]
    fn reads_the_failed_steps_code() {
        let steps = r#"[{"title":"verify-credentials","status":"failed","result":{"code":"service-unavailable"}},{"title":"retrieve-accounts","status":"pending"}]"#;
        assert_eq!(failure_code(Some(steps)).as_deref(), Some("service-unavailable"));
        assert_eq!(failure_code(Some("not json")), None);
        assert_eq!(failure_code(None), None);
    }
}
