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
async fn every_logo_link_answers_with_an_image() {
    let t = common::start().await;
    let list: List<Institution> = reqwest::get(format!("{}/public/institutions", t.base)).await.unwrap().json().await.unwrap();
    for i in &list.data {
        for link in [&i.logo.links.full, &i.logo.links.square] {
            let res = reqwest::get(format!("{}{link}", t.base)).await.unwrap();
            assert_eq!(res.status(), 200, "{link}");
            assert_eq!(res.headers()["content-type"], "image/svg+xml", "{link}");
            assert!(res.text().await.unwrap().starts_with("<svg"), "{link}");
        }
    }
    let res = reqwest::get(format!("{}/public/institutions/XX1/logo.svg", t.base)).await.unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn unknown_institution_is_a_404_error_object() {
    let t = common::start().await;
    let res = reqwest::get(format!("{}/institutions/XX99999", t.base)).await.unwrap();
    let status = res.status();
    let body: serde_json::Value = res.json().await.unwrap();
    common::assert_error(status, &body, 404, "resource-not-found");
}

#[tokio::test]
async fn openapi_document_is_generated_from_the_handlers() {
    let t = common::start().await;
    let doc: serde_json::Value = reqwest::get(format!("{}/openapi.json", t.base)).await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    // The routes are registered once for the router and the document (routes/mod.rs),
    // so the document is the list: both API versions, the scheduler and the demo.
    let routes: Vec<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| item.as_object().unwrap().keys().map(move |method| (method.clone(), path.clone())))
        .collect();
    for (method, path) in [("post", "/token"), ("get", "/users/{id}/connections/{cid}"), ("post", "/connections"), ("put", "/scheduler"), ("post", "/demo/token")] {
        assert!(routes.contains(&(method.to_string(), path.to_string())), "{} {path} is not described", method.to_uppercase());
    }
    assert!(routes.len() >= 43, "the document describes {} operations, fewer than the 43 the server has", routes.len());
    // …and the server has every one of them (whatever it answers, not "no such route"),
    // with and without a trailing slash (the logo is a file: without only); /demo/token
    // exists only in demo mode.
    for (method, path) in routes.iter().filter(|(_, p)| p != "/demo/token") {
        let url = format!("{}{}", t.base, path.replace("{id}", "x").replace("{cid}", "x").replace("{aid}", "x").replace("{tid}", "x").replace("{sid}", "x"));
        let urls = if path.contains('.') { vec![url] } else { vec![url.clone(), format!("{url}/")] };
        for url in urls {
            let res = t.http.request(method.to_uppercase().parse().unwrap(), &url).send().await.unwrap();
            let status = res.status();
            let body = res.text().await.unwrap();
            assert!(status != 405 && !body.contains("No resource at"), "{} {url}: {status} {body}", method.to_uppercase());
        }
    }
}

/// The document describes bodies with the wire types' own serde names, so a client
/// generated from it reads what the server sends.
#[tokio::test]
async fn openapi_schemas_are_the_wire_types() {
    let t = common::start().await;
    let doc: serde_json::Value = reqwest::get(format!("{}/openapi.json", t.base)).await.unwrap().json().await.unwrap();
    let schemas = &doc["components"]["schemas"];
    for name in ["User", "NewUser", "Connection", "NewConnection", "Job", "Step", "Transaction", "Account", "Institution", "ErrorBody", "TokenResponse"] {
        assert!(schemas[name].is_object(), "schema {name} missing");
    }
    // camelCase as on the wire, and money as a decimal string.
    let tx = &schemas["Transaction"]["properties"];
    assert_eq!(tx["postDate"]["type"].as_array().map(|a| a[0].clone()).unwrap_or(tx["postDate"]["type"].clone()), "string", "{tx}");
    assert_eq!(tx["amount"]["type"], "string", "{tx}");
    assert!(schemas["Connection"]["properties"]["institution"].is_object());
    // Bodies point at them.
    let created = &doc["paths"]["/users/{id}/connections"]["post"];
    assert_eq!(created["requestBody"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/NewConnection");
    assert_eq!(created["responses"]["202"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Job");
    let missing = &doc["paths"]["/users/{id}"]["get"]["responses"]["404"]["content"]["application/json"]["schema"]["$ref"];
    assert_eq!(missing, "#/components/schemas/ErrorBody");
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let mut config = common::test_config();
    config.cors_origins = vec!["https://shop.example".into()];
    let t = common::start_with(common::fresh_db().await, config, tally_server::SecretKey::generate(), None).await;
    let preflight = |origin: &'static str| {
        let t = &t;
        async move {
            t.http
                .request(reqwest::Method::OPTIONS, format!("{}/users/x/connections", t.base))
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .send()
                .await
                .unwrap()
        }
    };
    let ok = preflight("https://shop.example").await;
    assert_eq!(ok.headers().get("access-control-allow-origin").unwrap(), "https://shop.example");
    let no = preflight("https://evil.example").await;
    assert!(no.headers().get("access-control-allow-origin").is_none());
}
