//! Elapsed time per step, measured by the widget: the server reports statuses, not
//! durations, so we note when each step was first seen running and when it ended.

use super::steps::{StepTitle, StepRow, StepStatus};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepClock {
    entries: Vec<(StepTitle, f64, Option<f64>)>,
}

impl StepClock {
    /// Records the rows seen at `now_ms`.
    pub fn observe(&mut self, rows: &[StepRow], now_ms: f64) {
        for r in rows {
            let entry = self.entries.iter_mut().find(|e| e.0 == r.kind);
            match (r.status, entry) {
                (StepStatus::Pending, _) => {}
                (StepStatus::InProgress, None) => self.entries.push((r.kind.clone(), now_ms, None)),
                (StepStatus::Done | StepStatus::Failed, None) => self.entries.push((r.kind.clone(), now_ms, Some(now_ms))),
                (StepStatus::Done | StepStatus::Failed, Some(e)) if e.2.is_none() => e.2 = Some(now_ms),
                _ => {}
            }
        }
    }

    /// Seconds the step has run (so far, or in total once ended).
    pub fn elapsed_s(&self, kind: &StepTitle, now_ms: f64) -> Option<f64> {
        let (_, start, end) = self.entries.iter().find(|e| &e.0 == kind)?;
        Some(((end.unwrap_or(now_ms) - start) / 1000.0).max(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::steps::StepResult;

    fn row(kind: StepTitle, status: StepStatus) -> StepRow {
        StepRow { kind, status, result: StepResult::None }
    }

    #[test]
    fn a_step_runs_from_first_seen_in_progress_until_it_ends() {
        let mut c = StepClock::default();
        c.observe(&[row(StepTitle::VerifyCredentials, StepStatus::Pending)], 0.0);
        assert_eq!(c.elapsed_s(&StepTitle::VerifyCredentials, 100.0), None);
        c.observe(&[row(StepTitle::VerifyCredentials, StepStatus::InProgress)], 1000.0);
        assert_eq!(c.elapsed_s(&StepTitle::VerifyCredentials, 2500.0), Some(1.5));
        c.observe(&[row(StepTitle::VerifyCredentials, StepStatus::Done)], 3000.0);
        c.observe(&[row(StepTitle::VerifyCredentials, StepStatus::Done)], 9000.0);
        assert_eq!(c.elapsed_s(&StepTitle::VerifyCredentials, 10_000.0), Some(2.0));
    }
}
