//! The optional settings file (`--config FILE` or `TALLY_CONFIG`), TOML:
//!
//! ```toml
//! listen = "0.0.0.0:8080"
//! database-url = "postgres://tally@db/tally"
//! secret-key-file = "/etc/tally/secret.key"   # or secret-key = "…"
//! cors-origins = ["https://my.site"]
//! refreshes-per-day = 5                       # the scheduler's default, 0 to 5
//! static-root = "/srv/tally"
//! demo = false
//! sandbox-latency-ms = 0
//! max-connections-per-user = 25               # per-user quotas (quota.rs)
//! max-jobs-per-user-per-minute = 60
//! max-uploads-per-user-per-hour = 60
//! max-snapshots-per-user = 50
//! max-expense-months = 120
//! header-read-timeout-secs = 10
//! body-read-timeout-secs = 30
//! request-timeout-secs = 30
//! max-connections = 512
//! key-check-burst = 10
//! key-checks-per-minute = 60
//! ```
//!
//! Why through the environment: every setting already has a flag and an environment
//! variable (clap reads both), so the file only fills the variables that are not set.
//! That gives one order for every setting without a second parser: flag, then
//! environment, then file, then the built-in default. Pure: text in, pairs out.

use serde::Deserialize;

/// The file's keys; anything else is refused by name, so a typo is not ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SettingsFile {
    listen: Option<String>,
    database_url: Option<String>,
    secret_key: Option<String>,
    secret_key_file: Option<String>,
    static_root: Option<String>,
    demo: Option<bool>,
    sandbox_latency_ms: Option<u64>,
    cors_origins: Option<Vec<String>>,
    refreshes_per_day: Option<u8>,
    max_connections_per_user: Option<u32>,
    max_jobs_per_user_per_minute: Option<u32>,
    max_uploads_per_user_per_hour: Option<u32>,
    max_snapshots_per_user: Option<u32>,
    max_expense_months: Option<u32>,
    header_read_timeout_secs: Option<u64>,
    body_read_timeout_secs: Option<u64>,
    request_timeout_secs: Option<u64>,
    max_connections: Option<u64>,
    key_check_burst: Option<u32>,
    key_checks_per_minute: Option<u32>,
}

/// `(environment variable, value)` for every setting the file gives.
pub fn env_pairs(text: &str) -> Result<Vec<(&'static str, String)>, String> {
    let f: SettingsFile = toml::from_str(text).map_err(|e| e.to_string())?;
    if f.refreshes_per_day.is_some_and(|n| n > 5) {
        return Err("refreshes-per-day must be from 0 to 5".into());
    }
    if let Some(o) = f.cors_origins.iter().flatten().find(|o| o.contains(',')) {
        return Err(format!("cors-origins: '{o}' is not one origin (no commas)"));
    }
    let mut out = Vec::new();
    let mut put = |var: &'static str, v: Option<String>| {
        if let Some(v) = v {
            out.push((var, v));
        }
    };
    put("TALLY_LISTEN", f.listen);
    put("DATABASE_URL", f.database_url);
    put("TALLY_SECRET_KEY", f.secret_key);
    put("TALLY_SECRET_KEY_FILE", f.secret_key_file);
    put("TALLY_STATIC_ROOT", f.static_root);
    put("TALLY_DEMO", f.demo.map(|b| b.to_string()));
    put("TALLY_SANDBOX_LATENCY_MS", f.sandbox_latency_ms.map(|n| n.to_string()));
    put("TALLY_CORS_ORIGINS", f.cors_origins.map(|o| o.join(",")));
    put("TALLY_REFRESHES_PER_DAY", f.refreshes_per_day.map(|n| n.to_string()));
    put("TALLY_MAX_CONNECTIONS_PER_USER", f.max_connections_per_user.map(|n| n.to_string()));
    put("TALLY_MAX_JOBS_PER_USER_PER_MINUTE", f.max_jobs_per_user_per_minute.map(|n| n.to_string()));
    put("TALLY_MAX_UPLOADS_PER_USER_PER_HOUR", f.max_uploads_per_user_per_hour.map(|n| n.to_string()));
    put("TALLY_MAX_SNAPSHOTS_PER_USER", f.max_snapshots_per_user.map(|n| n.to_string()));
    put("TALLY_MAX_EXPENSE_MONTHS", f.max_expense_months.map(|n| n.to_string()));
    put("TALLY_HEADER_READ_TIMEOUT_SECS", f.header_read_timeout_secs.map(|n| n.to_string()));
    put("TALLY_BODY_READ_TIMEOUT_SECS", f.body_read_timeout_secs.map(|n| n.to_string()));
    put("TALLY_REQUEST_TIMEOUT_SECS", f.request_timeout_secs.map(|n| n.to_string()));
    put("TALLY_MAX_CONNECTIONS", f.max_connections.map(|n| n.to_string()));
    put("TALLY_KEY_CHECK_BURST", f.key_check_burst.map(|n| n.to_string()));
    put("TALLY_KEY_CHECKS_PER_MINUTE", f.key_checks_per_minute.map(|n| n.to_string()));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_become_the_settings_variables() {
        let pairs = env_pairs("listen = \"0.0.0.0:9000\"\ncors-origins = [\"https://a.example\", \"https://b.example\"]\nrefreshes-per-day = 3\ndemo = true\n").unwrap();
        assert_eq!(
            pairs,
            [
                ("TALLY_LISTEN", "0.0.0.0:9000".to_string()),
                ("TALLY_DEMO", "true".to_string()),
                ("TALLY_CORS_ORIGINS", "https://a.example,https://b.example".to_string()),
                ("TALLY_REFRESHES_PER_DAY", "3".to_string()),
            ]
        );
        assert!(env_pairs("").unwrap().is_empty());
    }

    #[test]
    fn mistakes_are_named() {
        assert!(env_pairs("lissen = \"x\"").unwrap_err().contains("lissen"));
        assert!(env_pairs("refreshes-per-day = 9").unwrap_err().contains("0 to 5"));
        assert!(env_pairs("refreshes-per-day = \"five\"").is_err());
        assert!(env_pairs("cors-origins = [\"https://a, https://b\"]").unwrap_err().contains("no commas"));
        assert!(env_pairs("not toml at all [").is_err());
    }
}
