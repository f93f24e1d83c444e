-- The scheduler (issue 6). Portable SQL, conventions as in 0002: TEXT RFC 3339 UTC
-- timestamps (text order is time order), BIGINT 0/1 booleans.

-- Refreshes a day chosen by an application (GET/PUT /scheduler); no row → the
-- server's configured default.
CREATE TABLE scheduler_settings (
    app_id              TEXT PRIMARY KEY,
    refreshes_per_day   BIGINT NOT NULL,
    updated             TEXT NOT NULL
);

-- One row per connection: when it is next due, and who holds it while deciding.
-- A separate table (not columns on connections) so claiming touches only narrow rows
-- and the scheduler's writes never contend with the API's on a connection row, except
-- to copy the due time into connections.next_scheduled_refresh for the JSON.
CREATE TABLE schedules (
    connection_id   TEXT PRIMARY KEY,
    app_id          TEXT NOT NULL,
    -- NULL: not scheduled (0 refreshes a day, or given up after a week of failures).
    due_at          TEXT,
    -- 1: due_at is a placeholder; work out the real one without refreshing.
    replan          BIGINT NOT NULL DEFAULT 0,
    -- When the scheduler last queued a job, and which.
    last_run_at     TEXT,
    job_id          TEXT,
    -- 1 while the outcome of job_id has not been looked at.
    awaiting_job    BIGINT NOT NULL DEFAULT 0,
    -- Set while retrying after service-unavailable.
    failing_since   TEXT,
    given_up_at     TEXT,
    -- The instance deciding about this row, until lease_until.
    lease_owner     TEXT,
    lease_until     TEXT
);
CREATE INDEX schedules_due ON schedules (due_at);
CREATE INDEX schedules_app ON schedules (app_id);
CREATE INDEX schedules_awaiting ON schedules (awaiting_job) WHERE awaiting_job = 1;
CREATE INDEX schedules_given_up ON schedules (given_up_at) WHERE given_up_at IS NOT NULL;

-- New connections are found by creation time (see scheduler/store.rs `enroll`).
CREATE INDEX connections_created ON connections (created_date);
