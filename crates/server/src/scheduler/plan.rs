//! The schedule, pure: when each connection is due, what to do with a due one, and what
//! a finished scheduled job means for the next attempt. No I/O and no clock: every
//! function takes `now`, so the rules are tested natively and the runner only does SQL.
//!
//! The day (UTC) is cut into `per_day` equal slots. A connection refreshes once per
//! slot, at a fixed offset inside it taken from a hash of its id, so connections made
//! together (same second, same batch) still spread over the whole slot instead of
//! hitting the bank at once. 86 400 is divisible by 1..=5, so slots line up with
//! midnight every day and the offset never drifts.

use chrono::{DateTime, Duration, TimeZone, Utc};

/// The most refreshes a day an application may ask for (the contract's "up to 5").
pub const MAX_PER_DAY: u8 = 5;
/// What an application gets until it says otherwise.
pub const DEFAULT_PER_DAY: u8 = 5;
const DAY_SECS: i64 = 86_400;

/// The tunable parts of the rules; [`Policy::default`] is what the contract asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// After `service-unavailable`, try again this long after the failure.
    pub retry_every: Duration,
    /// Stop retrying a connection that has failed this long without a success.
    pub give_up_after: Duration,
    /// A connection found due later than this was missed (downtime, backlog): it is
    /// re-spread over the next slot rather than refreshed at once with all the others.
    pub catch_up_grace: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy { retry_every: Duration::hours(2), give_up_after: Duration::days(7), catch_up_grace: Duration::minutes(15) }
    }
}

/// Length of one slot, or `None` when scheduled refresh is off (0 a day).
pub fn slot_len(per_day: u8) -> Option<Duration> {
    (1..=MAX_PER_DAY).contains(&per_day).then(|| Duration::seconds(DAY_SECS / i64::from(per_day)))
}

/// A stable 64-bit hash of a connection id (FNV-1a): the same on every instance and
/// across restarts and versions, unlike `std`'s randomly seeded hasher.
pub fn jitter_hash(connection_id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in connection_id.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // FNV's low bits mix poorly for short keys; fold the high half in.
    h ^ (h >> 29)
}

/// The connection's offset inside a slot, in whole seconds.
fn offset_secs(per_day: u8, hash: u64) -> Option<i64> {
    let len = slot_len(per_day)?.num_seconds();
    Some((hash % len as u64) as i64)
}

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0).single().unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The first due time strictly after `t`; `None` when refresh is off.
pub fn next_due_after(t: DateTime<Utc>, per_day: u8, hash: u64) -> Option<DateTime<Utc>> {
    let len = slot_len(per_day)?.num_seconds();
    let off = offset_secs(per_day, hash)?;
    // Due times are off + k·len; take the smallest k with a due time > t.
    let k = (t.timestamp() - off).div_euclid(len) + 1;
    Some(at(off + k * len))
}

/// The latest due time at or before `t`: the slot `t` is being served for.
pub fn last_due_at_or_before(t: DateTime<Utc>, per_day: u8, hash: u64) -> Option<DateTime<Utc>> {
    let len = slot_len(per_day)?.num_seconds();
    let off = offset_secs(per_day, hash)?;
    let k = (t.timestamp() - off).div_euclid(len);
    Some(at(off + k * len))
}

/// Where a missed connection goes: somewhere in the slot starting now, by the same
/// hash, so a crowd of missed connections comes back spread out, not in one burst.
pub fn catch_up_at(now: DateTime<Utc>, per_day: u8, hash: u64) -> Option<DateTime<Utc>> {
    Some(now + Duration::seconds(offset_secs(per_day, hash)?))
}

/// The connection's state as far as the scheduler cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    /// Wrong credentials: nothing to do until the user updates them.
    Invalid,
    /// Not verified yet (first job or a credentials update still running or failed).
    Other,
}

impl Status {
    pub fn parse(s: &str) -> Self {
        match tally_api::ConnectionStatus::parse(s) {
            tally_api::ConnectionStatus::Active => Status::Active,
            tally_api::ConnectionStatus::Invalid => Status::Invalid,
            _ => Status::Other,
        }
    }
}

/// The connection behind a due schedule, as read when it came due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionFacts {
    pub status: Status,
    pub last_refreshed: Option<DateTime<Utc>>,
    /// A job (the user's or an earlier scheduled one) is queued, running or waiting
    /// for MFA.
    pub has_active_job: bool,
}

/// Everything [`decide`] looks at for one due schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub now: DateTime<Utc>,
    pub per_day: u8,
    pub hash: u64,
    pub due_at: DateTime<Utc>,
    /// When the scheduler last queued a job for it.
    pub last_run_at: Option<DateTime<Utc>>,
    /// Set while retrying after `service-unavailable`.
    pub failing_since: Option<DateTime<Utc>>,
    /// The due time is a placeholder (new connection, or the application changed its
    /// refreshes a day): compute the real one, refresh nothing.
    pub replan: bool,
    /// `None`: the connection was deleted.
    pub connection: Option<ConnectionFacts>,
}

/// Why a due connection is not refreshed now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitReason {
    Replanned,
    CatchUp,
    Invalid,
    NotActive,
    JobRunning,
    /// Refreshed (by the user, or by us) since this slot's due time already.
    AlreadyFresh,
}

/// What to do with a due schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The connection is gone: drop its schedule.
    Forget,
    /// Scheduled refresh is off for the application: no due time.
    Off,
    /// Do nothing now; come back at `due`. `shown` is what the connection's
    /// `nextScheduledRefresh` says (none for an invalid connection: it will not refresh).
    Wait { due: DateTime<Utc>, shown: Option<DateTime<Utc>>, reason: WaitReason },
    /// Queue a scheduled job now; the next slot's due time follows.
    Refresh { next_due: DateTime<Utc> },
}

/// Decides what a due schedule leads to.
pub fn decide(d: &Due, policy: &Policy) -> Decision {
    let Some(c) = d.connection else { return Decision::Forget };
    let Some(next) = next_due_after(d.now, d.per_day, d.hash) else { return Decision::Off };
    let wait = |due: DateTime<Utc>, reason| Decision::Wait { due, shown: Some(due), reason };
    if d.replan {
        return wait(next, WaitReason::Replanned);
    }
    if d.now - d.due_at > policy.catch_up_grace {
        let due = catch_up_at(d.now, d.per_day, d.hash).unwrap_or(next);
        return wait(due, WaitReason::CatchUp);
    }
    match c.status {
        Status::Invalid => return Decision::Wait { due: next, shown: None, reason: WaitReason::Invalid },
        Status::Other => return wait(next, WaitReason::NotActive),
        Status::Active => {}
    }
    if c.has_active_job {
        return wait(next, WaitReason::JobRunning);
    }
    if d.failing_since.is_none() {
        // Served already this slot? (A user refresh counts: the data is fresh.)
        let slot_due = last_due_at_or_before(d.now, d.per_day, d.hash).unwrap_or(d.due_at);
        let fresh = |t: Option<DateTime<Utc>>| t.is_some_and(|t| t >= slot_due);
        if fresh(c.last_refreshed) || fresh(d.last_run_at) {
            return wait(next, WaitReason::AlreadyFresh);
        }
    }
    // The next refresh is at least half a slot away: after a late (caught-up) refresh,
    // the regular due time right behind it is skipped instead of refreshing twice.
    let half = slot_len(d.per_day).map(|l| l / 2).unwrap_or_default();
    let next_due = next_due_after(d.now + half, d.per_day, d.hash).unwrap_or(next);
    Decision::Refresh { next_due }
}

/// How a scheduled job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// Failed with this step result code (`service-unavailable`, `invalid-credentials`, …).
    Failed(String),
    /// The job disappeared (its connection was deleted).
    Gone,
}

/// What a finished scheduled job changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterJob {
    /// Back to (or still on) the normal slots; any backoff is over.
    Settled,
    /// The bank was unavailable: retry at `at`, failing since `since`.
    Retry { at: DateTime<Utc>, since: DateTime<Utc> },
    /// Unavailable for longer than the policy allows: stop until the connection is
    /// refreshed some other way (the user refreshes it or updates its credentials).
    GiveUp,
}

/// The backoff rule: after `service-unavailable`, retry every `retry_every` from the
/// failure; when the first failure is `give_up_after` old, give up.
pub fn after_job(outcome: &Outcome, failing_since: Option<DateTime<Utc>>, finished: DateTime<Utc>, policy: &Policy) -> AfterJob {
    match outcome {
        Outcome::Failed(code) if code == "service-unavailable" => {
            let since = failing_since.unwrap_or(finished);
            if finished - since >= policy.give_up_after {
                AfterJob::GiveUp
            } else {
                AfterJob::Retry { at: finished + policy.retry_every, since }
            }
        }
        _ => AfterJob::Settled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn active() -> ConnectionFacts {
        ConnectionFacts { status: Status::Active, last_refreshed: None, has_active_job: false }
    }

    fn due(now: &str, due_at: &str) -> Due {
        Due {
            now: t(now),
            per_day: 5,
            hash: jitter_hash("c1"),
            due_at: t(due_at),
            last_run_at: None,
            failing_since: None,
            replan: false,
            connection: Some(active()),
        }
    }

    #[test]
    fn slots_divide_the_day_and_zero_is_off() {
        assert_eq!(slot_len(5), Some(Duration::seconds(17_280)));
        assert_eq!(slot_len(1), Some(Duration::days(1)));
        assert_eq!(slot_len(0), None);
        assert_eq!(slot_len(6), None);
        assert_eq!(next_due_after(t("2024-06-14T00:00:00Z"), 0, 7), None);
    }

    #[test]
    fn a_connection_is_due_once_per_slot_at_its_own_offset() {
        for per_day in 1..=5u8 {
            let h = jitter_hash("some-connection");
            let mut now = t("2024-06-14T00:00:00Z");
            let mut dues = Vec::new();
            while now < t("2024-06-17T00:00:00Z") {
                let d = next_due_after(now, per_day, h).unwrap();
                assert!(d > now);
                dues.push(d);
                now = d;
            }
            // Three days: exactly per_day a day (the last may spill past the end).
            let inside = dues.iter().filter(|d| **d < t("2024-06-17T00:00:00Z")).count();
            assert_eq!(inside, 3 * per_day as usize, "per_day={per_day}");
            let len = slot_len(per_day).unwrap();
            assert!(dues.windows(2).all(|w| w[1] - w[0] == len));
        }
    }

    #[test]
    fn next_and_last_due_bracket_any_time() {
        let h = jitter_hash("x");
        let now = t("2024-06-14T13:37:11Z");
        let last = last_due_at_or_before(now, 3, h).unwrap();
        let next = next_due_after(now, 3, h).unwrap();
        assert!(last <= now && now < next);
        assert_eq!(next - last, Duration::hours(8));
        // At exactly a due time, it is the last one, and the next is a slot later.
        assert_eq!(last_due_at_or_before(last, 3, h), Some(last));
        assert_eq!(next_due_after(last, 3, h), Some(next));
    }

    #[test]
    fn connections_made_together_spread_over_the_slot() {
        let now = t("2024-06-14T09:30:00Z");
        let len = slot_len(5).unwrap().num_seconds();
        let mut buckets = [0usize; 10];
        for i in 0..2000 {
            let d = next_due_after(now, 5, jitter_hash(&format!("{:032x}", i * 7919))).unwrap();
            let off = (d - now).num_seconds();
            assert!((1..=len).contains(&off));
            buckets[((off - 1) * 10 / len) as usize] += 1;
        }
        // Evenly: each tenth of the slot gets 200 ± 30%.
        assert!(buckets.iter().all(|b| (140..=260).contains(b)), "{buckets:?}");
    }

    #[test]
    fn refreshes_when_due_and_schedules_the_next_slot() {
        let d = due("2024-06-14T10:00:00Z", "2024-06-14T09:59:00Z");
        let at = next_due_after(d.now, 5, d.hash).unwrap();
        // Found a few minutes after its due time (ticks are coarse): still this slot.
        let d = Due { now: at + Duration::minutes(3), due_at: at, ..d };
        assert_eq!(decide(&d, &Policy::default()), Decision::Refresh { next_due: at + slot_len(5).unwrap() });
    }

    #[test]
    fn refreshes_are_at_least_half_a_slot_apart() {
        let len = slot_len(5).unwrap();
        for i in 0..200 {
            let d = Due { hash: jitter_hash(&format!("c{i}")), ..due("2024-06-14T10:00:00Z", "2024-06-14T09:59:00Z") };
            let Decision::Refresh { next_due } = decide(&d, &Policy::default()) else { panic!() };
            assert!(next_due - d.now >= len / 2 && next_due - d.now <= len + len / 2, "{}", next_due - d.now);
        }
    }

    #[test]
    fn deleted_connections_are_forgotten_and_zero_a_day_is_off() {
        let d = Due { connection: None, ..due("2024-06-14T10:00:00Z", "2024-06-14T10:00:00Z") };
        assert_eq!(decide(&d, &Policy::default()), Decision::Forget);
        let d = Due { per_day: 0, ..due("2024-06-14T10:00:00Z", "2024-06-14T10:00:00Z") };
        assert_eq!(decide(&d, &Policy::default()), Decision::Off);
    }

    #[test]
    fn replanning_only_computes_the_due_time() {
        let d = Due { replan: true, ..due("2024-06-14T10:00:00Z", "2024-06-14T10:00:00Z") };
        assert!(matches!(decide(&d, &Policy::default()), Decision::Wait { reason: WaitReason::Replanned, .. }));
    }

    #[test]
    fn invalid_pending_and_busy_connections_wait_for_the_next_slot() {
        let base = due("2024-06-14T10:00:00Z", "2024-06-14T10:00:00Z");
        let next = next_due_after(base.now, 5, base.hash).unwrap();
        let with = |c: ConnectionFacts| decide(&Due { connection: Some(c), ..base }, &Policy::default());
        assert_eq!(
            with(ConnectionFacts { status: Status::Invalid, ..active() }),
            Decision::Wait { due: next, shown: None, reason: WaitReason::Invalid }
        );
        assert!(matches!(with(ConnectionFacts { status: Status::Other, ..active() }), Decision::Wait { reason: WaitReason::NotActive, .. }));
        assert!(matches!(with(ConnectionFacts { has_active_job: true, ..active() }), Decision::Wait { reason: WaitReason::JobRunning, .. }));
    }

    #[test]
    fn a_refresh_within_the_slot_counts() {
        let base = due("2024-06-14T10:00:00Z", "2024-06-14T10:00:00Z");
        let slot_due = last_due_at_or_before(base.now, 5, base.hash).unwrap();
        let user = Due { connection: Some(ConnectionFacts { last_refreshed: Some(slot_due), ..active() }), ..base };
        assert!(matches!(decide(&user, &Policy::default()), Decision::Wait { reason: WaitReason::AlreadyFresh, .. }));
        let older = Due { last_run_at: Some(slot_due - Duration::seconds(1)), ..base };
        assert!(matches!(decide(&older, &Policy::default()), Decision::Refresh { .. }));
        // A retry after service-unavailable runs whatever the slot says.
        let retry = Due { failing_since: Some(base.now), ..user };
        assert!(matches!(decide(&retry, &Policy::default()), Decision::Refresh { .. }));
    }

    #[test]
    fn missed_connections_are_spread_over_the_next_slot() {
        let now = t("2024-06-16T12:00:00Z");
        let len = slot_len(5).unwrap();
        let mut dues = Vec::new();
        for i in 0..500 {
            let d = Due { hash: jitter_hash(&format!("conn-{i}")), ..due("2024-06-16T12:00:00Z", "2024-06-14T10:00:00Z") };
            match decide(&d, &Policy::default()) {
                Decision::Wait { due, reason: WaitReason::CatchUp, .. } => dues.push(due),
                other => panic!("{other:?}"),
            }
        }
        assert!(dues.iter().all(|d| *d >= now && *d < now + len));
        let first_hour = dues.iter().filter(|d| **d < now + Duration::hours(1)).count();
        assert!(first_hour < 150, "{first_hour} of 500 in the first hour of 4.8");
        // Slightly late (a slow tick) is not "missed".
        let d = due("2024-06-14T10:10:00Z", "2024-06-14T10:00:00Z");
        assert!(matches!(decide(&d, &Policy::default()), Decision::Refresh { .. }));
    }

    #[test]
    fn a_custom_grace_changes_what_counts_as_missed() {
        let p = Policy { catch_up_grace: Duration::minutes(1), ..Policy::default() };
        let d = due("2024-06-14T10:10:00Z", "2024-06-14T10:00:00Z");
        assert!(matches!(decide(&d, &p), Decision::Wait { reason: WaitReason::CatchUp, .. }));
        let d = due("2024-06-14T10:00:30Z", "2024-06-14T10:00:00Z");
        assert!(matches!(decide(&d, &p), Decision::Refresh { .. }));
    }

    #[test]
    fn service_unavailable_retries_every_two_hours_then_gives_up_after_a_week() {
        let p = Policy::default();
        let down = Outcome::Failed("service-unavailable".into());
        let f0 = t("2024-06-14T10:00:00Z");
        assert_eq!(after_job(&down, None, f0, &p), AfterJob::Retry { at: f0 + Duration::hours(2), since: f0 });
        let f1 = f0 + Duration::days(3);
        assert_eq!(after_job(&down, Some(f0), f1, &p), AfterJob::Retry { at: f1 + Duration::hours(2), since: f0 });
        assert_eq!(after_job(&down, Some(f0), f0 + Duration::days(7), &p), AfterJob::GiveUp);
        // Success or any other failure ends the backoff.
        assert_eq!(after_job(&Outcome::Success, Some(f0), f1, &p), AfterJob::Settled);
        assert_eq!(after_job(&Outcome::Failed("invalid-credentials".into()), Some(f0), f1, &p), AfterJob::Settled);
        assert_eq!(after_job(&Outcome::Gone, None, f1, &p), AfterJob::Settled);
    }
}
