//! Pure rules for comments: thread order, edit window, reasons.

use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Replies deeper than this are shown at this depth, still in reply order.
pub const MAX_DEPTH: usize = 4;

/// Orders comments as a thread: each reply right after its parent's earlier replies,
/// oldest first. Input in creation order as (id, parent); output (index, depth).
pub fn thread_order(items: &[(i64, Option<i64>)]) -> Vec<(usize, usize)> {
    fn walk(items: &[(i64, Option<i64>)], parent: Option<i64>, depth: usize, out: &mut Vec<(usize, usize)>) {
        for (i, (id, p)) in items.iter().enumerate() {
            if *p == parent {
                out.push((i, depth.min(MAX_DEPTH)));
                walk(items, Some(*id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::with_capacity(items.len());
    walk(items, None, 0, &mut out);
    // Replies whose parent is not in the list (should not happen) still show, at the top.
    let ids: std::collections::HashSet<i64> = items.iter().map(|i| i.0).collect();
    for (i, (_, p)) in items.iter().enumerate() {
        if p.is_some_and(|p| !ids.contains(&p)) && !out.iter().any(|(j, _)| *j == i) {
            out.push((i, 0));
        }
    }
    out
}

pub fn may_edit(now: i64, created: i64, mine: bool) -> bool {
    mine && now - created <= super::EDIT_WINDOW_SECS
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportReason {
    Unsafe,
    PersonalInformation,
    Offensive,
    OffTopic,
}

impl ReportReason {
    pub const ALL: [ReportReason; 4] = [ReportReason::Unsafe, ReportReason::PersonalInformation, ReportReason::Offensive, ReportReason::OffTopic];
    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::Unsafe => "unsafe",
            ReportReason::PersonalInformation => "personal_information",
            ReportReason::Offensive => "offensive",
            ReportReason::OffTopic => "off_topic",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ReportReason::Unsafe => "Someone may be unsafe",
            ReportReason::PersonalInformation => "It shares personal information",
            ReportReason::Offensive => "It is offensive",
            ReportReason::OffTopic => "It is off-topic",
        }
    }
    pub fn parse(s: &str) -> Result<ReportReason, AppError> {
        ReportReason::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| AppError::invalid("reason", "Please choose why you are reporting it."))
    }
}

/// A comment's text: not empty, not over the limit.
pub fn comment_body(raw: &str) -> Result<String, AppError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(AppError::invalid("body", "Please write your comment."));
    }
    if t.chars().count() > crate::consultations::MAX_TEXT {
        return Err(AppError::invalid("body", "Please keep your comment under 20,000 characters."));
    }
    Ok(t.to_string())
}

/// A short reason (hiding, not taking forward): 1–500 characters.
pub fn reason(raw: &str, field: &str) -> Result<String, AppError> {
    let t = raw.trim();
    if t.is_empty() || t.chars().count() > 500 {
        return Err(AppError::invalid(field, "Please give a short reason (up to 500 characters)."));
    }
    Ok(t.to_string())
}

/// Splits stored iteration HTML before each section heading (`<h1|h2 id="section-…">`),
/// giving (section id, heading text, html). Text before the first heading has no id.
pub fn sections(html: &str) -> Vec<(Option<String>, String, String)> {
    let mut starts: Vec<usize> = Vec::new();
    for pat in ["<h1 id=\"section-", "<h2 id=\"section-"] {
        starts.extend(html.match_indices(pat).map(|(i, _)| i));
    }
    starts.sort_unstable();
    let mut out = Vec::new();
    if starts.first() != Some(&0) {
        let end = starts.first().copied().unwrap_or(html.len());
        if !html[..end].trim().is_empty() {
            out.push((None, String::new(), html[..end].to_string()));
        }
    }
    for (n, &s) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(html.len());
        let chunk = &html[s..end];
        let id = chunk[8..].split('"').next().unwrap_or_default().to_string();
        let title = chunk.split_once('>').and_then(|(_, r)| r.split_once("</h")).map(|(t, _)| strip_tags(t)).unwrap_or_default();
        out.push((Some(id), title, chunk.to_string()));
    }
    out
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_nest_replies_under_parents_in_order() {
        // 1, 2 top level; 3 replies to 1; 4 to 3; 5 to 1; 6..9 a deep chain under 2.
        let items = [(1, None), (2, None), (3, Some(1)), (4, Some(3)), (5, Some(1)), (6, Some(2)), (7, Some(6)), (8, Some(7)), (9, Some(8)), (10, Some(9))];
        let order: Vec<(i64, usize)> = thread_order(&items).into_iter().map(|(i, d)| (items[i].0, d)).collect();
        assert_eq!(order, vec![(1, 0), (3, 1), (4, 2), (5, 1), (2, 0), (6, 1), (7, 2), (8, 3), (9, 4), (10, 4)]);
    }

    #[test]
    fn edits_only_by_the_author_within_fifteen_minutes() {
        assert!(may_edit(1000 + 15 * 60, 1000, true));
        assert!(!may_edit(1001 + 15 * 60, 1000, true));
        assert!(!may_edit(1000, 1000, false));
    }

    #[test]
    fn reasons_and_bodies() {
        assert!(ReportReason::parse("offensive").is_ok());
        assert!(ReportReason::parse("boring").is_err());
        assert!(comment_body("   ").is_err());
        assert_eq!(comment_body(" hi ").unwrap(), "hi");
        assert!(reason("", "reason").is_err());
    }

    #[test]
    fn iteration_html_splits_at_section_headings() {
        let html = "<p>Intro</p><h2 id=\"section-the-problem\">The problem</h2><p>a</p><h2 id=\"section-who-it-is-for\">Who it &amp; for</h2><p>b</p>";
        let s = sections(html);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].0, None);
        assert_eq!(s[1].0.as_deref(), Some("section-the-problem"));
        assert_eq!(s[1].1, "The problem");
        assert_eq!(s[2].1, "Who it & for");
        assert!(s[2].2.ends_with("<p>b</p>"));
        assert_eq!(sections("").len(), 0);
    }
}
