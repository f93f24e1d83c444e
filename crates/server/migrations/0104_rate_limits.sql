-- Rate limits shared by every instance on one database (PostgreSQL deployments):
-- one row per limited key holding its GCRA "theoretical arrival time" in
-- microseconds since the Unix epoch (ratelimit.rs, store/rate_limits.rs).
CREATE TABLE rate_limits (
    key     TEXT PRIMARY KEY,
    tat     BIGINT NOT NULL
);
