//! The options a host passes to `mount` (or sets as attributes on `<tally-connect>`),
//! validated once so every part of the widget can trust them.

use wasm_bindgen::JsValue;

/// Valid, normalised options.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Base URL of the Tally server, without a trailing slash.
    pub api_base: String,
    /// The host backend's endpoint that mints a CLIENT_ACCESS token for the signed-in user.
    pub token_url: Option<String>,
    pub theme: Theme,
    pub locale: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

/// Why options were rejected; shown in the widget and sent in a `tally:error` event.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OptionsError {
    #[error("The api-base attribute is missing: set it to your Tally server's URL, e.g. https://api.example.com.")]
    MissingApiBase,
    #[error("api-base \"{0}\" is not an http(s) URL.")]
    BadApiBase(String),
    #[error("theme \"{0}\" is not supported: use \"light\" or \"dark\".")]
    BadTheme(String),
    #[error("The options passed to mount() must be an object.")]
    NotAnObject,
}

/// Raw option values as strings, before validation (pure, testable without a browser).
#[derive(Debug, Clone, Default)]
pub struct RawOptions {
    pub api_base: Option<String>,
    pub token_url: Option<String>,
    pub theme: Option<String>,
    pub locale: Option<String>,
}

impl RawOptions {
    pub fn validate(self) -> Result<Options, OptionsError> {
        let api_base = self.api_base.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).ok_or(OptionsError::MissingApiBase)?;
        if !(api_base.starts_with("http://") || api_base.starts_with("https://") || api_base.starts_with('/')) {
            return Err(OptionsError::BadApiBase(api_base));
        }
        let theme = match self.theme.as_deref().map(str::trim) {
            None | Some("") | Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            Some(other) => return Err(OptionsError::BadTheme(other.to_string())),
        };
        Ok(Options {
            api_base: api_base.trim_end_matches('/').to_string(),
            token_url: self.token_url.filter(|s| !s.trim().is_empty()),
            theme,
            locale: self.locale.unwrap_or_else(|| "en".into()),
        })
    }
}

impl Options {
    /// Reads `{apiBase, tokenUrl, theme, locale}` from a JS object.
    pub fn from_js(value: &JsValue) -> Result<Options, OptionsError> {
        if !value.is_object() {
            return Err(OptionsError::NotAnObject);
        }
        let get = |key: &str| js_sys::Reflect::get(value, &JsValue::from_str(key)).ok().and_then(|v| v.as_string());
        RawOptions { api_base: get("apiBase"), token_url: get("tokenUrl"), theme: get("theme"), locale: get("locale") }.validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(api: &str) -> RawOptions {
        RawOptions { api_base: Some(api.into()), ..Default::default() }
    }

    #[test]
    fn trailing_slash_is_trimmed_and_defaults_apply() {
        let o = raw("http://127.0.0.1:8080/").validate().unwrap();
        assert_eq!(o.api_base, "http://127.0.0.1:8080");
        assert_eq!(o.theme, Theme::Light);
        assert_eq!(o.locale, "en");
    }

    #[test]
    fn missing_or_bad_values_are_named() {
        assert_eq!(RawOptions::default().validate(), Err(OptionsError::MissingApiBase));
        assert_eq!(raw("  ").validate(), Err(OptionsError::MissingApiBase));
        assert_eq!(raw("ftp://x").validate(), Err(OptionsError::BadApiBase("ftp://x".into())));
        let bad_theme = RawOptions { theme: Some("neon".into()), ..raw("/api") };
        assert_eq!(bad_theme.validate(), Err(OptionsError::BadTheme("neon".into())));
    }
}
