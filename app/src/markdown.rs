//! The one Markdown pipeline: pulldown-cmark renders, ammonia sanitises. Raw HTML,
//! event handlers, `javascript:`/`data:` links and frames never reach a browser.
//! Headings get stable ids (`section-` + slug) so comments can anchor to sections.

use std::{
    collections::{HashMap, HashSet},
    sync::LazyLock,
};


use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

const ID_PREFIX: &str = "section-";

/// A heading's anchor: lower-case words joined by hyphens, deterministic for the same text.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let s = out.trim_end_matches('-').to_string();
    if s.is_empty() { "heading".into() } else { s }
}

/// Renders Markdown to sanitised HTML.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let events: Vec<Event> = Parser::new_ext(markdown, options).collect();

    // First pass: the plain text of each heading, so its id can be derived from it.
    let mut ids = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut in_heading: Option<String> = None;
    for e in &events {
        match e {
            Event::Start(Tag::Heading { .. }) => in_heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = in_heading.as_mut() {
                    h.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let base = slug(&in_heading.take().unwrap_or_default());
                let n = seen.entry(base.clone()).or_insert(0);
                *n += 1;
                ids.push(if *n == 1 { format!("{ID_PREFIX}{base}") } else { format!("{ID_PREFIX}{base}-{n}") });
            }
            _ => {}
        }
    }

    let mut ids = ids.into_iter();
    let events = events.into_iter().map(|e| match e {
        Event::Start(Tag::Heading { level, classes, attrs, .. }) => Event::Start(Tag::Heading {
            level,
            id: ids.next().map(CowStr::from),
            classes,
            attrs,
        }),
        // Raw HTML is shown as text rather than silently dropped, so authors see what happened.
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    SANITISER.clean(&html).to_string()
}

/// Built once: the allow-list does not change while the server runs.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    // No images: there are no uploads, and a remote image would tell a third party who is reading.
    b.add_tags(["input"])
        .rm_tags(["img"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("h1", ["id"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        // `external`: the router then leaves the click to the browser, so a link someone wrote
        // is always a full page load that the server checks (see server/src/form_errors.rs).
        .link_rel(Some("noopener noreferrer nofollow external"));
    b
});

#[cfg(test)]
mod tests {
    use super::*;

    /// Looks only at real markup: escaped text like `&lt;img onerror=…&gt;` is harmless.
    fn assert_clean(html: &str) {
        for tag in html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or_default().to_lowercase()) {
            let name = tag.trim_start_matches('/').split_whitespace().next().unwrap_or_default().to_string();
            assert!(!["script", "iframe", "object", "embed", "style", "img", "svg", "div"].contains(&name.as_str()), "<{tag}> survived in {html}");
            for attr in tag.split_whitespace().skip(1) {
                assert!(!attr.starts_with("on"), "handler {attr} survived in {html}");
                assert!(!attr.contains("javascript:") && !attr.contains("data:"), "link {attr} survived in {html}");
            }
        }
    }

    #[test]
    fn scripts_handlers_bad_links_and_frames_do_not_survive() {
        let attacks = [
            "<script>alert(1)</script>",
            "Hello <img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">click</a>",
            "[click](javascript:alert(1))",
            "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<div onclick=\"steal()\">x</div>",
            "<scr<script>ipt>alert(1)</script>",
            "<a href='jav&#x09;ascript:alert(1)'>x</a>",
            "[x](JaVaScRiPt:alert(1))",
            "<svg><g onload=alert(1)></g></svg>",
            "<style>body{display:none}</style>",
            "<object data=x></object><embed src=x>",
            "<p <b>unclosed",
            "![img](javascript:alert(1))",
        ];
        for a in attacks {
            assert_clean(&render(a));
        }
    }

    #[test]
    fn ordinary_markdown_survives() {
        let md = "# The problem\n\nSome *emphasis* and **strong** text with a [link](https://example.org).\n\n\
                  - one\n- two\n\n1. first\n2. second\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nlet x = 1;\n```\n\n`inline`";
        let html = render(md);
        for good in ["<h1 id=\"section-the-problem\">", "<em>emphasis</em>", "<strong>strong</strong>", "href=\"https://example.org\"",
                     "<ul>", "<li>one</li>", "<ol>", "<table>", "<td>1</td>", "<pre><code>let x = 1;", "<code>inline</code>"] {
            assert!(html.contains(good), "{good:?} missing from {html}");
        }
        assert!(html.contains("rel=\"noopener noreferrer nofollow external\""));
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        assert!(render("a <b>bold</b> claim").contains("&lt;b&gt;bold&lt;/b&gt;"));
    }

    #[test]
    fn heading_ids_are_stable_and_unique() {
        let md = "## Who it is for\n\ntext\n\n## Who it is for\n\n### What we'll try — *now*!";
        let html = render(md);
        assert!(html.contains("id=\"section-who-it-is-for\""), "{html}");
        assert!(html.contains("id=\"section-who-it-is-for-2\""), "{html}");
        assert!(html.contains("id=\"section-what-we-ll-try-now\""), "{html}");
        assert_eq!(render(md), html, "the same text gives the same ids");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("The problem"), "the-problem");
        assert_eq!(slug("  Easy in, easy out!  "), "easy-in-easy-out");
        assert_eq!(slug("???"), "heading");
    }
}
