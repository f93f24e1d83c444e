//! The sandbox institutions, as the contract describes them: Hooli (AU00000) with its
//! test users, and two MFA banks. Plain data so every part of the server (and the
//! tests) see the same list.

use tally_api::{AverageDurationMs, ConnectMethod, Institution, InstitutionStats, Links, Logo, LogoLinks};

/// A sandbox institution's description; turned into the wire type on demand.
struct Spec {
    id: &'static str,
    name: &'static str,
    short_name: &'static str,
    tier: &'static str,
    authorization: &'static str,
    status: &'static str,
    security_code_caption: Option<&'static str>,
}

const SPECS: &[Spec] = &[
    Spec { id: "AU00000", name: "Hooli", short_name: "Hooli", tier: "1", authorization: "user", status: "operational", security_code_caption: None },
    Spec { id: "AU00001", name: "Pied Piper Bank", short_name: "Pied Piper", tier: "2", authorization: "user-mfa", status: "operational", security_code_caption: None },
    Spec { id: "AU00002", name: "Nucleus Bank", short_name: "Nucleus", tier: "3", authorization: "user-mfa", status: "degraded-performance", security_code_caption: Some("Security code") },
];

/// Every sandbox institution in the contract's JSON shape.
pub fn all() -> Vec<Institution> {
    SPECS.iter().map(to_wire).collect()
}

/// One sandbox institution by id.
pub fn by_id(id: &str) -> Option<Institution> {
    SPECS.iter().find(|s| s.id == id).map(to_wire)
}

fn to_wire(s: &Spec) -> Institution {
    Institution {
        kind: "institution".into(),
        id: s.id.into(),
        name: s.name.into(),
        short_name: s.short_name.into(),
        institution_type: "Bank".into(),
        country: "Australia".into(),
        login_id_caption: "Login ID".into(),
        password_caption: "Password".into(),
        security_code_caption: s.security_code_caption.map(Into::into),
        secondary_login_id_caption: None,
        tier: s.tier.into(),
        authorization: s.authorization.into(),
        stage: "live".into(),
        status: s.status.into(),
        logo: Logo {
            kind: "image".into(),
            links: LogoLinks {
                full: format!("/public/institutions/{}/logo.svg", s.id),
                square: format!("/public/institutions/{}/logo.svg", s.id),
            },
        },
        stats: InstitutionStats {
            average_duration_ms: AverageDurationMs {
                verify_credentials: 1500,
                retrieve_accounts: 1500,
                retrieve_transactions: 3000,
                total: 6000,
            },
        },
        // Like Basiq, which refuses statements for its sandbox AU00000.
        methods: vec![ConnectMethod::Login],
        links: Links { self_: Some(format!("/institutions/{}", s.id)), ..Links::default() },
    }
}
