//! `accounts`: what each connection's institution holds for the user.

use std::collections::HashMap;

use sqlx::AnyConnection;

use super::{Sql, Val};
use crate::connector::AccountData;

const COLS: &str = "id, app_id, user_id, connection_id, institution_id, external_id, account_no, name, currency, balance, available_funds, class_type, product, status, last_updated";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: String,
    pub app_id: String,
    pub user_id: Option<String>,
    pub connection_id: String,
    pub institution_id: String,
    pub external_id: String,
    pub account_no: String,
    pub name: String,
    pub currency: String,
    pub balance: i64,
    pub available_funds: i64,
    pub class_type: String,
    pub product: String,
    pub status: String,
    pub last_updated: String,
}

/// Which rows a list covers: a user's (2.0) or a connection's (1.0).
#[derive(Debug, Clone)]
pub enum Owner<'a> {
    User(&'a str),
    Connection(&'a str),
}

impl Owner<'_> {
    /// `(column, value)` of the owner condition.
    pub fn condition(&self) -> (&'static str, String) {
        match self {
            Owner::User(u) => ("user_id", u.to_string()),
            Owner::Connection(c) => ("connection_id", c.to_string()),
        }
    }
}

/// Inserts or updates the connection's accounts; returns ids by external id.
pub async fn upsert_all(
    conn: &mut AnyConnection,
    c: &super::connections::ConnRow,
    accounts: &[AccountData],
    now: &str,
) -> Result<HashMap<String, String>, sqlx::Error> {
    let mut ids = HashMap::new();
    for a in accounts {
        let existing: Option<(String,)> = sqlx::query_as("SELECT id FROM accounts WHERE connection_id = $1 AND external_id = $2")
            .bind(&c.id)
            .bind(&a.external_id)
            .fetch_optional(&mut *conn)
            .await?;
        let id = match existing {
            Some((id,)) => {
                // A statement without a balance keeps the one an earlier file gave.
                if a.balance_known {
                    sqlx::query("UPDATE accounts SET balance = $1, available_funds = $2 WHERE id = $3")
                        .bind(a.balance)
                        .bind(a.available_funds)
                        .bind(&id)
                        .execute(&mut *conn)
                        .await?;
                }
                sqlx::query(
                    "UPDATE accounts SET account_no = $1, name = $2, currency = $3, \
                     class_type = $4, product = $5, status = 'available', last_updated = $6 WHERE id = $7",
                )
                .bind(&a.account_no)
                .bind(&a.name)
                .bind(&a.currency)
                .bind(&a.class_type)
                .bind(&a.product)
                .bind(now)
                .bind(&id)
                .execute(&mut *conn)
                .await?;
                id
            }
            None => {
                let id = super::new_id();
                let vals: Vec<Val> = vec![
                    id.clone().into(),
                    c.app_id.clone().into(),
                    c.user_id.clone().into(),
                    c.id.clone().into(),
                    c.institution_id.clone().into(),
                    a.external_id.clone().into(),
                    a.account_no.clone().into(),
                    a.name.clone().into(),
                    a.currency.clone().into(),
                    a.balance.into(),
                    a.available_funds.into(),
                    a.class_type.clone().into(),
                    a.product.clone().into(),
                    "available".into(),
                    now.into(),
                ];
                Sql::new(format!("INSERT INTO accounts ({COLS}) VALUES (")).bind_list(&vals).push(")").build().execute(&mut *conn).await?;
                id
            }
        };
        ids.insert(a.external_id.clone(), id);
    }
    Ok(ids)
}

/// Filter fields of accounts and their columns.
pub const FILTER_COLUMNS: &[(&str, &str)] = &[("account.id", "id"), ("connection.id", "connection_id"), ("institution.id", "institution_id")];

/// Accounts of an owner that match a (validated) filter.
pub async fn list(conn: &mut AnyConnection, app_id: &str, owner: &Owner<'_>, filter: &tally_api::Filter) -> Result<Vec<AccountRow>, sqlx::Error> {
    let (col, val) = owner.condition();
    let mut sql = Sql::new(format!("SELECT {COLS} FROM accounts WHERE app_id = "));
    sql.bind(app_id.to_string()).push(&format!(" AND {col} = ")).bind(val);
    super::sql::and_filter(&mut sql, filter, FILTER_COLUMNS);
    sql.push(" ORDER BY connection_id, name, id").build_query_as().fetch_all(conn).await
}

pub async fn get(conn: &mut AnyConnection, app_id: &str, id: &str) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLS} FROM accounts WHERE app_id = $1 AND id = $2")).bind(app_id).bind(id).fetch_optional(conn).await
}

/// Account ids of a connection, for the connection's `accounts` list.
pub async fn ids_for_connection(conn: &mut AnyConnection, connection_id: &str) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT id FROM accounts WHERE connection_id = $1 ORDER BY name, id")
        .bind(connection_id)
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
