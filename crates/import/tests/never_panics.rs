//! No input makes the importer panic: arbitrary bytes, the fixture corpus mutated, and
//! soups of the tokens the readers look for. Whatever comes back is either a statement
//! whose keys are unique per account, or an error whose message is not empty.

use proptest::prelude::*;
use tally_import::{import, Hints};

fn fixtures() -> Vec<Vec<u8>> {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

fn hints() -> impl Strategy<Value = Hints> {
    (
        prop::option::of(prop::sample::select(vec![
            "AU",
            "US",
            "United States",
            "DE",
            "",
        ])),
        any::<bool>(),
    )
        .prop_map(|(country, eur)| Hints {
            country: country.map(str::to_string),
            currency: eur.then(|| "EUR".to_string()),
        })
}

fn check(bytes: &[u8], hints: &Hints) {
    match import(bytes, hints) {
        Ok(statement) => {
            assert!(!statement.accounts.is_empty());
            for account in &statement.accounts {
                let mut keys = std::collections::HashSet::new();
                for t in &account.transactions {
                    assert!(keys.insert(&t.key), "duplicate key {}", t.key);
                }
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<usize>(), 1..64usize).prop_map(|(i, n)| Mutation::Delete(i, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len().max(1);
        match m {
            Mutation::Flip(i, b) if !bytes.is_empty() => bytes[i % len] = *b,
            Mutation::Insert(i, b) => {
                let at = i % (bytes.len() + 1);
                bytes.splice(at..at, b.iter().copied());
            }
            Mutation::Delete(i, n) if !bytes.is_empty() => {
                let at = i % len;
                let end = (at + n).min(bytes.len());
                bytes.drain(at..end);
            }
            Mutation::Truncate(i) => bytes.truncate(i % len),
            _ => {}
        }
    }
    bytes
}

const TOKENS: [&str; 44] = [
    "OFXHEADER:100\n",
    "<?OFX OFXHEADER=\"200\"?>",
    "<OFX>",
    "</OFX>",
    "<STMTRS>",
    "</STMTRS>",
    "<CCSTMTRS>",
    "<INVSTMTRS>",
    "<STMTTRN>",
    "</STMTTRN>",
    "<TRNAMT>",
    "<DTPOSTED>",
    "<DTUSER>",
    "<FITID>",
    "<NAME>",
    "<MEMO/>",
    "<BALAMT>",
    "<LEDGERBAL>",
    "<![CDATA[",
    "]]>",
    "&",
    "&amp;",
    "&#x",
    "-12.50",
    "1,234.56",
    "1.234,56",
    "(5.00)",
    "20260821",
    "00000000",
    "21/08/2026",
    "13/13/2026",
    "08/21/2026",
    "21 Aug 26",
    ",",
    ";",
    "\t",
    "\n",
    "\r\n",
    "\"",
    "!Type:Bank\n",
    "D03/04'26\n",
    "T-4.50\n",
    "^\n",
    "€",
];

fn soup() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(TOKENS.to_vec()), 0..200)
        .prop_map(|t| t.concat().into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096), hints in hints()) {
        check(&bytes, &hints);
    }

    #[test]
    fn mutated_fixtures_never_panic(
        index in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
        hints in hints(),
    ) {
        thread_local!(static FIXTURES: Vec<Vec<u8>> = fixtures());
        let original = FIXTURES.with(|f| f[index.index(f.len())].clone());
        check(&apply(original, &mutations), &hints);
    }

    #[test]
    fn token_soups_never_panic(bytes in soup(), hints in hints()) {
        check(&bytes, &hints);
    }
}

#[test]
fn every_truncation_of_every_fixture_is_handled() {
    for bytes in fixtures() {
        for cut in (0..bytes.len()).step_by(7) {
            check(&bytes[..cut], &Hints::default());
        }
    }
}
