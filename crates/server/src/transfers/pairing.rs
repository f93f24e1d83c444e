//! Which transactions are the two sides of one transfer between a user's own accounts:
//! pure, so the rule is tested without a database (the shell is `transfers/mod.rs`).
//!
//! Two posted transactions pair when they have the same amount with opposite signs, sit
//! on two different accounts of the same user (any connection or statement upload) and
//! were posted at most [`MAX_DAYS_APART`] days apart. Banks post the two sides of an
//! internal transfer on the same day, or a day or two apart across institutions and
//! weekends.
//!
//! Guarding against coincidences (a $20 purchase on the card the day a friend pays $20
//! into savings): a debit the categoriser recognised as a merchant purchase, and a
//! credit classed as a merchant's refund, never pair. Among several candidates the
//! closest date wins, then the lower id, so the answer does not depend on the order the
//! rows were loaded in. Each transaction is in at most one pair; pairs already made are
//! kept as they are.

use tally_api::TransactionClass;

/// Most days between the two sides of a transfer.
pub const MAX_DAYS_APART: i64 = 4;

/// One posted transaction as pairing needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The transaction's id.
    pub id: String,
    /// Its account's id.
    pub account: String,
    /// Signed cents: negative is money out.
    pub amount: i64,
    /// Days since any fixed epoch (post date).
    pub day: i64,
    /// The class the categoriser gave it.
    pub class: TransactionClass,
    /// A debit the categoriser tied to a merchant (directory, brand, MCC or a user's
    /// correction): a purchase, not a transfer.
    pub merchant_purchase: bool,
    /// The account is a loan or mortgage: money into it repays the loan.
    pub loan_account: bool,
    /// Already one side of a pair.
    pub paired: bool,
}

/// A new pair and the class each side takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// The money-out side's id.
    pub debit: String,
    /// The money-in side's id.
    pub credit: String,
    /// `loan-repayment` when the money went into a loan account, else `transfer`.
    pub debit_class: TransactionClass,
}

fn can_pair(c: &Candidate) -> bool {
    !c.paired && c.amount != 0 && !(c.amount < 0 && c.merchant_purchase) && !(c.amount > 0 && c.class == TransactionClass::Refund)
}

/// The new pairs among `rows`.
pub fn pairs(rows: &[Candidate]) -> Vec<Pair> {
    let mut debits: Vec<&Candidate> = rows.iter().filter(|c| c.amount < 0 && can_pair(c)).collect();
    let mut credits: Vec<&Candidate> = rows.iter().filter(|c| c.amount > 0 && can_pair(c)).collect();
    // Deterministic: by amount, then date, then id; credits looked up by amount.
    debits.sort_by(|a, b| (-a.amount, a.day, &a.id).cmp(&(-b.amount, b.day, &b.id)));
    credits.sort_by(|a, b| (a.amount, a.day, &a.id).cmp(&(b.amount, b.day, &b.id)));
    let mut used = vec![false; credits.len()];
    let mut out = Vec::new();
    for d in debits {
        let want = -d.amount;
        let start = credits.partition_point(|c| c.amount < want);
        let best = credits[start..]
            .iter()
            .enumerate()
            .take_while(|(_, c)| c.amount == want)
            .filter(|(i, c)| !used[start + i] && c.account != d.account && (c.day - d.day).abs() <= MAX_DAYS_APART)
            .min_by(|(_, a), (_, b)| ((a.day - d.day).abs(), &a.id).cmp(&((b.day - d.day).abs(), &b.id)));
        if let Some((i, c)) = best {
            used[start + i] = true;
            let debit_class = if c.loan_account { TransactionClass::LoanRepayment } else { TransactionClass::Transfer };
            out.push(Pair { debit: d.id.clone(), credit: c.id.clone(), debit_class });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx(id: &str, account: &str, amount: i64, day: i64) -> Candidate {
        Candidate {
            id: id.into(),
            account: account.into(),
            amount,
            day,
            class: TransactionClass::Transfer,
            merchant_purchase: false,
            loan_account: false,
            paired: false,
        }
    }

    #[test]
    fn the_same_amount_with_opposite_signs_on_two_accounts_within_days_pairs() {
        let p = pairs(&[tx("a", "everyday", -40_000, 10), tx("b", "savings", 40_000, 11)]);
        assert_eq!(p, [Pair { debit: "a".into(), credit: "b".into(), debit_class: TransactionClass::Transfer }]);
    }

    #[test]
    fn money_into_a_loan_account_is_a_loan_repayment() {
        let loan = Candidate { loan_account: true, class: TransactionClass::LoanRepayment, ..tx("b", "home-loan", 285_000, 1) };
        let p = pairs(&[tx("a", "everyday", -285_000, 1), loan]);
        assert_eq!(p[0].debit_class, TransactionClass::LoanRepayment);
    }

    #[test]
    fn the_same_account_too_far_apart_or_another_amount_do_not_pair() {
        assert!(pairs(&[tx("a", "x", -100, 1), tx("b", "x", 100, 1)]).is_empty(), "same account");
        assert!(pairs(&[tx("a", "x", -100, 1), tx("b", "y", 100, 1 + MAX_DAYS_APART + 1)]).is_empty(), "too far apart");
        assert!(pairs(&[tx("a", "x", -100, 1), tx("b", "y", 101, 1)]).is_empty(), "another amount");
        assert!(pairs(&[tx("a", "x", -100, 1), tx("b", "y", -100, 1)]).is_empty(), "same sign");
    }

    #[test]
    fn a_merchant_purchase_or_a_refund_never_pairs() {
        let purchase = Candidate { merchant_purchase: true, class: TransactionClass::Payment, ..tx("a", "card", -2_000, 5) };
        assert!(pairs(&[purchase, tx("b", "savings", 2_000, 5)]).is_empty());
        let refund = Candidate { class: TransactionClass::Refund, ..tx("b", "card", 2_000, 5) };
        assert!(pairs(&[tx("a", "everyday", -2_000, 5), refund]).is_empty());
    }

    #[test]
    fn the_closest_date_wins_and_each_transaction_pairs_once() {
        let rows = [tx("d1", "x", -500, 10), tx("d2", "x", -500, 13), tx("c1", "y", 500, 12), tx("c2", "z", 500, 10)];
        let mut p = pairs(&rows);
        p.sort_by(|a, b| a.debit.cmp(&b.debit));
        assert_eq!((p[0].debit.as_str(), p[0].credit.as_str()), ("d1", "c2"));
        assert_eq!((p[1].debit.as_str(), p[1].credit.as_str()), ("d2", "c1"));
    }

    #[test]
    fn the_answer_does_not_depend_on_the_order_rows_arrive_in() {
        let mut rows = vec![tx("d1", "x", -500, 10), tx("d2", "w", -500, 10), tx("c1", "y", 500, 10), tx("c2", "z", 500, 11)];
        let a = pairs(&rows);
        rows.reverse();
        assert_eq!(a, pairs(&rows));
    }

    #[test]
    fn rows_already_paired_are_left_alone() {
        let done = Candidate { paired: true, ..tx("c0", "y", 500, 10) };
        assert!(pairs(&[tx("d1", "x", -500, 10), done]).is_empty());
    }
}
