//! What counts as spending: one rule, read by the server's expenses summary
//! (`POST /users/{id}/expenses`) and by the widget's totals, so the two agree.
//!
//! Why it needs saying once: on the sandbox's Hooli data the widget's Spending donut
//! was 29.6% loan repayments and 9.6% transfers, because it counted every debit. Half
//! of those were money moving between the user's own accounts (the everyday account
//! paying the home loan or the credit card, sweeps to savings) and the other half the
//! matching credit on the receiving account. A person reads that as spending that did
//! not happen. The server's summary counted the loan's credit against the repayment, so
//! the two disagreed as well.
//!
//! The rule:
//! - a transaction matched as one side of a transfer between the user's own accounts
//!   (the server marks it; on the wire it carries `links.transfer`) is not spending and
//!   not income, except the paying side of a loan repayment, which is a loan repayment;
//! - loan repayments are shown apart from spending, as Basiq's expenses summary does;
//! - purchases and refunds count in their category (a refund lowers it);
//! - cash withdrawals, bank fees, loan interest and transfers out to other people are
//!   spending in their own groups;
//! - interest, salary and other money in (and transfers in from other people) are income.

use crate::TransactionClass;

/// Where one transaction lands in a spending summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A purchase (money out) or a refund (money in, lowering its category).
    Category,
    /// Money taken out as cash.
    CashWithdrawal,
    /// A fee the bank charged.
    BankFee,
    /// Interest charged on a loan.
    LoanInterest,
    /// Money sent to somebody else.
    ExternalTransfer,
    /// Paying off a loan: shown apart from spending.
    LoanRepayment,
    /// Money moved between the user's own accounts: neither spending nor income.
    OwnTransfer,
    /// Money in: salary, interest, transfers from other people.
    Income,
}

impl Kind {
    /// The kind of a transaction of `class` and signed `amount_cents` (negative is money
    /// out); `own_transfer` when it is matched as one side of a transfer between the
    /// user's own accounts.
    pub fn of(class: &TransactionClass, amount_cents: i64, own_transfer: bool) -> Kind {
        let out = amount_cents < 0;
        match class {
            TransactionClass::LoanRepayment if out => Kind::LoanRepayment,
            _ if own_transfer => Kind::OwnTransfer,
            TransactionClass::Payment | TransactionClass::Refund => Kind::Category,
            TransactionClass::CashWithdrawal => Kind::CashWithdrawal,
            TransactionClass::BankFee => Kind::BankFee,
            TransactionClass::LoanInterest => Kind::LoanInterest,
            TransactionClass::Transfer if out => Kind::ExternalTransfer,
            // A payment into a loan from outside the user's accounts is not theirs to spend.
            TransactionClass::LoanRepayment => Kind::Income,
            TransactionClass::Transfer | TransactionClass::Interest | TransactionClass::DirectCredit => Kind::Income,
            // A word from a newer server: money out is spending, money in income.
            TransactionClass::Unknown(_) if out => Kind::Category,
            TransactionClass::Unknown(_) => Kind::Income,
        }
    }

    /// Whether it counts in the spending total.
    pub fn is_spending(self) -> bool {
        matches!(self, Kind::Category | Kind::CashWithdrawal | Kind::BankFee | Kind::LoanInterest | Kind::ExternalTransfer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TransactionClass as C;

    #[test]
    fn a_transfer_between_own_accounts_is_neither_spending_nor_income() {
        assert_eq!(Kind::of(&C::Transfer, -150_000, true), Kind::OwnTransfer);
        assert_eq!(Kind::of(&C::Transfer, 150_000, true), Kind::OwnTransfer);
        assert!(!Kind::OwnTransfer.is_spending());
    }

    #[test]
    fn the_paying_side_of_a_loan_repayment_is_a_loan_repayment_and_the_loans_credit_is_not_counted() {
        assert_eq!(Kind::of(&C::LoanRepayment, -285_000, true), Kind::LoanRepayment);
        assert_eq!(Kind::of(&C::Transfer, 285_000, true), Kind::OwnTransfer);
        assert!(!Kind::LoanRepayment.is_spending(), "shown apart from spending");
    }

    #[test]
    fn transfers_to_other_people_are_spending_and_from_them_income() {
        assert_eq!(Kind::of(&C::Transfer, -5_000, false), Kind::ExternalTransfer);
        assert!(Kind::ExternalTransfer.is_spending());
        assert_eq!(Kind::of(&C::Transfer, 5_000, false), Kind::Income);
    }

    #[test]
    fn purchases_fees_cash_and_loan_interest_are_spending() {
        for (class, kind) in [
            (C::Payment, Kind::Category),
            (C::CashWithdrawal, Kind::CashWithdrawal),
            (C::BankFee, Kind::BankFee),
            (C::LoanInterest, Kind::LoanInterest),
        ] {
            assert_eq!(Kind::of(&class, -100, false), kind);
            assert!(kind.is_spending());
        }
        assert_eq!(Kind::of(&C::Refund, 100, false), Kind::Category, "a refund lowers its category");
        assert_eq!(Kind::of(&C::DirectCredit, 100, false), Kind::Income);
        assert_eq!(Kind::of(&C::Unknown("x".into()), -1, false), Kind::Category);
    }
}
