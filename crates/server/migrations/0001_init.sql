-- Portable SQL: runs unchanged on SQLite and PostgreSQL (through sqlx's Any driver).
-- Timestamps are RFC 3339 text in UTC, ids are text, money is integer cents.
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
