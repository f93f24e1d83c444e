//! What a failure means for the user: a message and the one thing they can do next.
//! Keyed on the contract's error codes so the UI never shows a raw code alone.

use crate::i18n::Strings;

/// The next action a failure offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextAction {
    /// The bank rejected the details: back to the form, fields kept.
    EditCredentials,
    /// Something must be done at the bank itself first; then retry.
    ActionAtBank,
    /// The bank (or Tally) is down: nothing to fix, come back later.
    TryLater,
    /// A transient or unknown failure: start again.
    Retry,
    /// This bank won't work: pick another one.
    ChooseAnother,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advice {
    pub code: String,
    pub message: String,
    pub action: NextAction,
}

/// Advice for an error `code` with the server's `detail` as a fallback message.
pub fn advise(s: &Strings, code: &str, detail: &str) -> Advice {
    let (message, action) = match code {
        "invalid-credentials" => (s.err_invalid_credentials.to_string(), NextAction::EditCredentials),
        "account-not-accessible-requires-user-action" => (s.err_user_action.to_string(), NextAction::ActionAtBank),
        "service-unavailable" | "institution-not-available" => (s.err_unavailable.to_string(), NextAction::TryLater),
        "maintenance" => (s.err_maintenance.to_string(), NextAction::TryLater),
        "job-timed-out" => (s.err_timeout.to_string(), NextAction::TryLater),
        "institution-not-supported" => (s.err_not_supported.to_string(), NextAction::ChooseAnother),
        "network" => (s.err_network.to_string(), NextAction::Retry),
        // The detail says where the file is broken ("line 14: …"): keep it whole.
        "statement-not-readable" => ((s.upload_unreadable)(detail.trim_end_matches('.')), NextAction::Retry),
        other => ((s.err_other)(other, detail), NextAction::Retry),
    };
    Advice { code: code.to_string(), message, action }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;

    #[test]
    fn each_sandbox_failure_says_what_to_do() {
        let bighead = advise(&EN, "invalid-credentials", "");
        assert_eq!(bighead.action, NextAction::EditCredentials);
        assert!(bighead.message.contains("did not accept"));
        let erlich = advise(&EN, "account-not-accessible-requires-user-action", "");
        assert_eq!(erlich.action, NextAction::ActionAtBank);
        assert!(erlich.message.contains("bank's website or app"));
        let jian = advise(&EN, "service-unavailable", "");
        assert_eq!(jian.action, NextAction::TryLater);
        assert!(jian.message.contains("try again later"));
    }

    #[test]
    fn an_unreadable_statement_says_where_it_is_broken() {
        let a = advise(&EN, "statement-not-readable", "line 14: '32/13/2026' is not a date");
        assert_eq!(a.action, NextAction::Retry);
        assert!(a.message.contains("line 14: '32/13/2026' is not a date. Choose"), "{}", a.message);
    }

    #[test]
    fn unknown_codes_keep_the_servers_detail() {
        let a = advise(&EN, "weird-thing", "The bank said no.");
        assert_eq!(a.action, NextAction::Retry);
        assert!(a.message.contains("The bank said no.") && a.message.contains("weird-thing"));
    }
}
