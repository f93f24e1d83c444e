-- 3.0's event feed (GET /events): what happened to a user's connections and consents,
-- written by the job worker (and so by the scheduler's refreshes) and by consent
-- revocation. `data` is the resource as it was, as JSON text.
CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    app_id      TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    entity      TEXT NOT NULL,
    event_type  TEXT NOT NULL,
    data_ref    TEXT NOT NULL,
    data        TEXT NOT NULL,
    created     TEXT NOT NULL
);
CREATE INDEX events_app_created ON events (app_id, created);

-- 3.0's consents: what a user agreed to share, and until when. Connections made under
-- a consent name it; revoking the consent deletes them and their data.
CREATE TABLE consents (
    id          TEXT PRIMARY KEY,
    app_id      TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    origin      TEXT NOT NULL,
    status      TEXT NOT NULL,
    created     TEXT NOT NULL,
    updated     TEXT NOT NULL,
    expiry      TEXT NOT NULL,
    revoked     TEXT
);
CREATE INDEX consents_user ON consents (user_id);
ALTER TABLE connections ADD COLUMN consent_id TEXT;
