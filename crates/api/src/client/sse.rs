//! A small parser for server-sent events (`text/event-stream`), fed with chunks as
//! they arrive, so native clients can follow `GET /jobs/{id}/events` the way the
//! browser's `EventSource` does. Pure: no I/O.
//!
//! Follows the HTML standard's rules that matter here: `field: value` lines, one
//! optional space after the colon, `:` comments (keep-alives), repeated `data` lines
//! joined by `\n`, an empty line ends an event, `\n` or `\r\n` line ends. Lone `\r`
//! line ends are not supported (no server we speak to sends them).

/// One event of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// `event:`, or `message` when absent.
    pub event: String,
    /// The `data:` lines, joined by `\n`.
    pub data: String,
    /// `id:`, when given.
    pub id: Option<String>,
}

/// Turns chunks of bytes into [`SseEvent`]s.
#[derive(Debug, Default)]
pub struct SseParser {
    /// Bytes of a line not yet ended (a chunk may split a line or a UTF-8 character).
    partial: Vec<u8>,
    event: Option<String>,
    data: Option<String>,
    id: Option<String>,
}

/// The longest line kept while waiting for its end; a stream that never ends a line
/// must not grow memory without bound.
const MAX_LINE: usize = 4 * 1024 * 1024;

impl SseParser {
    /// A parser at the start of a stream.
    pub fn new() -> Self {
        SseParser::default()
    }

    /// Feeds a chunk; returns the events it completed, in order.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        let mut out = Vec::new();
        let mut rest = chunk;
        while let Some(nl) = rest.iter().position(|&b| b == b'\n') {
            self.partial.extend_from_slice(&rest[..nl]);
            rest = &rest[nl + 1..];
            let mut line = std::mem::take(&mut self.partial);
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            if let Some(ev) = self.line(&String::from_utf8_lossy(&line)) {
                out.push(ev);
            }
        }
        self.partial.extend_from_slice(rest);
        if self.partial.len() > MAX_LINE {
            self.partial.clear();
        }
        out
    }

    fn line(&mut self, line: &str) -> Option<SseEvent> {
        if line.is_empty() {
            let data = self.data.take();
            let event = self.event.take();
            let id = self.id.take();
            return data.map(|data| SseEvent { event: event.unwrap_or_else(|| "message".into()), data, id });
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "event" => self.event = Some(value.to_string()),
            "data" => match &mut self.data {
                Some(d) => {
                    d.push('\n');
                    d.push_str(value);
                }
                None => self.data = Some(value.to_string()),
            },
            "id" => self.id = Some(value.to_string()),
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_named_events_with_ids() {
        let mut p = SseParser::new();
        let evs = p.push(b"event: job\nid: 1\ndata: {\"a\":1}\n\n: keep-alive\n\nevent: deleted\ndata: {}\n\n");
        assert_eq!(evs.len(), 2);
        assert_eq!((evs[0].event.as_str(), evs[0].data.as_str(), evs[0].id.as_deref()), ("job", "{\"a\":1}", Some("1")));
        assert_eq!((evs[1].event.as_str(), evs[1].id.as_deref()), ("deleted", None));
    }

    #[test]
    fn survives_any_chunking_and_crlf() {
        let text = "event: job\r\ndata: l1\r\ndata:l2\r\n\r\ndata: ünï\n\n";
        let whole = SseParser::new().push(text.as_bytes());
        for split in 0..text.len() {
            let mut p = SseParser::new();
            let mut evs = p.push(&text.as_bytes()[..split]);
            evs.extend(p.push(&text.as_bytes()[split..]));
            assert_eq!(evs, whole, "split at {split}");
        }
        assert_eq!(whole[0].data, "l1\nl2");
        assert_eq!((whole[1].event.as_str(), whole[1].data.as_str()), ("message", "ünï"));
    }

    #[test]
    fn events_without_data_are_not_dispatched() {
        assert!(SseParser::new().push(b"event: job\n\nid: 3\n\n").is_empty());
    }
}
