//! The same stored rows in the shapes of `basiq-version: 3.0` (Basiq's published 3.0
//! documents; tests/basiq_v3.rs validates every answer against them). Only the view
//! differs by version: handlers load the same rows and hand them to
//! [`super::Shaped::pick`], which calls 2.0's view or one of these.
//!
//! What 3.0 asks beyond 2.0, and where Tally's data comes from:
//! - text the document calls `string` is `""` when unknown, never `null` (a user's
//!   mobile and names, a pending transaction's `postDate`, a transaction's `reference`);
//! - an account's `class` is its type as a string; `accountHolder` and `creditLimit` are
//!   null (no source gives them), `transactionIntervals` is the span of transactions
//!   held for it;
//! - a transaction always has `subClass` and `enrich` objects, and `currency` (its
//!   account's);
//! - a connection has `method` (`web` for a bank login, `csv` for statement uploads)
//!   and `expiryDate`, one year after it was made, when its consent lapses;
//! - a listed job names its `institution`; a step without a result has `result: {}`.

use std::collections::HashMap;

use tally_api::v3::{self, Anzsic, Merchant, TransactionInterval};
use tally_api::{Links, ResourceRef, Step, SubClass};

use super::{money, ConnectionLinks};
use crate::store::accounts::AccountRow;
use crate::store::connections::ConnRow;
use crate::store::jobs::JobRow;
use crate::store::transactions::TxRow;
use crate::store::users::UserRow;

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

pub fn user(u: &UserRow, connections: &[ConnRow], account_ids: &[(String, String)]) -> v3::User {
    let classic = super::user(u, connections, account_ids);
    let names: Vec<&str> = [&u.first_name, &u.middle_name, &u.last_name].into_iter().filter_map(|n| n.as_deref()).filter(|n| !n.is_empty()).collect();
    v3::User {
        kind: "user".into(),
        id: u.id.clone(),
        email: text(&u.email),
        mobile: text(&u.mobile),
        name: names.join(" "),
        first_name: text(&u.first_name),
        middle_name: text(&u.middle_name),
        last_name: text(&u.last_name),
        connections: classic.connections.unwrap_or_default(),
        accounts: classic.accounts.unwrap_or_default(),
        links: Links {
            connections: Some(format!("/users/{}/connections", u.id)),
            auth_link: Some(format!("/users/{}/auth_link", u.id)),
            ..classic.links
        },
    }
}

/// `from`/`to` of the transactions held per account.
pub type Intervals = HashMap<String, (String, String)>;

pub fn account(a: &AccountRow, intervals: &Intervals) -> v3::Account {
    let classic = super::account(a);
    v3::Account {
        kind: "account".into(),
        id: a.id.clone(),
        account_no: a.account_no.clone(),
        name: a.name.clone(),
        account_holder: None,
        is_owned: true,
        account_ownership: "UNKNOWN".into(),
        currency: a.currency.clone(),
        balance: Some(money(a.balance)),
        available_funds: Some(money(a.available_funds)),
        credit_limit: None,
        class: a.class_type.clone(),
        status: a.status.clone(),
        last_updated: a.last_updated.clone(),
        connection: a.connection_id.clone(),
        institution: a.institution_id.clone(),
        transaction_intervals: intervals
            .get(&a.id)
            .map(|(from, to)| vec![TransactionInterval { from: from.clone(), to: to.clone() }])
            .unwrap_or_default(),
        links: classic.links,
    }
}

/// Basiq's `matchType` for the source that decided a category.
fn match_type(source: Option<&str>) -> &'static str {
    match source {
        Some("directory") | Some("correction") => "merchantFull",
        Some("mcc") => "mcc",
        Some("model") => "ml",
        _ => "none",
    }
}

/// A transaction; `currency` is its account's.
pub fn transaction(t: &TxRow, currency: &str) -> v3::Transaction {
    let classic = super::transaction(t);
    let category = match (&t.category_id, &t.category_title) {
        (Some(id), Some(title)) => Some(v3::EnrichCategory {
            id: id.clone(),
            title: title.clone(),
            confidence: text(&t.category_confidence),
            source: text(&t.category_source),
            match_type: match_type(t.category_source.as_deref()).into(),
            anzsic: match (&t.sub_class_code, &t.sub_class_title) {
                (Some(code), Some(title)) => Some(Anzsic { subclass: SubClass { code: code.clone(), title: title.clone() } }),
                _ => None,
            },
        }),
        _ => None,
    };
    let merchant = t.merchant_name.as_ref().map(|name| Merchant {
        id: t.merchant_key.clone().unwrap_or_else(|| name.clone()),
        business_name: name.clone(),
        abn: String::new(),
        logo_master: String::new(),
        logo_thumb: String::new(),
        website: String::new(),
    });
    v3::Transaction {
        kind: "transaction".into(),
        id: t.id.clone(),
        status: classic.status,
        description: t.description.clone(),
        reference: String::new(),
        amount: classic.amount,
        currency: currency.into(),
        account: t.account_id.clone(),
        balance: classic.balance,
        direction: classic.direction,
        class: classic.class,
        institution: t.institution_id.clone(),
        connection: t.connection_id.clone(),
        transaction_date: text(&t.transaction_date),
        post_date: text(&t.post_date),
        sub_class: v3::SubClass3 { code: t.sub_class_code.clone(), title: t.sub_class_title.clone() },
        enrich: v3::Enrich { clean_description: t.description.clone(), tags: Vec::new(), location: None, merchant, category },
        links: Links { connection: Some(ConnectionLinks::for_ids(t.user_id.as_deref(), &t.connection_id).this), ..classic.links },
    }
}

/// When a connection's consent lapses: [`crate::events::CONSENT_DAYS`] after it was made.
fn expiry(created: &str) -> String {
    crate::clock::parse_stamp(created)
        .map(|d| crate::clock::stamp(d + chrono::Duration::days(crate::events::CONSENT_DAYS)))
        .unwrap_or_else(|| created.to_string())
}

pub fn connection(c: &ConnRow, accounts: &[AccountRow]) -> v3::Connection {
    let ids: Vec<String> = accounts.iter().map(|a| a.id.clone()).collect();
    let classic = super::connection(c, &ids);
    v3::Connection {
        kind: "connection".into(),
        id: c.id.clone(),
        method: if c.is_statement() { "csv".into() } else { "web".into() },
        status: classic.status,
        created_date: c.created_date.clone(),
        expiry_date: expiry(&c.created_date),
        last_used: c.last_used.clone(),
        mfa_enabled: classic.mfa_enabled,
        last_refreshed: classic.last_refreshed,
        next_scheduled_refresh: classic.next_scheduled_refresh,
        institution: classic.institution,
        accounts: v3::ConnectionAccounts { kind: "list".into(), data: accounts.iter().map(connection_account).collect() },
        links: Links { institution: Some(format!("/institutions/{}", c.institution_id)), ..classic.links },
    }
}

fn connection_account(a: &AccountRow) -> v3::ConnectionAccount {
    let classic = super::account(a);
    v3::ConnectionAccount {
        kind: "account".into(),
        id: a.id.clone(),
        name: a.name.clone(),
        currency: a.currency.clone(),
        class: classic.class,
        account_no: a.account_no.clone(),
        available_funds: Some(classic.available_funds),
        balance: Some(classic.balance),
        last_updated: a.last_updated.clone(),
        status: a.status.clone(),
        links: Links { self_: classic.links.self_, transactions: classic.links.transactions, ..Links::default() },
    }
}

/// A job; `institution` is its connection's.
pub fn job(j: &JobRow, institution: &str) -> v3::Job {
    let classic = super::job(j);
    let institution_link = format!("/institutions/{institution}");
    v3::Job {
        kind: "job".into(),
        id: j.id.clone(),
        created: j.created.clone(),
        updated: j.updated.clone(),
        institution: ResourceRef {
            kind: "institution".into(),
            id: institution.into(),
            links: Some(Links { self_: Some(institution_link), ..Links::default() }),
        },
        steps: classic.steps.into_iter().map(|s| Step { result: Some(s.result.unwrap_or_else(|| serde_json::json!({}))), ..s }).collect(),
        links: classic.links,
    }
}

/// Basiq's connector methods for Tally's ways in.
pub fn connector_method(m: &tally_api::ConnectMethod) -> &'static str {
    match m {
        tally_api::ConnectMethod::Statement => "csv",
        _ => "web",
    }
}

/// Institution types Basiq's documents allow; anything else reads as `Bank`.
const INSTITUTION_TYPES: [&str; 8] = ["Bank", "Bank (Foreign)", "Test Bank", "Credit Union", "Financial Services", "Superannuation", "Building Society", "Government"];

/// The connectors of one institution, one per way in.
pub fn connectors(i: &tally_api::Institution) -> Vec<v3::Connector> {
    i.methods
        .iter()
        .map(|m| {
            let method = connector_method(m);
            let form = serde_json::json!({
                "login_id_caption": i.login_id_caption,
                "password_caption": i.password_caption,
                "security_code_caption": i.security_code_caption.clone().unwrap_or_default(),
                "secondary_login_id_caption": i.secondary_login_id_caption.clone().unwrap_or_default(),
            });
            v3::Connector {
                kind: "connector".into(),
                id: i.id.clone(),
                method: method.into(),
                stage: i.stage.clone(),
                status: i.status.clone(),
                institution: v3::ConnectorInstitution {
                    kind: if INSTITUTION_TYPES.contains(&i.institution_type.as_str()) { i.institution_type.clone() } else { "Bank".into() },
                    name: i.name.clone(),
                    short_name: i.short_name.clone(),
                    tier: if ["1", "2", "3", "4"].contains(&i.tier.as_str()) { i.tier.clone() } else { "4".into() },
                    country: i.country.clone(),
                    logo: tally_api::Logo { kind: "image".into(), ..i.logo.clone() },
                },
                scopes: Vec::new(),
                authorization: v3::ConnectorAuthorization {
                    kind: if method == "csv" { "other".into() } else { i.authorization.clone() },
                    meta: if method == "csv" { serde_json::json!({}) } else { form },
                },
                stats: i.stats.clone(),
                links: Links { self_: Some(format!("/connectors/{}/{method}", i.id)), ..Links::default() },
            }
        })
        .collect()
}
