//! Format recognition from the content, never from a file name: users rename files, and
//! banks label one format with another's extension (QFX is OFX; "Excel" exports are CSV).
//! Also the early refusals with a clear reason: PDFs, spreadsheets, images and other
//! binary data, which would otherwise surface as a confusing "no date column".

use crate::text::find_ascii_ci;
use crate::{Format, ImportError};

const WHERE_TO: &str = "export OFX, QIF or CSV from your bank";

/// Refuses files whose first bytes say what they are and that it is not a statement export.
pub(crate) fn refuse_known_binaries(bytes: &[u8]) -> Result<(), ImportError> {
    let head = &bytes[..bytes.len().min(1024)];
    let refuse = |what: &str| Err(ImportError::file(format!("{what}; {WHERE_TO}")));
    if find_ascii_ci(head, b"%PDF-").is_some() {
        return refuse("PDF statements are not supported yet");
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return refuse(
            "the file is a ZIP archive or an Excel workbook (.xlsx), not a statement export",
        );
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return refuse(
            "the file is an Excel (.xls) or other Office document, not a statement export",
        );
    }
    if bytes.starts_with(b"\x89PNG")
        || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || bytes.starts_with(b"GIF8")
    {
        return refuse("the file is an image, not a statement export");
    }
    Ok(())
}

/// Refuses text that says what it is and that it is not a statement: a web page (some
/// banks' "Excel" export is HTML), or XML that is not OFX.
pub(crate) fn refuse_known_texts(text: &str) -> Result<(), ImportError> {
    let start = text.trim_start().as_bytes();
    let head = &start[..start.len().min(512)];
    let begins = |p: &[u8]| head.len() >= p.len() && head[..p.len()].eq_ignore_ascii_case(p);
    if begins(b"<!doctype html") || begins(b"<html") {
        return Err(ImportError::file(format!(
            "the file is a web page (HTML), not a statement export; {WHERE_TO}"
        )));
    }
    let whole = &text.as_bytes()[..text.len().min(4096)];
    if begins(b"<?xml")
        && find_ascii_ci(whole, b"<OFX").is_none()
        && find_ascii_ci(whole, b"OFXHEADER").is_none()
    {
        return Err(ImportError::file(format!(
            "the file is XML but not OFX; {WHERE_TO}"
        )));
    }
    Ok(())
}

/// Decoded text that is not text: a NUL, or more than 2 % control characters (random
/// bytes decode to about 12 %; a real export has none but tabs and line ends).
pub(crate) fn is_binary(text: &str) -> bool {
    let mut controls = 0usize;
    for b in text.bytes() {
        match b {
            0 => return true,
            b'\t' | b'\n' | b'\r' | 0x0c => {}
            0x01..=0x1f | 0x7f => controls += 1,
            _ => {}
        }
    }
    controls > 0 && controls * 50 > text.len()
}

/// Which reader a file goes to.
pub(crate) fn format(text: &str) -> Format {
    let head = text.as_bytes();
    let head = &head[..head.len().min(4096)];
    let xml_header =
        find_ascii_ci(head, b"<?OFX").is_some() || find_ascii_ci(head, b"OFXHEADER=\"2").is_some();
    if xml_header {
        return Format::Ofx2;
    }
    if find_ascii_ci(head, b"OFXHEADER").is_some() || find_ascii_ci(head, b"<OFX>").is_some() {
        return Format::Ofx1;
    }
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let qif = ["!type:", "!account", "!option:", "!clear:"]
        .iter()
        .any(|p| {
            first.len() >= p.len() && first.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
        });
    if qif {
        return Format::Qif;
    }
    Format::Csv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_recognised_from_content() {
        assert_eq!(format("OFXHEADER:100\nDATA:OFXSGML\n<OFX>"), Format::Ofx1);
        assert_eq!(format("<OFX><SIGNONMSGSRSV1>"), Format::Ofx1);
        assert_eq!(
            format("<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\"?><OFX>"),
            Format::Ofx2
        );
        assert_eq!(format("\n!Type:Bank\nD21/08/26\n"), Format::Qif);
        assert_eq!(format("!TYPE:CCard\n"), Format::Qif);
        assert_eq!(format("Date,Amount\n21/08/2026,1.00\n"), Format::Csv);
    }

    #[test]
    fn binaries_are_refused_by_their_magic() {
        assert!(refuse_known_binaries(b"%PDF-1.7\n")
            .unwrap_err()
            .detail
            .starts_with("PDF statements"));
        assert!(refuse_known_binaries(b"PK\x03\x04rest").is_err());
        assert!(refuse_known_binaries(b"Date,Amount").is_ok());
    }

    #[test]
    fn web_pages_and_other_xml_are_refused() {
        assert!(refuse_known_texts("  <!DOCTYPE html><html>")
            .unwrap_err()
            .detail
            .contains("web page"));
        assert!(refuse_known_texts("<?xml version=\"1.0\"?><Document>")
            .unwrap_err()
            .detail
            .contains("not OFX"));
        assert!(
            refuse_known_texts("<?xml version=\"1.0\"?><?OFX OFXHEADER=\"200\"?><OFX>").is_ok()
        );
        assert!(refuse_known_texts("Date,Amount").is_ok());
    }

    #[test]
    fn control_characters_mark_binary_data() {
        assert!(is_binary("abc\0def"));
        assert!(is_binary("\x01\x02\x03abc"));
        assert!(!is_binary("Date\tAmount\r\n21/08/2026\t1.00\n"));
        assert!(!is_binary(&format!("{}\x07", "x".repeat(200))));
    }
}
