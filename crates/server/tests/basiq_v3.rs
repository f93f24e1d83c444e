//! The `basiq-version: 3.0` surface, checked against Basiq's own published OpenAPI
//! documents (../shared/reference/basiq-openapi, read at test time only: the product
//! never reads them).
//!
//! Every answer a 3.0 client gets on a path those documents describe is validated
//! against the documents' schema for that path, method and status. The documents are
//! OpenAPI 3.0, whose schema dialect differs from JSON Schema in two ways that matter
//! here, so [`Docs::validator`] rewrites them first:
//! - `nullable: true` becomes `null` added to the `type` (or an `anyOf` with `null`);
//! - `oneOf` becomes `anyOf`. Basiq's `GET /jobs/{jobId}` answer is a `oneOf` of three
//!   job shapes none of which has a required field, so every real job (including the
//!   documents' own examples) matches two or three of them and strict `oneOf` would
//!   refuse them all. "At least one" is what the document means.

mod common;

use std::path::PathBuf;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Map, Value};

/// Basiq's documents, found beside the repository (`../shared`), or at
/// `TALLY_BASIQ_OPENAPI_DIR`.
struct Docs {
    docs: Vec<Value>,
}

fn docs_dir() -> PathBuf {
    if let Ok(d) = std::env::var("TALLY_BASIQ_OPENAPI_DIR") {
        return d.into();
    }
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let rel = "shared/reference/basiq-openapi";
    here.ancestors()
        .map(|a| a.join(rel))
        .chain([PathBuf::from("/work").join(rel)])
        .find(|p| p.join("core.json").is_file())
        .unwrap_or_else(|| panic!("Basiq's OpenAPI documents (core.json, data.json) not found under any ancestor's {rel}; set TALLY_BASIQ_OPENAPI_DIR"))
}

impl Docs {
    fn load() -> Docs {
        let dir = docs_dir();
        let read = |f: &str| -> Value { serde_json::from_str(&std::fs::read_to_string(dir.join(f)).unwrap()).unwrap() };
        Docs { docs: vec![read("core.json"), read("data.json")] }
    }

    /// Every (method, path template) the documents describe.
    fn operations(&self) -> Vec<(String, String)> {
        let mut ops = Vec::new();
        for d in &self.docs {
            for (path, item) in d["paths"].as_object().unwrap() {
                for m in ["get", "post", "put", "delete", "patch"] {
                    if item.get(m).is_some() {
                        ops.push((m.to_uppercase(), path.clone()));
                    }
                }
            }
        }
        ops
    }

    /// The document, path template and operation that describe `method path`.
    fn operation(&self, method: &str, path: &str) -> Option<(&Value, String, &Value)> {
        let path = path.split('?').next().unwrap().trim_end_matches('/');
        for d in &self.docs {
            for (template, item) in d["paths"].as_object().unwrap() {
                if matches_template(template, path) {
                    if let Some(op) = item.get(method.to_lowercase()) {
                        return Some((d, template.clone(), op));
                    }
                }
            }
        }
        None
    }

    /// A validator for the answer of `method path` with `status`, or None when the
    /// documents describe no such answer.
    fn validator(&self, method: &str, path: &str, status: u16) -> Option<(String, jsonschema::Validator)> {
        let (doc, template, op) = self.operation(method, path)?;
        let response = resolve(doc, &op["responses"][status.to_string()]);
        let schema = response.get("content")?.get("application/json")?.get("schema")?;
        let mut root = openapi_to_json_schema(schema.clone());
        let mut components = doc["components"].clone();
        components = openapi_to_json_schema(components);
        root.as_object_mut().unwrap().insert("components".into(), components);
        let v = jsonschema::options().with_draft(jsonschema::Draft::Draft4).build(&root).unwrap_or_else(|e| panic!("schema of {method} {template} {status}: {e}"));
        Some((template, v))
    }
}

/// `/users/{userId}/accounts` matches `/users/u1/accounts`; a literal segment wins
/// over a parameter (`/connections/refresh` is not `/connections/{connectionId}`).
fn matches_template(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| (t.starts_with('{') && !["refresh", "types"].contains(p)) || t == p)
}

fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(doc, doc.pointer(r.trim_start_matches('#')).unwrap_or(&Value::Null)),
        None => v,
    }
}

/// OpenAPI 3.0's schema dialect as JSON Schema draft 4 (see the file's doc).
fn openapi_to_json_schema(v: Value) -> Value {
    match v {
        Value::Array(a) => Value::Array(a.into_iter().map(openapi_to_json_schema).collect()),
        Value::Object(m) => {
            let mut out: Map<String, Value> = m.into_iter().map(|(k, v)| (if k == "oneOf" { "anyOf".into() } else { k }, openapi_to_json_schema(v))).collect();
            if out.remove("nullable") == Some(Value::Bool(true)) {
                match out.get("type").cloned() {
                    Some(Value::String(t)) => {
                        out.insert("type".into(), json!([t, "null"]));
                        if let Some(Value::Array(e)) = out.get_mut("enum") {
                            e.push(Value::Null);
                        }
                    }
                    _ => {
                        let inner = Value::Object(out);
                        return json!({"anyOf": [inner, {"type": "null"}]});
                    }
                }
            }
            Value::Object(out)
        }
        other => other,
    }
}

/// Collects every answer's verdict, so one run reports them all.
struct Checker {
    docs: Docs,
    checked: Vec<String>,
    failures: Vec<String>,
}

impl Checker {
    fn new() -> Self {
        Checker { docs: Docs::load(), checked: Vec::new(), failures: Vec::new() }
    }

    /// Validates an answer against the documents; an answer they do not describe is
    /// a failure too (a status the documents do not list for that path).
    fn check(&mut self, method: &str, path: &str, status: StatusCode, body: &Value) {
        let label = format!("{method} {path} → {}", status.as_u16());
        self.checked.push(label.clone());
        if status == StatusCode::NO_CONTENT {
            return;
        }
        match self.docs.validator(method, path, status.as_u16()) {
            None => self.failures.push(format!("{label}: the documents describe no such answer: {body}")),
            Some((template, v)) => {
                let errors: Vec<String> = v.iter_errors(body).take(8).map(|e| format!("    at '{}': {e}", e.instance_path)).collect();
                if !errors.is_empty() {
                    self.failures.push(format!("{label} (schema of {template}):\n{}", errors.join("\n")));
                }
            }
        }
    }

    fn finish(self) {
        let n = self.checked.len();
        assert!(
            self.failures.is_empty(),
            "{} of {n} answers conform to Basiq's 3.0 documents:\n{}",
            n - self.failures.len(),
            self.failures.join("\n")
        );
        assert!(n >= 40, "too few answers checked: {n}");
    }
}

struct V3<'a> {
    s: &'a TestServer,
    c: Checker,
}

impl V3<'_> {
    async fn call(&mut self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> (StatusCode, Value) {
        let (status, value) = self.s.call(method.clone(), path, token, body).await;
        self.c.check(method.as_str(), path, status, &value);
        (status, value)
    }
    async fn get(&mut self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(token), None).await
    }
    async fn post(&mut self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }
    async fn delete(&mut self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, Some(token), None).await
    }
}

async fn v3_token(s: &TestServer, key: &str, form: &str) -> (StatusCode, Value) {
    let res = s.token_raw(key, Some("3.0"), form).await;
    let status = res.status();
    (status, res.json::<Value>().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn every_answer_on_the_3_0_surface_conforms_to_basiqs_documents() {
    let s = start().await;
    let key = s.api_key().await;
    let mut v = V3 { s: &s, c: Checker::new() };

    let (st, t) = v3_token(&s, &key, "scope=SERVER_ACCESS").await;
    v.c.check("POST", "/token", st, &t);
    let token = t["access_token"].as_str().unwrap().to_string();
    let (st, t) = v3_token(&s, &key, "scope=NOT_A_SCOPE").await;
    v.c.check("POST", "/token", st, &t);

    // Users.
    let (st, u) = v.post("/users", &token, json!({"email": "gavin@hooli.com", "firstName": "Gavin", "lastName": "Belson"})).await;
    assert_eq!(st, 201, "{u}");
    let user = u["id"].as_str().unwrap().to_string();
    v.post("/users", &token, json!({"email": "not an email"})).await;
    v.get(&format!("/users/{user}"), &token).await;
    let (st, u2) = v.post(&format!("/users/{user}"), &token, json!({"mobile": "+61410000000", "middleName": "J"})).await;
    assert_eq!(st, 200, "{u2}");
    v.get("/users/no-such-user", &token).await;

    // A connection (Tally's own connect call, which 3.0 routes through the widget).
    let job = s.connect(&token, &user, "AU00000", "gavinBelson", "hooli2016").await;
    let j = s.wait_job(&token, &job).await;
    assert!(succeeded(&j), "{j}");
    let cid = j["links"]["source"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    v.get(&format!("/jobs/{job}"), &token).await;
    v.get("/jobs/no-such-job", &token).await;
    v.get(&format!("/users/{user}/jobs"), &token).await;

    // Accounts and transactions.
    let (_, accounts) = v.get(&format!("/users/{user}/accounts"), &token).await;
    let aid = accounts["data"][0]["id"].as_str().unwrap().to_string();
    v.get(&format!("/users/{user}/accounts/{aid}"), &token).await;
    v.get(&format!("/users/{user}/accounts/no-such-account"), &token).await;
    let (_, txs) = v.get(&format!("/users/{user}/transactions?limit=5"), &token).await;
    let tid = txs["data"][0]["id"].as_str().unwrap().to_string();
    v.get(&format!("/users/{user}/transactions/{tid}"), &token).await;
    v.get(&format!("/users/{user}/transactions?filter=nonsense"), &token).await;

    // Connections.
    v.get(&format!("/users/{user}/connections"), &token).await;
    v.get(&format!("/users/{user}/connections/{cid}"), &token).await;
    v.get(&format!("/users/{user}/connections/no-such-connection"), &token).await;
    let (st, r) = v.post(&format!("/users/{user}/connections/{cid}/refresh"), &token, json!({})).await;
    assert_eq!(st, 202, "{r}");
    s.wait_job(&token, r["id"].as_str().unwrap()).await;
    let (st, r) = v.post(&format!("/users/{user}/connections/refresh"), &token, json!({})).await;
    assert_eq!(st, 202, "{r}");
    for j in r["data"].as_array().unwrap() {
        s.wait_job(&token, j["id"].as_str().unwrap()).await;
    }

    // Connectors.
    let (st, list) = v.get("/connectors", &token).await;
    assert_eq!(st, 200, "{list}");
    assert!(list["data"].as_array().unwrap().iter().any(|c| c["id"] == "AU00000" && c["method"] == "web"), "{list}");
    v.get("/connectors?filter=connector.method.eq('csv')", &token).await;
    v.get("/connectors/AU00000/web", &token).await;
    v.get("/connectors/AU00000/no-such-method", &token).await;
    v.get("/connectors?filter=connector.colour.eq('red')", &token).await;

    // Consents and events.
    let (st, consents) = v.get(&format!("/users/{user}/consents"), &token).await;
    assert_eq!(st, 200, "{consents}");
    assert_eq!(consents["data"].as_array().map(Vec::len), Some(1), "connecting gave a consent: {consents}");
    let (st, events) = v.get(&format!("/events?filter=user.id.eq('{user}')"), &token).await;
    assert_eq!(st, 200, "{events}");
    let kinds: Vec<String> = events["data"].as_array().unwrap().iter().map(|e| format!("{}.{}", e["entity"].as_str().unwrap(), e["eventType"].as_str().unwrap())).collect();
    for want in ["consent.created", "connection.created", "connection.updated"] {
        assert!(kinds.iter().any(|k| k == want), "{want} in {kinds:?}");
    }
    let eid = events["data"][0]["id"].as_str().unwrap().to_string();
    v.get(&format!("/events/{eid}"), &token).await;
    v.get("/events/no-such-event", &token).await;
    v.get("/events?filter=event.entity.eq('connection')", &token).await;
    v.get("/events?filter=event.colour.eq('red')", &token).await;
    let (_, types) = v.get("/events/types", &token).await;
    let type_id = types["data"][0]["id"].as_str().unwrap().to_string();
    v.get(&format!("/events/types/{type_id}"), &token).await;
    v.get("/events/types/no.such", &token).await;

    // Basiq's hosted consent page: Tally answers that its widget does this.
    let (st, link) = v.post(&format!("/users/{user}/auth_link"), &token, json!({})).await;
    assert_eq!(st, 404);
    assert!(link["data"][0]["detail"].as_str().unwrap().contains("<tally-connect>"), "{link}");

    // Statements.
    let csv = "Date,Amount,Description,Balance\n01/06/2024,-12.50,WOOLWORTHS 1234 SYDNEY,987.50\n02/06/2024,-4.20,CAFE NERO,983.30\n";
    let form = reqwest::multipart::Form::new()
        .text("institutionId", "AU19999")
        .part("statement", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("june.csv").mime_str("text/csv").unwrap());
    let res = s.http.post(format!("{}/users/{user}/statements", s.base)).bearer_auth(&token).multipart(form).send().await.unwrap();
    let st = res.status();
    let body: Value = res.json().await.unwrap();
    v.c.check("POST", &format!("/users/{user}/statements"), st, &body);
    assert_eq!(st, 202, "{body}");

    // A token this server did not issue: 401 (core.json documents it for users; data.json
    // lists no 401 for accounts and the like, where Tally answers 401 all the same).
    v.get(&format!("/users/{user}"), "not-a-token").await;

    // A CLIENT token may not do a server's work: 403.
    let (_, ct) = v3_token(&s, &key, &format!("scope=CLIENT_ACCESS&userId={user}")).await;
    let client = ct["access_token"].as_str().unwrap().to_string();
    v.post("/users", &client, json!({"email": "someone@example.com"})).await;
    v.get(&format!("/users/{user}/accounts"), &client).await;

    // Purge, then delete.
    let (st, _) = v.call(Method::POST, &format!("/users/{user}/connections/{cid}/purge"), Some(&token), None).await;
    assert_eq!(st, 204);
    let (_, after) = v.get(&format!("/users/{user}/accounts?filter=connection.id.eq('{cid}')"), &token).await;
    assert_eq!(after["data"].as_array().map(Vec::len), Some(0), "purged: {after}");
    let (st, _) = v.delete(&format!("/users/{user}/connections/{cid}"), &token).await;
    assert_eq!(st, 204);
    // Revoking the consent deletes the connections made under it, and says so.
    let consent = consents["data"][0]["id"].as_str().unwrap().to_string();
    v.delete(&format!("/users/{user}/consents/no-such-consent"), &token).await;
    let (st, _) = v.delete(&format!("/users/{user}/consents/{consent}"), &token).await;
    assert_eq!(st, 204);
    let (_, left) = v.get(&format!("/users/{user}/connections"), &token).await;
    assert_eq!(left["data"].as_array().map(Vec::len), Some(0), "{left}");
    let (_, events) = v.get(&format!("/events?filter=user.id.eq('{user}')"), &token).await;
    assert!(events["data"].as_array().unwrap().iter().any(|e| e["entity"] == "consent" && e["eventType"] == "revoked"), "{events}");
    let (_, consents) = v.get(&format!("/users/{user}/consents"), &token).await;
    assert_eq!(consents["data"][0]["status"], "revoked");
    let (st, _) = v.delete(&format!("/users/{user}"), &token).await;
    assert_eq!(st, 204);

    v.c.finish();
}

/// Operations of Basiq's 3.0 documents Tally does not serve yet: each answers the
/// contract's 404 error object. The README lists them; keep the two in step.
const NOT_SERVED: &[&str] = &[
];

#[tokio::test]
async fn every_path_in_basiqs_documents_is_served_or_answered_with_an_error_object() {
    let s = start().await;
    let key = s.api_key().await;
    let (_, t) = v3_token(&s, &key, "scope=SERVER_ACCESS").await;
    let token = t["access_token"].as_str().unwrap().to_string();
    let user = s.create_user(&token).await;
    let docs = Docs::load();
    let mut not_served = Vec::new();
    for (method, template) in docs.operations() {
        let path = template
            .replace("{userId}", &user)
            .replace("{connectorId}", "AU00000")
            .replace("{method}", "credentials")
            .split('/')
            .map(|seg| if seg.starts_with('{') { "unknown-id" } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let (st, body) = s.call(m, &path, Some(&token), None).await;
        assert!(st.as_u16() < 500, "{method} {path} → {st}: {body}");
        if !st.is_success() {
            assert_eq!(body["type"], "list", "{method} {path} → {st} is not the contract's error object: {body}");
            assert_eq!(body["data"][0]["type"], "error", "{method} {path} → {st}: {body}");
            let detail = body["data"][0]["detail"].as_str().unwrap_or("");
            if detail.starts_with("No resource at") || st == StatusCode::METHOD_NOT_ALLOWED {
                not_served.push(format!("{method} {template}"));
            }
        }
    }
    not_served.sort();
    assert_eq!(not_served, NOT_SERVED, "the operations not served changed: update NOT_SERVED and the README");
}

/// `/users/{userId}/accounts` and `/users/{id}/accounts` name the same path.
fn shape(template: &str) -> String {
    template.split('/').map(|seg| if seg.starts_with('{') { "{}" } else { seg }).collect::<Vec<_>>().join("/")
}

#[tokio::test]
async fn the_servers_own_openapi_document_describes_every_operation_of_basiqs_3_0_documents() {
    let s = start().await;
    let own: Value = reqwest::get(format!("{}/openapi.json", s.base)).await.unwrap().json().await.unwrap();
    let described: Vec<String> = own["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| item.as_object().unwrap().keys().map(move |m| format!("{} {}", m.to_uppercase(), shape(path))))
        .collect();
    let missing: Vec<String> = Docs::load()
        .operations()
        .into_iter()
        .map(|(m, t)| format!("{m} {}", shape(&t)))
        .filter(|op| !described.contains(op))
        .collect();
    assert!(missing.is_empty(), "/openapi.json does not describe: {missing:?}");
    for tag in ["connectors", "consents", "events"] {
        assert!(own["paths"].to_string().contains(&format!("\"{tag}\"")), "operations tagged {tag}");
    }
}
