//! Jobs survive a crash: a job interrupted mid-step is taken over by the next server
//! once its lease runs out, and resumed; one lost too often fails with job-timed-out.

mod common;

use std::time::Duration;

use common::{step, succeeded};

#[tokio::test]
async fn a_job_interrupted_by_a_crash_is_resumed_after_restart() {
    let db = common::fresh_db().await;
    let mut slow = common::test_config();
    slow.sandbox_latency = Duration::from_secs(3600);
    let t = common::start_with(db, slow, tally_server::SecretKey::generate(), None).await;
    let (key, token) = t.server().await;
    let user = t.create_user(&token).await;
    let job = t.connect(&token, &user, "AU00000", "gavinBelson", "hooli2016").await;
    t.wait_job_until(&token, &job, |j| step(j, "verify-credentials")["status"] == "in-progress").await;
    let (db, secret, clock) = t.crash();

    let t = common::start_with(db, common::test_config(), secret, Some(clock.clone())).await;
    // Still in progress: the dead worker's lease has not run out.
    let token = t.server_token(&key, "2.0").await;
    let (_, j) = t.get(&format!("/jobs/{job}"), &token).await;
    assert_eq!(step(&j, "verify-credentials")["status"], "in-progress");
    clock.advance(chrono::Duration::seconds(31));
    let token = t.server_token(&key, "2.0").await;
    let j = t.wait_job(&token, &job).await;
    assert!(succeeded(&j), "{j}");
}

#[tokio::test]
async fn a_job_lost_too_often_fails_with_job_timed_out() {
    let db = common::fresh_db().await;
    let mut slow = common::test_config();
    slow.sandbox_latency = Duration::from_secs(3600);
    slow.max_job_attempts = 1;
    let secret = tally_server::SecretKey::generate();
    let t = common::start_with(db, slow.clone(), secret, None).await;
    let (key, token) = t.server().await;
    let user = t.create_user(&token).await;
    let job = t.connect(&token, &user, "AU00000", "jared", "django").await;
    t.wait_job_until(&token, &job, |j| step(j, "verify-credentials")["status"] == "in-progress").await;
    let (db, secret, clock) = t.crash();
    // The next server takes it over (attempt 1), and crashes too.
    let t = common::start_with(db, slow.clone(), secret, Some(clock.clone())).await;
    clock.advance(chrono::Duration::seconds(31));
    // Wait until it has really taken the job over; a fixed sleep lost that race on a
    // loaded machine.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let mut c = t.state.db.acquire().await.unwrap();
        let attempts = tally_server::store::jobs::get(&mut c, &job).await.unwrap().expect("the job").attempts;
        if attempts >= 1 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the second server never took the job over");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (db, secret, clock) = t.crash();
    let t = common::start_with(db, slow, secret, Some(clock.clone())).await;
    clock.advance(chrono::Duration::seconds(31));
    let token = t.server_token(&key, "2.0").await;
    let j = t.wait_job(&token, &job).await;
    assert_eq!(step(&j, "verify-credentials")["result"]["code"], "job-timed-out", "{j}");
}
