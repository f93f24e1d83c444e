//! The categories a user can pick when re-categorising: the taxonomy's slugs with their
//! titles, in one place. The widget must not depend on `tally-classify`, so the list is
//! repeated here (it mirrors `crates/classify/src/taxonomy.rs`); slugs found in the data
//! but missing here are offered too (see `Ledger::category_choices`).

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

/// The taxonomy's title of a slug, if it is one of ours.
pub fn title_of(slug: &str) -> Option<&'static str> {
    TAXONOMY.iter().find(|(s, _)| *s == slug).map(|(_, t)| *t)
}
