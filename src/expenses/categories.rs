//! How the Expenses view names what it groups by: the taxonomy's categories (read from
//! [`tally_api::taxonomy`], the table the server accepts corrections from), the slug of
//! transactions with none, and the groups of transactions that are not purchases.

use tally_api::TransactionClass;

/// The slug given to transactions the server has not categorised.
pub const UNCATEGORISED: &str = "uncategorised";
pub const UNCATEGORISED_TITLE: &str = "Uncategorised";

/// Transactions that are not purchases (transfers, cash, fees, salary…) have no expense
/// category from the server; they are grouped by their contract `class` instead of
/// landing in one large "Uncategorised" slice: `(slug, title)`, or `None` for purchases
/// (they keep the server's category). A match on the contract's type, so a class added
/// to tally-api is a compile error here until it has a group.
pub fn for_class(class: &TransactionClass) -> Option<(&'static str, &'static str)> {
    Some(match class {
        TransactionClass::Transfer => ("transfers", "Transfers"),
        TransactionClass::CashWithdrawal => ("cash-withdrawals", "Cash withdrawals"),
        TransactionClass::BankFee => ("bank-fees", "Bank fees"),
        TransactionClass::Interest => ("interest", "Interest"),
        TransactionClass::DirectCredit => ("income", "Income"),
        TransactionClass::Refund => ("refunds", "Refunds"),
        TransactionClass::LoanInterest => ("loan-interest", "Loan interest"),
        TransactionClass::LoanRepayment => ("loan-repayments", "Loan repayments"),
        TransactionClass::Payment | TransactionClass::Unknown(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_purchases_are_grouped_by_class() {
        assert_eq!(for_class(&TransactionClass::CashWithdrawal), Some(("cash-withdrawals", "Cash withdrawals")));
        assert_eq!(for_class(&TransactionClass::Payment), None, "purchases keep the server's category");
        assert_eq!(for_class(&TransactionClass::Unknown("nonsense".into())), None);
    }

    #[test]
    fn the_widget_groups_never_collide_with_a_category() {
        for (slug, _) in TransactionClass::KNOWN.iter().filter_map(for_class) {
            assert!(tally_api::taxonomy::category_by_slug(slug).is_none(), "{slug} is both a group and a category");
        }
        assert!(tally_api::taxonomy::category_by_slug(UNCATEGORISED).is_none());
    }
}
