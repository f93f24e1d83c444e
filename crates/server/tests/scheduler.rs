//! The scheduler end to end: the real app and job worker, a simulated clock driven
//! through days in seconds by calling `Scheduler::tick` directly, on SQLite or (with
//! TALLY_TEST_DATABASE_URL) PostgreSQL.

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use common::TestServer;
use serde_json::json;
use tally_server::connector::Credentials;
use tally_server::scheduler::plan::Policy;
use tally_server::scheduler::{Scheduler, TickReport};
use tally_server::store::schedules as sstore;
use tally_server::{clock, db, jobs, store, AppState, ManualClock};

fn t0() -> DateTime<Utc> {
    common::T0.parse().unwrap()
}

/// Waits (real time) until the worker has run every queued job.
async fn drain(state: &AppState) {
    let deadline = std::time::Instant::now() + StdDuration::from_secs(30);
    loop {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')").fetch_one(&state.db).await.unwrap();
        if n == 0 {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{n} jobs still unfinished");
        tokio::time::sleep(StdDuration::from_millis(5)).await;
    }
}

/// Ticks every `step` from the clock's time up to and including `until`, letting the
/// worker finish each tick's jobs before time moves on. Returns each tick's report.
async fn run_until(t: &TestServer, clock: &ManualClock, sched: &Scheduler, until: DateTime<Utc>, step: Duration) -> Vec<(DateTime<Utc>, TickReport)> {
    let mut reports = Vec::new();
    let mut now = clock::Clock::now(clock);
    while now <= until {
        clock.set(now);
        let r = sched.tick(now).await.expect("tick");
        if !r.queued.is_empty() {
            drain(&t.state).await;
        }
        reports.push((now, r));
        now += step;
    }
    clock.set(until);
    reports
}

/// Scheduled jobs per connection, with their creation times in order.
async fn scheduled(state: &AppState) -> HashMap<String, Vec<DateTime<Utc>>> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT connection_id, created FROM jobs WHERE job_trigger = 'scheduled' ORDER BY created")
        .fetch_all(&state.db)
        .await
        .unwrap();
    let mut by: HashMap<String, Vec<DateTime<Utc>>> = HashMap::new();
    for (c, at) in rows {
        by.entry(c).or_default().push(clock::parse_stamp(&at).unwrap());
    }
    by
}

fn count_in(times: &[DateTime<Utc>], from: DateTime<Utc>, to: DateTime<Utc>) -> usize {
    times.iter().filter(|t| **t >= from && **t < to).count()
}

/// `n` active Hooli connections of one new user: (API key, token, user, connection
/// ids). Tokens expire an hour into simulated time: get a new one with [`new_token`].
async fn connections(t: &TestServer, n: usize) -> (String, String, String, Vec<String>) {
    let (key, token) = t.server().await;
    let user = t.create_user(&token).await;
    let mut ids = Vec::new();
    for _ in 0..n {
        let job = t.connect(&token, &user, "AU00000", "gavinBelson", "hooli2016").await;
        let j = t.wait_job(&token, &job).await;
        assert!(common::succeeded(&j), "{j}");
        ids.push(j["links"]["source"].as_str().unwrap().rsplit('/').next().unwrap().to_string());
    }
    (key, token, user, ids)
}

async fn new_token(t: &TestServer, key: &str) -> String {
    t.server_token(key, "2.0").await
}

/// Makes the bank answer `service-unavailable` for this connection (its sandbox login
/// becomes jianYang's) or work again, without touching its status.
async fn set_login(state: &AppState, cid: &str, login: &str, password: &str) {
    let creds = Credentials { login_id: login.into(), password: password.into(), security_code: None, secondary_login_id: None };
    let sealed = state.keys.seal(&serde_json::to_vec(&creds).unwrap());
    sqlx::query("UPDATE connections SET credentials = $1 WHERE id = $2").bind(sealed).bind(cid).execute(&state.db).await.unwrap();
}

#[tokio::test]
async fn refreshes_every_connection_five_times_a_day_spread_out() {
    let t = common::start().await;
    let (key, _, user, ids) = connections(&t, 6).await;
    let sched = Scheduler::new(t.state.clone());
    let end = t0() + Duration::days(3);
    let reports = run_until(&t, &t.clock, &sched, end, Duration::minutes(10)).await;

    let by = scheduled(&t.state).await;
    for id in &ids {
        let times = by.get(id).map(Vec::as_slice).unwrap_or(&[]);
        assert_eq!(times.len(), 15, "connection {id}: {times:?}");
        // Evenly: one slot (4.8 h) apart, give or take a tick.
        for w in times.windows(2) {
            let gap = (w[1] - w[0]).num_minutes();
            assert!((278..=298).contains(&gap), "gap {gap} min in {times:?}");
        }
    }
    // Connections made together do not all refresh together.
    let busiest = reports.iter().map(|(_, r)| r.queued.len()).max().unwrap();
    assert!(busiest <= 3, "{busiest} of 6 refreshed in one tick");

    // Ordinary jobs: listed for the user, steps done, marked scheduled (in storage and JSON).
    let token = new_token(&t, &key).await;
    let (s, list) = t.get(&format!("/users/{user}/jobs?filter=connection.id.eq('{}')", ids[0]), &token).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list["data"].as_array().unwrap().len(), 16, "create + 15 scheduled");
    let newest = list["data"][0]["id"].as_str().unwrap();
    let (s, job) = t.get(&format!("/jobs/{newest}"), &token).await;
    assert_eq!(s, 200);
    assert!(common::succeeded(&job), "{job}");
    let trigger: String = sqlx::query_scalar("SELECT job_trigger FROM jobs WHERE id = $1").bind(newest).fetch_one(&t.state.db).await.unwrap();
    assert_eq!(trigger, "scheduled");
    assert_eq!(job["trigger"], "scheduled", "{job}");
    assert_eq!(list["data"].as_array().unwrap().last().unwrap()["trigger"], "user", "the create job");

    // The connection says when it was refreshed and when it will be next.
    let (s, c) = t.get(&format!("/users/{user}/connections/{}", ids[0]), &token).await;
    assert_eq!(s, 200, "{c}");
    let last = clock::parse_stamp(c["lastRefreshed"].as_str().expect("lastRefreshed")).unwrap();
    let next = clock::parse_stamp(c["nextScheduledRefresh"].as_str().expect("nextScheduledRefresh")).unwrap();
    assert!(last <= end && end - last < Duration::hours(5), "{c}");
    assert!(next > end && next - end <= Duration::hours(5), "{c}");
}

#[tokio::test]
async fn resumes_after_a_restart_and_catches_up_spread_out_after_downtime() {
    let t = common::start().await;
    let (_, _, _, ids) = connections(&t, 20).await;
    let sched = Scheduler::new(t.state.clone());
    let day1 = t0() + Duration::days(1);
    run_until(&t, &t.clock, &sched, day1, Duration::minutes(10)).await;
    drop(sched);

    // Crash, stay down two days, start again over the same database.
    let (db_, secret, clock) = t.crash();
    let back = day1 + Duration::days(2);
    clock.set(back);
    let t = common::start_with(db_, common::test_config(), secret, Some(clock.clone())).await;
    let sched = Scheduler::new(t.state.clone());
    let reports = run_until(&t, &clock, &sched, back + Duration::days(1), Duration::minutes(10)).await;

    let by = scheduled(&t.state).await;
    let slot = Duration::seconds(17_280);
    for id in &ids {
        let times = by.get(id).map(Vec::as_slice).unwrap_or(&[]);
        assert!((4..=6).contains(&count_in(times, t0(), day1 + Duration::minutes(10))), "day 1: {times:?}");
        assert_eq!(count_in(times, day1 + Duration::minutes(10), back), 0, "nothing while down");
        // Caught up within a slot (and a tick) of coming back, then back on its slots, never two
        // refreshes closer than half a slot.
        assert!((1..=2).contains(&count_in(times, back, back + slot + Duration::minutes(10))), "catch-up: {times:?}");
        assert!((4..=6).contains(&count_in(times, back, back + Duration::days(1) + Duration::minutes(10))), "{times:?}");
        let after: Vec<_> = times.iter().filter(|t| **t >= back).collect();
        assert!(after.windows(2).all(|w| *w[1] - *w[0] >= slot / 2 - Duration::minutes(10)), "{after:?}");
    }
    // Not in one burst: 20 missed connections come back over many ticks.
    let first_hour: usize = reports.iter().filter(|(at, _)| *at < back + Duration::hours(1)).map(|(_, r)| r.queued.len()).sum();
    let busiest = reports.iter().map(|(_, r)| r.queued.len()).max().unwrap();
    assert!(first_hour <= 12, "{first_hour} of 20 in the first hour back");
    // Connection ids (and so their offsets in a slot) are random, so an unlucky draw can
    // put several in one 10-minute tick (6 was seen); a burst would be all 20.
    assert!(busiest <= 8, "{busiest} in one tick");
}

#[tokio::test]
async fn service_unavailable_retries_every_two_hours_and_gives_up_after_a_week() {
    let t = common::start().await;
    let (key, _, user, ids) = connections(&t, 2).await;
    let (good, down) = (&ids[0], &ids[1]);
    set_login(&t.state, down, "jianYang", "nothotdog").await;
    let sched = Scheduler::new(t.state.clone());
    let step = Duration::minutes(15);
    let end = t0() + Duration::days(8) + Duration::hours(12);
    run_until(&t, &t.clock, &sched, end, step).await;

    let by = scheduled(&t.state).await;
    assert!((41..=43).contains(&by[good].len()), "the good one keeps 5 a day: {}", by[good].len());
    let tries = &by[down];
    for w in tries.windows(2) {
        let gap = w[1] - w[0];
        assert!(gap >= Duration::hours(2) && gap <= Duration::hours(2) + step, "retry gap {gap}");
    }
    let span = *tries.last().unwrap() - tries[0];
    assert!(span >= Duration::days(7) - step && span <= Duration::days(7) + Duration::hours(2) + step, "gave up after {span}");
    assert!(end - *tries.last().unwrap() > Duration::days(1), "no more tries after giving up");
    let token = new_token(&t, &key).await;
    let (_, c) = t.get(&format!("/users/{user}/connections/{down}"), &token).await;
    assert_eq!(c["status"], "active", "{c}");
    assert!(c["nextScheduledRefresh"].is_null(), "given up: {c}");

    // The bank is back and the user refreshes by hand: the schedule resumes.
    set_login(&t.state, down, "gavinBelson", "hooli2016").await;
    let (s, job) = t.post(&format!("/users/{user}/connections/{down}/refresh"), &token, json!({})).await;
    assert_eq!(s, 202, "{job}");
    t.wait_job(&token, job["id"].as_str().unwrap()).await;
    run_until(&t, &t.clock, &sched, end + Duration::days(1), step).await;
    let after = count_in(&scheduled(&t.state).await[down], end, end + Duration::days(1) + step);
    assert!((4..=6).contains(&after), "{after} after recovery");
}

#[tokio::test]
async fn skips_connections_with_a_job_in_flight_and_invalid_ones() {
    let t = common::start().await;
    let (_, token, user, ids) = connections(&t, 2).await;
    let bad_job = t.connect(&token, &user, "AU00000", "bighead", "password").await;
    let bad = t.wait_job(&token, &bad_job).await["links"]["source"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    let (db_, secret, clock) = t.crash();
    // An instance without a worker, so a queued job stays queued.
    let pool = db::connect(&db_.url).await.unwrap();
    let state = AppState::with_clock(pool, common::test_config(), &secret, clock.clone());
    // Generous grace: this test jumps straight to when all three are due.
    let policy = Policy { catch_up_grace: Duration::days(1), ..Policy::default() };
    let sched = Scheduler::new(state.clone()).with_policy(policy);
    sched.tick(clock::Clock::now(&*clock)).await.unwrap(); // enroll
    {
        let mut c = state.db.acquire().await.unwrap();
        let busy = store::connections::get_by_id(&mut c, &ids[0]).await.unwrap().unwrap();
        jobs::queue(&mut c, &state, &busy, "refresh", "user").await.unwrap();
    }
    let later = clock::Clock::now(&*clock) + Duration::hours(5);
    let r = sched.tick(later).await.unwrap();
    let queued: Vec<&str> = r.queued.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(queued, [ids[1].as_str()], "only the idle active connection: {r:?}");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE job_trigger = 'scheduled' AND connection_id = $1")
        .bind(&bad)
        .fetch_one(&state.db)
        .await
        .unwrap();
    assert_eq!(n, 0);
    let next: Option<String> =
        sqlx::query_scalar("SELECT next_scheduled_refresh FROM connections WHERE id = $1").bind(&bad).fetch_one(&state.db).await.unwrap();
    assert_eq!(next, None, "an invalid connection shows no next refresh");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_refresh_each_connection_once_per_slot() {
    let t = common::start().await;
    let (_, _, _, ids) = connections(&t, 8).await;
    // A second instance: its own pool and worker over the same database.
    let pool = db::connect(&t.db.url).await.unwrap();
    let other = AppState::with_clock(pool, common::test_config(), &t.secret, t.clock.clone());
    let _worker = tally_server::jobs::worker::spawn(other.clone());
    let mut a = Scheduler::new(t.state.clone());
    let mut b = Scheduler::new(other.clone());
    a.batch = 1;
    b.batch = 1;
    let (a, b) = (Arc::new(a), Arc::new(b));
    let mut by_instance = [0usize; 2];
    let mut now = t0();
    while now <= t0() + Duration::days(2) {
        t.clock.set(now);
        let (ra, rb) = {
            let (a, b) = (a.clone(), b.clone());
            let ja = tokio::spawn(async move { a.tick(now).await.unwrap() });
            let jb = tokio::spawn(async move { b.tick(now).await.unwrap() });
            (ja.await.unwrap(), jb.await.unwrap())
        };
        by_instance[0] += ra.queued.len();
        by_instance[1] += rb.queued.len();
        drain(&t.state).await;
        now += Duration::minutes(10);
    }
    let by = scheduled(&t.state).await;
    for id in &ids {
        assert_eq!(by.get(id).map(Vec::len), Some(10), "{id}: {:?}", by.get(id));
    }
    assert_eq!(by_instance[0] + by_instance[1], 80, "split between instances: {by_instance:?}");
    if !db::is_sqlite(&t.state.db) {
        // SKIP LOCKED: concurrent claims take disjoint rows instead of waiting in line.
        assert!(by_instance.iter().all(|n| *n > 0), "both instances work: {by_instance:?}");
    }

    // A claim whose instance died stays its own until the lease runs out, then is taken once.
    let at = now + Duration::days(1);
    let mut c = t.state.db.acquire().await.unwrap();
    let postgres = !db::is_sqlite(&t.state.db);
    let dead = sstore::claim(&mut c, postgres, "dead-instance", &clock::stamp(at + Duration::seconds(60)), &clock::stamp(at), 100).await.unwrap();
    drop(c);
    assert_eq!(dead.len(), 8);
    assert_eq!(a.tick(at + Duration::seconds(30)).await.unwrap().claimed, 0);
    let r = a.tick(at + Duration::seconds(61)).await.unwrap();
    let rb = b.tick(at + Duration::seconds(61)).await.unwrap();
    assert_eq!(r.claimed + rb.claimed, 8, "{r:?} {rb:?}");
}

#[tokio::test]
async fn reads_answer_from_the_stored_copy_while_the_bank_is_down() {
    let t = common::start().await;
    let (_, token, user, ids) = connections(&t, 1).await;
    set_login(&t.state, &ids[0], "jianYang", "nothotdog").await;
    let jobs_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs").fetch_one(&t.state.db).await.unwrap();
    for path in [format!("/users/{user}/accounts"), format!("/users/{user}/transactions"), format!("/users/{user}/connections/{}", ids[0])] {
        let (s, body) = t.get(&path, &token).await;
        assert_eq!(s, 200, "{path}: {body}");
    }
    let (s, txs) = t.get(&format!("/users/{user}/transactions"), &token).await;
    assert_eq!(s, 200);
    assert!(!txs["data"].as_array().unwrap().is_empty(), "served from storage");
    let (s, body) = t.post(&format!("/users/{user}/expenses"), &token, json!({"fromMonth": "2024-01", "toMonth": "2024-06"})).await;
    assert!(!s.is_server_error(), "{s} {body}");
    let jobs_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs").fetch_one(&t.state.db).await.unwrap();
    assert_eq!(jobs_before, jobs_after, "reads start no job, so never reach the institution");
}

#[tokio::test]
async fn refreshes_a_day_are_set_per_application_by_server_tokens_only() {
    let t = common::start().await;
    let (key, token, user, ids) = connections(&t, 3).await;
    let (s, v) = t.get("/scheduler", &token).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["refreshesPerDay"], 5);
    assert_eq!(v["source"], "default");

    let other_key = t.api_key().await;
    let client = {
        let k = t.api_key().await;
        let st = t.server_token(&k, "2.0").await;
        let u = t.create_user(&st).await;
        t.client_token(&k, &u).await
    };
    let (s, body) = t.call(reqwest::Method::PUT, "/scheduler", Some(&client), Some(json!({"refreshesPerDay": 1}))).await;
    common::assert_error(s, &body, 403, "access-denied");
    let (s, body) = t.get("/scheduler", &client).await;
    common::assert_error(s, &body, 403, "access-denied");

    for bad in [
        json!({"refreshesPerDay": 6}),
        json!({"refreshesPerDay": -1}),
        json!({"refreshesPerDay": 2.5}),
        json!({"refreshesPerDay": "3"}),
        json!({"refreshesPerDay": null}),
        json!([2]),
    ] {
        let (s, body) = t.call(reqwest::Method::PUT, "/scheduler", Some(&token), Some(bad.clone())).await;
        common::assert_error(s, &body, 400, "parameter-not-valid");
    }
    let (s, body) = t.call(reqwest::Method::PUT, "/scheduler", Some(&token), Some(json!({}))).await;
    common::assert_error(s, &body, 400, "parameter-not-supplied");
    let res = t
        .http
        .put(format!("{}/scheduler", t.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);

    let sched = Scheduler::new(t.state.clone());
    run_until(&t, &t.clock, &sched, t0() + Duration::hours(1), Duration::minutes(10)).await;
    let token = new_token(&t, &key).await;
    let (s, v) = t.call(reqwest::Method::PUT, "/scheduler", Some(&token), Some(json!({"refreshesPerDay": 2}))).await;
    assert_eq!((s.as_u16(), v["refreshesPerDay"].clone(), v["source"].clone()), (200, json!(2), json!("application")), "{v}");
    let other_token = new_token(&t, &other_key).await;
    assert_eq!(t.get("/scheduler", &other_token).await.1["refreshesPerDay"], 5, "other applications keep theirs");
    let start = t0() + Duration::hours(1);
    run_until(&t, &t.clock, &sched, start + Duration::days(2), Duration::minutes(10)).await;
    let by = scheduled(&t.state).await;
    for id in &ids {
        let n = count_in(by.get(id).map(Vec::as_slice).unwrap_or(&[]), start, start + Duration::days(2) + Duration::minutes(10));
        assert!((4..=5).contains(&n), "2 a day for 2 days, got {n}");
    }

    // Zero turns it off, and the connection says there is no next refresh.
    let token = new_token(&t, &key).await;
    let (s, _) = t.call(reqwest::Method::PUT, "/scheduler", Some(&token), Some(json!({"refreshesPerDay": 0}))).await;
    assert_eq!(s, 200);
    let before = scheduled(&t.state).await.values().map(Vec::len).sum::<usize>();
    let from = start + Duration::days(2);
    run_until(&t, &t.clock, &sched, from + Duration::days(1), Duration::minutes(10)).await;
    assert_eq!(scheduled(&t.state).await.values().map(Vec::len).sum::<usize>(), before);
    let token = new_token(&t, &key).await;
    let (_, c) = t.get(&format!("/users/{user}/connections/{}", ids[0]), &token).await;
    assert!(c["nextScheduledRefresh"].is_null(), "{c}");
}
