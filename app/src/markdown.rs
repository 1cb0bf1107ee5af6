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
    if s.is_empty() {
        "heading".into()
    } else {
        s
    }
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
        Event::Start(Tag::Heading { level, classes, attrs, .. }) => {
            Event::Start(Tag::Heading { level, id: ids.next().map(CowStr::from), classes, attrs })
        }
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
            assert!(
                !["script", "iframe", "object", "embed", "style", "img", "svg", "div"].contains(&name.as_str()),
                "<{tag}> survived in {html}"
            );
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
        for good in [
            "<h1 id=\"section-the-problem\">",
            "<em>emphasis</em>",
            "<strong>strong</strong>",
            "href=\"https://example.org\"",
            "<ul>",
            "<li>one</li>",
            "<ol>",
            "<table>",
            "<td>1</td>",
            "<pre><code>let x = 1;",
            "<code>inline</code>",
        ] {
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

/// Property tests (issue 9, finding 13): whatever anyone types, the pipeline's output, read
/// by a real HTML parser (html5ever's tree builder, as a browser would), holds no element
/// outside the Markdown set, no event handler, no `style`, and no link a browser would run.
#[cfg(test)]
mod props {
    use std::{borrow::Cow, cell::RefCell, collections::HashMap};

    use html5ever::{
        parse_document,
        tendril::{StrTendril, TendrilSink},
        tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeBuilderOpts, TreeSink},
        Attribute, ParseOpts, QualName,
    };
    use proptest::{prelude::*, sample::select};

    use super::render;

    /// One element as the parser built it: lower-case local name, attributes (local name, decoded value).
    type Element = (String, Vec<(String, String)>);

    thread_local! {
        /// Element names are few (the parser interns them); leaking one copy of each keeps the sink simple.
        static NAMES: RefCell<HashMap<QualName, &'static QualName>> = RefCell::new(HashMap::new());
    }

    fn intern(name: QualName) -> &'static QualName {
        NAMES.with(|n| *n.borrow_mut().entry(name.clone()).or_insert_with(|| Box::leak(Box::new(name))))
    }

    /// A tree sink that keeps no tree, only every element the parser creates and every
    /// attribute it sets (including attributes merged into an existing element).
    #[derive(Default)]
    struct Recorder {
        handles: RefCell<Vec<Option<&'static QualName>>>,
        elements: RefCell<Vec<Element>>,
    }

    impl Recorder {
        fn handle(&self, name: Option<&'static QualName>) -> usize {
            let mut h = self.handles.borrow_mut();
            h.push(name);
            h.len() - 1
        }
        fn attrs(attrs: Vec<Attribute>) -> Vec<(String, String)> {
            attrs.into_iter().map(|a| (a.name.local.to_string().to_ascii_lowercase(), a.value.to_string())).collect()
        }
    }

    impl TreeSink for Recorder {
        type Handle = usize;
        type Output = Vec<Element>;
        type ElemName<'a> = &'a QualName;

        fn finish(self) -> Vec<Element> {
            self.elements.into_inner()
        }
        fn parse_error(&self, _: Cow<'static, str>) {}
        fn get_document(&self) -> usize {
            self.handle(None)
        }
        fn elem_name<'a>(&'a self, target: &'a usize) -> &'a QualName {
            self.handles.borrow()[*target].expect("an element")
        }
        fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> usize {
            self.elements.borrow_mut().push((name.local.to_string().to_ascii_lowercase(), Self::attrs(attrs)));
            self.handle(Some(intern(name)))
        }
        fn create_comment(&self, _: StrTendril) -> usize {
            self.handle(None)
        }
        fn create_pi(&self, _: StrTendril, _: StrTendril) -> usize {
            self.handle(None)
        }
        fn append(&self, _: &usize, _: NodeOrText<usize>) {}
        fn append_based_on_parent_node(&self, _: &usize, _: &usize, _: NodeOrText<usize>) {}
        fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}
        fn get_template_contents(&self, target: &usize) -> usize {
            *target
        }
        fn same_node(&self, x: &usize, y: &usize) -> bool {
            x == y
        }
        fn set_quirks_mode(&self, _: QuirksMode) {}
        fn append_before_sibling(&self, _: &usize, _: NodeOrText<usize>) {}
        fn add_attrs_if_missing(&self, _: &usize, attrs: Vec<Attribute>) {
            // Attributes merged into <html>/<body>: recorded as an element of their own.
            self.elements.borrow_mut().push(("(merged)".into(), Self::attrs(attrs)));
        }
        fn remove_from_parent(&self, _: &usize) {}
        fn reparent_children(&self, _: &usize, _: &usize) {}
    }

    /// Every element a browser would build from `html` placed inside a `<div>` in a page's
    /// body, as the app shows it (so a `<body onload>` in it would reach the page's body).
    /// Scripting off: `<noscript>` content is parsed as markup too, which is stricter.
    fn elements(html: &str) -> Vec<Element> {
        let page = format!("<!DOCTYPE html><html><head></head><body><div>{html}</div></body></html>");
        let all = parse_document(
            Recorder::default(),
            ParseOpts {
                tree_builder: TreeBuilderOpts { scripting_enabled: false, ..Default::default() },
                ..Default::default()
            },
        )
        .one(page);
        // The page's own html, head, body and div come first.
        assert_eq!(all.iter().take(4).map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["html", "head", "body", "div"]);
        all.into_iter().skip(4).collect()
    }

    /// Elements pulldown-cmark emits with tables, strikethrough and task lists (no images).
    const ELEMENTS: &[&str] = &[
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "code",
        "ol",
        "ul",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "em",
        "strong",
        "del",
        "a",
        "br",
        "hr",
        "input",
    ];
    const ATTRIBUTES: &[&str] =
        &["href", "rel", "id", "type", "checked", "disabled", "start", "title", "lang", "align"];
    const URL_ATTRIBUTES: &[&str] =
        &["href", "src", "action", "formaction", "data", "poster", "background", "srcset", "cite", "ping", "codebase"];

    /// What a browser's URL parser sees: entities are already decoded by the HTML parser;
    /// it then drops leading/trailing controls and spaces and every tab and newline. This
    /// removes every whitespace and control character anywhere, which is stricter.
    fn scheme_view(url: &str) -> String {
        url.chars()
            .filter(|c| !c.is_whitespace() && !c.is_control() && *c != '\u{feff}')
            .collect::<String>()
            .to_ascii_lowercase()
    }

    /// The checker. Returns the first problem found, if any.
    fn unsafe_part(html: &str) -> Option<String> {
        for (name, attrs) in elements(html) {
            if name != "(merged)" && !ELEMENTS.contains(&name.as_str()) {
                return Some(format!("element <{name}>"));
            }
            for (attr, value) in &attrs {
                if attr.starts_with("on") {
                    return Some(format!("handler {attr}={value:?} on <{name}>"));
                }
                if !ATTRIBUTES.contains(&attr.as_str()) {
                    return Some(format!("attribute {attr}={value:?} on <{name}>"));
                }
                if URL_ATTRIBUTES.contains(&attr.as_str()) {
                    let url = scheme_view(value);
                    if ["javascript:", "data:", "vbscript:"].iter().any(|s| url.starts_with(s)) {
                        return Some(format!("URL {attr}={value:?} on <{name}>"));
                    }
                    // A scheme (WHATWG URL): a letter, then letters, digits, '+', '-' or '.', then ':'.
                    // Anything else (`javascrip%74:`, `%20data:`) is a relative path.
                    let scheme = url.split_once(':').map(|(s, _)| s).filter(|s| {
                        s.starts_with(|c: char| c.is_ascii_alphabetic())
                            && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                    });
                    if let Some(s) = scheme {
                        if !["http", "https", "mailto", "tel"].contains(&s) {
                            return Some(format!("scheme {s:?} in {attr}={value:?} on <{name}>"));
                        }
                    }
                }
                if attr == "id" && !value.starts_with(super::ID_PREFIX) {
                    return Some(format!("id {value:?} (could clobber the page's own ids)"));
                }
            }
            if name == "input" {
                let has = |a: &str, v: Option<&str>| attrs.iter().any(|(k, val)| k == a && v.is_none_or(|v| val == v));
                if !has("type", Some("checkbox")) || !has("disabled", None) {
                    return Some(format!("input {attrs:?}"));
                }
            }
            if name == "a" && !attrs.iter().any(|(k, v)| k == "rel" && v.split_whitespace().any(|r| r == "external")) {
                return Some(format!("link without rel=external: {attrs:?}"));
            }
        }
        None
    }

    fn check(markdown: &str) -> Result<(), TestCaseError> {
        let html = render(markdown);
        match unsafe_part(&html) {
            None => Ok(()),
            Some(problem) => Err(TestCaseError::fail(format!("{problem}\n  input: {markdown:?}\n  output: {html:?}"))),
        }
    }

    /// The checker itself catches what it must (so a passing property means something).
    #[test]
    fn the_checker_sees_what_a_browser_would_run() {
        for bad in [
            "<script>x</script>",
            "<p onclick=x>",
            "<a href=\"jav&#x09;ascript:x\" rel=external>",
            "<a href=\" &#106;avascript:x\" rel=external>",
            "<a href=\"DATA:text/html,x\" rel=external>",
            "<a href=\"vbscript&colon;x\" rel=external>",
            "<svg><a xlink:href=\"javascript:x\"></a></svg>",
            "<form action=/api/x>",
            "<table><style>x</style>",
            "<p style=\"x\">",
            "<h2 id=\"login\">",
            "<input type=text>",
            "<body onload=x>",
        ] {
            assert!(unsafe_part(bad).is_some(), "checker missed {bad}");
        }
        for good in [
            "<p>x</p>",
            "<a href=\"https://example.org/javascript:x\" rel=\"noopener noreferrer nofollow external\">x</a>",
            "<a href=\"/prototypes/1\" rel=\"external\">x</a>",
            "<a href=\"mailto:a@example.org\" rel=\"external\">x</a>",
            "<ul><li><input disabled=\"\" type=\"checkbox\"/>x</li></ul>",
            "<h2 id=\"section-x\">x</h2>",
        ] {
            assert_eq!(unsafe_part(good), None, "{good}");
        }
    }

    /// Pieces an attacker combines: tags and their names, handlers, URL attributes,
    /// schemes plain and obfuscated, Markdown link syntax, quotes, code spans, entities.
    const PIECES: &[&str] = &[
        "<",
        ">",
        "</",
        "/>",
        "<a href=",
        "<img src=x ",
        "<svg ",
        "<math>",
        "<form action=",
        "<button formaction=",
        "<iframe src=",
        "<object data=",
        "<embed src=",
        "<base href=",
        "<meta http-equiv=refresh content=",
        "<style>",
        "</style>",
        "<script>",
        "</script>",
        "<textarea>",
        "</textarea>",
        "<template>",
        "<noscript>",
        "<xmp>",
        "<title>",
        "<plaintext>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<?",
        "<!doctype html>",
        "script",
        "iframe",
        "object",
        "embed",
        "style",
        "base",
        "meta",
        "form",
        "svg",
        "link",
        "frame",
        "a",
        " on",
        " onerror=",
        " onload=",
        " onclick=",
        " href=",
        " src=",
        " action=",
        " formaction=",
        " xlink:href=",
        " style=",
        " id=",
        " name=",
        "javascript:",
        "JaVaScRiPt:",
        "java&#x09;script:",
        "java\tscript:",
        "java\nscript:",
        "&#106;avascript:",
        "&#x6A;avascript:",
        "&#0000106avascript:",
        "&#X6a;",
        "&#x6A",
        "javascript&colon;",
        "&colon;",
        "&#58;",
        "&#x3a;",
        "&Tab;",
        "&NewLine;",
        "data:text/html,",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:",
        " \u{1}javascript:",
        "\u{0}",
        "\u{b}",
        "\u{feff}",
        "\u{a0}",
        "](",
        "[x](",
        "[x]",
        "[x]: ",
        "![x](",
        "<javascript:alert(1)>",
        "<https://example.org>",
        "alert(1)",
        ")",
        "]",
        "(",
        "[",
        "\"",
        "'",
        "`",
        "```",
        "~~~",
        "\n",
        "\n\n",
        "    ",
        "\t",
        "> ",
        "- ",
        "1. ",
        "- [ ] ",
        "- [x] ",
        "| a | b |\n|---|---|\n",
        "|",
        "# ",
        "## ",
        "&",
        "#",
        ";",
        "&#",
        "&#x",
        "&lt;",
        "&gt;",
        "&quot;",
        "&amp;",
        "\\",
        "*",
        "_",
        "~~",
        "http://",
        "https://",
        "mailto:",
        "tel:",
        "//",
        "%6A",
        "x",
        "1",
        " ",
    ];

    /// A dangerous scheme with each character kept, re-cased or written as an entity,
    /// tabs and newlines slipped in, and leading spaces or controls.
    fn obfuscated_scheme() -> impl Strategy<Value = String> {
        (
            select(
                &["javascript:", "data:", "vbscript:", "javascript:alert(1)", "data:text/html,<script>x</script>"][..],
            ),
            prop::collection::vec(0u8..12, 40),
            select(&["", " ", "\u{1}", "&#32;", "\t", "&#x0;", "\u{c}"][..]),
        )
            .prop_map(|(scheme, how, lead)| {
                let mut out = lead.to_string();
                for (c, h) in scheme.chars().zip(how.iter().chain(std::iter::repeat(&0))) {
                    let d = c as u32;
                    match h {
                        1 => out.extend(c.to_uppercase()),
                        2 => out.push_str(&format!("&#{d};")),
                        3 => out.push_str(&format!("&#x{d:x};")),
                        4 => out.push_str(&format!("&#0000{d}")),
                        5 => out.push_str(&format!("&#X{d:X}")),
                        6 => out.push_str(&format!("{c}&#x09;")),
                        7 => out.push_str(&format!("{c}\t")),
                        8 => out.push_str(&format!("{c}\n")),
                        9 if c == ':' => out.push_str("&colon;"),
                        10 => out.push_str(&format!("%{d:02x}")),
                        11 => out.push_str(&format!("\\{c}")),
                        _ => out.push(c),
                    }
                }
                out
            })
    }

    /// That scheme where a link or URL attribute would take it.
    fn link() -> impl Strategy<Value = String> {
        (obfuscated_scheme(), 0usize..10).prop_map(|(url, how)| match how {
            0 => format!("[x]({url})"),
            1 => format!("[x](<{url}>)"),
            2 => format!("[x][r]\n\n[r]: {url}\n"),
            3 => format!("![x]({url})"),
            4 => format!("<{url}>"),
            5 => format!("<a href=\"{url}\">x</a>"),
            6 => format!("<a href={url}>x</a>"),
            7 => format!("[x]({url} \"t\")"),
            8 => format!("<svg><a xlink:href='{url}'>x</a></svg>"),
            _ => url,
        })
    }

    /// A tag: a name in any case, some attributes (handlers, URLs, style), any ending.
    fn tag() -> impl Strategy<Value = String> {
        let names = select(
            &[
                "script", "iframe", "object", "embed", "style", "base", "meta", "form", "svg", "img", "a", "input",
                "button", "math", "textarea", "link", "body", "div", "p", "h2",
            ][..],
        );
        let attr = prop_oneof![
            "[a-z]{1,8}".prop_map(|h| format!(" on{h}=alert(1)")),
            (
                select(
                    &[" href", " src", " action", " formaction", " xlink:href", " style", " id", " data", " srcset"][..]
                ),
                obfuscated_scheme()
            )
                .prop_map(|(a, v)| format!("{a}=\"{v}\"")),
            select(
                &[
                    " onerror=x",
                    " ONLOAD='x'",
                    " on\u{c}click=x",
                    "/onload=x",
                    " autofocus onfocus=x",
                    " type=text",
                    " name=login"
                ][..]
            )
            .prop_map(str::to_string),
        ];
        (
            select(&["<", "</", "< ", "&lt;"][..]),
            names,
            any::<u32>(),
            prop::collection::vec(attr, 0..4),
            select(&[">", "/>", "", " >"][..]),
        )
            .prop_map(|(open, name, case, attrs, close)| {
                let name: String = name
                    .chars()
                    .enumerate()
                    .map(|(i, c)| if case >> (i % 32) & 1 == 1 { c.to_ascii_uppercase() } else { c })
                    .collect();
                format!("{open}{name}{}{close}", attrs.concat())
            })
    }

    /// Markdown built from the pieces above, arbitrary text and arbitrary characters.
    fn adversarial() -> impl Strategy<Value = String> {
        let part = prop_oneof![
            4 => select(PIECES).prop_map(str::to_string),
            2 => link(),
            2 => tag(),
            1 => "[a-zA-Z0-9 ]{1,6}",
            1 => any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(part, 0..24).prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(crate::props::config())]

        /// Any text at all (any Unicode, controls included).
        #[test]
        fn markdown_of_arbitrary_text_is_safe(s in any::<String>()) {
            check(&s)?;
        }

        /// Text built from HTML, handlers, link syntax and entity-obfuscated schemes.
        #[test]
        fn markdown_of_adversarial_markup_is_safe(s in adversarial()) {
            check(&s)?;
        }

        /// Links, autolinks, reference links, images and raw anchors with obfuscated schemes.
        #[test]
        fn markdown_links_with_obfuscated_schemes_are_safe(s in prop::collection::vec(link(), 1..4).prop_map(|l| l.join("\n\n"))) {
            check(&s)?;
        }

        /// Ordinary links still work (the properties above are not met by dropping everything).
        #[test]
        fn markdown_keeps_safe_links(path in "[a-z0-9/_-]{0,20}", scheme in select(&["https://example.org/", "http://example.org/", "/", "mailto:a@example.org?x=", "tel:+44"][..])) {
            let url = format!("{scheme}{path}");
            let html = render(&format!("[x]({url})"));
            prop_assert_eq!(unsafe_part(&html), None);
            let hrefs: Vec<String> = elements(&html).into_iter().flat_map(|(_, a)| a).filter(|(k, _)| k == "href").map(|(_, v)| v).collect();
            prop_assert_eq!(hrefs, vec![url]);
        }
    }
}
