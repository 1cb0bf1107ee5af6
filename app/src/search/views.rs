//! A found row as the viewer sees it: its kind, a title (matched words marked), the snippet
//! as plain segments, and the link to the exact place. Pure; tests below.

use super::{link, plain, segments, store::HitRow, DocKind, SearchResult, Segment};

/// `None` for a kind this build does not know (a newer migration's row): skipped, not shown.
pub fn result(row: HitRow) -> Option<SearchResult> {
    let kind = DocKind::parse(&row.kind)?;
    let marked = segments(&row.title);
    let with_prefix = |prefix: String, rest: Vec<Segment>| {
        let mut all = plain(prefix);
        all.extend(rest);
        all
    };
    let title = match kind {
        DocKind::Iteration => with_prefix(format!("Iteration {}: ", row.place.unwrap_or(0)), marked),
        DocKind::ChangeNote => {
            plain(format!("What changed in iteration {} of “{}”", row.place.unwrap_or(0), row.heading))
        }
        DocKind::Minutes => with_prefix("Minutes of ".into(), marked),
        // Comments and answers have no title of their own; no name is ever shown here.
        DocKind::Comment => plain(format!("Comment on “{}”", row.prototype_title.as_deref().unwrap_or("a prototype"))),
        DocKind::Answer => plain(format!("Answer in “{}”", row.heading)),
        DocKind::Prototype | DocKind::Note | DocKind::Statement | DocKind::Value | DocKind::Decision => marked,
    };
    let title = if title.is_empty() { plain(row.heading.clone()) } else { title };
    Some(SearchResult {
        kind,
        title,
        snippet: segments(&row.snippet),
        link: link(kind, row.ref_id, row.prototype_id, row.place, row.position),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: &str, title: &str, snippet: &str) -> HitRow {
        HitRow {
            kind: kind.into(),
            ref_id: 40,
            prototype_id: Some(3),
            place: Some(2),
            heading: "Evening line".into(),
            title: title.into(),
            snippet: snippet.into(),
            prototype_title: Some("Evening line (new name)".into()),
            position: Some(55),
        }
    }

    fn text(s: &[Segment]) -> String {
        s.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn titles_say_what_and_where() {
        let r = result(row("iteration", "Evening \u{E000}line\u{E001}", "")).unwrap();
        assert_eq!(text(&r.title), "Iteration 2: Evening line");
        assert!(r.title.iter().any(|s| s.hit && s.text == "line"));
        assert_eq!(r.link, "/prototypes/3/iterations/2");

        let r = result(row("comment", "", "I was \u{E000}waiting\u{E001}")).unwrap();
        assert_eq!(text(&r.title), "Comment on “Evening line (new name)”");
        assert_eq!(r.link, "/prototypes/3?comments=1#comment-40");
        assert_eq!(r.snippet[1], Segment { text: "waiting".into(), hit: true });

        let r = result(row("answer", "", "x")).unwrap();
        assert_eq!(text(&r.title), "Answer in “Evening line”");
        assert_eq!(r.link, "/consultations/2/results?page=1#answer-40");

        let r = result(row("change_note", "", "x")).unwrap();
        assert_eq!(text(&r.title), "What changed in iteration 2 of “Evening line”");

        let r = result(row("statement", "", "")).unwrap();
        assert_eq!(text(&r.title), "Evening line", "an empty title falls back to the heading");

        assert!(result(row("ballot", "x", "y")).is_none());
    }

    #[test]
    fn stored_html_stays_text() {
        let r = result(row("note", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>")).unwrap();
        assert_eq!(text(&r.title), "<script>alert(1)</script>", "kept as text: the view escapes it");
        assert_eq!(text(&r.snippet), "<img src=x onerror=alert(1)>");
    }
}
