//! Secrets at rest: the MFA answer stayed in the SQLite WAL in plain
//! text after the job had cleared it, and the database file was mode 0644.

mod common;

use std::path::{Path, PathBuf};

use common::step;
use serde_json::json;

fn files_of(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm"].iter().map(|s| PathBuf::from(format!("{}{s}", db.display()))).filter(|p| p.exists()).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn an_mfa_answer_is_sealed_in_the_database_and_leaves_no_trace_in_its_files() {
    let mut t = common::start().await;
    let (_, token) = t.server().await;
    let user = t.create_user(&token).await;
    let job = t.connect(&token, &user, "AU00001", "richard", "tabsnotspaces").await;
    t.wait_job_until(&token, &job, |j| step(j, "mfa-challenge")["status"] == "in-progress").await;
    // With the worker stopped, the answer waits in the database as stored.
    t.stop_worker();
    let answer = format!("otp-{}", tally_server::store::new_id());
    let (s, b) = t.post(&format!("/jobs/{job}/mfa"), &token, json!({"mfa-response": [answer]})).await;
    assert_eq!(s, 202, "{b}");
    let stored: Option<String> = sqlx::query_scalar("SELECT mfa_response FROM jobs WHERE id = $1").bind(&job).fetch_one(&t.state.db).await.unwrap();
    let stored = stored.expect("the answer is kept until the worker takes it");
    assert!(!stored.contains(&answer), "stored in plain text: {stored}");
    let opened = t.state.keys.open(&stored).expect("sealed with the server's key");
    assert!(String::from_utf8(opened).unwrap().contains(&answer));

    t.start_worker();
    let j = t.wait_job(&token, &job).await;
    assert_eq!(step(&j, "mfa-challenge")["status"], "failed", "a wrong answer, refused: {j}");
    let cleared: Option<String> = sqlx::query_scalar("SELECT mfa_response FROM jobs WHERE id = $1").bind(&job).fetch_one(&t.state.db).await.unwrap();
    assert_eq!(cleared, None);

    let Some(path) = t.sqlite_path() else { return };
    let files = files_of(&path);
    assert!(files.len() >= 2, "the database and its WAL: {files:?}");
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        assert!(!contains(&bytes, answer.as_bytes()), "{} holds the answer in plain text", f.display());
        assert!(!contains(&bytes, stored.as_bytes()), "{} still holds the sealed answer after it was cleared", f.display());
    }
}

#[cfg(unix)]
#[tokio::test]
async fn the_sqlite_database_and_its_wal_files_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh.db");
    let old = dir.path().join("old.db");
    std::fs::write(&old, b"").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    for path in [&fresh, &old] {
        let pool = tally_server::db::connect(&format!("sqlite:{}", path.display())).await.unwrap();
        sqlx::query("CREATE TABLE IF NOT EXISTS t (x TEXT)").execute(&pool).await.unwrap();
        sqlx::query("INSERT INTO t VALUES ('x')").execute(&pool).await.unwrap();
        let files = files_of(path);
        assert_eq!(files.len(), 3, "{files:?}");
        for f in files {
            let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{} is {mode:o}", f.display());
        }
        pool.close().await;
    }
}
