//! Search (`/search?q=`): one full-text index (SQLite FTS5, see the migration
//! `20261127000025_search.sql`) over everything a person may open: published iterations and
//! their change notes, learning notes, statements and values, decisions and approved
//! minutes, published comments and released free-text answers.
//!
//! Who may open a thing is stored with it (its audience) and is part of the query, so a
//! result, a snippet, a count or a filter choice never comes from something the viewer could
//! not open. Held and hidden contributions are never indexed; triggers keep the index in
//! step in the same transaction as every write.
//!
//! Here: the wire types and the pure rules — turning what a person typed into a safe FTS5
//! expression (and saying what was searched), which audiences a role reaches, where each
//! result links to, and the highlighted snippet as plain segments (no HTML anywhere).

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod views;

use serde::{Deserialize, Serialize};

use crate::auth::{
    policy::{allowed, Action},
    Role,
};

/// Results on one page.
pub const PAGE_SIZE: i64 = 20;
/// What is read of the search box: a person's query, not a document.
pub const MAX_QUERY_CHARS: usize = 200;
/// Words and phrases in one search (each is a lookup in the index).
pub const MAX_TERMS: usize = 12;
/// The most words the index is asked about in one search, counted as it splits them.
pub const MAX_TOKENS: usize = 16;
/// Where the index marks the start and end of a matched word in titles and snippets:
/// private-use characters, taken out of what people type, and never turned into HTML.
pub const MARK_START: char = '\u{E000}';
pub const MARK_END: char = '\u{E001}';

/// What a result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Prototype,
    Iteration,
    ChangeNote,
    Note,
    Statement,
    Value,
    Decision,
    Minutes,
    Comment,
    Answer,
}

impl DocKind {
    pub const ALL: [DocKind; 10] = [
        DocKind::Prototype,
        DocKind::Iteration,
        DocKind::ChangeNote,
        DocKind::Note,
        DocKind::Statement,
        DocKind::Value,
        DocKind::Decision,
        DocKind::Minutes,
        DocKind::Comment,
        DocKind::Answer,
    ];

    /// As stored in `search_docs.kind` and written in the URL (`?kind=`).
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Prototype => "prototype",
            DocKind::Iteration => "iteration",
            DocKind::ChangeNote => "change_note",
            DocKind::Note => "note",
            DocKind::Statement => "statement",
            DocKind::Value => "value",
            DocKind::Decision => "decision",
            DocKind::Minutes => "minutes",
            DocKind::Comment => "comment",
            DocKind::Answer => "answer",
        }
    }

    pub fn parse(s: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The label beside each result.
    pub fn label(self) -> &'static str {
        match self {
            DocKind::Prototype => "Prototype",
            DocKind::Iteration => "Iteration",
            DocKind::ChangeNote => "What changed and why",
            DocKind::Note => "Learning note",
            DocKind::Statement => "Experience statement",
            DocKind::Value => "Value",
            DocKind::Decision => "Decision",
            DocKind::Minutes => "Minutes",
            DocKind::Comment => "Comment",
            DocKind::Answer => "Consultation answer",
        }
    }

    /// The filter's choice: "Comments".
    pub fn plural(self) -> &'static str {
        match self {
            DocKind::Prototype => "Prototypes",
            DocKind::Iteration => "Iterations",
            DocKind::ChangeNote => "Change notes",
            DocKind::Note => "Learning notes",
            DocKind::Statement => "Experience statements",
            DocKind::Value => "Values",
            DocKind::Decision => "Decisions",
            DocKind::Minutes => "Minutes",
            DocKind::Comment => "Comments",
            DocKind::Answer => "Consultation answers",
        }
    }
}

/// A piece of a title or snippet: matched words are `hit`. Rendered as text (escaped by
/// the view), with `<mark>` around hits: no stored text ever becomes HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResult {
    pub kind: DocKind,
    pub title: Vec<Segment>,
    pub snippet: Vec<Segment>,
    /// The exact place: the comment's or motion's anchor, the right page of a long thread.
    pub link: String,
}

/// How many results of one kind the search found (for the viewer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindCount {
    pub kind: DocKind,
    pub count: i64,
}

/// `/search`: what was asked, what was found, and the choices for the filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SearchView {
    /// What was typed, as it goes back into the search box.
    pub q: String,
    pub kind: Option<DocKind>,
    pub theme: Option<String>,
    pub stage: Option<i64>,
    pub page: i64,
    /// "Searched for “waiting”, without “crisis”." None when nothing was searched.
    pub searched: Option<String>,
    /// Why nothing could be searched ("Please add a word to look for…").
    pub problem: Option<String>,
    /// All results, across pages, with the kind filter applied.
    pub total: i64,
    /// Results by kind, before the kind filter (only kinds with results).
    pub kinds: Vec<KindCount>,
    pub results: Vec<SearchResult>,
    pub has_more: bool,
    /// The filters' choices: stages in pipeline order, themes the viewer may see.
    pub stages: Vec<(i64, String)>,
    pub themes: Vec<String>,
    /// How the results are ordered, when not simply best first (a very common word).
    #[serde(default)]
    pub order_note: Option<String>,
}

/// One word or phrase of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub phrase: bool,
    /// Typed with a leading `-`: results must not contain it.
    pub exclude: bool,
}

/// A search as typed, parsed: terms in order, and whether some of it was left out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub terms: Vec<Term>,
    /// The input was longer than `MAX_QUERY_CHARS` or had more than `MAX_TERMS` terms.
    pub shortened: bool,
}

/// How many words the index sees in `text`: runs of letters and digits.
fn tokens(text: &[char]) -> usize {
    text.iter()
        .zip(std::iter::once(&' ').chain(text.iter()))
        .filter(|(c, prev)| c.is_alphanumeric() && !prev.is_alphanumeric())
        .count()
}

/// Parses what a person typed. Words are searched as words, `"a phrase"` as a phrase, and
/// a leading `-` leaves a word or phrase out. Nothing else is special: FTS5's own syntax
/// (`AND`, `NEAR(`, `*`, `^`, `title:`) is read as plain text, an unclosed quote closes at
/// the end, and marker or control characters are spaces. Never fails.
pub fn parse_query(raw: &str) -> Query {
    let mut shortened = raw.chars().count() > MAX_QUERY_CHARS;
    let text: Vec<char> = raw
        .chars()
        .take(MAX_QUERY_CHARS)
        .map(|c| if c == MARK_START || c == MARK_END || c.is_control() { ' ' } else { c })
        .collect();
    let mut terms = Vec::new();
    let mut tokens_used = 0;
    let mut i = 0;
    while i < text.len() {
        if text[i].is_whitespace() {
            i += 1;
            continue;
        }
        let exclude = text[i] == '-' && text.get(i + 1).is_some_and(|c| !c.is_whitespace());
        if exclude {
            i += 1;
        }
        let (body, phrase) = if text[i] == '"' {
            let start = i + 1;
            let end = text[start..].iter().position(|&c| c == '"').map_or(text.len(), |n| start + n);
            i = end + 1;
            (&text[start..end.min(text.len())], true)
        } else {
            let start = i;
            let end =
                text[start..].iter().position(|&c| c.is_whitespace() || c == '"').map_or(text.len(), |n| start + n);
            i = end;
            (&text[start..end], false)
        };
        // Only something with a letter or digit in it can match a word in the index.
        if !body.iter().any(|c| c.is_alphanumeric()) {
            continue;
        }
        let words: Vec<String> = body.iter().collect::<String>().split_whitespace().map(str::to_string).collect();
        // The index splits at punctuation too ("a.b.c" is a phrase of three): each of its
        // words costs a posting-list walk, so the whole search is held to MAX_TOKENS.
        let cost = tokens(body);
        if terms.len() == MAX_TERMS || tokens_used + cost > MAX_TOKENS {
            shortened = true;
            break;
        }
        tokens_used += cost;
        terms.push(Term { phrase: phrase && words.len() > 1, text: words.join(" "), exclude });
    }
    Query { terms, shortened }
}

impl Query {
    /// The FTS5 expression: every term a quoted string (so nothing in it is an operator;
    /// terms hold no `"`), the wanted ones side by side (all must match), then `NOT` each
    /// unwanted one. `None` when there is nothing to look for: FTS5 cannot search for only
    /// what is left out.
    pub fn fts(&self) -> Option<String> {
        let quote = |t: &Term| format!("\"{}\"", t.text.replace('"', "\"\""));
        let wanted: Vec<String> = self.terms.iter().filter(|t| !t.exclude).map(quote).collect();
        if wanted.is_empty() {
            return None;
        }
        let mut out = format!("({})", wanted.join(" "));
        for t in self.terms.iter().filter(|t| t.exclude) {
            out.push_str(" NOT ");
            out.push_str(&quote(t));
        }
        Some(out)
    }

    /// What was searched, in plain words: "Searched for “waiting” and the phrase “evening
    /// line”, without “crisis”."
    pub fn describe(&self) -> String {
        let show = |t: &Term| {
            if t.phrase {
                format!("the phrase “{}”", t.text)
            } else {
                format!("“{}”", t.text)
            }
        };
        let wanted: Vec<String> = self.terms.iter().filter(|t| !t.exclude).map(show).collect();
        let unwanted: Vec<String> = self.terms.iter().filter(|t| t.exclude).map(show).collect();
        let mut out = format!("Searched for {}", and_list(&wanted, "and"));
        if !unwanted.is_empty() {
            out.push_str(&format!(", without {}", and_list(&unwanted, "or")));
        }
        out.push('.');
        if self.shortened {
            out.push_str(&format!(
                " It was too long to search whole: only its first part was used (up to {MAX_TOKENS} words, {MAX_TERMS} words or phrases and {MAX_QUERY_CHARS} characters)."
            ));
        }
        out
    }

    /// Why a search that was typed cannot run, in plain words; `None` when it can (or when
    /// nothing was typed).
    pub fn problem(&self, raw: &str) -> Option<String> {
        if raw.trim().is_empty() || self.fts().is_some() {
            return None;
        }
        Some(if self.terms.is_empty() {
            "There were no words to look for in that. Please type a word or two.".into()
        } else {
            "Please add a word to look for. A word starting with - is left out of the results, so a search needs at least one word without it.".into()
        })
    }
}

/// "a, b and c".
fn and_list(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., final_one] => format!("{} {last} {final_one}", rest.join(", ")),
    }
}

/// The audiences (lowest roles, as stored in the index) a viewer reaches. Visitors reach
/// none; facilitators reach all (there is no facilitator-only content in the index: held
/// items stay in `/moderation`).
pub fn audiences(role: Option<Role>) -> Vec<&'static str> {
    [(Action::ReadPublished, "contributor"), (Action::TakePart, "member"), (Action::ReadDrafts, "design_group")]
        .into_iter()
        .filter(|(action, _)| allowed(role, *action))
        .map(|(_, audience)| audience)
        .collect()
}

/// Splits text the index marked (`MARK_START`…`MARK_END` around matches) into plain
/// segments. Unbalanced or stray markers (someone could have typed one into a comment)
/// only change what is highlighted, never what is shown.
pub fn segments(marked: &str) -> Vec<Segment> {
    fn flush(current: &mut String, hit: bool, out: &mut Vec<Segment>) {
        if !current.is_empty() {
            out.push(Segment { text: std::mem::take(current), hit });
        }
    }
    let mut out: Vec<Segment> = Vec::new();
    let mut hit = false;
    let mut current = String::new();
    for c in marked.chars() {
        match c {
            MARK_START => {
                flush(&mut current, hit, &mut out);
                hit = true;
            }
            MARK_END => {
                flush(&mut current, hit, &mut out);
                hit = false;
            }
            c => current.push(c),
        }
    }
    flush(&mut current, hit, &mut out);
    out
}

/// Plain segments (a title that matched nothing, or that is not indexed).
pub fn plain(text: impl Into<String>) -> Vec<Segment> {
    let text = text.into();
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Segment { text, hit: false }]
    }
}

/// Where a result lives. `position` is how many items come before it in its list (a
/// comment in its prototype's thread, an answer among its question's), which gives the
/// page of a long list it is on.
pub fn link(kind: DocKind, id: i64, prototype: Option<i64>, place: Option<i64>, position: Option<i64>) -> String {
    let proto = prototype.unwrap_or(0);
    let place = place.unwrap_or(0);
    let page_of = |per_page: i64| position.unwrap_or(0).max(0) / per_page;
    match kind {
        DocKind::Prototype => format!("/prototypes/{id}"),
        DocKind::Iteration | DocKind::ChangeNote => format!("/prototypes/{proto}/iterations/{place}"),
        DocKind::Note => format!("/library/{id}"),
        DocKind::Statement => format!("/statements/{id}"),
        DocKind::Value => format!("/values/{id}"),
        DocKind::Decision => format!("/meetings/{place}#motion-{id}"),
        DocKind::Minutes => format!("/meetings/{id}#minutes-heading"),
        DocKind::Comment => match page_of(crate::feedback::rules::COMMENTS_PER_PAGE) {
            0 => format!("/prototypes/{proto}#comment-{id}"),
            n => format!("/prototypes/{proto}?comments={n}#comment-{id}"),
        },
        DocKind::Answer => match page_of(crate::consultations::results::TEXTS_PER_PAGE) {
            0 => format!("/consultations/{place}/results#answer-{id}"),
            n => format!("/consultations/{place}/results?page={n}#answer-{id}"),
        },
    }
}

/// `/search?…` for a search and page: the pager's links and the address kept while typing.
/// Empty parts are left out; every value is percent-encoded.
pub fn href(q: &str, kind: Option<DocKind>, theme: Option<&str>, stage: Option<i64>, page: i64) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !q.is_empty() {
        parts.push(format!("q={}", encode(q)));
    }
    if let Some(k) = kind {
        parts.push(format!("kind={}", k.as_str()));
    }
    if let Some(t) = theme.filter(|t| !t.is_empty()) {
        parts.push(format!("theme={}", encode(t)));
    }
    if let Some(s) = stage {
        parts.push(format!("stage={s}"));
    }
    if page > 0 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() {
        "/search".into()
    } else {
        format!("/search?{}", parts.join("&"))
    }
}

/// Percent-encodes all but the unreserved characters (RFC 3986).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fts(q: &str) -> Option<String> {
        parse_query(q).fts()
    }

    #[test]
    fn words_are_quoted_and_all_must_match() {
        assert_eq!(fts("waiting room").as_deref(), Some("(\"waiting\" \"room\")"));
        assert_eq!(fts("  waiting  ").as_deref(), Some("(\"waiting\")"));
        assert_eq!(fts(""), None);
        assert_eq!(fts("   "), None);
    }

    #[test]
    fn phrases_and_exclusions() {
        let q = parse_query("waiting \"evening  line\" -crisis -\"phone tree\"");
        assert_eq!(q.fts().as_deref(), Some("(\"waiting\" \"evening line\") NOT \"crisis\" NOT \"phone tree\""));
        assert_eq!(
            q.describe(),
            "Searched for “waiting” and the phrase “evening line”, without “crisis” or the phrase “phone tree”."
        );
        // A lone dash, or one before a space, is not an exclusion (nor a word).
        assert_eq!(fts("a - b").as_deref(), Some("(\"a\" \"b\")"));
        // Dashes inside a word stay in it (the index splits the word there itself).
        assert_eq!(fts("well-being").as_deref(), Some("(\"well-being\")"));
    }

    #[test]
    fn only_exclusions_cannot_be_searched_and_say_so() {
        let q = parse_query("-crisis");
        assert_eq!(q.fts(), None);
        assert!(q.problem("-crisis").unwrap().contains("at least one word"));
        let q = parse_query("*** ^^ ::");
        assert_eq!(q.fts(), None);
        assert!(q.problem("*** ^^ ::").unwrap().contains("no words"));
        assert_eq!(parse_query("").problem(""), None, "an empty search is no problem, just no results");
        assert_eq!(parse_query("waiting").problem("waiting"), None);
    }

    #[test]
    fn fts_syntax_is_plain_text() {
        assert_eq!(fts("title:secret").as_deref(), Some("(\"title:secret\")"));
        assert_eq!(fts("NEAR(a b)").as_deref(), Some("(\"NEAR(a\" \"b)\")"));
        assert_eq!(
            fts("wait* ^start a AND b OR NOT c").as_deref(),
            Some("(\"wait*\" \"^start\" \"a\" \"AND\" \"b\" \"OR\" \"NOT\" \"c\")")
        );
        assert_eq!(fts("{title body}:x").as_deref(), Some("(\"{title\" \"body}:x\")"));
    }

    #[test]
    fn unbalanced_quotes_close_at_the_end() {
        assert_eq!(fts("\"evening line").as_deref(), Some("(\"evening line\")"));
        assert_eq!(fts("a\"b c").as_deref(), Some("(\"a\" \"b c\")"));
        assert_eq!(fts("\"").as_deref(), None);
        assert_eq!(fts("\"\"\"\"x").as_deref(), Some("(\"x\")"));
        let q = parse_query("\"one\"");
        assert!(!q.terms[0].phrase, "a quoted single word is a word");
        assert_eq!(q.describe(), "Searched for “one”.");
    }

    #[test]
    fn markers_and_control_characters_are_spaces() {
        assert_eq!(fts("a\u{E000}b\u{E001}c\u{0}d\te").as_deref(), Some("(\"a\" \"b\" \"c\" \"d\" \"e\")"));
    }

    #[test]
    fn long_input_is_cut_and_said_so() {
        let q = parse_query(&"word ".repeat(40));
        assert_eq!(q.terms.len(), MAX_TERMS);
        assert!(q.shortened && q.describe().contains("only its first part"));
        let q = parse_query(&"x".repeat(10_000));
        assert_eq!(q.terms.len(), 1);
        assert_eq!(q.terms[0].text.chars().count(), MAX_QUERY_CHARS);
        assert!(q.shortened);
        assert!(!parse_query("two words").shortened);
        // Punctuation splits words in the index: a long dotted "word" is held to MAX_TOKENS.
        let dotted = parse_query(&"the.".repeat(50));
        assert!(dotted.terms.is_empty() && dotted.shortened, "{dotted:?}");
        let q = parse_query("a.b.c d.e.f g.h.i j.k.l m.n.o p.q.r");
        assert_eq!(q.terms.len(), 5, "15 words fit, the sixth term would make 18");
        assert!(q.shortened);
        assert_eq!(tokens(&"don't stop".chars().collect::<Vec<_>>()), 3);
    }

    #[test]
    fn descriptions_read_naturally() {
        assert_eq!(parse_query("a b c").describe(), "Searched for “a”, “b” and “c”.");
        assert_eq!(parse_query("a -b -c").describe(), "Searched for “a”, without “b” or “c”.");
    }

    #[test]
    fn each_role_reaches_its_audiences() {
        assert!(audiences(None).is_empty(), "visitors search nothing");
        assert_eq!(audiences(Some(Role::Contributor)), ["contributor"]);
        assert_eq!(audiences(Some(Role::Member)), ["contributor", "member"]);
        assert_eq!(audiences(Some(Role::DesignGroup)), ["contributor", "member", "design_group"]);
        assert_eq!(audiences(Some(Role::Facilitator)), ["contributor", "member", "design_group"]);
    }

    #[test]
    fn marked_text_becomes_plain_segments() {
        let s = |t: &str, hit| Segment { text: t.into(), hit };
        assert_eq!(
            segments("I was \u{E000}waiting\u{E001} <b>long</b>"),
            [s("I was ", false), s("waiting", true), s(" <b>long</b>", false)]
        );
        assert!(segments("").is_empty());
        assert_eq!(segments("\u{E001}x\u{E000}\u{E000}y"), [s("x", false), s("y", true)], "stray markers are harmless");
    }

    #[test]
    fn links_go_to_the_exact_place() {
        use DocKind::*;
        assert_eq!(link(Iteration, 9, Some(3), Some(2), None), "/prototypes/3/iterations/2");
        assert_eq!(link(Comment, 40, Some(3), None, Some(0)), "/prototypes/3#comment-40");
        assert_eq!(link(Comment, 40, Some(3), None, Some(49)), "/prototypes/3#comment-40");
        assert_eq!(link(Comment, 40, Some(3), None, Some(50)), "/prototypes/3?comments=1#comment-40");
        assert_eq!(link(Answer, 7, Some(3), Some(5), Some(120)), "/consultations/5/results?page=2#answer-7");
        assert_eq!(link(Decision, 4, None, Some(8), None), "/meetings/8#motion-4");
        assert_eq!(link(Minutes, 8, None, Some(8), None), "/meetings/8#minutes-heading");
        assert_eq!(link(Note, 2, None, None, None), "/library/2");
        assert_eq!(link(Value, 2, None, None, None), "/values/2");
        assert_eq!(link(Statement, 2, None, None, None), "/statements/2");
    }

    #[test]
    fn addresses_keep_the_search_encoded() {
        assert_eq!(href("", None, None, None, 0), "/search");
        assert_eq!(
            href("evening line & more", Some(DocKind::Comment), Some("out of hours"), Some(3), 2),
            "/search?q=evening%20line%20%26%20more&kind=comment&theme=out%20of%20hours&stage=3&page=2"
        );
        assert_eq!(href("café", None, Some(""), None, 0), "/search?q=caf%C3%A9");
    }

    #[test]
    fn kinds_round_trip() {
        for k in DocKind::ALL {
            assert_eq!(DocKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(DocKind::parse("ballot"), None);
    }
}

/// Property tests: whatever is typed, parsing never panics and the expression is one the
/// index accepts (the integration test runs hostile input against the real index too).
#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::*;

    /// Whether `s` is an expression of the shape `fts` promises: `(` quoted strings `)`
    /// then ` NOT ` quoted strings, each string's quotes doubled inside.
    fn well_formed(s: &str) -> bool {
        fn quoted(s: &str) -> Option<&str> {
            let rest = s.strip_prefix('"')?;
            let mut chars = rest.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if c == '"' {
                    if chars.peek().map(|&(_, c)| c) == Some('"') {
                        chars.next();
                    } else {
                        return Some(&rest[i + 1..]);
                    }
                }
            }
            None
        }
        let Some(mut rest) = s.strip_prefix('(') else { return false };
        let mut first = true;
        loop {
            if !first {
                match rest.strip_prefix(' ') {
                    Some(r) => rest = r,
                    None => break,
                }
            }
            match quoted(rest) {
                Some(r) => rest = r,
                None => return false,
            }
            first = false;
        }
        let Some(mut rest) = rest.strip_prefix(')') else { return false };
        while !rest.is_empty() {
            match rest.strip_prefix(" NOT ").and_then(quoted) {
                Some(r) => rest = r,
                None => return false,
            }
        }
        true
    }

    #[test]
    fn the_checker_itself() {
        assert!(well_formed("(\"a\")"));
        assert!(well_formed("(\"a\" \"b c\") NOT \"d\""));
        assert!(!well_formed("(\"a\" NEAR(\"b\"))"));
        assert!(!well_formed("(\"a)"));
        assert!(!well_formed("\"a\""));
    }

    fn typed() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => any::<String>(),
            3 => "[a-z \"*^:()\\-]{0,60}",
            2 => proptest::collection::vec(
                proptest::sample::select(&["NEAR(", "AND", "OR", "NOT", "\"", "-", "*", "^", "title:", "{", "}", "+", "wait", "é", "\u{E000}", " "][..]),
                0..40
            ).prop_map(|v| v.concat()),
            1 => crate::props::value(),
        ]
    }

    proptest! {
        #![proptest_config(crate::props::config())]

        #[test]
        fn any_input_makes_a_safe_expression(raw in typed()) {
            let q = parse_query(&raw);
            prop_assert!(q.terms.len() <= MAX_TERMS);
            prop_assert!(q.terms.iter().map(|t| tokens(&t.text.chars().collect::<Vec<_>>())).sum::<usize>() <= MAX_TOKENS);
            for t in &q.terms {
                prop_assert!(!t.text.contains('"') && !t.text.contains(MARK_START) && !t.text.contains(MARK_END));
                prop_assert!(t.text.chars().count() <= MAX_QUERY_CHARS);
                prop_assert!(t.text.chars().any(char::is_alphanumeric));
            }
            match q.fts() {
                Some(e) => prop_assert!(well_formed(&e), "{:?} gave {:?}", raw, e),
                None => prop_assert!(q.terms.iter().all(|t| t.exclude)),
            }
            let _ = q.describe();
            let _ = q.problem(&raw);
        }
    }
}
