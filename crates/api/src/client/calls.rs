//! One method per endpoint: each runs the matching [`endpoints`] description.

use super::endpoints;
use super::error::Error;
use super::filter_builder::ToFilter;
use super::transport::Transport;
use super::Client;
use crate::{
    Account, CategoryCorrection, Connection, ExpensesRequest, Institution, Job, LinkConnection, List, MfaResponse, NewConnection, NewUser,
    TokenResponse, Transaction, UpdateConnection, User,
};

impl<T: Transport> Client<T> {
    /// `POST /token` for `scope` with `api_key`, bypassing the cache (see
    /// [`Client::mint_client_token`] for the usual case).
    pub async fn request_token(&self, api_key: &str, scope: &super::Scope) -> Result<TokenResponse, Error> {
        self.execute(endpoints::token(api_key, scope, self.version())).await
    }

    /// `GET /institutions`
    pub async fn institutions(&self) -> Result<List<Institution>, Error> {
        self.execute(endpoints::institutions()).await
    }

    /// `GET /institutions/{id}`
    pub async fn institution(&self, id: &str) -> Result<Institution, Error> {
        self.execute(endpoints::institution(id)).await
    }

    /// `GET /public/institutions` (works without a token).
    pub async fn public_institutions(&self) -> Result<List<Institution>, Error> {
        self.execute(endpoints::public_institutions()).await
    }

    /// `POST /users`: email or mobile required.
    pub async fn create_user(&self, user: &NewUser) -> Result<User, Error> {
        self.execute(endpoints::create_user(user)).await
    }

    /// `GET /users/{id}`
    pub async fn user(&self, id: &str) -> Result<User, Error> {
        self.execute(endpoints::user(id)).await
    }

    /// `POST /users/{id}`: change email and/or mobile.
    pub async fn update_user(&self, id: &str, changes: &NewUser) -> Result<User, Error> {
        self.execute(endpoints::update_user(id, changes)).await
    }

    /// `DELETE /users/{id}` with all their data.
    pub async fn delete_user(&self, id: &str) -> Result<(), Error> {
        self.execute(endpoints::delete_user(id)).await
    }

    /// `POST /users/{id}/link`: attach 1.0 connections (migration), all or nothing.
    pub async fn link_connections(&self, user_id: &str, connection_ids: &[&str]) -> Result<List<Connection>, Error> {
        let body: Vec<LinkConnection> = connection_ids.iter().map(|c| LinkConnection { connection_id: c.to_string() }).collect();
        self.execute(endpoints::link_connections(user_id, &body)).await
    }

    /// `POST /users/{id}/connections`: returns the job that verifies and fetches;
    /// follow it with [`Client::wait_for_step`] or [`Client::job_updates`].
    pub async fn create_connection(&self, user_id: &str, connection: &NewConnection) -> Result<Job, Error> {
        self.execute(endpoints::create_connection(user_id, connection)).await
    }

    /// `POST /users/{id}/statements`: uploads a bank's statement export (OFX/QFX, QIF or
    /// CSV, up to 10 MiB) for an institution whose `methods` include `statement` (or
    /// `AU19999`, "Other bank"). Returns the job that reads it, with a connection's
    /// three steps; follow it like any connection's job. A file that cannot be read
    /// fails `verify-credentials` with `statement-not-readable` and a detail naming the
    /// line, and nothing is stored. Uploading a newer (or the same) file for the same
    /// institution adds only the transactions not already held.
    ///
    /// ```no_run
    /// # #[cfg(feature = "native")]
    /// # async fn demo(user_id: &str) -> Result<(), tally_api::client::Error> {
    /// use std::time::Duration;
    /// use tally_api::client::{Client, StepTitle};
    ///
    /// let api = Client::with_api_key("http://127.0.0.1:8080", "my-api-key");
    /// let file = std::fs::read("CSVData.csv").expect("the bank's export");
    /// let job = api.upload_statement(user_id, "AU10001", "CSVData.csv", file).await?;
    /// // A bad file: Err with code() "statement-not-readable" and detail() naming the line.
    /// api.wait_for_step(&job.id, StepTitle::RetrieveTransactions, Duration::from_secs(60)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn upload_statement(&self, user_id: &str, institution_id: &str, filename: &str, bytes: impl Into<std::sync::Arc<[u8]>>) -> Result<Job, Error> {
        self.execute(endpoints::upload_statement(user_id, institution_id, filename, bytes)).await
    }

    /// `GET /users/{id}/connections[?filter=]`
    pub async fn connections(&self, user_id: &str, filter: impl ToFilter) -> Result<List<Connection>, Error> {
        self.execute(endpoints::connections(user_id, &filter.to_filter())).await
    }

    /// `GET /users/{id}/connections/{cid}`
    pub async fn connection(&self, user_id: &str, connection_id: &str) -> Result<Connection, Error> {
        self.execute(endpoints::connection(user_id, connection_id)).await
    }

    /// `POST /users/{id}/connections/{cid}`: new credentials; returns the job.
    pub async fn update_connection(&self, user_id: &str, connection_id: &str, changes: &UpdateConnection) -> Result<Job, Error> {
        self.execute(endpoints::update_connection(user_id, connection_id, changes)).await
    }

    /// `DELETE /users/{id}/connections/{cid}`
    pub async fn delete_connection(&self, user_id: &str, connection_id: &str) -> Result<(), Error> {
        self.execute(endpoints::delete_connection(user_id, connection_id)).await
    }

    /// `POST /users/{id}/connections/{cid}/refresh`: the new job, or the one already
    /// queued or running for this connection.
    pub async fn refresh_connection(&self, user_id: &str, connection_id: &str) -> Result<Job, Error> {
        self.execute(endpoints::refresh_connection(user_id, connection_id)).await
    }

    /// `POST /users/{id}/connections/refresh`: refresh every connection; one job each.
    pub async fn refresh_all(&self, user_id: &str) -> Result<List<Job>, Error> {
        self.execute(endpoints::refresh_all(user_id)).await
    }

    /// `GET /jobs/{id}`
    pub async fn job(&self, id: &str) -> Result<Job, Error> {
        self.execute(endpoints::job(id)).await
    }

    /// `GET /users/{id}/jobs[?filter=]`
    pub async fn user_jobs(&self, user_id: &str, filter: impl ToFilter) -> Result<List<Job>, Error> {
        self.execute(endpoints::user_jobs(user_id, &filter.to_filter())).await
    }

    /// `POST /jobs/{id}/mfa`: the answers, in the order of the challenge's `input`.
    /// Until the server has checked them, this client's [`Client::wait_for_step`]
    /// keeps waiting instead of reporting the (answered) challenge again.
    pub async fn answer_mfa(&self, job_id: &str, answers: &[&str]) -> Result<Job, Error> {
        let body = MfaResponse { mfa_response: answers.iter().map(|a| a.to_string()).collect() };
        let job = self.execute(endpoints::answer_mfa(job_id, &body)).await?;
        self.remember_answer(&job);
        Ok(job)
    }

    /// `GET /users/{id}/accounts[?filter=]`
    pub async fn accounts(&self, user_id: &str, filter: impl ToFilter) -> Result<List<Account>, Error> {
        self.execute(endpoints::accounts(user_id, &filter.to_filter())).await
    }

    /// `GET /users/{id}/accounts/{aid}`
    pub async fn account(&self, user_id: &str, account_id: &str) -> Result<Account, Error> {
        self.execute(endpoints::account(user_id, account_id)).await
    }

    /// `GET /users/{id}/transactions/{tid}`
    pub async fn transaction(&self, user_id: &str, transaction_id: &str) -> Result<Transaction, Error> {
        self.execute(endpoints::transaction(user_id, transaction_id)).await
    }

    /// `PUT /users/{id}/transactions/{tid}/category`: the user's category for a
    /// transaction (a slug of the taxonomy, e.g. `groceries`).
    pub async fn correct_category(&self, user_id: &str, transaction_id: &str, category: &str) -> Result<Transaction, Error> {
        let body = CategoryCorrection { category: category.to_string() };
        self.execute(endpoints::correct_category(user_id, transaction_id, &body)).await
    }

    /// `POST /users/{id}/expenses`: spending by expense division for `YYYY-MM` months,
    /// stored as a snapshot (its `id` reads it again with [`Client::expenses_snapshot`]).
    pub async fn expenses(&self, user_id: &str, months: &ExpensesRequest) -> Result<crate::Expenses, Error> {
        self.execute(endpoints::expenses(user_id, months)).await
    }

    /// `GET /users/{id}/expenses/{snapshotId}`
    pub async fn expenses_snapshot(&self, user_id: &str, snapshot_id: &str) -> Result<crate::Expenses, Error> {
        self.execute(endpoints::expenses_snapshot(user_id, snapshot_id)).await
    }

    /// `GET /scheduler`: scheduled refreshes a day (SERVER_ACCESS).
    pub async fn scheduler(&self) -> Result<super::Scheduler, Error> {
        self.execute(endpoints::scheduler()).await
    }

    /// `PUT /scheduler`: set scheduled refreshes a day, 0 (off) to 5 (SERVER_ACCESS).
    pub async fn set_refreshes_per_day(&self, refreshes_per_day: u8) -> Result<super::Scheduler, Error> {
        self.execute(endpoints::set_scheduler(&super::SchedulerUpdate { refreshes_per_day })).await
    }
}
