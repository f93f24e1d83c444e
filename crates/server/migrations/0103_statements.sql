-- Statement upload (POST /users/{id}/statements).
-- A connection's method: 'login' (a connector signs in and refreshes it) or
-- 'statement' (its data came from uploaded files; refresh and the scheduler skip it).
ALTER TABLE connections ADD COLUMN method TEXT NOT NULL DEFAULT 'login';

-- An uploaded file waiting for its job. The bytes are sealed (AES-256-GCM, like bank
-- credentials: a bank export is as private) and the row is deleted when the job ends,
-- so the file lives only as long as it is needed.
CREATE TABLE statement_uploads (
    job_id          TEXT PRIMARY KEY,
    app_id          TEXT NOT NULL,
    connection_id   TEXT NOT NULL,
    filename        TEXT NOT NULL,
    size            BIGINT NOT NULL,
    body            TEXT NOT NULL,
    created         TEXT NOT NULL
);
CREATE INDEX statement_uploads_connection ON statement_uploads (connection_id);
