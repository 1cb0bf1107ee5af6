//! Comparing two iterations: a line diff (with `similar`) with word-level changes inside
//! changed lines, and long unchanged stretches folded to a few lines of context.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineKind {
    Same,
    Added,
    Removed,
    /// Unchanged lines left out between two changed parts.
    Gap,
}

/// A run of text within a line; `changed` marks the words that differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub changed: bool,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub kind: LineKind,
    pub segments: Vec<Segment>,
}

/// Lines of unchanged context kept around each change.
pub const CONTEXT: usize = 3;

#[cfg(feature = "ssr")]
pub fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for (i, group) in diff.grouped_ops(CONTEXT).iter().enumerate() {
        if i > 0 {
            out.push(DiffLine { kind: LineKind::Gap, segments: Vec::new() });
        }
        for op in group {
            for change in diff.iter_inline_changes(op) {
                let kind = match change.tag() {
                    ChangeTag::Equal => LineKind::Same,
                    ChangeTag::Insert => LineKind::Added,
                    ChangeTag::Delete => LineKind::Removed,
                };
                let segments = change
                    .iter_strings_lossy()
                    .map(|(changed, text)| Segment { changed, text: text.trim_end_matches('\n').to_string() })
                    .filter(|s| !s.text.is_empty())
                    .collect();
                out.push(DiffLine { kind, segments });
            }
        }
    }
    out
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn text(line: &DiffLine) -> String {
        line.segments.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn identical_texts_have_no_changes() {
        assert!(diff("a\nb\n", "a\nb\n").is_empty());
    }

    #[test]
    fn changed_lines_mark_the_changed_words() {
        let d = diff(
            "## What we will try\nA phone line open 9 to 5.\n",
            "## What we will try\nA phone line open 9 to 9.\n",
        );
        let removed = d.iter().find(|l| l.kind == LineKind::Removed).unwrap();
        let added = d.iter().find(|l| l.kind == LineKind::Added).unwrap();
        assert_eq!(text(removed), "A phone line open 9 to 5.");
        assert_eq!(text(added), "A phone line open 9 to 9.");
        let changed: Vec<_> = added.segments.iter().filter(|s| s.changed).map(|s| s.text.as_str()).collect();
        assert_eq!(changed, ["9."], "only the changed word is marked: {added:?}");
        assert!(d.iter().any(|l| l.kind == LineKind::Same && text(l) == "## What we will try"));
    }

    #[test]
    fn far_apart_changes_are_separated_by_a_gap() {
        let old: String = (0..30).map(|i| format!("line {i}\n")).collect();
        let new = old.replace("line 2\n", "line two\n").replace("line 27\n", "line twenty-seven\n");
        let d = diff(&old, &new);
        assert_eq!(d.iter().filter(|l| l.kind == LineKind::Gap).count(), 1);
        assert!(d.len() < 20, "unchanged middle folded away");
    }

    #[test]
    fn added_and_removed_lines() {
        let d = diff("a\n", "a\nb\n");
        assert_eq!(d.iter().filter(|l| l.kind == LineKind::Added).map(text).collect::<Vec<_>>(), ["b"]);
        let d = diff("a\nb\n", "a\n");
        assert_eq!(d.iter().filter(|l| l.kind == LineKind::Removed).map(text).collect::<Vec<_>>(), ["b"]);
    }
}
