//! Description structure → the contract's transaction `class`.
//!
//! Banks spell the *kind* of movement into the description: `ATM WITHDRAWAL`,
//! `OSKO PAYMENT TO`, `MONTHLY ACCOUNT FEE`, `INTEREST CHARGED`,
//! `HOME LOAN REPAYMENT`, `SALARY ACME PTY LTD`. One pass over the tokens sets
//! a bit per cue word and a handful of rules on those bits (plus the sign of
//! the amount) pick the class. A `match` per token and bit tests keep this at
//! a few dozen nanoseconds, which matters at 200k descriptions a second.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::confidence::Confidence;
use crate::hash::{hash_str, IdentityBuild};
use crate::normalise::{Kind, Normalised};
use crate::Error;

/// The contract's transaction class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum TxClass {
    Payment,
    Transfer,
    BankFee,
    CashWithdrawal,
    Interest,
    DirectCredit,
    Refund,
    LoanInterest,
    LoanRepayment,
}

impl TxClass {
    /// Every class, in contract order.
    pub const ALL: [TxClass; 9] = [
        TxClass::Payment,
        TxClass::Transfer,
        TxClass::BankFee,
        TxClass::CashWithdrawal,
        TxClass::Interest,
        TxClass::DirectCredit,
        TxClass::Refund,
        TxClass::LoanInterest,
        TxClass::LoanRepayment,
    ];

    /// The wire name (`bank-fee`).
    pub fn as_str(self) -> &'static str {
        match self {
            TxClass::Payment => "payment",
            TxClass::Transfer => "transfer",
            TxClass::BankFee => "bank-fee",
            TxClass::CashWithdrawal => "cash-withdrawal",
            TxClass::Interest => "interest",
            TxClass::DirectCredit => "direct-credit",
            TxClass::Refund => "refund",
            TxClass::LoanInterest => "loan-interest",
            TxClass::LoanRepayment => "loan-repayment",
        }
    }
}

impl fmt::Display for TxClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TxClass {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        TxClass::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| Error::UnknownClass(s.to_string()))
    }
}

/// What the structure of a description says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Structure {
    /// The class.
    pub class: TxClass,
    /// How sure the rule is: an explicit cue (`ATM`, `ACCOUNT FEE`) is
    /// very-high; a class inferred from the sign alone is lower.
    pub confidence: Confidence,
    /// True when the description carries a card-purchase cue (`VISA PURCHASE`,
    /// `EFTPOS`, `POS`): a credit with this cue is a refund.
    pub card_purchase: bool,
}

// Cue bits.
const FEE: u32 = 1;
const FEE_CONTEXT: u32 = 1 << 1;
const INTEREST: u32 = 1 << 2;
const LOAN: u32 = 1 << 3;
const REPAY: u32 = 1 << 4;
const ATM: u32 = 1 << 5;
const CASH: u32 = 1 << 6;
const WITHDRAWAL: u32 = 1 << 7;
const TRANSFER: u32 = 1 << 8;
const SALARY: u32 = 1 << 9;
const DIRECT: u32 = 1 << 10;
const CREDIT: u32 = 1 << 11;
const REFUND: u32 = 1 << 12;
const CARD_PURCHASE: u32 = 1 << 13;
const THANK: u32 = 1 << 14;
const DEPOSIT: u32 = 1 << 15;
const ANYONE: u32 = 1 << 16;

/// Cue words and their bits.
const CUES: &[(&[&str], u32)] = &[
    (&["FEE", "FEES", "CHARGE", "CHARGES"], FEE),
    (
        &[
            "ACCOUNT",
            "ACC",
            "ACCT",
            "MONTHLY",
            "KEEPING",
            "OVERDRAWN",
            "OVERDRAFT",
            "DISHONOUR",
            "DISHONOURED",
            "DISHONOR",
            "INTERNATIONAL",
            "INTL",
            "OVERSEAS",
            "FOREIGN",
            "CONVERSION",
            "LATE",
            "ANNUAL",
            "PAPER",
            "STATEMENT",
            "EXCESS",
            "TRANSACTION",
            "TXN",
            "SERVICE",
            "OFFSET",
            "PACKAGE",
            "PLAN",
        ],
        FEE_CONTEXT,
    ),
    (&["INTEREST"], INTEREST),
    (&["LOAN", "MORTGAGE", "HOMELOAN"], LOAN),
    (
        &["REPAYMENT", "REPAYMENTS", "REPAY", "RPMT", "INSTALMENT"],
        REPAY,
    ),
    (&["ATM"], ATM),
    (&["CASH", "CASHOUT"], CASH),
    (&["WITHDRAWAL", "WDL", "WITHDRAW"], WITHDRAWAL),
    (
        &[
            "TRANSFER",
            "TFR",
            "TRF",
            "XFER",
            "OSKO",
            "NPP",
            "PAYID",
            "TRANSFERS",
        ],
        TRANSFER,
    ),
    (&["ANYONE"], ANYONE),
    (
        &[
            "SALARY",
            "PAYROLL",
            "WAGES",
            "WAGE",
            "CENTRELINK",
            "DIVIDEND",
            "DIV",
            "PENSION",
        ],
        SALARY,
    ),
    (&["DIRECT"], DIRECT),
    (&["CREDIT"], CREDIT),
    (
        &[
            "REFUND",
            "REFUNDED",
            "REVERSAL",
            "REVERSED",
            "CHARGEBACK",
            "RETURN",
        ],
        REFUND,
    ),
    (&["VISA", "EFTPOS", "POS", "PURCHASE"], CARD_PURCHASE),
    (&["THANK", "THANKYOU"], THANK),
    (&["DEPOSIT"], DEPOSIT),
];

/// Cue bits of a word, by the hash `Normalised` computed for its token: one
/// map probe per token instead of a chain of string comparisons.
fn cue(hash: u64) -> u32 {
    static MAP: OnceLock<HashMap<u64, u32, IdentityBuild>> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mut m = HashMap::default();
        for (words, bit) in CUES {
            for w in *words {
                *m.entry(hash_str(w)).or_insert(0) |= bit;
            }
        }
        m
    });
    map.get(&hash).copied().unwrap_or(0)
}

/// Decide the class of a normalised description. `amount_cents` is negative
/// for money out; 0 (unknown, e.g. a bare description on the CLI) is treated
/// as money out.
pub fn analyse(n: &Normalised, amount_cents: i64) -> Structure {
    let mut bits = 0u32;
    for t in n.tokens() {
        if t.kind == Kind::Word {
            bits |= cue(t.hash);
        }
    }
    let has = |b: u32| bits & b != 0;
    let credit = amount_cents > 0;
    let card_purchase = has(CARD_PURCHASE);
    let s = |class, confidence| Structure {
        class,
        confidence,
        card_purchase,
    };

    if has(FEE) && has(FEE_CONTEXT | ATM) && !credit {
        return s(TxClass::BankFee, Confidence::VeryHigh);
    }
    if has(INTEREST) {
        return if credit {
            s(TxClass::Interest, Confidence::VeryHigh)
        } else {
            s(TxClass::LoanInterest, Confidence::VeryHigh)
        };
    }
    if has(LOAN) && !credit {
        return s(
            TxClass::LoanRepayment,
            if has(REPAY) {
                Confidence::VeryHigh
            } else {
                Confidence::High
            },
        );
    }
    if has(ATM | WITHDRAWAL) && !has(TRANSFER) || has(CASH) && has(WITHDRAWAL) {
        return if credit {
            s(TxClass::DirectCredit, Confidence::High) // ATM deposit
        } else {
            s(TxClass::CashWithdrawal, Confidence::VeryHigh)
        };
    }
    if credit && has(REFUND) {
        return s(TxClass::Refund, Confidence::VeryHigh);
    }
    if has(TRANSFER | ANYONE) || has(THANK) && credit {
        return s(TxClass::Transfer, Confidence::VeryHigh);
    }
    if credit {
        if has(SALARY | DEPOSIT) || has(DIRECT) && has(CREDIT) {
            return s(TxClass::DirectCredit, Confidence::VeryHigh);
        }
        if card_purchase {
            return s(TxClass::Refund, Confidence::High);
        }
        return s(TxClass::DirectCredit, Confidence::Medium);
    }
    s(TxClass::Payment, Confidence::High)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(d: &str, amount: i64) -> TxClass {
        analyse(&Normalised::new(d), amount).class
    }

    #[test]
    fn the_issue_examples() {
        assert_eq!(
            class(
                "VISA PURCHASE WOOLWORTHS 1234 SYDNEY NS AUS Card xx1234",
                -5000
            ),
            TxClass::Payment
        );
        assert_eq!(
            class("EFTPOS COLES 0456 BONDI JUNCTION", -1),
            TxClass::Payment
        );
        assert_eq!(class("BPAY AGL ENERGY 123456", -1), TxClass::Payment);
        assert_eq!(class("DIRECT DEBIT TELSTRA 1234567", -1), TxClass::Payment);
        assert_eq!(class("SQ *BLUE BOTTLE CAFE NEWTOWN", -1), TxClass::Payment);
        assert_eq!(class("PAYPAL *EBAY AU", -1), TxClass::Payment);
        assert_eq!(
            class("ATM WITHDRAWAL WESTPAC MARTIN PL", -2000),
            TxClass::CashWithdrawal
        );
        assert_eq!(class("OSKO PAYMENT TO J SMITH", -1), TxClass::Transfer);
        assert_eq!(class("INTEREST CHARGED", -1), TxClass::LoanInterest);
        assert_eq!(class("MONTHLY ACCOUNT FEE", -1), TxClass::BankFee);
    }

    #[test]
    fn credits() {
        assert_eq!(class("CREDIT INTEREST", 12), TxClass::Interest);
        assert_eq!(class("SALARY ACME PTY LTD", 300000), TxClass::DirectCredit);
        assert_eq!(class("REFUND MYER SYDNEY", 5000), TxClass::Refund);
        assert_eq!(class("VISA PURCHASE JB HI FI", 5000), TxClass::Refund);
        assert_eq!(class("TRANSFER FROM J SMITH", 5000), TxClass::Transfer);
        assert_eq!(class("PAYMENT RECEIVED THANK YOU", 5000), TxClass::Transfer);
    }

    #[test]
    fn loans_and_fees() {
        assert_eq!(
            class("HOME LOAN REPAYMENT 123", -200000),
            TxClass::LoanRepayment
        );
        assert_eq!(class("ATM OPERATOR FEE", -250), TxClass::BankFee);
        assert_eq!(
            class("INTERNATIONAL TRANSACTION FEE", -30),
            TxClass::BankFee
        );
        assert_eq!(
            class("CASH WITHDRAWAL BRANCH", -30),
            TxClass::CashWithdrawal
        );
    }

    #[test]
    fn class_names_round_trip() {
        for c in TxClass::ALL {
            assert_eq!(c.as_str().parse::<TxClass>().unwrap(), c);
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        assert!("bogus".parse::<TxClass>().is_err());
    }
}
