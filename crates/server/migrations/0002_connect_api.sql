-- The Connect API's resources. Portable SQL (SQLite and PostgreSQL through sqlx Any):
-- ids and timestamps are TEXT (RFC 3339 UTC, so text order is time order), dates are
-- TEXT YYYY-MM-DD, money is BIGINT cents, booleans are BIGINT 0/1.
-- No foreign-key cascades: deletes are explicit, in one transaction, in store/.

CREATE TABLE applications (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    -- argon2 PHC string of the key's secret half; the key itself is never stored.
    key_hash    TEXT NOT NULL,
    is_demo     BIGINT NOT NULL DEFAULT 0,
    created     TEXT NOT NULL
);

CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    app_id      TEXT NOT NULL,
    email       TEXT,
    mobile      TEXT,
    created     TEXT NOT NULL
);
CREATE INDEX users_app ON users (app_id);

-- user_id is NULL for connections made through the 1.0 API (they belong to the
-- application until POST /users/{id}/link moves them under a user).
CREATE TABLE connections (
    id                      TEXT PRIMARY KEY,
    app_id                  TEXT NOT NULL,
    user_id                 TEXT,
    institution_id          TEXT NOT NULL,
    status                  TEXT NOT NULL,
    -- AES-256-GCM sealed JSON of the credentials; NULLed before the row is deleted.
    credentials             TEXT,
    mfa_enabled             BIGINT NOT NULL DEFAULT 0,
    created_date            TEXT NOT NULL,
    last_used               TEXT,
    last_refreshed          TEXT,
    next_scheduled_refresh  TEXT
);
CREATE INDEX connections_user ON connections (user_id);
CREATE INDEX connections_app ON connections (app_id);

CREATE TABLE accounts (
    id              TEXT PRIMARY KEY,
    app_id          TEXT NOT NULL,
    user_id         TEXT,
    connection_id   TEXT NOT NULL,
    institution_id  TEXT NOT NULL,
    -- The institution's own key for the account, stable across refreshes.
    external_id     TEXT NOT NULL,
    account_no      TEXT NOT NULL,
    name            TEXT NOT NULL,
    currency        TEXT NOT NULL,
    balance         BIGINT NOT NULL,
    available_funds BIGINT NOT NULL,
    class_type      TEXT NOT NULL,
    product         TEXT NOT NULL,
    status          TEXT NOT NULL,
    last_updated    TEXT NOT NULL,
    UNIQUE (connection_id, external_id)
);
CREATE INDEX accounts_user ON accounts (user_id);

CREATE TABLE transactions (
    id              TEXT PRIMARY KEY,
    app_id          TEXT NOT NULL,
    user_id         TEXT,
    connection_id   TEXT NOT NULL,
    account_id      TEXT NOT NULL,
    institution_id  TEXT NOT NULL,
    -- Stable key of a posted transaction at the institution; pending ones get a fresh
    -- key (and id) on every refresh, as the contract says.
    external_id     TEXT NOT NULL,
    status          TEXT NOT NULL,
    description     TEXT NOT NULL,
    amount          BIGINT NOT NULL,
    direction       TEXT NOT NULL,
    class           TEXT NOT NULL,
    balance         BIGINT,
    transaction_date TEXT,
    post_date       TEXT,
    -- The list order as one text key (account, pending first, newest first, id), so
    -- keyset paging is a single `page_key > $cursor` on an index.
    page_key        TEXT NOT NULL,
    mcc             BIGINT,
    sub_class_code  TEXT,
    sub_class_title TEXT,
    category_id     TEXT,
    category_title  TEXT,
    category_confidence TEXT,
    category_source TEXT,
    merchant_name   TEXT,
    merchant_key    TEXT,
    UNIQUE (account_id, external_id)
);
CREATE INDEX transactions_user_page ON transactions (user_id, page_key);
CREATE INDEX transactions_conn_page ON transactions (connection_id, page_key);
CREATE INDEX transactions_user_merchant ON transactions (user_id, merchant_key);

CREATE TABLE jobs (
    id              TEXT PRIMARY KEY,
    app_id          TEXT NOT NULL,
    user_id         TEXT,
    connection_id   TEXT NOT NULL,
    -- create | refresh | update
    kind            TEXT NOT NULL,
    -- user | scheduled
    job_trigger     TEXT NOT NULL DEFAULT 'user',
    -- queued | running | awaiting-mfa | success | failed
    state           TEXT NOT NULL,
    -- The steps as the wire shows them, JSON.
    steps           TEXT NOT NULL,
    mfa_response    TEXT,
    mfa_expires     TEXT,
    lease_until     TEXT,
    attempts        BIGINT NOT NULL DEFAULT 0,
    created         TEXT NOT NULL,
    updated         TEXT NOT NULL
);
CREATE INDEX jobs_state ON jobs (state, lease_until);
CREATE INDEX jobs_connection ON jobs (connection_id);
CREATE INDEX jobs_user ON jobs (user_id);

-- A user's category corrections, by merchant: applied to later transactions too.
CREATE TABLE category_corrections (
    user_id         TEXT NOT NULL,
    merchant_key    TEXT NOT NULL,
    category_id     TEXT NOT NULL,
    created         TEXT NOT NULL,
    PRIMARY KEY (user_id, merchant_key)
);

CREATE TABLE expense_snapshots (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL,
    body        TEXT NOT NULL,
    created     TEXT NOT NULL
);
CREATE INDEX expense_snapshots_user ON expense_snapshots (user_id);
