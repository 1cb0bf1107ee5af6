//! Pure rules of the evaluation report: which parts of the latest iteration say what the
//! problem is and who it is for, the sentences the report writes (feedback counts, a
//! statement's ratings trend, a vote's turnout), quotes cut to a readable length, and a
//! round's mean shown only when enough people rated. No I/O; tests below.

use super::ProblemPart;
use crate::{
    consultations::results::mean_of,
    evaluation::rules::{count, fmt_rating},
    prototypes::Section,
    suppression::MIN_GROUP,
};

/// The template's headings the report reads from the latest iteration, in the order shown.
pub const PROBLEM: &str = "The problem";
pub const WHO_FOR: &str = "Who it is for";

/// A heading as compared: spaces collapsed, no closing punctuation, any case.
fn normalise(s: &str) -> String {
    let spaced = s.split_whitespace().collect::<Vec<_>>().join(" ");
    spaced.trim_end_matches([':', '.', '?', '!']).trim().to_lowercase()
}

/// Whether a section's heading is `wanted` ("the problem:" is "The problem").
pub fn heading_is(title: &str, wanted: &str) -> bool {
    normalise(title) == normalise(wanted)
}

/// A section's HTML without the `<h1>`/`<h2>` it starts with (the report gives its own
/// heading, at the report's level). HTML that does not start with one is returned whole.
pub fn without_heading(html: &str) -> &str {
    let t = html.trim_start();
    for level in ["1", "2"] {
        if t.starts_with(&format!("<h{level} ")) || t.starts_with(&format!("<h{level}>")) {
            if let Some((_, rest)) = t.split_once(&format!("</h{level}>")) {
                return rest.trim_start();
            }
        }
    }
    html
}

/// "The problem" and "Who it is for" from an iteration's sections (as
/// `feedback::rules::sections` splits them), in that order, each the first section with
/// that heading and some text under it. Empty when the iteration has neither: the report
/// shows the prototype's summary instead.
pub fn problem_parts(sections: &[Section]) -> Vec<ProblemPart> {
    [PROBLEM, WHO_FOR]
        .into_iter()
        .filter_map(|wanted| {
            sections
                .iter()
                .filter(|s| s.id.is_some() && heading_is(&s.title, wanted))
                .map(|s| without_heading(&s.html).trim())
                .find(|body| !body.is_empty())
                .map(|body| ProblemPart { heading: wanted.to_string(), html: body.to_string() })
        })
        .collect()
}

fn count_of(n: i64) -> String {
    count(n.max(0) as usize)
}

/// "You said, we did" in one sentence: how much published feedback there is and what
/// became of it.
pub fn feedback_line(acted: i64, not_taken: i64, waiting: i64) -> String {
    let total = acted.max(0) + not_taken.max(0) + waiting.max(0);
    if total == 0 {
        return "No feedback has been published on this prototype yet.".to_string();
    }
    let pieces = if total == 1 { "1 piece".to_string() } else { format!("{} pieces", count_of(total)) };
    format!(
        "{pieces} of feedback published: {} acted on in an iteration, {} not taken forward (each with its reason), {} waiting for an answer.",
        count_of(acted),
        count_of(not_taken),
        count_of(waiting)
    )
}

/// A quote as the report prints it: white space collapsed, and cut after at most `max`
/// characters (at a word break when there is one near) with "…" to say so.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let at_word = match cut.rfind(' ') {
        Some(i) if cut[i..].chars().count() <= 40 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':')))
}

/// Where a quoted piece of feedback came from.
pub fn quote_source(kind: &str, round_title: Option<&str>, iteration: Option<i64>) -> String {
    match (kind, round_title, iteration) {
        ("response", Some(title), _) => format!("An answer to “{title}”"),
        ("response", None, _) => "An answer to a consultation round".to_string(),
        (_, _, Some(n)) => format!("A comment on iteration {n}"),
        _ => "A comment on the prototype".to_string(),
    }
}

/// A statement's mean rating in a round from its count and sum of ratings, to one
/// decimal, only when at least `MIN_GROUP` people rated it (as on the outcome measures'
/// rating charts): a mean of fewer could be one person's answer.
pub fn shown_mean(ratings: i64, total: i64) -> Option<f64> {
    if ratings >= MIN_GROUP as i64 {
        mean_of(ratings, total)
    } else {
        None
    }
}

/// What a round's mean reads as: "3.4 out of 5", or why there is none.
pub fn mean_words(mean: Option<f64>) -> String {
    match mean {
        Some(m) => format!("{} out of 5", fmt_rating(m)),
        None => format!("Fewer than {MIN_GROUP} ratings"),
    }
}

/// A statement's trend across rounds (title, shown mean; oldest first) in one sentence.
pub fn trend_sentence(rounds: &[(String, Option<f64>)]) -> String {
    let shown: Vec<(&str, f64)> = rounds.iter().filter_map(|(t, m)| m.map(|m| (t.as_str(), m))).collect();
    match shown.as_slice() {
        [] if rounds.is_empty() => "No closed consultation round has rated this statement yet.".to_string(),
        [] => format!("Fewer than {MIN_GROUP} people rated this statement in each round: too few to show a mean."),
        [(title, m)] if rounds.len() == 1 => format!("Rated {} out of 5 in “{title}”.", fmt_rating(*m)),
        [(title, m)] => {
            format!("Rated {} out of 5 in “{title}”, the only round with enough ratings to show.", fmt_rating(*m))
        }
        [(first, a), .., (last, b)] => {
            let (from, to) = (fmt_rating(*a), fmt_rating(*b));
            if from == to {
                format!("Unchanged at {to} out of 5 between “{first}” and “{last}”.")
            } else {
                let way = if b > a { "Up" } else { "Down" };
                format!("{way} from {from} to {to} out of 5 between “{first}” and “{last}”.")
            }
        }
    }
}

/// A closed vote's turnout and quorum, as the meeting page says it.
pub fn turnout_line(turnout: i64, lived: i64, quorum_met: bool) -> String {
    let votes = if turnout == 1 { "1 vote".to_string() } else { format!("{} votes", count_of(turnout)) };
    format!(
        "{votes}, {} from service users or carers. Quorum {}.",
        count_of(lived),
        if quorum_met { "met" } else { "not met" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: Option<&str>, title: &str, html: &str) -> Section {
        Section { id: id.map(str::to_string), title: title.to_string(), html: html.to_string() }
    }

    #[test]
    fn the_problem_and_who_it_is_for_come_from_their_sections() {
        let sections = vec![
            section(None, "", "<p>Intro</p>"),
            section(
                Some("section-who-it-is-for"),
                "Who it is for",
                "<h2 id=\"section-who-it-is-for\">Who it is for</h2>\n<p>Carers</p>\n",
            ),
            section(
                Some("section-the-problem"),
                "The problem:",
                "<h2 id=\"section-the-problem\">The problem:</h2><p>Long waits</p>",
            ),
            section(
                Some("section-what-we-will-try"),
                "What we will try",
                "<h2 id=\"section-what-we-will-try\">What we will try</h2><p>x</p>",
            ),
        ];
        let parts = problem_parts(&sections);
        assert_eq!(
            parts,
            vec![
                ProblemPart { heading: PROBLEM.into(), html: "<p>Long waits</p>".into() },
                ProblemPart { heading: WHO_FOR.into(), html: "<p>Carers</p>".into() },
            ],
            "the report's order, whatever the iteration's"
        );
    }

    #[test]
    fn without_those_headings_there_is_nothing_and_the_summary_stands_in() {
        let sections = vec![
            section(None, "", "<p>The problem is long waits</p>"),
            section(Some("section-plan"), "Plan", "<h2>Plan</h2>"),
        ];
        assert!(problem_parts(&sections).is_empty());
        // A heading with nothing under it says nothing: the next one with text is taken.
        let empty = vec![
            section(Some("section-the-problem"), "The problem", "<h1 id=\"section-the-problem\">The problem</h1>\n"),
            section(
                Some("section-the-problem-2"),
                "the  problem",
                "<h2 id=\"section-the-problem-2\">the  problem</h2><p>Waits</p>",
            ),
        ];
        assert_eq!(problem_parts(&empty), vec![ProblemPart { heading: PROBLEM.into(), html: "<p>Waits</p>".into() }]);
        assert!(problem_parts(&[]).is_empty());
    }

    #[test]
    fn headings_are_compared_loosely_and_stripped_exactly() {
        assert!(heading_is("  Who it is  FOR? ", WHO_FOR));
        assert!(!heading_is("Who it is for, and why", WHO_FOR));
        assert_eq!(without_heading("<h2 id=\"x\">T</h2><p>a</p>"), "<p>a</p>");
        assert_eq!(without_heading("<h1>T</h1>\n<h3>Sub</h3>"), "<h3>Sub</h3>");
        assert_eq!(without_heading("<p>no heading</p>"), "<p>no heading</p>");
        assert_eq!(without_heading("<header>x</header>"), "<header>x</header>");
    }

    /// The template's Markdown, rendered and split as a published iteration is.
    #[cfg(feature = "ssr")]
    #[test]
    fn the_template_renders_into_both_parts() {
        let html = crate::markdown::render(crate::prototypes::fields::TEMPLATE);
        let sections: Vec<Section> = crate::feedback::rules::sections(&html)
            .into_iter()
            .map(|(id, title, html)| Section { id, title, html })
            .collect();
        let parts = problem_parts(&sections);
        assert_eq!(parts.len(), 2, "{parts:?}");
        assert!(parts[0].html.contains("What is not working, and for whom?"), "{parts:?}");
        assert!(!parts[0].html.contains("<h2"), "the heading is the report's own");
        assert!(parts[1].html.contains("Who would use this"), "{parts:?}");
        assert!(!parts[1].html.contains("What changes, step by step"), "only its own section");
    }

    #[test]
    fn feedback_counts_in_words() {
        assert_eq!(feedback_line(0, 0, 0), "No feedback has been published on this prototype yet.");
        assert_eq!(
            feedback_line(12, 3, 5),
            "20 pieces of feedback published: 12 acted on in an iteration, 3 not taken forward (each with its reason), 5 waiting for an answer."
        );
        assert_eq!(
            feedback_line(0, 0, 1),
            "1 piece of feedback published: 0 acted on in an iteration, 0 not taken forward (each with its reason), 1 waiting for an answer."
        );
        assert!(feedback_line(1_200, 0, 0).starts_with("1,200 pieces"));
    }

    #[test]
    fn quotes_are_cut_at_a_word_and_say_so() {
        assert_eq!(excerpt("  short\n\n text ", 400), "short text");
        let long = "word ".repeat(100);
        let cut = excerpt(&long, 22);
        assert_eq!(cut, "word word word word…");
        let unbroken = "x".repeat(50);
        assert_eq!(excerpt(&unbroken, 10), format!("{}…", "x".repeat(10)));
        assert_eq!(excerpt("é".repeat(5).as_str(), 3), "ééé…", "characters, not bytes");
    }

    #[test]
    fn sources_say_where_feedback_came_from() {
        assert_eq!(quote_source("response", Some("Round 1"), None), "An answer to “Round 1”");
        assert_eq!(quote_source("comment", None, Some(2)), "A comment on iteration 2");
        assert_eq!(quote_source("comment", None, None), "A comment on the prototype");
    }

    #[test]
    fn a_round_mean_needs_enough_ratings() {
        assert_eq!(shown_mean(4, 16), None, "four people: could be anyone's");
        assert_eq!(shown_mean(5, 17), Some(3.4));
        assert_eq!(shown_mean(0, 0), None);
        assert_eq!(mean_words(Some(3.4)), "3.4 out of 5");
        assert_eq!(mean_words(None), "Fewer than 5 ratings");
    }

    #[test]
    fn a_trend_reads_first_to_last_shown_round() {
        let r = |t: &str, m: Option<f64>| (t.to_string(), m);
        assert_eq!(trend_sentence(&[]), "No closed consultation round has rated this statement yet.");
        assert!(trend_sentence(&[r("A", None)]).starts_with("Fewer than 5 people"));
        assert_eq!(trend_sentence(&[r("A", Some(3.0))]), "Rated 3.0 out of 5 in “A”.");
        assert_eq!(
            trend_sentence(&[r("A", None), r("B", Some(3.2))]),
            "Rated 3.2 out of 5 in “B”, the only round with enough ratings to show."
        );
        assert_eq!(
            trend_sentence(&[r("A", Some(3.1)), r("B", None), r("C", Some(3.8))]),
            "Up from 3.1 to 3.8 out of 5 between “A” and “C”."
        );
        assert_eq!(
            trend_sentence(&[r("A", Some(4.0)), r("B", Some(2.5))]),
            "Down from 4.0 to 2.5 out of 5 between “A” and “B”."
        );
        assert_eq!(
            trend_sentence(&[r("A", Some(3.0)), r("B", Some(3.0))]),
            "Unchanged at 3.0 out of 5 between “A” and “B”."
        );
    }

    #[test]
    fn turnout_as_the_meeting_page_says_it() {
        assert_eq!(turnout_line(6, 3, true), "6 votes, 3 from service users or carers. Quorum met.");
        assert_eq!(turnout_line(1, 0, false), "1 vote, 0 from service users or carers. Quorum not met.");
    }
}
