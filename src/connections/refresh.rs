//! A refresh run ("Refresh all", or one connection): which job belongs to which
//! connection, how each ended, and when the whole run is over.

use tally_api::Job;

use crate::job::steps::connection_id;

#[derive(Debug, Clone, PartialEq)]
pub struct RunJob {
    pub job_id: String,
    /// From the job's `links.source`; a job without one is still shown, unassigned.
    pub connection_id: Option<String>,
    /// `Some(true)` succeeded, `Some(false)` failed or was lost, `None` still running.
    pub ok: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RefreshRun {
    pub jobs: Vec<RunJob>,
}

impl RefreshRun {
    /// A run of `jobs`. `fallback` names the connection when a single refresh's job
    /// doesn't say which it is.
    pub fn new(jobs: &[Job], fallback: Option<&str>) -> Self {
        let jobs = jobs
            .iter()
            .map(|j| RunJob {
                job_id: j.id.clone(),
                connection_id: connection_id(j).or_else(|| fallback.map(str::to_string)),
                ok: None,
            })
            .collect();
        RefreshRun { jobs }
    }

    /// Adds a single refresh to a run that may be going already.
    pub fn add(&mut self, job: &Job, connection: &str) {
        self.jobs.retain(|j| j.connection_id.as_deref() != Some(connection));
        self.jobs.push(RunJob { job_id: job.id.clone(), connection_id: Some(connection.to_string()), ok: None });
    }

    /// The job refreshing `connection`, if any.
    pub fn job_for(&self, connection: &str) -> Option<&RunJob> {
        self.jobs.iter().find(|j| j.connection_id.as_deref() == Some(connection))
    }

    /// True while `connection`'s job in this run has not ended (an ended job stays
    /// listed, so `job_for` alone can't tell).
    pub fn is_refreshing(&self, connection: &str) -> bool {
        self.job_for(connection).is_some_and(|j| j.ok.is_none())
    }

    /// Records how `job_id` ended.
    pub fn finish(&mut self, job_id: &str, ok: bool) {
        if let Some(j) = self.jobs.iter_mut().find(|j| j.job_id == job_id) {
            j.ok = Some(ok);
        }
    }

    /// `(succeeded, failed)` once every job has ended.
    pub fn summary(&self) -> Option<(usize, usize)> {
        if self.jobs.is_empty() || self.jobs.iter().any(|j| j.ok.is_none()) {
            return None;
        }
        let ok = self.jobs.iter().filter(|j| j.ok == Some(true)).count();
        Some((ok, self.jobs.len() - ok))
    }

    pub fn is_running(&self) -> bool {
        self.jobs.iter().any(|j| j.ok.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: &str, source: Option<&str>) -> Job {
        serde_json::from_value(serde_json::json!({"type":"job","id":id,"steps":[],"links":{"source":source}})).unwrap()
    }

    #[test]
    fn jobs_are_matched_to_connections_and_summed_up_when_all_end() {
        let mut run = RefreshRun::new(&[job("j1", Some("/users/u/connections/c1")), job("j2", Some("/users/u/connections/c2")), job("j3", None)], None);
        assert_eq!(run.job_for("c2").map(|j| j.job_id.as_str()), Some("j2"));
        assert!(run.is_refreshing("c2"));
        run.finish("j2", true);
        assert!(!run.is_refreshing("c2"), "an ended job no longer blocks refreshing");
        assert_eq!(run.job_for("c2").map(|j| j.job_id.as_str()), Some("j2"), "its steps stay on the row");
        assert!(!run.is_refreshing("c-unknown"));
        assert_eq!(run.jobs[2].connection_id, None);
        run.finish("j1", true);
        run.finish("j2", false);
        assert_eq!(run.summary(), None);
        assert!(run.is_running());
        run.finish("j3", true);
        assert_eq!(run.summary(), Some((2, 1)));
    }

    #[test]
    fn a_single_refresh_replaces_the_previous_job_of_its_connection() {
        let mut run = RefreshRun::new(&[job("j1", None)], Some("c1"));
        run.finish("j1", true);
        run.add(&job("j9", None), "c1");
        assert_eq!(run.jobs.len(), 1);
        assert_eq!(run.summary(), None);
    }
}
