//! A tolerant reader for OFX markup, 1.x and 2.x alike.
//!
//! OFX 1.x is SGML, not XML: leaf elements are usually not closed
//! (`<TRNAMT>-12.50<FITID>123`), so no XML parser accepts it. Real files also mix the two:
//! an ANZ export puts an XML 2.x header over an SGML body; others have a bare `&` in a
//! memo, CDATA (Suncorp), self-closing empty tags (`<MEMO/>`), or everything on one line.
//! Rather than two readers, every OFX file goes through this one: quick-xml tokenises
//! (with its well-formedness checks off), and this pass restores the structure with the
//! rule OFX itself relies on: an element whose start tag is followed by text is a leaf
//! that ends at the next tag; one followed directly by another tag is an aggregate that
//! ends at its own end tag. The result is a stream of [`Node`]s, each with its line.

use std::borrow::Cow;

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::ImportError;

/// Deeper nesting than any OFX file has; bounds the work on hostile input.
const MAX_DEPTH: usize = 64;

/// A tag name, upper-cased, held inline (OFX names are short; longer ones are cut,
/// which only matters for names OFX does not have).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tag {
    buf: [u8; 32],
    len: u8,
}

impl Tag {
    fn new(name: &[u8]) -> Tag {
        let mut buf = [0u8; 32];
        let len = name.len().min(32);
        for (dst, src) in buf.iter_mut().zip(&name[..len]) {
            *dst = src.to_ascii_uppercase();
        }
        Tag {
            buf,
            len: len as u8,
        }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.buf[..usize::from(self.len)]
    }

    pub(crate) fn is(&self, name: &str) -> bool {
        self.as_bytes() == name.as_bytes()
    }

    pub(crate) fn name(&self) -> String {
        String::from_utf8_lossy(self.as_bytes()).into_owned()
    }
}

impl std::fmt::Debug for Tag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{}>", self.name())
    }
}

/// One piece of the restored structure.
#[derive(Debug, PartialEq)]
pub(crate) enum Node<'a> {
    /// An aggregate opens (`<STMTTRN>`).
    Open(Tag),
    /// A leaf and its text, trimmed, entities resolved (`<TRNAMT>-12.50`).
    Leaf(Tag, Cow<'a, str>),
    /// An aggregate closes; also sent for aggregates left open inside it.
    Close(Tag),
}

/// Aggregates still open when the text ended: a truncated file. Outermost first.
pub(crate) type Unclosed = Vec<(Tag, usize)>;

/// An element whose kind (leaf or aggregate) is not known until the next tag.
struct Pending<'a> {
    tag: Tag,
    line: usize,
    text: Option<Cow<'a, str>>,
}

/// Walks `text`, calling `on` with every node and the line it starts on.
pub(crate) fn walk<'a>(
    text: &'a str,
    mut on: impl FnMut(Node<'a>, usize) -> Result<(), ImportError>,
) -> Result<Unclosed, ImportError> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    config.check_comments = false;
    config.expand_empty_elements = false;
    config.trim_text(false);

    let mut lines = Lines {
        text: text.as_bytes(),
        pos: 0,
        line: 1,
    };
    let mut stack: Vec<(Tag, usize)> = Vec::new();
    let mut pending: Option<Pending<'a>> = None;

    // Settles a pending element when a tag follows: a leaf if it holds text (or
    // `leaf_anyway`), else an aggregate.
    let settle = |pending: &mut Option<Pending<'a>>,
                  stack: &mut Vec<(Tag, usize)>,
                  leaf_anyway: bool,
                  on: &mut dyn FnMut(Node<'a>, usize) -> Result<(), ImportError>|
     -> Result<(), ImportError> {
        let Some(p) = pending.take() else {
            return Ok(());
        };
        let text = p.text.map(|t| trim_cow(t)).filter(|t| !t.is_empty());
        match text {
            Some(t) => on(Node::Leaf(p.tag, t), p.line),
            None if leaf_anyway => on(Node::Leaf(p.tag, Cow::Borrowed("")), p.line),
            None => {
                if stack.len() >= MAX_DEPTH {
                    return Err(ImportError::at(
                        p.line,
                        p.tag.name(),
                        "the OFX markup nests too deep",
                    ));
                }
                stack.push((p.tag, p.line));
                on(Node::Open(p.tag), p.line)
            }
        }
    };

    loop {
        let start = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = (reader.error_position() as usize).min(text.len());
                let line = lines.at(at);
                return Err(ImportError::at(
                    line,
                    "OFX",
                    format!("the OFX markup cannot be read: {e}"),
                ));
            }
        };
        let line = lines.at(start);
        match event {
            Event::Start(e) => {
                settle(&mut pending, &mut stack, false, &mut on)?;
                pending = Some(Pending {
                    tag: Tag::new(e.name().as_ref()),
                    line,
                    text: None,
                });
            }
            Event::Empty(e) => {
                settle(&mut pending, &mut stack, false, &mut on)?;
                on(
                    Node::Leaf(Tag::new(e.name().as_ref()), Cow::Borrowed("")),
                    line,
                )?;
            }
            Event::End(e) => {
                let tag = Tag::new(e.name().as_ref());
                if pending.as_ref().is_some_and(|p| p.tag == tag) {
                    settle(&mut pending, &mut stack, true, &mut on)?;
                    continue;
                }
                settle(&mut pending, &mut stack, true, &mut on)?;
                if let Some(depth) = stack.iter().rposition(|(t, _)| *t == tag) {
                    while stack.len() > depth {
                        if let Some((t, _)) = stack.pop() {
                            on(Node::Close(t), line)?;
                        }
                    }
                }
                // An end tag that closes nothing open (`</NAME>` after a leaf already
                // ended by the next tag) is dropped.
            }
            Event::Text(t) => {
                if let Some(p) = pending.as_mut() {
                    let piece = match t.into_inner() {
                        Cow::Borrowed(b) => {
                            Cow::Borrowed(std::str::from_utf8(b).unwrap_or_default())
                        }
                        Cow::Owned(b) => Cow::Owned(String::from_utf8(b).unwrap_or_default()),
                    };
                    append(&mut p.text, piece);
                }
            }
            Event::CData(c) => {
                if let Some(p) = pending.as_mut() {
                    let piece = match c.into_inner() {
                        Cow::Borrowed(b) => {
                            Cow::Borrowed(std::str::from_utf8(b).unwrap_or_default())
                        }
                        Cow::Owned(b) => Cow::Owned(String::from_utf8(b).unwrap_or_default()),
                    };
                    append(&mut p.text, piece);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(p) = pending.as_mut() {
                    let name = std::str::from_utf8(&r).unwrap_or_default();
                    append(
                        &mut p.text,
                        Cow::Owned(entity(name, r.resolve_char_ref().ok().flatten())),
                    );
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    settle(&mut pending, &mut stack, true, &mut on)?;
    Ok(stack)
}

/// `&amp;` and friends, `&#233;`; an unknown entity stays as written.
fn entity(name: &str, char_ref: Option<char>) -> String {
    if let Some(c) = char_ref {
        return c.to_string();
    }
    match name {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        "nbsp" => " ".into(),
        _ => format!("&{name};"),
    }
}

fn append<'a>(text: &mut Option<Cow<'a, str>>, piece: Cow<'a, str>) {
    match text {
        None => *text = Some(piece),
        Some(t) => t.to_mut().push_str(&piece),
    }
}

fn trim_cow(t: Cow<'_, str>) -> Cow<'_, str> {
    match t {
        Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
        Cow::Owned(s) if s.trim().len() == s.len() => Cow::Owned(s),
        Cow::Owned(s) => Cow::Owned(s.trim().to_string()),
    }
}

/// Byte offset → 1-based line, for offsets that only grow.
struct Lines<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, pos: usize) -> usize {
        let pos = pos.min(self.text.len());
        if pos > self.pos {
            self.line += self.text[self.pos..pos]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.pos = pos;
        }
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The nodes as `+AGG`, `-AGG`, `LEAF=value`, each with its line.
    fn nodes(text: &str) -> (Vec<String>, Vec<String>) {
        let mut out = Vec::new();
        let unclosed = walk(text, |n, line| {
            out.push(match n {
                Node::Open(t) => format!("{line}+{}", t.name()),
                Node::Close(t) => format!("-{}", t.name()),
                Node::Leaf(t, v) => format!("{line}:{}={v}", t.name()),
            });
            Ok(())
        })
        .unwrap();
        (out, unclosed.iter().map(|(t, _)| t.name()).collect())
    }

    #[test]
    fn sgml_leaves_end_at_the_next_tag() {
        let (n, open) = nodes("<STMTTRN>\n<TRNAMT>-12.50\n<NAME>COLES\n</STMTTRN>");
        assert_eq!(
            n,
            ["1+STMTTRN", "2:TRNAMT=-12.50", "3:NAME=COLES", "-STMTTRN"]
        );
        assert!(open.is_empty());
    }

    #[test]
    fn xml_leaves_and_sgml_leaves_mix() {
        let (n, _) = nodes("<stmttrn><TRNAMT>-1.00</TRNAMT><NAME>A</NAME><MEMO>B</stmttrn>");
        assert_eq!(
            n,
            [
                "1+STMTTRN",
                "1:TRNAMT=-1.00",
                "1:NAME=A",
                "1:MEMO=B",
                "-STMTTRN"
            ]
        );
    }

    #[test]
    fn empty_and_self_closing_leaves() {
        let (n, _) = nodes("<A><MEMO/><DTSTART></DTSTART><NAME></A>");
        assert_eq!(n, ["1+A", "1:MEMO=", "1:DTSTART=", "1:NAME=", "-A"]);
    }

    #[test]
    fn bare_ampersands_entities_and_cdata() {
        let (n, _) =
            nodes("<A><MEMO>FISH & CHIPS &amp; CO &#233;<NAME><![CDATA[A <B> & C]]></NAME></A>");
        assert_eq!(
            n,
            [
                "1+A",
                "1:MEMO=FISH & CHIPS & CO é",
                "1:NAME=A <B> & C",
                "-A"
            ]
        );
    }

    #[test]
    fn truncated_input_reports_what_is_open() {
        let (n, open) = nodes("<OFX>\n<STMTRS>\n<STMTTRN>\n<TRNAMT>-1");
        assert_eq!(n, ["1+OFX", "2+STMTRS", "3+STMTTRN", "4:TRNAMT=-1"]);
        assert_eq!(open, ["OFX", "STMTRS", "STMTTRN"]);
    }

    #[test]
    fn a_stray_end_tag_is_dropped_and_a_missing_one_is_implied() {
        let (n, _) = nodes("<A><B><X>1</Y></A>");
        assert_eq!(n, ["1+A", "1+B", "1:X=1", "-B", "-A"]);
    }

    #[test]
    fn headers_and_processing_instructions_are_skipped() {
        let (n, _) =
            nodes("OFXHEADER:100\nDATA:OFXSGML\n\n<?OFX X=\"1\"?><!-- c --><OFX><A>1</OFX>");
        assert_eq!(n, ["4+OFX", "4:A=1", "-OFX"]);
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "<A>".repeat(100);
        assert!(walk(&deep, |_, _| Ok(())).is_err());
    }
}
