//! Real HTTP against the app on an ephemeral port, on a real SQLite file.

use tally_api::{Institution, List};
use tally_server::{app, db, AppState, StaticConfig};

async fn start() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite:{}", dir.path().join("tally.db").display());
    let pool = db::connect(&url).await.expect("database");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(listener, app(AppState { db: pool }, &StaticConfig::default())).await.ok();
    });
    (format!("http://{addr}"), dir)
}

#[tokio::test]
async fn lists_the_sandbox_institutions_publicly_and_by_id() {
    let (base, dir) = start().await;
    for path in ["/public/institutions", "/institutions"] {
        let res = reqwest::get(format!("{base}{path}")).await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let list: List<Institution> = res.json().await.unwrap();
        assert_eq!(list.kind, "list");
        let hooli = list.data.iter().find(|i| i.id == "AU00000").expect("Hooli is listed");
        assert_eq!(hooli.name, "Hooli");
        assert!(list.data.iter().any(|i| i.authorization == "user-mfa"));
    }
    assert!(dir.path().join("tally.db").exists(), "the SQLite file was created");
}

#[tokio::test]
async fn unknown_institution_is_a_404_error_object() {
    let (base, _dir) = start().await;
    let res = reqwest::get(format!("{base}/institutions/XX99999")).await.unwrap();
    assert_eq!(res.status(), 404);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["type"], "list");
    assert_eq!(body["data"][0]["code"], "resource-not-found");
    assert!(body["correlationId"].as_str().is_some());
}
