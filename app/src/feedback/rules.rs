//! Pure rules for comments: thread order and its depth cap, paging, edit window, reasons.

use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Replies deeper than this are shown at this depth, still in reply order.
pub const MAX_DEPTH: usize = 4;

/// Comments on one page of a thread: each view's work is bounded by this, not by the
/// thread's length.
pub const COMMENTS_PER_PAGE: i64 = 50;

/// Top-level comments on one iteration's sections, shown beside them.
pub const SECTION_COMMENTS_PER_PAGE: i64 = 200;

/// Pages past this are refused (400): the offset must fit in SQL's integers, and no real
/// thread is longer than a million pages.
pub const MAX_PAGE: i64 = 1_000_000;

/// The SQL offset of thread page `page` (0-based); out of range is a bad request.
pub fn page_offset(page: i64, per_page: i64) -> Result<i64, AppError> {
    if !(0..=MAX_PAGE).contains(&page) {
        return Err(AppError::BadRequest);
    }
    page.checked_mul(per_page).ok_or(AppError::BadRequest)
}

/// Orders comments as a thread: each reply right after its parent's earlier replies,
/// oldest first. Input in creation order as (id, parent); output (index, depth).
///
/// One pass and an explicit stack, never recursion: one person can post a chain of tens of
/// thousands of replies, and a recursive walk (or one that scans every item for each
/// parent) overflowed the stack and took seconds per view. O(n) after the SQL sort.
///
/// Replies deeper than `MAX_DEPTH` attach at the cap: they become later siblings of the
/// comment at the cap, in reply order, so the indent never grows past it. A reply whose
/// parent is not in the list (on an earlier page, or not visible to this viewer) starts the
/// list at depth 1, where it stood in creation order.
pub fn thread_order(items: &[(i64, Option<i64>)]) -> Vec<(usize, usize)> {
    let index: std::collections::HashMap<i64, usize> = items.iter().enumerate().map(|(i, (id, _))| (*id, i)).collect();
    let mut depth = vec![0usize; items.len()];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    let mut tops = Vec::new();
    // Where each item hangs: (item it hangs under, depth). Only earlier items can be parents,
    // so a cycle in bad data cannot loop.
    let mut under: Vec<Option<usize>> = vec![None; items.len()];
    for (i, (_, parent)) in items.iter().enumerate() {
        match parent.and_then(|p| index.get(&p).copied()).filter(|&p| p < i) {
            Some(p) if depth[p] < MAX_DEPTH => {
                under[i] = Some(p);
                depth[i] = depth[p] + 1;
            }
            // At the cap: a sibling of its parent.
            Some(p) => {
                under[i] = under[p];
                depth[i] = depth[p];
            }
            None => depth[i] = usize::from(parent.is_some()),
        }
        match under[i] {
            Some(p) => children[p].push(i),
            None => tops.push(i),
        }
    }
    let mut out = Vec::with_capacity(items.len());
    let mut stack: Vec<usize> = tops.into_iter().rev().collect();
    while let Some(i) = stack.pop() {
        out.push((i, depth[i]));
        stack.extend(children[i].iter().rev());
    }
    out
}

/// What of a piece of feedback a viewer may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    pub text: bool,
    pub name: bool,
}

/// Consent decides what others see of a response; `full` (the design group) sees every
/// word and name not posted anonymously. Comments are on the prototype's page for every
/// reader already, so their words and (unless anonymous) names show as they do there.
pub fn shown(kind: super::ItemKind, consent: crate::consultations::Consent, anonymous: bool, full: bool) -> Shown {
    use crate::consultations::Consent;
    let comment = kind == super::ItemKind::Comment;
    Shown {
        text: full || comment || consent.quotable(),
        name: !anonymous && (full || comment || consent == Consent::QuoteWithName),
    }
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
    pub const ALL: [ReportReason; 4] =
        [ReportReason::Unsafe, ReportReason::PersonalInformation, ReportReason::Offensive, ReportReason::OffTopic];
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
        ReportReason::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| AppError::invalid("reason", "Please choose why you are reporting it."))
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
        let title = chunk
            .split_once('>')
            .and_then(|(_, r)| r.split_once("</h"))
            .map(|(t, _)| strip_tags(t))
            .unwrap_or_default();
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
        let items = [
            (1, None),
            (2, None),
            (3, Some(1)),
            (4, Some(3)),
            (5, Some(1)),
            (6, Some(2)),
            (7, Some(6)),
            (8, Some(7)),
            (9, Some(8)),
            (10, Some(9)),
        ];
        let order: Vec<(i64, usize)> = thread_order(&items).into_iter().map(|(i, d)| (items[i].0, d)).collect();
        assert_eq!(order, vec![(1, 0), (3, 1), (4, 2), (5, 1), (2, 0), (6, 1), (7, 2), (8, 3), (9, 4), (10, 4)]);
    }

    #[test]
    fn a_reply_whose_parent_is_elsewhere_keeps_its_place_at_depth_one() {
        // 5 replies to 1 (on an earlier page); 6 replies to 5; 7 is top level.
        let items = [(5, Some(1)), (6, Some(5)), (7, None), (8, Some(5))];
        let order: Vec<(i64, usize)> = thread_order(&items).into_iter().map(|(i, d)| (items[i].0, d)).collect();
        assert_eq!(order, vec![(5, 1), (6, 2), (8, 2), (7, 0)]);
    }

    #[test]
    fn deep_replies_attach_at_the_cap_in_reply_order() {
        // A chain 1 <- 2 <- ... <- 8, then 9 replies to 5 (at the cap) and 10 to 3.
        let mut items: Vec<(i64, Option<i64>)> = (1..=8).map(|i| (i, (i > 1).then_some(i - 1))).collect();
        items.extend([(9, Some(5)), (10, Some(3))]);
        let order: Vec<(i64, usize)> = thread_order(&items).into_iter().map(|(i, d)| (items[i].0, d)).collect();
        assert_eq!(order, vec![(1, 0), (2, 1), (3, 2), (4, 3), (5, 4), (6, 4), (7, 4), (8, 4), (9, 4), (10, 3)]);
    }

    #[test]
    fn bad_parents_cannot_loop_or_vanish() {
        // 1 names 2 as its parent (later, so impossible in real data) and 2 names 1.
        let items = [(1, Some(2)), (2, Some(1)), (3, Some(3))];
        let order: Vec<(i64, usize)> = thread_order(&items).into_iter().map(|(i, d)| (items[i].0, d)).collect();
        assert_eq!(order, vec![(1, 1), (2, 2), (3, 1)]);
    }

    #[test]
    fn a_chain_of_two_hundred_thousand_replies_orders_quickly_without_recursion() {
        let items: Vec<(i64, Option<i64>)> = (0..200_000).map(|i| (i, (i > 0).then(|| i - 1))).collect();
        let t = std::time::Instant::now();
        let order = thread_order(&items);
        assert_eq!(order.len(), items.len());
        assert!(order.iter().enumerate().all(|(n, &(i, d))| n == i && d <= MAX_DEPTH));
        // Generous for a debug build on a busy machine; the quadratic walk took minutes.
        assert!(t.elapsed() < std::time::Duration::from_secs(5), "{:?}", t.elapsed());
    }

    #[test]
    fn pages_out_of_range_are_bad_requests() {
        assert_eq!(page_offset(0, 50).unwrap(), 0);
        assert_eq!(page_offset(3, 50).unwrap(), 150);
        assert!(page_offset(-1, 50).is_err());
        assert!(page_offset(i64::MAX, 50).is_err());
        assert!(page_offset(MAX_PAGE + 1, 50).is_err());
    }

    #[test]
    fn feedback_shows_as_its_consent_allows() {
        use super::super::ItemKind::{Comment, Response};
        use crate::consultations::Consent::*;
        let s = |text, name| Shown { text, name };
        assert_eq!(shown(Response, DesignGroupOnly, false, false), s(false, false));
        assert_eq!(shown(Response, QuoteAnonymously, false, false), s(true, false));
        assert_eq!(shown(Response, QuoteWithName, false, false), s(true, true));
        assert_eq!(shown(Response, QuoteWithName, true, false), s(true, false), "anonymous wins over consent");
        assert_eq!(shown(Response, DesignGroupOnly, false, true), s(true, true));
        assert_eq!(shown(Response, DesignGroupOnly, true, true), s(true, false), "anonymous even to the design group");
        assert_eq!(shown(Comment, DesignGroupOnly, false, false), s(true, true));
        assert_eq!(shown(Comment, DesignGroupOnly, true, false), s(true, false));
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
