//! The credentials form as data: which fields an institution asks for (from its
//! captions) and whether what the user typed can be sent.

use tally_api::{Institution, InstitutionId, NewConnection};

use crate::i18n::Strings;

/// Longest value we send; anything longer is a paste accident, not a password.
const MAX_LEN: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKind {
    Login,
    SecondaryLogin,
    Password,
    SecurityCode,
}

/// One field: what the bank calls it and how to render it.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub kind: FieldKind,
    pub label: String,
    pub secret: bool,
    /// The browser's autocomplete hint (password managers fill the right fields).
    pub autocomplete: &'static str,
}

/// The fields `inst` asks for, in order. Blank captions fall back to generic names.
pub fn fields(inst: &Institution) -> Vec<Field> {
    let caption = |c: &str, fallback: &str| if c.trim().is_empty() { fallback.to_string() } else { c.trim().to_string() };
    let mut out = vec![Field { kind: FieldKind::Login, label: caption(&inst.login_id_caption, "Login ID"), secret: false, autocomplete: "username" }];
    if let Some(c) = inst.secondary_login_id_caption.as_deref().filter(|c| !c.trim().is_empty()) {
        out.push(Field { kind: FieldKind::SecondaryLogin, label: c.trim().to_string(), secret: false, autocomplete: "off" });
    }
    out.push(Field { kind: FieldKind::Password, label: caption(&inst.password_caption, "Password"), secret: true, autocomplete: "current-password" });
    if let Some(c) = inst.security_code_caption.as_deref().filter(|c| !c.trim().is_empty()) {
        out.push(Field { kind: FieldKind::SecurityCode, label: c.trim().to_string(), secret: true, autocomplete: "one-time-code" });
    }
    out
}

/// What the user typed, by field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    pub login: String,
    pub secondary_login: String,
    pub password: String,
    pub security_code: String,
}

impl Draft {
    pub fn get(&self, kind: FieldKind) -> &str {
        match kind {
            FieldKind::Login => &self.login,
            FieldKind::SecondaryLogin => &self.secondary_login,
            FieldKind::Password => &self.password,
            FieldKind::SecurityCode => &self.security_code,
        }
    }

    pub fn set(&mut self, kind: FieldKind, value: String) {
        match kind {
            FieldKind::Login => self.login = value,
            FieldKind::SecondaryLogin => self.secondary_login = value,
            FieldKind::Password => self.password = value,
            FieldKind::SecurityCode => self.security_code = value,
        }
    }
}

/// Checks `draft` against `fields`: every shown field is required. Returns the request
/// body, or one message per invalid field. The login is trimmed; secrets are sent as typed.
pub fn validate(s: &Strings, inst: &Institution, fields: &[Field], draft: &Draft) -> Result<NewConnection, Vec<(FieldKind, String)>> {
    let errors: Vec<(FieldKind, String)> = fields
        .iter()
        .filter_map(|f| {
            let v = draft.get(f.kind);
            if v.trim().is_empty() {
                Some((f.kind, (s.required)(&f.label)))
            } else if v.chars().count() > MAX_LEN {
                Some((f.kind, (s.too_long)(&f.label)))
            } else {
                None
            }
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let has = |k: FieldKind| fields.iter().any(|f| f.kind == k);
    Ok(NewConnection {
        login_id: draft.login.trim().to_string(),
        password: draft.password.clone(),
        security_code: has(FieldKind::SecurityCode).then(|| draft.security_code.clone()),
        secondary_login_id: has(FieldKind::SecondaryLogin).then(|| draft.secondary_login.trim().to_string()),
        institution: InstitutionId { id: inst.id.clone() },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;

    fn inst(security: Option<&str>) -> Institution {
        serde_json::from_value(serde_json::json!({
            "type":"institution","id":"AU00000","name":"Hooli","shortName":"Hooli","institutionType":"Bank","country":"Australia",
            "loginIdCaption":"Customer number","passwordCaption":"","securityCodeCaption":security,"tier":"1","authorization":"user","stage":"live",
            "status":"operational","logo":{"type":"image","links":{"full":"","square":""}}
        }))
        .unwrap()
    }

    #[test]
    fn fields_come_from_the_captions() {
        let f = fields(&inst(Some("Security code")));
        let labels: Vec<&str> = f.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels, ["Customer number", "Password", "Security code"]);
        assert!(f[1].secret && f[2].secret && !f[0].secret);
        assert_eq!(fields(&inst(None)).len(), 2);
    }

    #[test]
    fn every_field_is_required_and_the_body_is_built() {
        let i = inst(Some("Security code"));
        let f = fields(&i);
        let errs = validate(&EN, &i, &f, &Draft { login: "  ".into(), ..Default::default() }).unwrap_err();
        assert_eq!(errs.len(), 3);
        assert_eq!(errs[0], (FieldKind::Login, "Enter your Customer number.".into()));
        let ok = validate(&EN, &i, &f, &Draft { login: " bighead ".into(), password: "password".into(), security_code: "1".into(), ..Default::default() }).unwrap();
        assert_eq!(ok.login_id, "bighead");
        assert_eq!(ok.security_code.as_deref(), Some("1"));
        assert_eq!(ok.institution.id, "AU00000");
        let long = Draft { login: "x".repeat(300), password: "p".into(), security_code: "1".into(), ..Default::default() };
        assert_eq!(validate(&EN, &i, &f, &long).unwrap_err()[0].0, FieldKind::Login);
    }
}
