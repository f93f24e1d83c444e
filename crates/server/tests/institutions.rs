//! Real HTTP against the app on an ephemeral port, on a real database.

mod common;

use tally_api::{Institution, List};

#[tokio::test]
async fn lists_the_sandbox_institutions_publicly_and_by_id() {
    let t = common::start().await;
    for path in ["/public/institutions", "/institutions", "/institutions/"] {
        let res = reqwest::get(format!("{}{path}", t.base)).await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let list: List<Institution> = res.json().await.unwrap();
        assert_eq!(list.kind, "list");
        let hooli = list.data.iter().find(|i| i.id == "AU00000").expect("Hooli is listed");
        assert_eq!(hooli.name, "Hooli");
        assert!(list.data.iter().any(|i| i.authorization == "user-mfa"));
    }
    let res = reqwest::get(format!("{}/institutions/AU00001", t.base)).await.unwrap();
    assert_eq!(res.json::<Institution>().await.unwrap().name, "Pied Piper Bank");
}

#[tokio::test]
async fn unknown_institution_is_a_404_error_object() {
    let t = common::start().await;
    let res = reqwest::get(format!("{}/institutions/XX99999", t.base)).await.unwrap();
    let status = res.status();
    let body: serde_json::Value = res.json().await.unwrap();
    common::assert_error(status, &body, 404, "resource-not-found");
}
