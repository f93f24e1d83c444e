//! Runs examples/quickstart.rs against a server started in-process.

mod common;

#[path = "../examples/quickstart.rs"]
mod quickstart;

#[tokio::test]
async fn the_quickstart_runs_end_to_end() {
    let t = common::start().await;
    let key = t.api_key().await;
    let spending = quickstart::run(&t.base, &key).await.expect("the quickstart succeeds");
    assert!(!spending.user_id.is_empty());
    assert!(spending.from < spending.to);
    assert!(!spending.by_category.is_empty(), "a month of sandbox data has spending");
    assert!(spending.by_category.values().all(|&c| c >= 0));
}
