//! The contract's words, as types: each closed set of strings the wire uses (a job
//! step's title and status, a transaction's status, direction and class, a
//! connection's status) is an enum here, and the
//! server, the SDK and the widget match on it instead of keeping their own copies of
//! the strings. Adding a word is one edit in [`words!`]'s list below, and every `match`
//! that must handle it stops compiling until it does.
//!
//! Each enum has an `Unknown(String)` arm: a newer server may send a word an older
//! client does not know, and that client keeps it (and can show it) rather than
//! failing to read the whole job or page. Serialised, each is exactly its word.
//!
//! [`Money`] is the contract's decimal amount (`"-12.34"`) as integer cents, parsed and
//! written in one place.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares a string-backed enum of contract words with an `Unknown(String)` arm.
macro_rules! words {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A word this version does not know (from a newer server), kept as sent.
            Unknown(String),
        }

        impl $name {
            /// Every known word, in the contract's order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The known words as text (what a filter on this field accepts).
            pub const WORDS: &'static [&'static str] = &[$($text),+];

            /// The word on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Unknown(s) => s,
                }
            }

            /// The word of a known variant, for as long as the program runs; `None` for
            /// [`Self::Unknown`].
            pub fn word(&self) -> Option<&'static str> {
                match self {
                    $($name::$variant => Some($text),)+
                    $name::Unknown(_) => None,
                }
            }

            /// Reads a word; one this version does not know is [`Self::Unknown`].
            pub fn parse(s: &str) -> Self {
                match s {
                    $($text => $name::$variant,)+
                    other => $name::Unknown(other.to_string()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name::parse(s)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
                Ok($name::parse(&s))
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
                let words: Vec<&str> = vec![$($text),+];
                utoipa::openapi::RefOr::T(Schema::Object(ObjectBuilder::new().schema_type(Type::String).enum_values(Some(words)).build()))
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

words! {
    /// A job step's `title`, in the order steps run (`mfa-challenge` only when the
    /// institution asks for one).
    StepTitle {
        /// The credentials (or the uploaded file) are checked.
        VerifyCredentials = "verify-credentials",
        /// The institution asked the user for a one-time code or answers.
        MfaChallenge = "mfa-challenge",
        /// Accounts are fetched (or read from the file).
        RetrieveAccounts = "retrieve-accounts",
        /// Transactions are fetched (or read from the file).
        RetrieveTransactions = "retrieve-transactions",
    }
}

words! {
    /// A job step's `status`.
    StepStatus {
        /// Not started.
        Pending = "pending",
        /// Running; for `mfa-challenge`, the challenge is open.
        InProgress = "in-progress",
        /// Done.
        Success = "success",
        /// Failed; its `result` says why. The job ends.
        Failed = "failed",
    }
}

words! {
    /// A transaction's `status` (`transaction.status` in filters).
    TransactionStatus {
        /// Not yet posted; its id changes on each refresh.
        Pending = "pending",
        /// Posted; its id never changes.
        Posted = "posted",
    }
}

words! {
    /// A transaction's `direction`.
    Direction {
        /// Money out.
        Debit = "debit",
        /// Money in.
        Credit = "credit",
    }
}

words! {
    /// A transaction's `class`.
    TransactionClass {
        /// A purchase or bill payment.
        Payment = "payment",
        /// A transfer between accounts or people.
        Transfer = "transfer",
        /// A fee charged by the bank.
        BankFee = "bank-fee",
        /// Cash taken out.
        CashWithdrawal = "cash-withdrawal",
        /// Interest earned.
        Interest = "interest",
        /// Salary, benefits, other money paid in.
        DirectCredit = "direct-credit",
        /// Money given back by a merchant.
        Refund = "refund",
        /// Interest charged on a loan.
        LoanInterest = "loan-interest",
        /// A loan repayment.
        LoanRepayment = "loan-repayment",
    }
}

words! {
    /// A connection's `status`.
    ConnectionStatus {
        /// Being verified.
        Pending = "pending",
        /// Working.
        Active = "active",
        /// Credentials refused: update them before refreshing.
        Invalid = "invalid",
    }
}


impl StepTitle {
    /// Position when steps are shown: the challenge sits between verifying and
    /// retrieving; unknown steps come last.
    pub fn rank(&self) -> u8 {
        match self {
            StepTitle::VerifyCredentials => 0,
            StepTitle::MfaChallenge => 1,
            StepTitle::RetrieveAccounts => 2,
            StepTitle::RetrieveTransactions => 3,
            StepTitle::Unknown(_) => 4,
        }
    }
}

impl StepStatus {
    /// Success or failure: nothing more will happen to the step.
    pub fn is_final(&self) -> bool {
        matches!(self, StepStatus::Success | StepStatus::Failed)
    }
}

/// A failed step's `result`: `{"code","title","detail"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StepFailure {
    /// The contract's error code, e.g. `invalid-credentials`, `statement-not-readable`.
    #[serde(default)]
    pub code: String,
    /// A short title.
    #[serde(default)]
    pub title: String,
    /// What happened, for the user (e.g. the line of a file that cannot be read).
    #[serde(default)]
    pub detail: String,
}

impl StepFailure {
    /// A failure with these words.
    pub fn new(code: &str, title: &str, detail: &str) -> Self {
        StepFailure { code: code.into(), title: title.into(), detail: detail.into() }
    }

    /// What to show a person: the detail, or the title when there is none.
    pub fn message(&self) -> &str {
        if self.detail.is_empty() {
            &self.title
        } else {
            &self.detail
        }
    }
}

/// What an open `mfa-challenge` step asks for (its `result` while in progress).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MfaChallenge {
    /// `token` (a one-time code) or `security-questions`.
    pub method: String,
    /// What to tell the user.
    pub description: String,
    /// One prompt per answer expected, in the order to answer them; never empty (a
    /// challenge without prompts still takes one answer).
    pub input: Vec<String>,
    /// How long the challenge stays open, in milliseconds.
    pub expiry_ms: Option<u64>,
    /// `links.response`: where to post the answers.
    pub response: Option<String>,
}

/// What a step's `result` says, read leniently: a newer server's extra fields, a
/// challenge whose prompts are objects (`{"question": …}`), or a result of a kind this
/// version does not know never make the job unreadable.
#[derive(Debug, Clone, PartialEq)]
pub enum StepResult {
    /// No result (yet).
    None,
    /// Success: where the data now is (`{"type":"link","url":…}`).
    Link(String),
    /// Failure: why.
    Failed(StepFailure),
    /// The institution's challenge, while `mfa-challenge` is in progress.
    Mfa(MfaChallenge),
    /// A result of a shape this version does not know.
    Other(serde_json::Value),
}

impl StepResult {
    /// Reads a step's result; `status` tells a failure from other results that carry
    /// a `code`.
    pub fn read(status: &StepStatus, result: Option<&serde_json::Value>) -> StepResult {
        use serde_json::Value;
        let Some(v) = result.filter(|v| v.is_object()) else { return StepResult::None };
        let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        if v.get("type").and_then(Value::as_str) == Some("mfa") {
            let mut input: Vec<String> = v
                .get("input")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|i| match i {
                            Value::String(s) => Some(s.clone()),
                            Value::Object(o) => ["question", "label", "title", "description"].iter().find_map(|k| o.get(*k).and_then(Value::as_str)).map(str::to_string),
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            if input.is_empty() {
                input.push(String::new());
            }
            return StepResult::Mfa(MfaChallenge {
                method: text("method"),
                description: text("description"),
                input,
                expiry_ms: v.get("expiryMs").and_then(Value::as_u64),
                response: v.pointer("/links/response").and_then(Value::as_str).map(str::to_string),
            });
        }
        if *status == StepStatus::Failed || v.get("code").is_some() {
            return StepResult::Failed(StepFailure { code: text("code"), title: text("title"), detail: text("detail") });
        }
        match v.get("url").and_then(Value::as_str) {
            Some(url) => StepResult::Link(url.to_string()),
            None => StepResult::Other(v.clone()),
        }
    }
}

impl StepResult {
    /// The step's `result` as the contract writes it ([`StepResult::read`] reads it
    /// back): `{"type":"link","url"}`, a failure's `{"code","title","detail"}`, an MFA
    /// challenge's `{"type":"mfa","method","description","input","expiryMs","links":{"response"}}`;
    /// `None` is no result (`null`).
    pub fn to_json(&self) -> Option<serde_json::Value> {
        use serde_json::{json, Map, Value};
        match self {
            StepResult::None => None,
            StepResult::Link(url) => Some(json!({"type": "link", "url": url})),
            StepResult::Failed(f) => Some(serde_json::to_value(f).expect("a failure serialises")),
            StepResult::Mfa(ch) => {
                let mut v = Map::new();
                v.insert("type".into(), "mfa".into());
                v.insert("method".into(), ch.method.clone().into());
                v.insert("description".into(), ch.description.clone().into());
                v.insert("input".into(), ch.input.clone().into());
                if let Some(ms) = ch.expiry_ms {
                    v.insert("expiryMs".into(), ms.into());
                }
                if let Some(url) = &ch.response {
                    v.insert("links".into(), json!({"response": url}));
                }
                Some(Value::Object(v))
            }
            StepResult::Other(v) => Some(v.clone()),
        }
    }
}

/// An amount of money in cents: the contract writes it as a decimal string with two
/// places (`"-12.34"`), negative for money out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub i64);

impl Money {
    /// The cents.
    pub fn cents(self) -> i64 {
        self.0
    }

    /// Parses a decimal amount such as `-12.34`, `+5`, `1,234.5` or `0.005`. More than
    /// two decimals are rounded half away from zero. Anything else (empty, letters,
    /// two dots, overflow) is `None`, never a panic.
    pub fn parse(s: &str) -> Option<Money> {
        let s = s.trim();
        let (neg, rest) = match s.as_bytes().first()? {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
        let mut whole: i64 = 0;
        let mut digits = 0;
        for c in int.bytes() {
            match c {
                b'0'..=b'9' => {
                    whole = whole.checked_mul(10)?.checked_add(i64::from(c - b'0'))?;
                    digits += 1;
                }
                b',' | b'_' if digits > 0 => {}
                _ => return None,
            }
        }
        let mut cents: i64 = 0;
        let mut round_up = false;
        for (i, c) in frac.bytes().enumerate() {
            if !c.is_ascii_digit() {
                return None;
            }
            match i {
                0 => cents += i64::from(c - b'0') * 10,
                1 => cents += i64::from(c - b'0'),
                2 => round_up = c >= b'5',
                _ => {}
            }
        }
        if digits == 0 && frac.is_empty() {
            return None;
        }
        let v = whole.checked_mul(100)?.checked_add(cents + i64::from(round_up))?;
        Some(Money(if neg { -v } else { v }))
    }
}

impl std::fmt::Display for Money {
    /// `-1234` cents → `-12.34`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_results_are_written_as_they_are_read() {
        let ch = MfaChallenge {
            method: "token".into(),
            description: "Enter the code".into(),
            input: vec!["Code".into()],
            expiry_ms: Some(120_000),
            response: Some("/jobs/j/mfa".into()),
        };
        let cases = [
            (StepStatus::Success, StepResult::Link("/users/u/accounts".into())),
            (StepStatus::Failed, StepResult::Failed(StepFailure::new("invalid-credentials", "Wrong.", "Try again."))),
            (StepStatus::InProgress, StepResult::Mfa(ch)),
            (StepStatus::Pending, StepResult::None),
        ];
        for (status, result) in cases {
            assert_eq!(StepResult::read(&status, result.to_json().as_ref()), result);
        }
        assert_eq!(
            StepResult::Link("/x".into()).to_json().unwrap().to_string(),
            r#"{"type":"link","url":"/x"}"#
        );
    }

    #[test]
    fn words_read_and_write_as_themselves_and_unknown_ones_are_kept() {
        for t in StepTitle::KNOWN {
            assert_eq!(&StepTitle::parse(t.as_str()), t);
            assert_eq!(serde_json::to_string(t).unwrap(), format!("\"{}\"", t.as_str()));
        }
        let newer: StepStatus = serde_json::from_str("\"paused\"").unwrap();
        assert_eq!(newer, StepStatus::Unknown("paused".into()));
        assert_eq!(serde_json::to_string(&newer).unwrap(), "\"paused\"");
    }

    #[test]
    fn money_is_the_contracts_decimal_string() {
        for (cents, text) in [(0, "0.00"), (5, "0.05"), (-1234, "-12.34"), (250000, "2500.00"), (i64::MIN, "-92233720368547758.08")] {
            assert_eq!(Money(cents).to_string(), text);
        }
        for (text, cents) in [("-12.34", Some(-1234)), ("+5", Some(500)), ("1,234.5", Some(123450)), ("0.005", Some(1)), ("-0.004", Some(0)), (".5", Some(50))] {
            assert_eq!(Money::parse(text).map(Money::cents), cents, "{text}");
        }
        for bad in ["", "-", ".", "1.2.3", "abc", "1e5", "99999999999999999999", ",5"] {
            assert_eq!(Money::parse(bad), None, "{bad}");
        }
    }
}
