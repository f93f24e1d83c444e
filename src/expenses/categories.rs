//! How the Expenses view names what it groups by: the taxonomy's categories (read from
//! [`tally_api::taxonomy`], the table the server accepts corrections from), the slug of
//! transactions with none, and the groups of transactions that are not purchases.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_purchases_are_grouped_by_class() {
        assert_eq!(for_class("cash-withdrawal"), Some(("cash-withdrawals", "Cash withdrawals")));
        assert_eq!(for_class("payment"), None, "purchases keep the server's category");
        assert_eq!(for_class("nonsense"), None);
    }

    #[test]
    fn the_widget_groups_never_collide_with_a_category() {
        for (_, slug, _) in CLASS_GROUPS {
            assert!(tally_api::taxonomy::category_by_slug(slug).is_none(), "{slug} is both a group and a category");
        }
        assert!(tally_api::taxonomy::category_by_slug(UNCATEGORISED).is_none());
    }
}
