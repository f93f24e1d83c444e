//! Following a job over the network: a stream of its states as steps change
//! (server-sent events), and waiting for a given step with a deadline.

use std::pin::pin;
use std::time::Duration;

use futures_util::future::{select, Either};
use futures_util::{Stream, StreamExt};

use super::endpoints;
use super::error::Error;
use super::jobs::{job_event, progress, Progress};
use crate::StepTitle;
use super::transport::Transport;
use super::Client;
use crate::Job;

/// How often [`Client::wait_for_step`] polls when the event stream is unavailable.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

enum Feed<E> {
    Start,
    Open(E),
    Done,
}

impl<T: Transport> Client<T> {
    async fn open_events(&self, job_id: &str) -> Result<T::Events, Error> {
        let url = format!("{}{}", self.base_url(), endpoints::job_events_path(job_id));
        let token = self.access_token().await?;
        match self.transport().events(url.clone(), token).await {
            Err(e) if e.is_stale_token() => {
                self.forget_token();
                let token = self.access_token().await?;
                self.transport().events(url, token).await
            }
            other => other,
        }
    }

    /// The job each time one of its steps changes (`GET /jobs/{id}/events`), starting
    /// with its current state; the stream ends after the job finishes. A job deleted
    /// meanwhile ends it with a `resource-not-found` error; a broken connection with a
    /// `network-error` (poll [`Client::job`] to carry on).
    pub fn job_updates(&self, job_id: &str) -> impl Stream<Item = Result<Job, Error>> {
        let state = (self.clone(), job_id.to_string(), Feed::Start);
        futures_util::stream::unfold(state, |(client, id, feed)| async move {
            let mut events = match feed {
                Feed::Done => return None,
                Feed::Open(events) => events,
                Feed::Start => match client.open_events(&id).await {
                    Ok(events) => events,
                    Err(e) => return Some((Err(e), (client, id, Feed::Done))),
                },
            };
            loop {
                let ev = match events.next().await {
                    None => return None,
                    Some(Err(e)) => return Some((Err(e), (client, id, Feed::Done))),
                    Some(Ok(ev)) => ev,
                };
                match job_event(&ev) {
                    Some(Ok(job)) => {
                        let next = if job.is_finished() { Feed::Done } else { Feed::Open(events) };
                        return Some((Ok(job), (client, id, next)));
                    }
                    Some(Err(e)) => return Some((Err(e), (client, id, Feed::Done))),
                    None => continue,
                }
            }
        })
    }

    /// Waits until `step` of the job succeeds and returns the job as it was then.
    ///
    /// Fails with the step's own error object (`kind` [`JobFailed`], e.g. code
    /// `invalid-credentials`) when a step fails, with [`MfaRequired`] when the
    /// institution asks for a one-time code or an answer (answer with
    /// [`Client::answer_mfa`], then wait again), and with a `timeout` error after
    /// `timeout`. Follows the event stream, and polls `GET /jobs/{id}` if the stream is
    /// unavailable or breaks.
    ///
    /// [`JobFailed`]: super::ErrorKind::JobFailed
    /// [`MfaRequired`]: super::ErrorKind::MfaRequired
    pub async fn wait_for_step(&self, job_id: &str, step: StepTitle, timeout: Duration) -> Result<Job, Error> {
        let deadline = self.transport().now_ms().saturating_add(timeout.as_millis() as u64);
        let remaining = |c: &Self| Duration::from_millis(deadline.saturating_sub(c.transport().now_ms()));
        let timed_out = || Error::timeout(format!("Job '{job_id}' did not reach '{}' within {:.1} s.", step.as_str(), timeout.as_secs_f64()));
        {
            let mut updates = pin!(self.job_updates(job_id));
            loop {
                let left = remaining(self);
                if left.is_zero() {
                    return Err(timed_out());
                }
                match select(updates.next(), pin!(self.transport().sleep(left))).await {
                    Either::Left((Some(Ok(job)), _)) => {
                        if let Some(done) = self.settle(job, &step) {
                            return done;
                        }
                    }
                    // The stream ended or broke (or this server has none): poll instead.
                    Either::Left(_) => break,
                    Either::Right(_) => return Err(timed_out()),
                }
            }
        }
        loop {
            // The deadline bounds each poll too: a server that stops answering must
            // not stretch a 5 s wait into forever.
            let job = match select(pin!(self.job(job_id)), pin!(self.transport().sleep(remaining(self)))).await {
                Either::Left((job, _)) => job?,
                Either::Right(_) => return Err(timed_out()),
            };
            if let Some(done) = self.settle(job, &step) {
                return done;
            }
            let left = remaining(self);
            if left.is_zero() {
                return Err(timed_out());
            }
            self.transport().sleep(left.min(POLL_INTERVAL)).await;
        }
    }
}

impl<T: Transport> Client<T> {
    /// The outcome of a wait once the job says so; `None` while it is still running.
    fn settle(&self, job: Job, step: &StepTitle) -> Option<Result<Job, Error>> {
        match progress(&job, step) {
            Progress::Waiting => None,
            Progress::NeedsMfa if self.answered_already(&job) => None,
            Progress::Reached => Some(Ok(job)),
            Progress::Failed(e) => Some(Err(e)),
            Progress::NeedsMfa => Some(Err(Error::mfa_required(&job))),
        }
    }
}
