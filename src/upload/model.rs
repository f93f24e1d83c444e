//! A statement upload as plain data: which file, how much of it has gone up, and what
//! to tell the user when the browser cannot even send it. The view only renders this
//! and feeds it the browser's events, so every rule (the size limit, the percentage,
//! the units) is tested natively, without a browser.

use tally_api::StatementUpload;

use crate::i18n::Strings;

/// The largest file the server takes (10 MiB). Checked here as well, so a 50 MB file is
/// refused at once instead of after a long upload.
pub const MAX_BYTES: u64 = StatementUpload::MAX_BYTES as u64;

/// What the file picker offers. The server recognises the format from the content, but
/// a picker showing every file on the disk helps nobody; `.txt` because some banks name
/// their CSV exports so.
pub const ACCEPT: &str = ".ofx,.qfx,.qif,.csv,.txt,text/csv,application/x-ofx,application/vnd.intu.qfx";

/// Where an upload stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upload {
    /// Waiting for a file; `problem` says why the last one did not go up.
    Choosing { problem: Option<String> },
    /// The browser reads the file into memory.
    Reading { name: String, size: u64 },
    /// The file goes up: `sent` of `total` bytes of the request so far (`total` is 0
    /// until the browser says; it includes the form around the file).
    Sending { name: String, size: u64, sent: u64, total: u64 },
}

impl Default for Upload {
    fn default() -> Self {
        Upload::Choosing { problem: None }
    }
}

impl Upload {
    /// The user picked or dropped `name` of `size` bytes. False (and the reason kept)
    /// when it is too big to send; true when the browser should read it. Ignored while
    /// another file is on its way.
    pub fn picked(&mut self, s: &Strings, name: &str, size: u64) -> bool {
        if self.busy() {
            return false;
        }
        if size > MAX_BYTES {
            *self = Upload::Choosing { problem: Some((s.upload_too_big)(name, &size_text(size))) };
            return false;
        }
        *self = Upload::Reading { name: name.to_string(), size };
        true
    }

    /// The browser has the bytes: they start going up.
    pub fn read(&mut self) {
        if let Upload::Reading { name, size } = self {
            *self = Upload::Sending { name: std::mem::take(name), size: *size, sent: 0, total: 0 };
        }
    }

    /// The browser could not read the file (moved, deleted, no permission).
    pub fn not_read(&mut self, s: &Strings) {
        *self = Upload::Choosing { problem: Some(s.upload_not_read.to_string()) };
    }

    /// The browser reports `sent` of `total` bytes handed to the network.
    pub fn progress(&mut self, sent: f64, total: f64) {
        if let Upload::Sending { sent: s, total: t, .. } = self {
            let (sent, total) = (sent.max(0.0) as u64, total.max(0.0) as u64);
            *t = total;
            *s = sent.min(total);
        }
    }

    /// The server answered (a job, or a refusal the flow shows): ready for a file again.
    pub fn ended(&mut self) {
        *self = Upload::default();
    }

    /// True while a file is being read or sent (the picker and the drop zone wait).
    pub fn busy(&self) -> bool {
        !matches!(self, Upload::Choosing { .. })
    }

    /// Why the last file did not go up, if the browser refused it.
    pub fn problem(&self) -> Option<String> {
        match self {
            Upload::Choosing { problem } => problem.clone(),
            _ => None,
        }
    }

    /// While sending: the file's name, the whole percent sent (0–100) and its size in
    /// words. Reading counts as 0 %.
    pub fn sending(&self) -> Option<(String, u8, String)> {
        match self {
            Upload::Reading { name, size } => Some((name.clone(), 0, size_text(*size))),
            Upload::Sending { name, size, sent, total } => {
                let pct = if *total == 0 { 0 } else { (sent * 100 / total).min(100) as u8 };
                Some((name.clone(), pct, size_text(*size)))
            }
            Upload::Choosing { .. } => None,
        }
    }
}

/// A file size for people, in the binary units file managers use: `840 B`, `12 KB`,
/// `2.4 MB`.
pub fn size_text(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    match bytes {
        0..KB => format!("{bytes} B"),
        KB..MB => format!("{} KB", (bytes + KB / 2) / KB),
        _ => {
            let tenths = (bytes * 10 + MB / 2) / MB;
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;

    #[test]
    fn a_file_goes_from_picked_to_read_to_sent() {
        let mut u = Upload::default();
        assert!(!u.busy());
        assert!(u.picked(&EN, "march.csv", 2_500_000));
        assert_eq!(u.sending(), Some(("march.csv".into(), 0, "2.4 MB".into())));
        assert!(!u.picked(&EN, "other.csv", 10), "one file at a time");
        u.read();
        u.progress(0.0, 0.0);
        assert_eq!(u.sending().map(|s| s.1), Some(0), "no total yet is 0 %, not a division by zero");
        u.progress(1_250_200.0, 2_500_400.0);
        assert_eq!(u.sending().map(|s| s.1), Some(50));
        u.progress(2_600_000.0, 2_500_400.0);
        assert_eq!(u.sending().map(|s| s.1), Some(100), "never past 100 %");
        u.ended();
        assert_eq!(u, Upload::Choosing { problem: None });
    }

    #[test]
    fn a_file_over_the_servers_limit_is_refused_before_it_is_sent() {
        let mut u = Upload::default();
        assert!(u.picked(&EN, "ok.ofx", MAX_BYTES), "exactly the limit is fine");
        u.ended();
        assert!(!u.picked(&EN, "ok.ofx", MAX_BYTES + 1), "one byte more is not");
        assert!(!u.picked(&EN, "decade.ofx", 15_000_000));
        let p = u.problem().expect("a reason");
        assert!(p.contains("decade.ofx is 14.3 MB") && p.contains("10 MB"), "{p}");
        assert!(!u.busy(), "another file can be picked");
    }

    #[test]
    fn a_file_the_browser_cannot_read_is_said_so() {
        let mut u = Upload::default();
        u.picked(&EN, "gone.csv", 10);
        u.not_read(&EN);
        assert_eq!(u.problem().as_deref(), Some(EN.upload_not_read));
    }

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(size_text(0), "0 B");
        assert_eq!(size_text(1023), "1023 B");
        assert_eq!(size_text(1024), "1 KB");
        assert_eq!(size_text(12_800), "13 KB");
        assert_eq!(size_text(1024 * 1024), "1.0 MB");
        assert_eq!(size_text(10 * 1024 * 1024 + 1), "10.0 MB");
    }
}
