//! Institution type-ahead: which banks match a query and which one the keyboard has
//! highlighted. Pure, so matching and keyboard behaviour are unit-tested.

use tally_api::Institution;

/// How well an institution matches; lower is better.
fn rank(inst: &Institution, q: &str) -> Option<u8> {
    let name = inst.name.to_lowercase();
    let short = inst.short_name.to_lowercase();
    if q.is_empty() {
        return Some(3);
    }
    if name.starts_with(q) || short.starts_with(q) {
        Some(0)
    } else if name.split_whitespace().chain(short.split_whitespace()).any(|w| w.starts_with(q)) {
        Some(1)
    } else if name.contains(q) || short.contains(q) {
        Some(2)
    } else {
        None
    }
}

/// Indices into `list` of the institutions matching `query` over name and short name
/// (case-insensitive), best matches first, then alphabetical.
pub fn filter(list: &[Institution], query: &str) -> Vec<usize> {
    let q = query.trim().to_lowercase();
    let mut hits: Vec<(u8, usize)> = list.iter().enumerate().filter_map(|(i, inst)| rank(inst, &q).map(|r| (r, i))).collect();
    hits.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| list[a.1].name.to_lowercase().cmp(&list[b.1].name.to_lowercase())));
    hits.into_iter().map(|(_, i)| i).collect()
}

/// A key the result list reacts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Down,
    Up,
    Home,
    End,
    Enter,
    Escape,
}

impl Key {
    pub fn from_dom(key: &str) -> Option<Key> {
        Some(match key {
            "ArrowDown" | "Down" => Key::Down,
            "ArrowUp" | "Up" => Key::Up,
            "Home" => Key::Home,
            "End" => Key::End,
            "Enter" => Key::Enter,
            "Escape" | "Esc" => Key::Escape,
            _ => return None,
        })
    }
}

/// What a key press asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOutcome {
    /// Highlight this position of the results (None: nothing highlighted).
    Highlight(Option<usize>),
    /// Choose the result at this position.
    Choose(usize),
    /// Clear the query.
    Clear,
    /// Not ours: let the browser handle it.
    Ignore,
}

/// The keyboard model of a list of `len` results with `current` highlighted.
/// Arrows wrap around, Home/End jump, Enter chooses (the only result even if none is
/// highlighted), Escape clears.
pub fn on_key(key: Key, current: Option<usize>, len: usize) -> KeyOutcome {
    if len == 0 {
        return if key == Key::Escape { KeyOutcome::Clear } else { KeyOutcome::Ignore };
    }
    let last = len - 1;
    match key {
        Key::Down => KeyOutcome::Highlight(Some(match current {
            Some(i) if i < last => i + 1,
            _ => 0,
        })),
        Key::Up => KeyOutcome::Highlight(Some(match current {
            Some(i) if i > 0 && i <= last => i - 1,
            _ => last,
        })),
        Key::Home => KeyOutcome::Highlight(Some(0)),
        Key::End => KeyOutcome::Highlight(Some(last)),
        Key::Enter => match current {
            Some(i) if i <= last => KeyOutcome::Choose(i),
            None if len == 1 => KeyOutcome::Choose(0),
            _ => KeyOutcome::Ignore,
        },
        Key::Escape => KeyOutcome::Clear,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inst(name: &str, short: &str) -> Institution {
        serde_json::from_value(serde_json::json!({
            "type":"institution","id":name,"name":name,"shortName":short,"institutionType":"Bank","country":"Australia",
            "loginIdCaption":"Login","passwordCaption":"Password","tier":"1","authorization":"user","stage":"live",
            "status":"operational","logo":{"type":"image","links":{"full":"","square":""}}
        }))
        .unwrap()
    }

    #[test]
    fn matches_name_and_short_name_best_first() {
        let list = vec![inst("Pied Piper Bank", "PPB"), inst("Hooli", "Hooli"), inst("Nucleus Bank", "Nucleus"), inst("Commonwealth Bank of Australia", "CBA")];
        let names = |q: &str| filter(&list, q).into_iter().map(|i| list[i].name.clone()).collect::<Vec<_>>();
        assert_eq!(names("hoo"), ["Hooli"]);
        assert_eq!(names("cba"), ["Commonwealth Bank of Australia"], "short name matches");
        assert_eq!(names("bank"), ["Commonwealth Bank of Australia", "Nucleus Bank", "Pied Piper Bank"], "word-prefix, then alphabetical");
        assert_eq!(names("  PIPER "), ["Pied Piper Bank"], "trimmed, case-insensitive");
        assert_eq!(names("").len(), 4, "empty query lists everything");
        assert!(names("zzz").is_empty());
        assert_eq!(names("oli"), ["Hooli"], "substring matches last");
    }

    #[test]
    fn arrows_wrap_and_enter_chooses() {
        assert_eq!(on_key(Key::Down, None, 3), KeyOutcome::Highlight(Some(0)));
        assert_eq!(on_key(Key::Down, Some(2), 3), KeyOutcome::Highlight(Some(0)));
        assert_eq!(on_key(Key::Up, None, 3), KeyOutcome::Highlight(Some(2)));
        assert_eq!(on_key(Key::Up, Some(0), 3), KeyOutcome::Highlight(Some(2)));
        assert_eq!(on_key(Key::End, Some(0), 3), KeyOutcome::Highlight(Some(2)));
        assert_eq!(on_key(Key::Enter, Some(1), 3), KeyOutcome::Choose(1));
        assert_eq!(on_key(Key::Enter, None, 3), KeyOutcome::Ignore);
        assert_eq!(on_key(Key::Enter, None, 1), KeyOutcome::Choose(0));
        assert_eq!(on_key(Key::Up, Some(7), 3), KeyOutcome::Highlight(Some(2)), "a stale highlight is recovered");
        assert_eq!(on_key(Key::Down, None, 0), KeyOutcome::Ignore);
        assert_eq!(on_key(Key::Escape, Some(1), 3), KeyOutcome::Clear);
    }
}
