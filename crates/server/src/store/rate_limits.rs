//! The `rate_limits` table: GCRA in one statement, so instances sharing a database
//! share a limit without a lock or a read-modify-write race.
//!
//! A key's row holds `tat`, the time its bucket is next empty. A request at `now` is
//! allowed when `max(tat, now) + interval - tolerance <= now` (tolerance = burst ×
//! interval), and then moves `tat` to `max(tat, now) + interval`. The upsert's
//! `WHERE` makes the check and the move one atomic step on both databases.

use sqlx::AnyConnection;

/// `Ok(None)` if allowed; `Ok(Some(wait))` with microseconds until it would be.
pub async fn take(conn: &mut AnyConnection, key: &str, now: i64, interval: i64, tolerance: i64) -> Result<Option<i64>, sqlx::Error> {
    let allowed: Option<i64> = sqlx::query_scalar(
        "INSERT INTO rate_limits (key, tat) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET tat = (CASE WHEN rate_limits.tat > $3 THEN rate_limits.tat ELSE $3 END) + $4 \
         WHERE (CASE WHEN rate_limits.tat > $3 THEN rate_limits.tat ELSE $3 END) + $4 - $5 <= $3 \
         RETURNING tat",
    )
    .bind(key)
    .bind(now.saturating_add(interval))
    .bind(now)
    .bind(interval)
    .bind(tolerance)
    .fetch_optional(&mut *conn)
    .await?;
    if allowed.is_some() {
        return Ok(None);
    }
    let tat: Option<i64> = sqlx::query_scalar("SELECT tat FROM rate_limits WHERE key = $1").bind(key).fetch_optional(&mut *conn).await?;
    let tat = tat.unwrap_or(now);
    Ok(Some((tat.max(now) + interval - tolerance - now).max(1)))
}
