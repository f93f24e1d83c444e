//! The categories a user can pick when re-categorising: the taxonomy's slugs with their
//! titles, in one place. The widget must not depend on `tally-classify`, so the list is
//! repeated here; `crates/classify/tests/widget_taxonomy.rs` checks that it mirrors
//! `crates/classify/src/taxonomy.rs` exactly. This file must stay free of imports so
//! that test can include it.

/// `(slug, title)` of every category of the taxonomy, in display order.
pub const TAXONOMY: &[(&str, &str)] = &[
    ("groceries", "Groceries"),
    ("dining", "Dining out"),
    ("alcohol", "Alcohol"),
    ("fuel", "Fuel"),
    ("transport", "Transport"),
    ("travel", "Travel"),
    ("utilities", "Utilities"),
    ("telecommunications", "Telecommunications"),
    ("entertainment", "Entertainment"),
    ("health", "Health and fitness"),
    ("insurance", "Insurance"),
    ("shopping", "Shopping"),
    ("home", "Home and garden"),
    ("personal-care", "Personal care"),
    ("education", "Education"),
    ("government", "Government"),
    ("housing", "Housing"),
    ("charity", "Charity and donations"),
    ("subscriptions-software", "Software and subscriptions"),
    ("pets", "Pets"),
    ("other", "Other"),
];

/// The slug given to transactions the server has not categorised.
pub const UNCATEGORISED: &str = "uncategorised";
pub const UNCATEGORISED_TITLE: &str = "Uncategorised";

/// Transactions that are not purchases (transfers, cash, fees, salary…) have no expense
/// category from the server; they are grouped by their contract `class` instead of
/// landing in one large "Uncategorised" slice. `(class, slug, title)`.
pub const CLASS_GROUPS: &[(&str, &str, &str)] = &[
    ("transfer", "transfers", "Transfers"),
    ("cash-withdrawal", "cash-withdrawals", "Cash withdrawals"),
    ("bank-fee", "bank-fees", "Bank fees"),
    ("interest", "interest", "Interest"),
    ("direct-credit", "income", "Income"),
    ("refund", "refunds", "Refunds"),
    ("loan-interest", "loan-interest", "Loan interest"),
    ("loan-repayment", "loan-repayments", "Loan repayments"),
];

/// The group of a non-purchase transaction's `class`, if it has one.
pub fn for_class(class: &str) -> Option<(&'static str, &'static str)> {
    CLASS_GROUPS.iter().find(|(c, _, _)| *c == class).map(|(_, slug, title)| (*slug, *title))
}

/// The taxonomy's title of a slug, if it is one of ours.
pub fn title_of(slug: &str) -> Option<&'static str> {
    TAXONOMY.iter().find(|(s, _)| *s == slug).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_purchases_are_grouped_by_class() {
        assert_eq!(for_class("cash-withdrawal"), Some(("cash-withdrawals", "Cash withdrawals")));
        assert_eq!(for_class("payment"), None, "purchases keep the server's category");
        assert_eq!(for_class("nonsense"), None);
    }
}
