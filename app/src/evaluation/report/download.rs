//! The report's downloads (`/prototypes/{id}/report.md` and `/prototypes/{id}/report.zip`,
//! served by the server's `export` handlers). Both are made from the `ReportView` the page
//! shows, built by `api::report_for` for the same viewer, so neither can hold more than the
//! page: consent, suppression and role have already been applied.
//!
//! - `markdown`: the whole report as one readable document. People's words (titles,
//!   change notes, quotes, site notes…) are escaped so they stay words: no links, images,
//!   HTML, headings or tables of their own.
//! - `csv_zip`: each of the report's tables as a CSV file, with a README. Every cell goes
//!   through `spreadsheet::write_record`, so nothing runs as a formula in a spreadsheet.

use std::io::Write;

use super::{DecisionItem, FeedbackExample, ReportView, RoundMean, StatementTrend};
use crate::{
    consultations::Outcome,
    error::AppError,
    evaluation::{
        rules::{fmt_rating, plain_number},
        MeasureCard, MeasureKind,
    },
    rollout::RolloutStatus,
    spreadsheet::write_record,
    suppression::MIN_GROUP,
};

// ---------------------------------------------------------------------------------------
// Markdown escaping
// ---------------------------------------------------------------------------------------

/// ASCII punctuation that means something in Markdown wherever it stands: escapes, code,
/// emphasis, links and images, HTML and autolinks, headings, GFM tables and strikethrough,
/// entities, and the `$` some renderers read as maths. CommonMark lets a backslash escape
/// any ASCII punctuation, and the escaped character is shown as itself.
const SPECIAL: [char; 13] = ['\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '~', '&', '$'];

/// One line of people's text, escaped: whitespace (line breaks too) collapsed to single
/// spaces, `SPECIAL` escaped everywhere, and what would start a list, a heading underline
/// or a numbered list at the start of a line (`-`, `+`, `=`, `1.`, `1)`) escaped there.
pub fn inline(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    escape_line(&flat, true)
}

/// A line already free of line breaks and leading spaces, escaped. `line_start`: the text
/// begins a line, where `-`, `+`, `=` and `1.` would start a block (not so in a table cell,
/// where "3.8" and "-3 days" must read as typed).
fn escape_line(line: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
    for (i, c) in line.chars().enumerate() {
        let list_start = line_start && i == 0 && matches!(c, '-' | '+' | '=');
        let numbered = line_start && digits > 0 && i == digits && matches!(c, '.' | ')');
        if SPECIAL.contains(&c) || list_start || numbered {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// People's text of several lines, as paragraphs: each line escaped (its leading spaces
/// dropped, so nothing becomes a code block), a line break kept as a hard break (`\` at the
/// end of the line), blank lines as paragraph breaks. Ends with a blank line.
pub fn block(text: &str) -> String {
    let mut paragraphs: Vec<Vec<String>> = vec![Vec::new()];
    for line in text.lines() {
        let flat = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if flat.is_empty() {
            if paragraphs.last().is_some_and(|p| !p.is_empty()) {
                paragraphs.push(Vec::new());
            }
        } else if let Some(p) = paragraphs.last_mut() {
            p.push(escape_line(&flat, true));
        }
    }
    let mut out = String::new();
    for p in paragraphs.into_iter().filter(|p| !p.is_empty()) {
        out.push_str(&p.join("\\\n"));
        out.push_str("\n\n");
    }
    out
}

/// A table cell: each line escaped (`|` too), line breaks as `<br>` (a GFM cell is one line).
pub fn cell(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .map(|l| escape_line(&l, false))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// A GFM table: a header row, the delimiter row, then the rows (every cell escaped).
fn table(out: &mut String, head: &[&str], rows: Vec<Vec<String>>) {
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    out.push_str(&line(head.iter().map(|h| cell(h)).collect()));
    out.push_str(&line(head.iter().map(|_| "---".to_string()).collect()));
    for row in rows {
        out.push_str(&line(row.iter().map(|c| cell(c)).collect()));
    }
    out.push('\n');
}

/// A paragraph of the report's own words around people's (`text` is escaped here).
fn para(out: &mut String, text: &str) {
    out.push_str(&inline(text));
    out.push_str("\n\n");
}

fn heading(out: &mut String, level: usize, text: &str) {
    out.push_str(&"#".repeat(level));
    out.push(' ');
    out.push_str(&inline(text));
    out.push_str("\n\n");
}

/// A bulleted list (every item escaped).
fn list(out: &mut String, items: Vec<String>) {
    for item in items {
        out.push_str("- ");
        out.push_str(&inline(&item));
        out.push('\n');
    }
    out.push('\n');
}

/// Sanitised HTML (a section of the latest iteration) as plain text: tags dropped, the ends
/// of blocks and `<br>` as line breaks, list items as "• ", entities decoded. The text is
/// escaped afterwards like any other (`block`), so what it held stays words.
fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_pre = false;
    let mut chars = html.chars();
    while let Some(c) = chars.next() {
        if c != '<' {
            out.push(if c == '\n' && !in_pre { ' ' } else { c });
            continue;
        }
        let mut tag = String::new();
        let mut quote: Option<char> = None;
        for t in chars.by_ref() {
            let open = quote;
            match open {
                Some(q) if t == q => quote = None,
                Some(_) => {}
                None if t == '"' || t == '\'' => quote = Some(t),
                None if t == '>' => break,
                None => {}
            }
            tag.push(t);
        }
        let closing = tag.starts_with('/');
        let name: String =
            tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>();
        match name.to_ascii_lowercase().as_str() {
            "br" => out.push('\n'),
            "li" if !closing => out.push_str("\n• "),
            "pre" => {
                in_pre = !closing;
                out.push_str("\n\n");
            }
            "p" | "div" | "ul" | "ol" | "blockquote" | "table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "hr" => {
                out.push_str("\n\n")
            }
            "li" | "tr" => out.push('\n'),
            "td" | "th" if closing => out.push_str("  "),
            _ => {}
        }
    }
    decode_entities(&out)
}

/// The character references a sanitiser writes (`&amp;`, `&lt;`, `&#39;`, `&#x27;`…),
/// decoded in one pass; anything else is left as it is.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let decoded = after.find(';').filter(|&end| end > 0 && end <= 10).and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse::<u32>().ok()?,
                    };
                    char::from_u32(code)
                }
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------
// Words shared by both downloads (as the page writes them)
// ---------------------------------------------------------------------------------------

fn ratings_count(r: Option<i64>) -> String {
    r.map_or_else(|| format!("Fewer than {MIN_GROUP}"), |n| n.to_string())
}

fn group_line(label: &str, people: i64, mean: Option<f64>) -> String {
    let people = if people == 1 { "1 person".to_string() } else { format!("{people} people") };
    let mean = mean.map_or_else(|| "–".to_string(), fmt_rating);
    format!("{label} ({people}): {mean}")
}

fn by_perspective(r: &RoundMean) -> String {
    if r.groups.is_empty() {
        "Too few people answered for a breakdown that keeps everyone anonymous.".to_string()
    } else {
        r.groups.iter().map(|g| group_line(&g.label, g.people, g.mean)).collect::<Vec<_>>().join("; ")
    }
}

fn outcome_label(o: &Outcome) -> &'static str {
    match o {
        Outcome::Open => "Waiting for an answer",
        Outcome::ActedOn { .. } => "Acted on in an iteration",
        Outcome::NotTakenForward { .. } => "Not taken forward",
    }
}

fn outcome_words(o: &Outcome) -> String {
    match o {
        Outcome::Open => "The design group has not acted on this yet.".to_string(),
        Outcome::ActedOn { iteration, .. } => format!("We did: iteration {iteration} acted on this."),
        Outcome::NotTakenForward { reason } => format!("Not taken forward: {reason}"),
    }
}

fn said(e: &FeedbackExample) -> String {
    match &e.by {
        Some(name) => format!("{}, by {name}", e.source),
        None => e.source.clone(),
    }
}

fn votes(d: &DecisionItem) -> String {
    d.counts.iter().map(|(label, n)| format!("{label}: {n}")).collect::<Vec<_>>().join("; ")
}

fn site_name(name: &str, retired: bool) -> String {
    if retired {
        format!("{name} (retired)")
    } else {
        name.to_string()
    }
}

fn yes(b: bool) -> String {
    if b { "Yes" } else { "No" }.to_string()
}

// ---------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------

/// The whole report as a Markdown document, section by section as the page shows it, each
/// chart as its data table.
pub fn markdown(v: &ReportView) -> String {
    let mut out = String::with_capacity(16 * 1024);
    md_head(&mut out, v);
    md_problem(&mut out, v);
    md_iterations(&mut out, v);
    md_rounds(&mut out, v);
    md_feedback(&mut out, v);
    md_decisions(&mut out, v);
    md_measures(&mut out, v);
    md_rollout(&mut out, v);
    md_notes(&mut out, v);
    let end = out.trim_end().len();
    out.truncate(end);
    out.push('\n');
    out
}

fn md_head(out: &mut String, v: &ReportView) {
    heading(out, 1, &format!("Evaluation report: {}", v.title));
    if !v.summary.is_empty() {
        out.push_str(&block(&v.summary));
    }
    let themes = if v.themes.is_empty() { "None given".to_string() } else { v.themes.join(", ") };
    list(out, vec![format!("Stage: {}", v.stage), format!("Themes: {themes}"), format!("Made on {}.", v.printed_on)]);
    if !v.published {
        para(out, "A draft: no iteration has been published yet, so only the design group can read this report.");
    }
    para(
        out,
        "This file holds the report as your account could read it on the day it was made, and nothing more: \
         quotes appear only where people agreed to be quoted, and small groups are not shown.",
    );
}

fn md_problem(out: &mut String, v: &ReportView) {
    heading(out, 2, "The problem and who it is for");
    if v.problem.is_empty() {
        if v.summary.is_empty() {
            para(out, "No summary has been written yet.");
        } else {
            out.push_str(&block(&v.summary));
        }
        para(out, "The latest iteration has no “The problem” or “Who it is for” section, so its summary is shown.");
    } else {
        for p in &v.problem {
            heading(out, 3, &p.heading);
            let text = block(&html_text(&p.html));
            out.push_str(if text.is_empty() { "(No text.)\n\n" } else { text.as_str() });
        }
    }
    heading(out, 3, "The experience statements it addresses");
    if v.statements.is_empty() {
        para(out, "It does not name any experience statements yet.");
    } else {
        list(
            out,
            v.statements
                .iter()
                .map(|s| match s.short_name.as_deref().filter(|n| !n.is_empty()) {
                    Some(n) => format!("{n}: {}", s.text),
                    None => s.text.clone(),
                })
                .collect(),
        );
    }
}

fn md_iterations(out: &mut String, v: &ReportView) {
    heading(out, 2, "How it changed");
    if v.iterations.is_empty() {
        para(out, "No iteration has been published yet.");
        return;
    }
    para(out, "Published iterations, oldest first, with what changed and why:");
    table(
        out,
        &["Iteration", "Published", "Title", "What changed and why"],
        v.iterations
            .iter()
            .map(|i| vec![format!("Iteration {}", i.number), i.date.clone(), i.title.clone(), i.change_note.clone()])
            .collect(),
    );
}

fn md_rounds(out: &mut String, v: &ReportView) {
    heading(out, 2, "What people said in consultation rounds");
    if v.rounds.rounds.is_empty() {
        para(out, "No consultation round has been held on this prototype yet.");
    } else {
        para(out, "Consultation rounds, oldest first, with their published responses:");
        table(
            out,
            &["Round", "On iteration", "Opened", "Closes or closed", "Status", "Published responses"],
            v.rounds
                .rounds
                .iter()
                .map(|r| {
                    vec![
                        r.title.clone(),
                        r.iteration_number.to_string(),
                        r.opens.clone(),
                        r.closes.clone(),
                        r.status.label().to_string(),
                        r.responses.to_string(),
                    ]
                })
                .collect(),
        );
    }
    heading(out, 3, "How people rated the experience statements");
    match &v.rounds.trends {
        None => {
            para(out, "Members of the collaborative can see how each closed round rated the experience statements.")
        }
        Some(trends) => {
            para(
                out,
                &format!(
                    "The mean rating (1 to 5) of each statement in each closed round, shown when at least {MIN_GROUP} people \
                     rated it. By perspective: a group is shown only when it, and everyone outside it, is {MIN_GROUP} or more \
                     people; smaller groups are merged, so nobody's answers can be worked out, by subtraction either. A dash \
                     means too few people in that group rated it."
                ),
            );
            if trends.is_empty() {
                para(out, "No closed round has rated the experience statements yet.");
            }
            for t in trends {
                md_trend(out, t);
            }
        }
    }
}

fn md_trend(out: &mut String, t: &StatementTrend) {
    heading(out, 4, &t.label);
    para(out, &t.summary);
    if t.rounds.is_empty() {
        return;
    }
    table(
        out,
        &["Round", "Iteration", "Closed", "Mean rating", "Ratings", "By perspective"],
        t.rounds
            .iter()
            .map(|r| {
                vec![
                    r.title.clone(),
                    r.iteration.to_string(),
                    r.date.clone(),
                    r.shown.clone(),
                    ratings_count(r.ratings),
                    by_perspective(r),
                ]
            })
            .collect(),
    );
}

fn md_feedback(out: &mut String, v: &ReportView) {
    let f = &v.feedback;
    heading(out, 2, "You said, we did");
    para(out, &f.line);
    if f.acted + f.not_taken + f.waiting > 0 {
        table(
            out,
            &["Outcome", "Pieces of feedback"],
            vec![
                vec!["Acted on in an iteration".to_string(), f.acted.to_string()],
                vec!["Not taken forward, with a reason".to_string(), f.not_taken.to_string()],
                vec!["Waiting for an answer".to_string(), f.waiting.to_string()],
            ],
        );
    }
    if f.examples.is_empty() {
        return;
    }
    heading(out, 3, "Some of what people said, and what we did");
    para(out, "Quoted only where the person agreed to be quoted, and named only where they asked to be.");
    for e in &f.examples {
        para(out, &format!("{}:", said(e)));
        // A quote is one line (cut and flattened for the report); each line is marked anyway.
        for line in block(&e.quote).lines() {
            out.push_str(if line.is_empty() { ">" } else { "> " });
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
        para(out, &outcome_words(&e.outcome));
    }
}

fn md_decisions(out: &mut String, v: &ReportView) {
    heading(out, 2, "Decisions");
    if v.decisions.is_empty() {
        para(out, "No decision has been taken on this prototype at a collaborative meeting yet.");
        return;
    }
    if !v.decisions_in_full {
        para(out, "Members of the collaborative can see each vote in full on its meeting's page.");
        list(out, v.decisions.iter().map(|d| format!("{}: {}", d.date, d.outcome)).collect());
        return;
    }
    for d in &v.decisions {
        heading(out, 3, d.question.as_deref().unwrap_or("A decision"));
        para(out, &d.outcome);
        let mut facts = vec![format!("Decided: {}", d.date)];
        if let Some((_, meeting)) = &d.meeting {
            facts.push(format!("Meeting: {meeting}"));
        }
        if let Some(m) = &d.method {
            facts.push(format!("How it was decided: {m}"));
        }
        list(out, facts);
        if !d.counts.is_empty() {
            table(
                out,
                &["Choice", "Votes"],
                d.counts.iter().map(|(label, n)| vec![label.clone(), n.to_string()]).collect(),
            );
        }
        if let Some(t) = &d.turnout {
            para(out, t);
        }
        if !d.objections.is_empty() {
            para(out, &format!("Objections: {}", d.objections.join("; ")));
        }
        if !d.blocks.is_empty() {
            para(out, &format!("Blocks: {}", d.blocks.join("; ")));
        }
    }
}

fn md_measures(out: &mut String, v: &ReportView) {
    heading(out, 2, "Outcome measures");
    if v.measures.is_empty() {
        para(out, "No outcome measures have been set for this prototype yet.");
        return;
    }
    for m in &v.measures {
        md_measure(out, m);
    }
}

fn md_measure(out: &mut String, m: &MeasureCard) {
    heading(out, 3, &m.name);
    let mut facts = Vec::new();
    if let Some(s) = &m.statement {
        facts.push(format!("Experience statement: {s}"));
    }
    facts.push(format!("Which way is better: {}", m.direction.label()));
    facts.push(format!("Baseline: {}", m.baseline.clone().unwrap_or_else(|| "None recorded.".to_string())));
    facts.push(format!("Target: {}", m.target.clone().unwrap_or_else(|| "None set.".to_string())));
    list(out, facts);
    para(out, &m.summary);
    if let Some(p) = &m.progress {
        para(out, p);
    }
    if m.ratings_hidden {
        para(out, "Members of the collaborative can see how each round rated the statement.");
    }
    if m.kind == MeasureKind::Rating {
        if !m.rounds.is_empty() {
            table(
                out,
                &["Round closed", "Mean rating", "Ratings", "Round"],
                m.rounds
                    .iter()
                    .map(|r| vec![r.date.clone(), r.shown.clone(), ratings_count(r.ratings), r.title.clone()])
                    .collect(),
            );
        }
    } else if !m.readings.is_empty() {
        table(
            out,
            &["Date", "Value", "Site", "Source"],
            m.readings
                .iter()
                .map(|r| vec![r.date.clone(), r.shown.clone(), r.site.clone().unwrap_or_default(), r.source.clone()])
                .collect(),
        );
    }
}

fn md_rollout(out: &mut String, v: &ReportView) {
    let plan = &v.rollout;
    heading(out, 2, "Roll-out");
    para(out, &plan.progress);
    if plan.counts.total() > 0 {
        list(out, RolloutStatus::ALL.into_iter().map(|s| format!("{}: {}", s.label(), plan.counts.of(s))).collect());
    }
    if plan.entries.is_empty() && !plan.plan_allowed {
        match &plan.plan_stage {
            Some(start) => para(
                out,
                &format!("A roll-out plan starts when the prototype reaches {start}; it is at {} now.", plan.stage),
            ),
            None => para(out, "This prototype's stage does not allow a roll-out plan yet."),
        }
    }
    if !plan.entries.is_empty() {
        para(out, "Sites in the roll-out plan, by area and name, with their status:");
        table(
            out,
            &["Site", "Kind", "Area", "Status", "Since", "Live since", "Note"],
            plan.entries
                .iter()
                .map(|e| {
                    vec![
                        site_name(&e.site.name, e.site.retired),
                        e.site.kind.clone(),
                        e.site.area.clone(),
                        e.status.label().to_string(),
                        e.since.clone(),
                        e.live_on.clone().unwrap_or_default(),
                        e.note.clone(),
                    ]
                })
                .collect(),
        );
    }
}

fn md_notes(out: &mut String, v: &ReportView) {
    heading(out, 2, "What we learned");
    match &v.notes {
        None => para(out, "The learning library is shared with members of the collaborative."),
        Some(n) if n.notes.is_empty() => para(out, "No learning note about this prototype has been published yet."),
        Some(n) => {
            para(out, "Published learning notes about this prototype, newest first:");
            table(
                out,
                &["Note", "Kind", "Published"],
                n.notes.iter().map(|c| vec![c.title.clone(), c.kind.label().to_string(), c.when.clone()]).collect(),
            );
            if n.more {
                para(out, "The learning library lists every learning note about this prototype.");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// CSV files in a ZIP
// ---------------------------------------------------------------------------------------

/// One CSV file: the header row, then the rows, every cell through `write_record`.
fn csv_file(head: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>, AppError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let head: Vec<String> = head.iter().map(|h| h.to_string()).collect();
    write_record(&mut w, &head).map_err(AppError::internal)?;
    for row in &rows {
        write_record(&mut w, row).map_err(AppError::internal)?;
    }
    w.into_inner().map_err(AppError::internal)
}

/// A file of the ZIP: its name, what it holds (for the README), and its bytes.
type CsvFile = (&'static str, &'static str, Vec<u8>);

/// Each of the report's tables as a CSV file, with a README saying what each holds, in a ZIP.
pub fn csv_zip(v: &ReportView) -> Result<Vec<u8>, AppError> {
    let files = csv_files(v)?;
    let readme = readme(v, &files);
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    out.start_file("README.txt", options).map_err(AppError::internal)?;
    out.write_all(readme.as_bytes()).map_err(AppError::internal)?;
    for (name, _, bytes) in &files {
        out.start_file(*name, options).map_err(AppError::internal)?;
        out.write_all(bytes).map_err(AppError::internal)?;
    }
    Ok(out.finish().map_err(AppError::internal)?.into_inner())
}

fn csv_files(v: &ReportView) -> Result<Vec<CsvFile>, AppError> {
    let mut files: Vec<CsvFile> = vec![
        ("iterations.csv", "the published iterations, oldest first, with what changed and why.", iterations_csv(v)?),
        (
            "rounds.csv",
            "the consultation rounds on the prototype that you may see, oldest first, with their published responses.",
            rounds_csv(v)?,
        ),
    ];
    if let Some(trends) = &v.rounds.trends {
        files.push((
            "ratings.csv",
            "how each experience statement was rated in each closed round: first everyone who rated it, then each \
             perspective group large enough to show. A mean is given only when enough people rated.",
            ratings_csv(trends)?,
        ));
    }
    files.push((
        "feedback.csv",
        "\"you said, we did\": how many pieces of published feedback were acted on, not taken forward or are \
         waiting, then the few examples quoted in the report (only where the person agreed to be quoted, and \
         named only where they asked to be).",
        feedback_csv(v)?,
    ));
    files.push((
        "decisions.csv",
        if v.decisions_in_full {
            "the decisions on the prototype, as their meetings record them."
        } else {
            "the decisions on the prototype, as its timeline records them (members see each vote in full)."
        },
        decisions_csv(v)?,
    ));
    files.push(("measures.csv", "the outcome measures, with baseline, target and progress.", measures_csv(v)?));
    files.push((
        "readings.csv",
        "the values behind each measure's chart: its readings, or for a rating, each closed round's mean.",
        readings_csv(v)?,
    ));
    files.push(("rollout.csv", "the sites in the roll-out plan, with their status.", rollout_csv(v)?));
    if let Some(notes) = &v.notes {
        files.push((
            "notes.csv",
            "the published learning notes about the prototype listed in the report, newest first.",
            csv_file(
                &["Note id", "Title", "Kind", "Published"],
                notes
                    .notes
                    .iter()
                    .map(|n| vec![n.id.to_string(), n.title.clone(), n.kind.label().to_string(), n.when.clone()])
                    .collect(),
            )?,
        ));
    }
    Ok(files)
}

fn iterations_csv(v: &ReportView) -> Result<Vec<u8>, AppError> {
    csv_file(
        &["Iteration", "Published", "Title", "What changed and why"],
        v.iterations
            .iter()
            .map(|i| vec![i.number.to_string(), i.date.clone(), i.title.clone(), i.change_note.clone()])
            .collect(),
    )
}

fn rounds_csv(v: &ReportView) -> Result<Vec<u8>, AppError> {
    csv_file(
        &["Round id", "Round", "On iteration", "Opened", "Closes or closed", "Status", "Published responses"],
        v.rounds
            .rounds
            .iter()
            .map(|r| {
                vec![
                    r.id.to_string(),
                    r.title.clone(),
                    r.iteration_number.to_string(),
                    r.opens.clone(),
                    r.closes.clone(),
                    r.status.label().to_string(),
                    r.responses.to_string(),
                ]
            })
            .collect(),
    )
}

fn ratings_csv(trends: &[StatementTrend]) -> Result<Vec<u8>, AppError> {
    let mut rows = Vec::new();
    for t in trends {
        for r in &t.rounds {
            let round = |group: String, people: String, mean: Option<f64>, ratings: String, shown: String| {
                vec![
                    t.label.clone(),
                    r.round_id.to_string(),
                    r.title.clone(),
                    r.iteration.to_string(),
                    r.closed_on.clone(),
                    group,
                    people,
                    mean.map(fmt_rating).unwrap_or_default(),
                    ratings,
                    shown,
                ]
            };
            rows.push(round(
                "Everyone who rated it".to_string(),
                String::new(),
                r.mean,
                r.ratings.map(|n| n.to_string()).unwrap_or_default(),
                r.shown.clone(),
            ));
            for g in &r.groups {
                let shown = g.mean.map_or_else(|| "Too few in this group rated it".to_string(), fmt_rating);
                rows.push(round(g.label.clone(), g.people.to_string(), g.mean, String::new(), shown));
            }
        }
    }
    csv_file(
        &[
            "Experience statement",
            "Round id",
            "Round",
            "Iteration",
            "Closed on",
            "Group",
            "People in the group",
            "Mean rating",
            "Ratings",
            "As the report shows it",
        ],
        rows,
    )
}

fn feedback_csv(v: &ReportView) -> Result<Vec<u8>, AppError> {
    let f = &v.feedback;
    let count = |outcome: &str, n: i64| {
        vec![
            "Count".to_string(),
            outcome.to_string(),
            n.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]
    };
    let mut rows = vec![
        count("Acted on in an iteration", f.acted),
        count("Not taken forward", f.not_taken),
        count("Waiting for an answer", f.waiting),
    ];
    rows.extend(f.examples.iter().map(|e| {
        let (iteration, reason) = match &e.outcome {
            Outcome::Open => (String::new(), String::new()),
            Outcome::ActedOn { iteration, .. } => (iteration.to_string(), String::new()),
            Outcome::NotTakenForward { reason } => (String::new(), reason.clone()),
        };
        vec![
            "Example".to_string(),
            outcome_label(&e.outcome).to_string(),
            String::new(),
            e.source.clone(),
            e.quote.clone(),
            e.by.clone().unwrap_or_default(),
            iteration,
            reason,
        ]
    }));
    csv_file(
        &[
            "Row",
            "Outcome",
            "Pieces of feedback",
            "Where it came from",
            "Quote",
            "By",
            "Iteration that acted on it",
            "Why it was not taken forward",
        ],
        rows,
    )
}

fn decisions_csv(v: &ReportView) -> Result<Vec<u8>, AppError> {
    csv_file(
        &[
            "Decided",
            "Meeting",
            "Question",
            "How it was decided",
            "Outcome",
            "Votes",
            "Turnout",
            "Objections",
            "Blocks",
        ],
        v.decisions
            .iter()
            .map(|d| {
                vec![
                    d.date.clone(),
                    d.meeting.as_ref().map(|(_, title)| title.clone()).unwrap_or_default(),
                    d.question.clone().unwrap_or_default(),
                    d.method.clone().unwrap_or_default(),
                    d.outcome.clone(),
                    votes(d),
                    d.turnout.clone().unwrap_or_default(),
                    d.objections.join("; "),
                    d.blocks.join("; "),
                ]
            })
            .collect(),
    )
}

fn measures_csv(v: &ReportView) -> Result<Vec<u8>, AppError> {
    csv_file(
        &[
            "Measure id",
            "Measure",
            "Experience statement",
            "Unit",
            "Which way is better",
            "Baseline",
            "Target",
            "Summary",
            "Progress",
        ],
        v.measures
            .iter()
            .map(|m| {
                vec![
                    m.id.to_string(),
                    m.name.clone(),
                    m.statement.clone().unwrap_or_default(),
                    m.unit.clone(),
                    m.direction.label().to_string(),
                    m.baseline.clone().unwrap_or_default(),
                    m.target.clone().unwrap_or_default(),
                    m.summary.clone(),
                    m.progress.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    )
}

fn readings_csv(v: &ReportView) -> Result<Vec<u8>, AppError> {
    let mut rows = Vec::new();
    for m in &v.measures {
        if m.kind == MeasureKind::Rating {
            rows.extend(m.rounds.iter().map(|r| {
                vec![
                    m.id.to_string(),
                    m.name.clone(),
                    r.closed_on.clone(),
                    r.mean.map(fmt_rating).unwrap_or_default(),
                    r.shown.clone(),
                    String::new(),
                    String::new(),
                    r.ratings.map(|n| n.to_string()).unwrap_or_default(),
                    r.title.clone(),
                ]
            }));
        } else {
            rows.extend(m.readings.iter().map(|r| {
                vec![
                    m.id.to_string(),
                    m.name.clone(),
                    r.taken_on.clone(),
                    plain_number(r.value),
                    r.shown.clone(),
                    r.site.clone().unwrap_or_default(),
                    r.source.clone(),
                    String::new(),
                    String::new(),
                ]
            }));
        }
    }
    csv_file(
        &["Measure id", "Measure", "Date", "Value", "As the report shows it", "Site", "Source", "Ratings", "Round"],
        rows,
    )
}

fn rollout_csv(v: &ReportView) -> Result<Vec<u8>, AppError> {
    csv_file(
        &["Site", "Kind", "Area", "Retired", "Status", "Since", "Live since", "Note"],
        v.rollout
            .entries
            .iter()
            .map(|e| {
                vec![
                    e.site.name.clone(),
                    e.site.kind.clone(),
                    e.site.area.clone(),
                    yes(e.site.retired),
                    e.status.label().to_string(),
                    e.since.clone(),
                    e.live_on.clone().unwrap_or_default(),
                    e.note.clone(),
                ]
            })
            .collect(),
    )
}

/// What the ZIP holds, in plain text (a text file: nothing here is rendered).
fn readme(v: &ReportView, files: &[CsvFile]) -> String {
    let mut r = String::new();
    r.push_str(&format!("Evaluation report: {}\n", v.title.split_whitespace().collect::<Vec<_>>().join(" ")));
    r.push_str(&format!("The report's data, made on {}.\n\n", v.printed_on));
    r.push_str(
        "These files hold only what you could see on the report's page when you downloaded them: your \
         account's view, and nothing more. Quotes appear only where people agreed to be quoted, names only \
         where they asked to be named, and a rating or a group too small to keep people anonymous is left \
         out, as on the page.\n\n",
    );
    r.push_str("Each file is a CSV table with a header row (UTF-8, comma-separated):\n\n");
    for (name, about, _) in files {
        r.push_str(&format!("- {name}: {about}\n"));
    }
    let mut missing = Vec::new();
    if v.rounds.trends.is_none() {
        missing.push("ratings.csv (how each round rated the experience statements)");
    }
    if v.notes.is_none() {
        missing.push("notes.csv (the learning notes)");
    }
    if !missing.is_empty() {
        r.push_str(&format!(
            "\nNot included, because it is shared with members of the collaborative: {}.\n",
            missing.join("; ")
        ));
    }
    r.push_str(
        "\nA cell that a spreadsheet would run as a formula (one starting with =, +, - or @) starts with an \
         apostrophe ('), so it opens as text. The whole report, with its words, is the Markdown download on \
         the report's page.\n",
    );
    r
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use pulldown_cmark::{Event, Options, Parser, Tag};

    use super::*;
    use crate::{
        consultations::{Audience, RoundStatus, RoundSummary},
        evaluation::{
            report::{
                FeedbackSummary, GroupMean, IterationLine, NotesSection, ProblemPart, RoundsSection, StatementLine,
            },
            ChartData, Direction, ReadingItem, RoundRating,
        },
        library::{NoteCard, NoteKind},
        rollout::{PlanEntry, PlanView, Site, StatusCounts},
    };

    const HOSTILE: &str = "[click](javascript:alert(1)) <script>alert(1)</script>";
    const FORMULA: &str = "=HYPERLINK(\"https://evil.example\",\"Click\")";

    fn chart(kind: MeasureKind) -> ChartData {
        ChartData { kind, unit: String::new(), points: Vec::new(), baseline: None, target: None }
    }

    /// A report with something in every part, people's words set to `text`.
    fn report(text: &str) -> ReportView {
        let t = text.to_string();
        ReportView {
            prototype_id: 7,
            title: t.clone(),
            summary: t.clone(),
            stage: "Testing".into(),
            themes: vec![t.clone()],
            statements: vec![StatementLine { id: 1, short_name: Some(t.clone()), text: t.clone() }],
            published: true,
            problem: vec![ProblemPart {
                heading: "The problem".into(),
                html: "<p>Nobody answers &amp; people wait &lt;script&gt;</p><ul><li>one</li><li>two</li></ul>".into(),
            }],
            iterations: vec![IterationLine {
                number: 1,
                title: t.clone(),
                date: "3 March 2025".into(),
                change_note: t.clone(),
            }],
            rounds: RoundsSection {
                rounds: vec![RoundSummary {
                    id: 4,
                    title: t.clone(),
                    prototype_id: 7,
                    prototype_title: t.clone(),
                    iteration_number: 1,
                    audience: Audience::Public,
                    status: RoundStatus::Closed,
                    opens: "1 Mar 2025".into(),
                    closes: "8 Mar 2025".into(),
                    responses: 12,
                }],
                trends: Some(vec![StatementTrend {
                    id: 1,
                    label: t.clone(),
                    summary: "Up from 3.1 to 3.8 out of 5.".into(),
                    rounds: vec![RoundMean {
                        round_id: 4,
                        title: t.clone(),
                        iteration: 1,
                        closed_on: "2025-03-08".into(),
                        date: "8 March 2025".into(),
                        mean: Some(3.8),
                        ratings: Some(12),
                        shown: "3.8 out of 5".into(),
                        groups: vec![GroupMean { label: "Service users".into(), people: 6, mean: Some(4.0) }],
                        suppressed: 0,
                    }],
                    chart: chart(MeasureKind::Rating),
                }]),
            },
            feedback: FeedbackSummary {
                acted: 1,
                not_taken: 1,
                waiting: 0,
                line: "2 pieces of feedback published.".into(),
                examples: vec![
                    FeedbackExample {
                        source: t.clone(),
                        quote: t.clone(),
                        by: Some(t.clone()),
                        outcome: Outcome::ActedOn { prototype_id: 7, iteration: 2 },
                    },
                    FeedbackExample {
                        source: "A comment on iteration 1".into(),
                        quote: t.clone(),
                        by: None,
                        outcome: Outcome::NotTakenForward { reason: t.clone() },
                    },
                ],
            },
            decisions: vec![DecisionItem {
                date: "3 March 2025".into(),
                meeting: Some((2, t.clone())),
                motion_id: Some(9),
                question: Some(t.clone()),
                method: Some("Majority vote".into()),
                outcome: "Passed: 5 for, 2 against".into(),
                counts: vec![(t.clone(), 5), ("Against".into(), 2)],
                turnout: Some("7 votes.".into()),
                objections: vec![t.clone()],
                blocks: vec![],
            }],
            decisions_in_full: true,
            measures: vec![
                MeasureCard {
                    id: 3,
                    name: t.clone(),
                    kind: MeasureKind::Number,
                    unit: "days".into(),
                    direction: Direction::Lower,
                    statement: None,
                    baseline: Some("28 days (3 March 2025)".into()),
                    baseline_source: String::new(),
                    target: None,
                    readings: vec![ReadingItem {
                        id: 1,
                        taken_on: "2025-03-03".into(),
                        date: "3 March 2025".into(),
                        value: -3.0,
                        shown: "-3 days".into(),
                        site: Some(t.clone()),
                        source: t.clone(),
                        readings: 1,
                    }],
                    by_month: false,
                    reading_count: 1,
                    rounds: vec![],
                    ratings_hidden: false,
                    summary: "Down from 28 to -3 days.".into(),
                    progress: None,
                    chart: chart(MeasureKind::Number),
                },
                MeasureCard {
                    id: 5,
                    name: "Rated".into(),
                    kind: MeasureKind::Rating,
                    unit: "out of 5".into(),
                    direction: Direction::Higher,
                    statement: Some(t.clone()),
                    baseline: None,
                    baseline_source: String::new(),
                    target: None,
                    readings: vec![],
                    by_month: false,
                    reading_count: 0,
                    rounds: vec![RoundRating {
                        round_id: 4,
                        title: t.clone(),
                        closed_on: "2025-03-08".into(),
                        date: "8 March 2025".into(),
                        mean: None,
                        ratings: None,
                        shown: "Fewer than 5 ratings".into(),
                    }],
                    ratings_hidden: false,
                    summary: "Not enough ratings yet.".into(),
                    progress: None,
                    chart: chart(MeasureKind::Rating),
                },
            ],
            rollout: PlanView {
                prototype: 7,
                title: t.clone(),
                stage: "Testing".into(),
                plan_allowed: true,
                plan_stage: Some("Implementing".into()),
                can_edit: false,
                entries: vec![PlanEntry {
                    site: Site { id: 1, name: t.clone(), kind: "GP practice".into(), area: t.clone(), retired: true },
                    status: RolloutStatus::Live,
                    since: "1 Mar 2027".into(),
                    live_on: Some("1 Mar 2027".into()),
                    note: t.clone(),
                    next: vec![RolloutStatus::Paused],
                }],
                counts: StatusCounts { planned: 0, live: 1, paused: 0, stopped: 0 },
                progress: "1 of 1 GP practices live".into(),
                available: vec![],
                more_available: 0,
                today: "2027-03-01".into(),
            },
            notes: Some(NotesSection {
                notes: vec![NoteCard {
                    id: 11,
                    title: t.clone(),
                    kind: NoteKind::Worked,
                    draft: false,
                    shareable: false,
                    prototype: None,
                    themes: vec![],
                    when: "Published 3 Dec 2026, 10:00 GMT".into(),
                }],
                more: false,
            }),
            printed_on: "3 March 2027".into(),
        }
    }

    fn unzip(bytes: Vec<u8>) -> zip::ZipArchive<std::io::Cursor<Vec<u8>>> {
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP file")
    }

    fn read(archive: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str) -> String {
        let mut s = String::new();
        archive.by_name(name).unwrap_or_else(|_| panic!("{name} in the ZIP")).read_to_string(&mut s).unwrap();
        s
    }

    fn records(text: &str) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    const ALL_FILES: [&str; 10] = [
        "README.txt",
        "iterations.csv",
        "rounds.csv",
        "ratings.csv",
        "feedback.csv",
        "decisions.csv",
        "measures.csv",
        "readings.csv",
        "rollout.csv",
        "notes.csv",
    ];

    #[test]
    fn every_csv_neutralises_formulas() {
        let mut archive = unzip(csv_zip(&report(FORMULA)).unwrap());
        for name in ALL_FILES {
            assert!(archive.by_name(name).is_ok(), "{name} in the ZIP");
        }
        for name in ALL_FILES.into_iter().filter(|n| n.ends_with(".csv")) {
            let rows = records(&read(&mut archive, name));
            assert!(rows.len() >= 2, "{name} has a header and rows");
            let mut saw_text = false;
            for cell in rows.iter().flatten() {
                assert!(!cell.starts_with(['=', '+', '-', '@']) || cell == "-3", "{name}: {cell:?} would run");
                saw_text |= cell == &format!("'{FORMULA}");
            }
            assert!(saw_text, "{name} holds the typed text, neutralised");
        }
        // A number stays a number.
        let readings = records(&read(&mut archive, "readings.csv"));
        assert!(readings.iter().any(|r| r[3] == "-3"), "{readings:?}");
    }

    #[test]
    fn parts_a_viewer_may_not_see_are_not_in_the_zip() {
        let mut v = report("Evening line");
        v.rounds.trends = None;
        v.notes = None;
        let mut archive = unzip(csv_zip(&v).unwrap());
        assert!(archive.by_name("ratings.csv").is_err());
        assert!(archive.by_name("notes.csv").is_err());
        let readme = read(&mut archive, "README.txt");
        assert!(readme.contains("only what you could see"), "{readme}");
        assert!(readme.contains("Not included"), "{readme}");
    }

    #[test]
    fn a_csv_cell_round_trips_commas_quotes_and_line_breaks() {
        let text = "Nobody, \"ever\", answers\nafter 5pm";
        let mut archive = unzip(csv_zip(&report(text)).unwrap());
        let rows = records(&read(&mut archive, "iterations.csv"));
        assert_eq!(rows[0], ["Iteration", "Published", "Title", "What changed and why"]);
        assert_eq!(rows[1], ["1", "3 March 2025", text, text]);
    }

    /// Every event pulldown-cmark reads from `md` with the GFM extensions on.
    fn events(md: &str) -> Vec<Event<'_>> {
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_FOOTNOTES;
        Parser::new_ext(md, options).collect()
    }

    #[test]
    fn markdown_keeps_hostile_text_as_text() {
        let md = markdown(&report(HOSTILE));
        assert!(!md.contains("[click]"), "{md}");
        assert!(!md.contains("<script>"), "{md}");
        assert!(md.contains("\\[click\\](javascript:alert(1)) \\<script\\>"), "{md}");
        for e in events(&md) {
            assert!(
                !matches!(
                    e,
                    Event::Start(Tag::Link { .. })
                        | Event::Start(Tag::Image { .. })
                        | Event::Html(_)
                        | Event::InlineHtml(_)
                        | Event::Start(Tag::CodeBlock(_))
                ),
                "{e:?} in\n{md}"
            );
        }
        // The words survive: a reader sees exactly what was typed.
        let text: String = events(&md)
            .into_iter()
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.into_string()),
                _ => None,
            })
            .collect();
        assert!(text.contains(HOSTILE), "{text}");
    }

    #[test]
    fn markdown_has_every_section_and_the_charts_as_tables() {
        let md = markdown(&report("Evening line"));
        for h in [
            "# Evaluation report: Evening line",
            "## The problem and who it is for",
            "## How it changed",
            "## What people said in consultation rounds",
            "#### Evening line",
            "## You said, we did",
            "## Decisions",
            "## Outcome measures",
            "## Roll-out",
            "## What we learned",
        ] {
            assert!(md.lines().any(|l| l == h), "{h} in\n{md}");
        }
        assert!(
            md.contains("| Evening line | 1 | 8 March 2025 | 3.8 out of 5 | 12 | Service users (6 people): 4.0 |"),
            "{md}"
        );
        assert!(md.contains("| 3 March 2025 | -3 days | Evening line | Evening line |"), "{md}");
        assert!(md.contains("Nobody answers \\& people wait \\<script\\>"), "{md}");
        assert!(md.contains("• one"), "{md}");
        let tables = events(&md).iter().filter(|e| matches!(e, Event::Start(Tag::Table(_)))).count();
        assert_eq!(tables, 9, "{md}");
    }

    #[test]
    fn markdown_escapes_block_starts_pipes_and_line_breaks() {
        assert_eq!(inline("- not a list"), "\\- not a list");
        assert_eq!(inline("1. not a list"), "1\\. not a list");
        assert_eq!(inline("# not a heading"), "\\# not a heading");
        assert_eq!(inline("> not a quote"), "\\> not a quote");
        assert_eq!(inline("a | b"), "a \\| b");
        assert_eq!(
            inline("**bold** _it_ `code` ~~s~~ $x$ &amp;"),
            "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~ \\$x\\$ \\&amp;"
        );
        assert_eq!(cell("one | two\nthree"), "one \\| two<br>three");
        assert_eq!(block("    indented\n\n\n===\nnext"), "indented\n\n\\===\\\nnext\n\n");
        let md = {
            let mut out = String::new();
            table(&mut out, &["A", "B"], vec![vec!["x | y\nz".into(), "-1".into()]]);
            out
        };
        assert_eq!(md, "| A | B |\n| --- | --- |\n| x \\| y<br>z | -1 |\n\n");
        let text: String = events(&md)
            .into_iter()
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.into_string()),
                _ => None,
            })
            .collect();
        assert!(text.contains("x | y") && text.contains("-1"), "{text}\n{md}");
    }

    #[test]
    fn entities_are_decoded_once() {
        assert_eq!(decode_entities("a &amp;lt; b &lt; c &#39;d&#x27; &unknown; & e"), "a &lt; b < c 'd' &unknown; & e");
        assert_eq!(block(&html_text("<p>one\ntwo</p><p>three<br>four</p>")), "one two\n\nthree\\\nfour\n\n");
    }
}
