//! The expense taxonomy the engine labels with. The table itself lives in tally-api
//! ([`tally_api::taxonomy`]): the server accepts its slugs and the widget offers them,
//! so both read the one definition. Its order is the model's label order (see
//! `model.rs`): append, never reorder, without retraining.

pub use tally_api::taxonomy::{all_categories, category_by_slug, Category};

/// The position of a category in the table (the model's label index).
pub(crate) fn category_index(slug: &str) -> Option<usize> {
    all_categories().iter().position(|c| c.slug == slug)
}

/// The category at a label index.
pub(crate) fn category_at(index: usize) -> Option<&'static Category> {
    all_categories().get(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_minimum_set_is_present() {
        for slug in [
            "groceries",
            "dining",
            "alcohol",
            "fuel",
            "transport",
            "travel",
            "utilities",
            "telecommunications",
            "entertainment",
            "health",
            "insurance",
            "shopping",
            "home",
            "personal-care",
            "education",
            "government",
            "housing",
            "charity",
            "subscriptions-software",
            "other",
        ] {
            assert!(category_by_slug(slug).is_some(), "{slug} missing");
        }
        assert!(category_by_slug("nope").is_none());
        assert_eq!(
            category_at(category_index("fuel").unwrap()).unwrap().slug,
            "fuel"
        );
    }
}
