//! Where a statement is from: the one country type the brand table, the directory and
//! the engine share (its own module, so that the tables need not import the engine
//! that imports them).

/// An ISO 3166-1 alpha-2 country code, upper-case (`AU`, `GB`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Country([u8; 2]);

impl Country {
    /// Australia, where the curated directory and the model's corpus come from.
    pub const AU: Country = Country(*b"AU");

    /// From a two-letter code in either case (`"au"`, `"GB"`). `UK` is
    /// taken as `GB`, as banks and people write it.
    pub fn from_code(code: &str) -> Option<Self> {
        match code.as_bytes() {
            [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                let c = [a.to_ascii_uppercase(), b.to_ascii_uppercase()];
                Some(Country(if &c == b"UK" { *b"GB" } else { c }))
            }
            _ => None,
        }
    }

    /// The code (`"AU"`).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}
