//! Stored rows as the contract's JSON, with links that follow the API version the
//! data belongs to: `/users/{id}/…` for a user's data (2.0), `/connections/{id}/…` for
//! an application's 1.0 connections.

use tally_api::{
    Account, AccountClass, Connection, Enrich, EnrichCategory, EnrichMerchant, ExpenseCategory, ExpenseDivision, ExpenseGroup, Expenses, Job, Links,
    List, MonthlyAmount, ResourceRef, SubClass, Transaction, User,
};
use tally_classify::ExpenseSummary;

pub mod v3;

use crate::store::accounts::AccountRow;
use crate::store::connections::ConnRow;
use crate::store::jobs::JobRow;
use crate::store::transactions::TxRow;
use crate::store::users::UserRow;

/// A body in the shape of the caller's API version: 2.0's (which 1.0 shares) or 3.0's
/// ([`v3`]). The version picks the view here, at the edge; what is loaded is the same.
pub enum Shaped<A, B> {
    Classic(A),
    V3(B),
}

impl<A, B> Shaped<A, B> {
    /// Calls only the view the version needs.
    pub fn pick(version: crate::auth::Version, classic: impl FnOnce() -> A, v3: impl FnOnce() -> B) -> Self {
        match version {
            crate::auth::Version::V3 => Shaped::V3(v3()),
            _ => Shaped::Classic(classic()),
        }
    }
}

impl<A: serde::Serialize, B: serde::Serialize> axum::response::IntoResponse for Shaped<A, B> {
    fn into_response(self) -> axum::response::Response {
        match self {
            Shaped::Classic(a) => axum::Json(a).into_response(),
            Shaped::V3(b) => axum::Json(b).into_response(),
        }
    }
}

/// Cents as the contract's decimal string: -1234 → "-12.34" ([`tally_api::Money`]).
pub fn money(cents: i64) -> String {
    tally_api::Money(cents).to_string()
}

/// Links of a connection and of the data under it.
pub struct ConnectionLinks {
    pub this: String,
    pub user: Option<String>,
    pub accounts: String,
    pub transactions: String,
}

impl ConnectionLinks {
    pub fn of(c: &ConnRow) -> Self {
        Self::for_ids(c.user_id.as_deref(), &c.id)
    }

    pub fn for_ids(user_id: Option<&str>, connection_id: &str) -> Self {
        match user_id {
            Some(u) => ConnectionLinks {
                this: format!("/users/{u}/connections/{connection_id}"),
                user: Some(format!("/users/{u}")),
                accounts: format!("/users/{u}/accounts?filter=connection.id.eq('{connection_id}')"),
                transactions: format!("/users/{u}/transactions?filter=connection.id.eq('{connection_id}')"),
            },
            None => ConnectionLinks {
                this: format!("/connections/{connection_id}"),
                user: None,
                accounts: format!("/connections/{connection_id}/accounts"),
                transactions: format!("/connections/{connection_id}/transactions"),
            },
        }
    }
}

fn reference(kind: &str, id: &str, self_link: Option<String>) -> ResourceRef {
    ResourceRef { kind: kind.into(), id: id.into(), links: self_link.map(|s| Links { self_: Some(s), ..Links::default() }) }
}

pub fn user(u: &UserRow, connections: &[ConnRow], account_ids: &[(String, String)]) -> User {
    User {
        kind: "user".into(),
        id: u.id.clone(),
        email: u.email.clone(),
        mobile: u.mobile.clone(),
        connections: Some(List {
            kind: "list".into(),
            count: Some(connections.len() as u64),
            size: None,
            data: connections.iter().map(|c| reference("connection", &c.id, Some(format!("/users/{}/connections/{}", u.id, c.id)))).collect(),
            links: None,
        }),
        accounts: Some(List {
            kind: "list".into(),
            count: Some(account_ids.len() as u64),
            size: None,
            data: account_ids.iter().map(|(id, _)| reference("account", id, Some(format!("/users/{}/accounts/{id}", u.id)))).collect(),
            links: None,
        }),
        links: Links {
            self_: Some(format!("/users/{}", u.id)),
            accounts: Some(format!("/users/{}/accounts", u.id)),
            transactions: Some(format!("/users/{}/transactions", u.id)),
            ..Links::default()
        },
    }
}

pub fn connection(c: &ConnRow, account_ids: &[String]) -> Connection {
    let l = ConnectionLinks::of(c);
    let account_link = |id: &str| match &c.user_id {
        Some(u) => format!("/users/{u}/accounts/{id}"),
        None => format!("/connections/{}/accounts/{id}", c.id),
    };
    Connection {
        kind: "connection".into(),
        id: c.id.clone(),
        status: tally_api::ConnectionStatus::parse(&c.status),
        created_date: c.created_date.clone(),
        last_used: c.last_used.clone(),
        mfa_enabled: c.mfa_enabled != 0,
        institution: reference("institution", &c.institution_id, Some(format!("/institutions/{}", c.institution_id))),
        method: if c.is_statement() { tally_api::ConnectMethod::Statement } else { tally_api::ConnectMethod::Login },
        accounts: Some(List::of(account_ids.iter().map(|id| reference("account", id, Some(account_link(id)))).collect())),
        last_refreshed: c.last_refreshed.clone(),
        next_scheduled_refresh: c.next_scheduled_refresh.clone(),
        links: Links { self_: Some(l.this), user: l.user, accounts: Some(l.accounts), transactions: Some(l.transactions), ..Links::default() },
    }
}

pub fn job(j: &JobRow) -> Job {
    let l = ConnectionLinks::for_ids(j.user_id.as_deref(), &j.connection_id);
    Job {
        kind: "job".into(),
        id: j.id.clone(),
        created: Some(j.created.clone()),
        updated: Some(j.updated.clone()),
        steps: j.steps().0,
        trigger: Some(j.job_trigger.clone()),
        links: Links { self_: Some(format!("/jobs/{}", j.id)), source: Some(l.this), ..Links::default() },
    }
}

pub fn account(a: &AccountRow) -> Account {
    let (this, transactions) = match &a.user_id {
        Some(u) => (format!("/users/{u}/accounts/{}", a.id), format!("/users/{u}/transactions?filter=account.id.eq('{}')", a.id)),
        None => (
            format!("/connections/{}/accounts/{}", a.connection_id, a.id),
            format!("/connections/{}/transactions?filter=account.id.eq('{}')", a.connection_id, a.id),
        ),
    };
    let l = ConnectionLinks::for_ids(a.user_id.as_deref(), &a.connection_id);
    Account {
        kind: "account".into(),
        id: a.id.clone(),
        account_no: a.account_no.clone(),
        name: a.name.clone(),
        currency: a.currency.clone(),
        balance: money(a.balance),
        available_funds: money(a.available_funds),
        class: AccountClass { kind: a.class_type.clone(), product: a.product.clone() },
        status: a.status.clone(),
        last_updated: a.last_updated.clone(),
        connection: a.connection_id.clone(),
        institution: a.institution_id.clone(),
        links: Links {
            self_: Some(this),
            transactions: Some(transactions),
            connection: Some(l.this),
            institution: Some(format!("/institutions/{}", a.institution_id)),
            ..Links::default()
        },
    }
}

pub fn transaction(t: &TxRow) -> Transaction {
    let (this, account) = match &t.user_id {
        Some(u) => (format!("/users/{u}/transactions/{}", t.id), format!("/users/{u}/accounts/{}", t.account_id)),
        None => (
            format!("/connections/{}/transactions/{}", t.connection_id, t.id),
            format!("/connections/{}/accounts/{}", t.connection_id, t.account_id),
        ),
    };
    let sub_class = match (&t.sub_class_code, &t.sub_class_title) {
        (Some(code), Some(title)) => Some(SubClass { code: code.clone(), title: title.clone() }),
        _ => None,
    };
    let category = match (&t.category_id, &t.category_title) {
        (Some(id), Some(title)) => Some(EnrichCategory {
            id: id.clone(),
            title: title.clone(),
            confidence: t.category_confidence.clone().unwrap_or_default(),
            source: t.category_source.clone().unwrap_or_default(),
        }),
        _ => None,
    };
    let merchant = t.merchant_name.clone().map(|n| EnrichMerchant { business_name: n });
    let enrich = (category.is_some() || merchant.is_some()).then_some(Enrich { category, merchant, location: None });
    Transaction {
        kind: "transaction".into(),
        id: t.id.clone(),
        status: tally_api::TransactionStatus::parse(&t.status),
        description: t.description.clone(),
        amount: money(t.amount),
        direction: tally_api::Direction::parse(&t.direction),
        class: tally_api::TransactionClass::parse(&t.class),
        account: t.account_id.clone(),
        institution: t.institution_id.clone(),
        connection: t.connection_id.clone(),
        balance: t.balance.map(money),
        transaction_date: t.transaction_date.clone(),
        post_date: t.post_date.clone(),
        sub_class,
        enrich,
        links: Links {
            self_: Some(this),
            account: Some(account),
            institution: Some(format!("/institutions/{}", t.institution_id)),
            transfer: match (&t.transfer_id, &t.user_id) {
                (Some(other), Some(u)) => Some(format!("/users/{u}/transactions/{other}")),
                _ => None,
            },
            ..Links::default()
        },
    }
}

/// tally-classify's expenses summary (cents) as the contract writes it: money as
/// decimal strings, categories under their expense division.
pub fn expenses(s: &ExpenseSummary, id: &str, self_link: String) -> Expenses {
    let history = |h: &[tally_classify::MonthAmount]| h.iter().map(|m| MonthlyAmount { date: m.month.clone(), amount: money(m.amount_cents) }).collect();
    let group = |g: &tally_classify::GroupExpense| ExpenseGroup {
        total: money(g.total_cents),
        average_monthly: money(g.average_monthly_cents),
        history: history(&g.history),
    };
    let category = |c: &tally_classify::CategoryExpense| ExpenseCategory {
        category: c.category.into(),
        title: c.title.into(),
        sub_class: SubClass { code: c.sub_class.code.into(), title: c.sub_class.title.into() },
        total: money(c.total_cents),
        average_monthly: money(c.average_monthly_cents),
        percentage_total: c.percentage,
        history: history(&c.history),
    };
    Expenses {
        kind: "expenses".into(),
        id: id.into(),
        from_month: s.from_month.clone(),
        to_month: s.to_month.clone(),
        months: s.months,
        total: money(s.total_cents),
        average_monthly: money(s.average_monthly_cents),
        payments: s
            .divisions()
            .iter()
            .map(|d| ExpenseDivision {
                division: d.division.into(),
                total: money(d.total_cents),
                average_monthly: money(d.average_monthly_cents),
                percentage_total: d.percentage,
                sub_category: d.categories.iter().map(|c| category(c)).collect(),
            })
            .collect(),
        cash_withdrawals: group(&s.cash_withdrawals),
        bank_fees: group(&s.bank_fees),
        loan_interests: group(&s.loan_interest),
        loan_repayments: group(&s.loan_repayments),
        external_transfers: group(&s.external_transfers),
        own_transfers: group(&s.own_transfers),
        links: Links { self_: Some(self_link), ..Links::default() },
    }
}

#[cfg(test)]
mod tests {
    use super::{expenses, money};
    use tally_classify::{summarise, ExpenseItem, TxClass};

    #[test]
    fn expenses_are_written_as_the_contract_does() {
        let item = |amount_cents, category| ExpenseItem { month: "2020-01", amount_cents, class: TxClass::Payment, category: Some(category), own_transfer: false };
        let s = summarise([item(-300, "fuel"), item(-100, "transport"), item(-250, "groceries")], "2020-01", "2020-01").unwrap();
        let v = serde_json::to_value(expenses(&s, "e1", "/users/u1/expenses/e1".into())).unwrap();
        assert_eq!((&v["type"], &v["id"], &v["links"]["self"]), (&"expenses".into(), &"e1".into(), &"/users/u1/expenses/e1".into()));
        assert_eq!(v["total"], "6.50", "money is a decimal string");
        assert_eq!(v["payments"][0]["division"], "Transport");
        assert_eq!(v["payments"][0]["total"], "4.00");
        assert_eq!(v["payments"][0]["percentageTotal"], 61.54);
        let fuel = &v["payments"][0]["subCategory"][0];
        assert_eq!((&fuel["category"], &fuel["averageMonthly"], &fuel["subClass"]["code"]), (&"fuel".into(), &"3.00".into(), &"400".into()));
        assert_eq!(fuel["history"][0], serde_json::json!({"date": "2020-01", "amount": "3.00"}));
        assert_eq!(v["loanInterests"]["averageMonthly"], "0.00");
        assert_eq!(v["cashWithdrawals"]["history"][0], serde_json::json!({"date": "2020-01", "amount": "0.00"}));
    }

    #[test]
    fn money_is_a_decimal_string() {
        assert_eq!(money(0), "0.00");
        assert_eq!(money(5), "0.05");
        assert_eq!(money(-1234), "-12.34");
        assert_eq!(money(250000), "2500.00");
        assert_eq!(money(i64::MIN), "-92233720368547758.08");
    }
}
