//! The statement-only institutions: Australia's major banks and neobanks by their real
//! names, and "Other bank" for a file from anywhere else. Tally has no live connector
//! for them, so their `methods` is `["statement"]`: a user brings their data in by
//! uploading the export their bank's website gives them. The ids are Tally's own
//! (`AU1xxxx`, clear of the sandbox's `AU0000x`); the logos are the monograms
//! `routes/institutions.rs` draws, as Tally ships no bank's artwork.

use tally_api::{AverageDurationMs, ConnectMethod, Institution, InstitutionStats, Links, Logo, LogoLinks};

use crate::connector::Connectors;

/// The id of "Other bank": any file, from any bank.
pub const OTHER_BANK: &str = "AU19999";

/// (id, name, short name, institution type, tier)
const BANKS: &[(&str, &str, &str, &str, &str)] = &[
    ("AU10001", "Commonwealth Bank of Australia", "CommBank", "Bank", "1"),
    ("AU10002", "Westpac Banking Corporation", "Westpac", "Bank", "1"),
    ("AU10003", "Australia and New Zealand Banking Group", "ANZ", "Bank", "1"),
    ("AU10004", "National Australia Bank", "NAB", "Bank", "1"),
    ("AU10005", "Macquarie Bank", "Macquarie", "Bank", "2"),
    ("AU10006", "ING Australia", "ING", "Bank", "2"),
    ("AU10007", "Bendigo Bank", "Bendigo", "Bank", "2"),
    ("AU10008", "Bank of Queensland", "BOQ", "Bank", "2"),
    ("AU10009", "Suncorp Bank", "Suncorp", "Bank", "2"),
    ("AU10010", "St.George Bank", "St.George", "Bank", "2"),
    ("AU10011", "Bankwest", "Bankwest", "Bank", "2"),
    ("AU10012", "Bank of Melbourne", "Bank of Melbourne", "Bank", "2"),
    ("AU10013", "BankSA", "BankSA", "Bank", "2"),
    ("AU10014", "HSBC Bank Australia", "HSBC", "Bank (Foreign)", "2"),
    ("AU10015", "AMP Bank", "AMP", "Bank", "3"),
    ("AU10016", "Great Southern Bank", "Great Southern", "Bank", "3"),
    ("AU10017", "Newcastle Permanent", "Newcastle Permanent", "Building Society", "3"),
    ("AU10018", "Teachers Mutual Bank", "Teachers Mutual", "Credit Union", "3"),
    ("AU10019", "Beyond Bank Australia", "Beyond Bank", "Credit Union", "3"),
    ("AU10020", "ME Bank", "ME", "Bank", "3"),
    ("AU10101", "Up", "Up", "Bank", "3"),
    ("AU10102", "ubank", "ubank", "Bank", "3"),
    ("AU10103", "Revolut Australia", "Revolut", "Financial Services", "3"),
    ("AU10104", "Wise Australia", "Wise", "Financial Services", "3"),
    (OTHER_BANK, "Other bank", "Other bank", "Bank", "4"),
];

/// Adds every statement-only institution to the server's list.
pub fn register(connectors: &mut Connectors) {
    for b in BANKS {
        connectors.add_statement_only(to_wire(b));
    }
}

fn to_wire(&(id, name, short_name, kind, tier): &(&str, &str, &str, &str, &str)) -> Institution {
    let logo = format!("/public/institutions/{id}/logo.svg");
    Institution {
        kind: "institution".into(),
        id: id.into(),
        name: name.into(),
        short_name: short_name.into(),
        institution_type: kind.into(),
        country: if id == OTHER_BANK { String::new() } else { "Australia".into() },
        // There is no sign-in; the captions the contract requires are left empty.
        login_id_caption: String::new(),
        password_caption: String::new(),
        security_code_caption: None,
        secondary_login_id_caption: None,
        tier: tier.into(),
        authorization: "user".into(),
        stage: "live".into(),
        status: "operational".into(),
        logo: Logo { kind: "image".into(), links: LogoLinks { full: logo.clone(), square: logo } },
        stats: InstitutionStats { average_duration_ms: AverageDurationMs::default() },
        methods: vec![ConnectMethod::Statement],
        links: Links { self_: Some(format!("/institutions/{id}")), ..Links::default() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_statement_institution_has_a_unique_id_and_takes_only_statements() {
        let mut c = Connectors::default();
        register(&mut c);
        let all = c.institutions();
        assert_eq!(all.len(), BANKS.len());
        let ids: std::collections::HashSet<_> = all.iter().map(|i| i.id.clone()).collect();
        assert_eq!(ids.len(), all.len());
        assert!(all.iter().all(|i| i.takes_statements() && !i.has_login() && c.get(&i.id).is_none()));
        assert!(all.iter().any(|i| i.id == OTHER_BANK && i.name == "Other bank"));
    }
}
