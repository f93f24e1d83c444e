//! Refreshes a day per application: its own choice (`PUT /scheduler`) or the server's
//! configured default.

use sqlx::AnyConnection;

use super::plan::MAX_PER_DAY;
use crate::Config;

/// The refreshes a day in force for `app_id`. A stored value out of range (written by
/// hand) is clamped rather than trusted.
pub async fn per_day(conn: &mut AnyConnection, config: &Config, app_id: &str) -> Result<u8, sqlx::Error> {
    let chosen = crate::store::schedules::per_day(conn, app_id).await?;
    Ok(chosen.map(|n| n.clamp(0, i64::from(MAX_PER_DAY)) as u8).unwrap_or(config.refreshes_per_day.min(MAX_PER_DAY)))
}

/// Validates a requested value: an integer from 0 to 5.
pub fn parse(value: &serde_json::Value) -> Result<u8, String> {
    match value.as_i64() {
        Some(n) if (0..=i64::from(MAX_PER_DAY)).contains(&n) => Ok(n as u8),
        Some(n) => Err(format!("'refreshesPerDay' must be from 0 to {MAX_PER_DAY}; got {n}.")),
        None if value.is_u64() || value.is_f64() => Err(format!("'refreshesPerDay' must be a whole number from 0 to {MAX_PER_DAY}; got {value}.")),
        None => Err(format!("'refreshesPerDay' must be a whole number from 0 to {MAX_PER_DAY}, not {value}.")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::parse;

    #[test]
    fn accepts_whole_numbers_zero_to_five_only() {
        for n in 0..=5 {
            assert_eq!(parse(&json!(n)), Ok(n as u8));
        }
        for bad in [json!(6), json!(-1), json!(2.5), json!("3"), json!(null), json!(true), json!(u64::MAX), json!([1])] {
            assert!(parse(&bad).is_err(), "{bad}");
        }
    }
}
