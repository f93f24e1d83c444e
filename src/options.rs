//! The options a host passes to `mount` (or sets as attributes on `<tally-connect>`),
//! validated once so every part of the widget can trust them.

use wasm_bindgen::{JsCast, JsValue};

/// Where the widget gets its CLIENT_ACCESS token from.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenSource {
    /// The host backend's endpoint; the widget POSTs to it (same-origin cookies identify the user).
    Url(String),
    /// A host function returning (a Promise of) `{access_token, expires_in, user_id}`.
    Function(js_sys::Function),
}

/// Valid, normalised options.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Base URL of the Tally server, without a trailing slash.
    pub api_base: String,
    /// Where client tokens come from. `None` is valid: the host may provide it later
    /// (the widget waits and says so).
    pub token: Option<TokenSource>,
    pub theme: Theme,
    /// BCP 47 tag; strings fall back to English (see `i18n`).
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
    #[error("getToken must be a function returning a Promise of {{access_token, expires_in, user_id}}.")]
    GetTokenNotAFunction,
    #[error("{0} must be a string.")]
    NotAString(&'static str),
}

/// Raw option values as strings, before validation (pure, testable without a browser).
#[derive(Debug, Clone, Default)]
pub struct RawOptions {
    pub api_base: Option<String>,
    pub token_url: Option<String>,
    pub theme: Option<String>,
    pub locale: Option<String>,
    /// The host's `getToken` function; wins over `token_url`.
    pub get_token: Option<js_sys::Function>,
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
            token: match (self.get_token, self.token_url.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())) {
                (Some(f), _) => Some(TokenSource::Function(f)),
                (None, Some(url)) => Some(TokenSource::Url(url)),
                (None, None) => None,
            },
            theme,
            locale: self.locale.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).unwrap_or_else(|| "en".into()),
        })
    }
}

impl Options {
    /// Reads `{apiBase, tokenUrl, getToken, theme, locale}` from a JS object. Absent,
    /// `null` and `undefined` are "not set"; any other wrong type is named.
    pub fn from_js(value: &JsValue) -> Result<Options, OptionsError> {
        if !value.is_object() {
            return Err(OptionsError::NotAnObject);
        }
        let raw = |key: &str| js_sys::Reflect::get(value, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null());
        let string = |key: &'static str| -> Result<Option<String>, OptionsError> {
            match raw(key) {
                None => Ok(None),
                Some(v) => v.as_string().map(Some).ok_or(OptionsError::NotAString(key)),
            }
        };
        let get_token = match raw("getToken") {
            None => None,
            Some(v) => Some(v.dyn_into::<js_sys::Function>().map_err(|_| OptionsError::GetTokenNotAFunction)?),
        };
        RawOptions {
            api_base: string("apiBase")?,
            token_url: string("tokenUrl")?,
            theme: string("theme")?,
            locale: string("locale")?,
            get_token,
        }
        .validate()
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
        assert_eq!(o.token, None, "no token source yet is allowed: it may arrive later");
        let with_url = RawOptions { token_url: Some(" /demo/token ".into()), ..raw("/") }.validate().unwrap();
        assert_eq!(with_url.token, Some(TokenSource::Url("/demo/token".into())));
        assert_eq!(with_url.api_base, "");
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
