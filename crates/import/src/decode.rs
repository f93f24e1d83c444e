//! Bytes to text. Bank exports arrive as UTF-8 (with or without a BOM), UTF-16 (with or
//! without a BOM: some banks' "Excel" exports), or a legacy code page that the file may
//! declare (`CHARSET:1252`, `encoding="ISO-8859-1"`) or may not. This is the one place
//! bytes become a `String`, so every reader works on text and no description holds
//! U+FFFD where the file had a real character (`cartão`, `Café`, `Müller`, `€`).
//!
//! Order of evidence: a BOM; the NUL pattern of UTF-16 without a BOM; valid UTF-8 (a
//! legacy file with accented letters is almost never valid UTF-8, so a file that is
//! valid UTF-8 is read as UTF-8 whatever its header says); the file's own declaration;
//! chardetng's guess, with Windows-1252 when it is unsure.

use std::borrow::Cow;

use chardetng::EncodingDetector;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use crate::text::find_ascii_ci;

/// How far into the file a declaration or a UTF-16 NUL pattern is looked for.
const SNIFF: usize = 4096;

/// Decodes a statement file to text. Never fails: undecodable files come out as text
/// that the format checks then refuse (see [`crate::detect::is_binary`]).
pub(crate) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let text = if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom..];
        if encoding == UTF_8 {
            eight_bit(body)
        } else {
            encoding.decode_without_bom_handling(body).0
        }
    } else if let Some(encoding) = utf16_without_bom(bytes) {
        encoding.decode_without_bom_handling(bytes).0
    } else {
        eight_bit(bytes)
    };
    tidy(text)
}

/// UTF-8, else the declared code page, else chardetng's guess.
fn eight_bit(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(s);
    }
    let encoding = declared(bytes).unwrap_or_else(|| guess(bytes));
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        // The declaration or the guess was wrong (a multi-byte encoding that does not fit
        // the bytes): every byte is a character in Windows-1252.
        WINDOWS_1252.decode_without_bom_handling(bytes).0
    } else {
        text
    }
}

fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new();
    detector.feed(bytes, true);
    match detector.guess_assess(None, false) {
        (encoding, true) => encoding,
        (_, false) => WINDOWS_1252,
    }
}

/// UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte (odd bytes for
/// little-endian, even bytes for big-endian), which no 8-bit text has.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(SNIFF) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let mostly = |n: usize| n * 10 >= pairs * 3;
    let rarely = |n: usize| n * 20 <= pairs;
    if mostly(odd) && rarely(even) {
        Some(UTF_16LE)
    } else if mostly(even) && rarely(odd) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// A single-byte code page the file declares: OFX 1 `CHARSET:1252` (or `ISO-8859-1`),
/// or an XML declaration's `encoding="…"`. UTF-8 and UTF-16 declarations are ignored
/// here: they only get this far when the bytes are not what they claim.
fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(SNIFF)];
    let label = value_after(head, b"CHARSET:")
        .or_else(|| value_after(head, b"encoding=\""))
        .or_else(|| value_after(head, b"encoding='"))?;
    let label = std::str::from_utf8(label).ok()?;
    let encoding = if label.len() == 4 && label.starts_with("125") {
        // OFX writes Windows code pages by number.
        Encoding::for_label(format!("windows-{label}").as_bytes())
    } else {
        Encoding::for_label(label.as_bytes())
    }?;
    let unicode = encoding == UTF_8 || encoding == UTF_16LE || encoding == UTF_16BE;
    (!unicode && encoding.name() != "replacement").then_some(encoding)
}

/// The token after `key` (case-insensitive), up to whitespace, a quote or `<`.
fn value_after<'a>(head: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let start = find_ascii_ci(head, key)? + key.len();
    let rest = &head[start..];
    let end = rest
        .iter()
        .position(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'<' | b'?'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// Drops a BOM that survived decoding and a DOS end-of-file mark, and turns old Mac line
/// ends (a lone CR) into LF so every reader counts lines the same way.
fn tidy(text: Cow<'_, str>) -> Cow<'_, str> {
    let start = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let end = text.trim_end_matches(['\u{1a}', '\0']).len().max(start);
    let body = &text[start..end];
    if body.contains('\r') && !body.contains('\n') {
        return Cow::Owned(body.replace('\r', "\n"));
    }
    if start == 0 && end == text.len() {
        return text;
    }
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(&s[start..end]),
        Cow::Owned(s) => Cow::Owned(s[start..end].to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { vec![] };
        for u in s.encode_utf16() {
            out.extend_from_slice(&u.to_le_bytes());
        }
        out
    }

    fn utf16be(s: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFE, 0xFF] } else { vec![] };
        for u in s.encode_utf16() {
            out.extend_from_slice(&u.to_be_bytes());
        }
        out
    }

    const LINE: &str = "21/08/2026,-4.50,Café Müller cartão €\n";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(LINE.as_bytes()), LINE);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(LINE.as_bytes());
        assert_eq!(decode(&bom), LINE);
    }

    #[test]
    fn utf16_both_byte_orders_with_and_without_bom() {
        for bytes in [
            utf16le(LINE, true),
            utf16le(LINE, false),
            utf16be(LINE, true),
            utf16be(LINE, false),
        ] {
            assert_eq!(decode(&bytes), LINE);
        }
    }

    #[test]
    fn undeclared_windows_1252_is_guessed() {
        let (bytes, _, _) = WINDOWS_1252.encode("21/08/2026,-4.50,Café Müller cartão €\n");
        let text = decode(&bytes);
        assert_eq!(text, LINE);
        assert!(!text.contains('\u{fffd}'));
    }

    #[test]
    fn a_declared_code_page_is_used() {
        let mut bytes = b"OFXHEADER:100\nENCODING:USASCII\nCHARSET:1252\n<OFX><NAME>".to_vec();
        bytes.extend_from_slice(&[b'C', b'a', b'f', 0xE9, b' ', 0x80]);
        assert!(decode(&bytes).ends_with("<NAME>Café €"));
        let mut xml = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><NAME>M".to_vec();
        xml.extend_from_slice(&[0xFC, b'l', b'l', b'e', b'r']);
        assert!(decode(&xml).ends_with("<NAME>Müller"));
    }

    #[test]
    fn a_wrong_utf8_declaration_does_not_produce_replacement_characters() {
        let mut bytes = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><NAME>cart".to_vec();
        bytes.extend_from_slice(&[0xE3, b'o']);
        assert!(decode(&bytes).ends_with("cartão"));
    }

    #[test]
    fn lone_cr_line_ends_and_dos_eof_are_tidied() {
        assert_eq!(decode(b"a\rb\r\x1a"), "a\nb\n");
        assert_eq!(decode(b"a\r\nb"), "a\r\nb");
    }
}
