//! Pure rules of outcome measures: the measure and reading forms parsed into values that
//! cannot be wrong (every problem reported at once, each naming its field), pasted CSV
//! checked line by line, values and dates written as people read them, and the summary
//! sentence under each chart. No I/O; tests below.

use chrono::NaiveDate;

use super::{
    ChartPoint, Choice, Direction, MeasureKind, EARLIEST_YEAR, METHOD_MAX, NAME_MAX, NUMBER_LIMIT, PERCENT_UNIT,
    RATING_UNIT, SOURCE_MAX, UNIT_MAX, YEARS_AHEAD,
};
#[cfg(feature = "ssr")]
use super::{CSV_BYTES_MAX, CSV_ROWS_MAX};
use crate::error::AppError;

// ---------------------------------------------------------------------------------------
// Problems: a refused form reports all of them at once.

/// One thing wrong with a form: the control it belongs to and what to do, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(field: &str, message: impl Into<String>) -> Problem {
        Problem { field: field.to_string(), message: message.into() }
    }
}

/// Problems travel in the error's kept values under this prefix (`AppError::Invalid` has
/// room for one field; a form posted without JavaScript gets its error back in a URL).
const PROBLEM_KEY: &str = "problem:";
/// The problems listed in one refusal, in characters: every one for any form a person
/// fills in, and a bound on the URL a refused post is redirected to.
pub const PROBLEMS_TEXT_MAX: usize = 16_000;
/// Long text (the method, pasted CSV) is kept for a refused form only up to this size.
pub const KEPT_TEXT_MAX: usize = 8 * 1024;

/// The error for a refused form: "There are 3 problems. Nothing was saved.", with each
/// problem (as many as fit `PROBLEMS_TEXT_MAX`, then how many more) for the page to list.
pub fn refusal(problems: Vec<Problem>, nothing_done: &str) -> AppError {
    let total = problems.len();
    let field = problems.first().map(|p| p.field.clone());
    let message = match total {
        1 => format!("There is a problem. {nothing_done}"),
        n => format!("There are {} problems. {nothing_done}", count(n)),
    };
    let mut kept = Vec::new();
    let mut used = 0;
    for (i, p) in problems.into_iter().enumerate() {
        if used + p.message.len() > PROBLEMS_TEXT_MAX {
            let rest = count(total - i);
            kept.push((
                format!("{PROBLEM_KEY}{}", p.field),
                format!("…and {rest} more not listed here. Please fix these and try again to see the rest."),
            ));
            break;
        }
        used += p.message.len();
        kept.push((format!("{PROBLEM_KEY}{}", p.field), p.message));
    }
    AppError::Invalid { field, message, kept }
}

/// Every problem an error names, as (field, message), in the order found. An error from
/// elsewhere (a store's check) names its one field; other errors name none.
pub fn problems(e: &AppError) -> Vec<(String, String)> {
    match e {
        AppError::Invalid { field, message, kept } => {
            let listed: Vec<(String, String)> = kept
                .iter()
                .filter_map(|(k, v)| k.strip_prefix(PROBLEM_KEY).map(|f| (f.to_string(), v.clone())))
                .collect();
            if listed.is_empty() {
                field.iter().map(|f| (f.clone(), message.clone())).collect()
            } else {
                listed
            }
        }
        _ => Vec::new(),
    }
}

/// What to show beside one control: its problem, or (pasted CSV has one per bad line) a
/// pointer to the list at the top of the form.
pub fn field_message(e: &AppError, field: &str) -> Option<String> {
    let mine: Vec<String> = problems(e).into_iter().filter(|(f, _)| f == field).map(|(_, m)| m).collect();
    match mine.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        many => Some(format!("There are {} problems here: each is listed at the top of the form.", count(many.len()))),
    }
}

/// The error as one control sees it: about that control (with its message) or about none,
/// keeping the typed values either way. Lets `ui::Field` show any one of several problems.
pub fn focus(e: AppError, field: &str) -> AppError {
    let message = field_message(&e, field);
    match e {
        AppError::Invalid { kept, message: headline, .. } => match message {
            Some(m) => AppError::Invalid { field: Some(field.to_string()), message: m, kept },
            None => AppError::Invalid { field: None, message: headline, kept },
        },
        other => other,
    }
}

/// The first line of a form's problem summary: a refusal's own ("There are 3 problems.
/// Nothing was saved."), or, for an error naming one field, "There is a problem."
pub fn headline(e: &AppError) -> String {
    match e {
        AppError::Invalid { kept, .. } if kept.iter().any(|(k, _)| k.starts_with(PROBLEM_KEY)) => e.to_string(),
        _ => "There is a problem.".to_string(),
    }
}

/// Attaches what was typed to a refusal (after any problems it lists).
pub fn with_typed(e: AppError, typed: &[(&str, &str)]) -> AppError {
    match e {
        AppError::Invalid { field, message, mut kept } => {
            kept.extend(typed.iter().map(|(k, v)| (k.to_string(), v.to_string())));
            AppError::Invalid { field, message, kept }
        }
        other => other,
    }
}

/// The same refusal about another control: problems found in pasted text (`csv`) are
/// listed against the file input (`file`) when the text came from an upload.
pub fn as_field(e: AppError, from: &str, to: &str) -> AppError {
    let rename = |f: &str| if f == from { to.to_string() } else { f.to_string() };
    match e {
        AppError::Invalid { field, message, kept } => AppError::Invalid {
            field: field.map(|f| rename(&f)),
            message,
            kept: kept
                .into_iter()
                .map(|(k, v)| match k.strip_prefix(PROBLEM_KEY) {
                    Some(f) => (format!("{PROBLEM_KEY}{}", rename(f)), v),
                    None => (k, v),
                })
                .collect(),
        },
        other => other,
    }
}

#[cfg(feature = "ssr")]
/// An uploaded file's text: UTF-8 (a spreadsheet's byte-order mark is dropped), not empty,
/// and no larger than a paste may be. The message says how to fix it.
pub fn file_text(bytes: &[u8]) -> Result<&str, String> {
    if bytes.is_empty() {
        return Err("Choose a CSV file to upload.".into());
    }
    if bytes.len() > CSV_BYTES_MAX {
        return Err(format!(
            "The file is too large. Upload at most {} readings at a time (at most {} KB).",
            count(CSV_ROWS_MAX),
            CSV_BYTES_MAX / 1024
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| {
        "The file is not plain text in UTF-8. In your spreadsheet, save it as “CSV UTF-8” and upload it again."
            .to_string()
    })?;
    if text.contains('\0') {
        return Err("The file is not a CSV file. Save your spreadsheet as “CSV UTF-8” and upload that.".into());
    }
    Ok(text)
}

/// The id a problem links to: the control, or a radio group's first button.
pub fn anchor(field: &str) -> String {
    match field {
        "kind" => "f-kind-number".into(),
        "direction" => "f-direction-higher".into(),
        f => format!("f-{f}"),
    }
}

// ---------------------------------------------------------------------------------------
// Dates: calendar days (`crate::days`), typed as 31/03/2025 or 2025-03-31, stored as
// 'YYYY-MM-DD'.

pub use crate::days::{parse as parse_day, DayError};

/// `subject` starts the sentence: "The baseline date".
pub fn day_message(subject: &str, raw: &str, e: DayError) -> String {
    let raw = echo(raw);
    match e {
        DayError::Missing => format!("{subject} is missing. Write it like 31/03/2025."),
        DayError::Unreadable => {
            format!("{subject} “{raw}” is not a date we can read. Write it as day/month/year, like 31/03/2025.")
        }
        DayError::NotReal => format!("{subject} “{raw}” is not a real day."),
        DayError::TooEarly => format!("{subject} “{raw}” is before {EARLIEST_YEAR}. Please check the year."),
        DayError::TooLate => {
            format!("{subject} “{raw}” is more than {YEARS_AHEAD} years ahead. Please check the year.")
        }
    }
}

// ---------------------------------------------------------------------------------------
// Values.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueError {
    Missing,
    NotNumber,
    OutOfRange,
}

/// Digits with commas between thousands ("1,250") without the commas; `None` for commas
/// anywhere else ("1,5" is not read as 15).
fn without_thousands(s: &str) -> Option<String> {
    if !s.contains(',') {
        return Some(s.to_string());
    }
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if frac.is_some_and(|f| f.contains(',')) {
        return None;
    }
    let unsigned = int.strip_prefix(|c: char| c == '-' || c == '+').unwrap_or(int);
    let groups: Vec<&str> = unsigned.split(',').collect();
    let ok = (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    ok.then(|| s.replace(',', ""))
}

/// A value of a measure of this kind: finite; a percentage 0–100 (a trailing % is fine), a
/// rating 1–5, a number within ±1e12.
pub fn parse_value(kind: MeasureKind, raw: &str) -> Result<f64, ValueError> {
    let mut s = raw.trim();
    if s.is_empty() {
        return Err(ValueError::Missing);
    }
    if kind == MeasureKind::Percentage {
        s = s.strip_suffix('%').map_or(s, str::trim_end);
    }
    let v: f64 = without_thousands(s).ok_or(ValueError::NotNumber)?.parse().map_err(|_| ValueError::NotNumber)?;
    if !v.is_finite() {
        return Err(ValueError::NotNumber);
    }
    let in_range = match kind {
        MeasureKind::Number => v.abs() <= NUMBER_LIMIT,
        MeasureKind::Percentage => (0.0..=100.0).contains(&v),
        MeasureKind::Rating => (1.0..=5.0).contains(&v),
    };
    if !in_range {
        return Err(ValueError::OutOfRange);
    }
    // No "-0" in the database or on a page.
    Ok(if v == 0.0 { 0.0 } else { v })
}

/// `subject` starts the sentence: "The target".
pub fn value_message(subject: &str, raw: &str, kind: MeasureKind, e: ValueError) -> String {
    let raw = echo(raw);
    match (e, kind) {
        (ValueError::Missing, _) => format!("{subject} is missing."),
        (ValueError::NotNumber, MeasureKind::Number) => {
            format!("{subject} “{raw}” is not a number. Write it in digits, for example 24 or 3.5.")
        }
        (ValueError::NotNumber, MeasureKind::Percentage) => {
            format!("{subject} “{raw}” is not a number. Write it in digits, for example 61 or 61.5%.")
        }
        (ValueError::NotNumber, MeasureKind::Rating) => {
            format!("{subject} “{raw}” is not a number. Write it in digits from 1 to 5, for example 3.5.")
        }
        (ValueError::OutOfRange, MeasureKind::Number) => {
            format!("{subject} “{raw}” is too large: a number can be at most 1,000,000,000,000 either side of zero.")
        }
        (ValueError::OutOfRange, MeasureKind::Percentage) => {
            format!("{subject} “{raw}” is not a percentage from 0 to 100.")
        }
        (ValueError::OutOfRange, MeasureKind::Rating) => {
            format!("{subject} “{raw}” is not on the rating scale of 1 to 5.")
        }
    }
}

// ---------------------------------------------------------------------------------------
// The measure form.

/// The measure form as typed. Radio buttons and the select are absent when none is chosen.
#[derive(Debug, Clone, Copy, Default)]
pub struct MeasureTyped<'a> {
    pub name: &'a str,
    pub method: &'a str,
    pub kind: Option<&'a str>,
    pub unit: &'a str,
    pub direction: Option<&'a str>,
    pub statement: Option<&'a str>,
    pub baseline: &'a str,
    pub baseline_on: &'a str,
    pub baseline_source: &'a str,
    pub target: &'a str,
    pub target_on: &'a str,
}

/// A measure, parsed. Dates are 'YYYY-MM-DD'; `statement` only for a rating; `unit` is
/// "%" for a percentage and "out of 5" for a rating.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureFields {
    pub name: String,
    pub method: String,
    pub kind: MeasureKind,
    pub unit: String,
    pub direction: Direction,
    pub statement: Option<i64>,
    pub baseline: Option<f64>,
    pub baseline_on: Option<String>,
    pub baseline_source: String,
    pub target: Option<f64>,
    pub target_on: Option<String>,
}

impl<'a> MeasureTyped<'a> {
    /// What a refused form shows again (the method only when small: it travels in a URL).
    pub fn typed(&self) -> Vec<(&'static str, &'a str)> {
        vec![
            ("name", self.name),
            ("method", if self.method.len() <= KEPT_TEXT_MAX { self.method } else { "" }),
            ("kind", self.kind.unwrap_or("")),
            ("unit", self.unit),
            ("direction", self.direction.unwrap_or("")),
            ("statement", self.statement.unwrap_or("")),
            ("baseline", self.baseline),
            ("baseline_on", self.baseline_on),
            ("baseline_source", self.baseline_source),
            ("target", self.target),
            ("target_on", self.target_on),
        ]
    }

    pub fn keep(&self, e: AppError) -> AppError {
        with_typed(e, &self.typed())
    }

    pub fn parse(&self, today: NaiveDate) -> Result<MeasureFields, AppError> {
        parse_measure(self, today).map_err(|p| self.keep(refusal(p, "Nothing was saved.")))
    }
}

/// One line: spaces collapsed, trimmed.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An optional value: `None` when empty; a problem (and `None`) when it does not parse.
fn optional_value(p: &mut Vec<Problem>, field: &str, subject: &str, kind: MeasureKind, raw: &str) -> Option<f64> {
    if raw.trim().is_empty() {
        return None;
    }
    parse_value(kind, raw).map_err(|e| p.push(Problem::new(field, value_message(subject, raw, kind, e)))).ok()
}

/// An optional day, as 'YYYY-MM-DD'.
fn optional_day(p: &mut Vec<Problem>, field: &str, subject: &str, raw: &str, today: NaiveDate) -> Option<String> {
    if raw.trim().is_empty() {
        return None;
    }
    parse_day(raw, today)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|e| p.push(Problem::new(field, day_message(subject, raw, e))))
        .ok()
}

/// Every problem with a measure form, in the form's order, or the measure.
pub fn parse_measure(t: &MeasureTyped<'_>, today: NaiveDate) -> Result<MeasureFields, Vec<Problem>> {
    let mut p = Vec::new();
    let name = one_line(t.name);
    let name_len = name.chars().count();
    if name.is_empty() {
        p.push(Problem::new(
            "name",
            "The name is missing. Give the measure a short name, for example “Days waited for a first appointment”.",
        ));
    } else if name_len > NAME_MAX {
        p.push(Problem::new("name", format!("The name can be at most {NAME_MAX} characters; it has {name_len}.")));
    }
    let method = t.method.replace("\r\n", "\n").replace('\r', "\n").trim().to_string();
    let method_len = method.chars().count();
    if method_len > METHOD_MAX {
        p.push(Problem::new(
            "method",
            format!(
                "How it is measured can be at most {} characters; it has {}.",
                count(METHOD_MAX),
                count(method_len)
            ),
        ));
    }
    let kind = t.kind.map(str::trim).and_then(MeasureKind::parse);
    if kind.is_none() {
        p.push(Problem::new(
            "kind",
            "The kind of measure is missing. Choose a number, a percentage or a lived-experience rating.",
        ));
    }
    let unit = match kind {
        Some(MeasureKind::Percentage) => PERCENT_UNIT.to_string(),
        Some(MeasureKind::Rating) => RATING_UNIT.to_string(),
        _ => {
            let u = one_line(t.unit);
            if u.chars().count() > UNIT_MAX {
                p.push(Problem::new(
                    "unit",
                    format!("The unit can be at most {UNIT_MAX} characters, for example “days”."),
                ));
            }
            u
        }
    };
    let direction = t.direction.map(str::trim).and_then(Direction::parse);
    if direction.is_none() {
        p.push(Problem::new(
            "direction",
            "The direction is missing. Choose whether a higher or a lower value is better.",
        ));
    }
    let statement = match kind {
        Some(MeasureKind::Rating) => match t.statement.map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                p.push(Problem::new(
                    "statement",
                    "The experience statement is missing. A rating needs the statement people rated: choose it from the list.",
                ));
                None
            }
            Some(s) => match s.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    p.push(Problem::new(
                        "statement",
                        "The experience statement could not be read. Choose it from the list.",
                    ));
                    None
                }
            },
        },
        // Only a rating has a statement: one chosen for a number is not kept.
        _ => None,
    };
    // Values are checked on the scale of the kind chosen (any finite number if none is).
    let scale = kind.unwrap_or(MeasureKind::Number);
    let (has_baseline, has_baseline_on) = (!t.baseline.trim().is_empty(), !t.baseline_on.trim().is_empty());
    if !has_baseline && has_baseline_on {
        p.push(Problem::new(
            "baseline",
            "The baseline is missing: give its value as well as its date, or clear the date.",
        ));
    }
    let baseline = optional_value(&mut p, "baseline", "The baseline", scale, t.baseline);
    if has_baseline && !has_baseline_on {
        p.push(Problem::new(
            "baseline_on",
            "The baseline date is missing: give the day the baseline was measured, like 31/03/2025, or clear the baseline.",
        ));
    }
    let baseline_on = optional_day(&mut p, "baseline_on", "The baseline date", t.baseline_on, today);
    let baseline_source = one_line(t.baseline_source);
    if baseline_source.chars().count() > SOURCE_MAX {
        p.push(Problem::new(
            "baseline_source",
            format!("Where the baseline comes from can be at most {SOURCE_MAX} characters."),
        ));
    }
    let target = optional_value(&mut p, "target", "The target", scale, t.target);
    if t.target.trim().is_empty() && !t.target_on.trim().is_empty() {
        p.push(Problem::new(
            "target_on",
            "A target date needs a target: give the target value as well, or clear the date.",
        ));
    }
    let target_on = optional_day(&mut p, "target_on", "The target date", t.target_on, today);
    match (kind, direction) {
        (Some(kind), Some(direction)) if p.is_empty() => Ok(MeasureFields {
            name,
            method,
            kind,
            unit,
            direction,
            statement,
            baseline,
            baseline_on,
            baseline_source,
            target,
            target_on,
        }),
        _ => Err(p),
    }
}

// ---------------------------------------------------------------------------------------
// Readings.

/// One reading as typed (or as one line of pasted CSV).
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadingTyped<'a> {
    pub value: &'a str,
    pub taken_on: &'a str,
    /// A site's name, or empty.
    pub site: &'a str,
    pub source: &'a str,
}

/// A reading, parsed: the day as 'YYYY-MM-DD', the site by id.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadingFields {
    pub value: f64,
    pub taken_on: String,
    pub site_id: Option<i64>,
    pub source: String,
}

impl<'a> ReadingTyped<'a> {
    pub fn typed(&self) -> Vec<(&'static str, &'a str)> {
        vec![("value", self.value), ("taken_on", self.taken_on), ("site", self.site), ("source", self.source)]
    }

    pub fn keep(&self, e: AppError) -> AppError {
        with_typed(e, &self.typed())
    }

    pub fn parse(&self, kind: MeasureKind, sites: &[Choice], today: NaiveDate) -> Result<ReadingFields, AppError> {
        parse_reading(kind, self, sites, today).map_err(|p| self.keep(refusal(p, "The reading was not added.")))
    }
}

/// The site with this name (case and spacing aside).
pub fn find_site(sites: &[Choice], name: &str) -> Option<i64> {
    let wanted = one_line(name).to_lowercase();
    sites.iter().find(|s| one_line(&s.label).to_lowercase() == wanted).map(|s| s.id)
}

/// Every problem with one reading (messages start "The …"), or the reading.
pub fn parse_reading(
    kind: MeasureKind,
    t: &ReadingTyped<'_>,
    sites: &[Choice],
    today: NaiveDate,
) -> Result<ReadingFields, Vec<Problem>> {
    if kind == MeasureKind::Rating {
        return Err(vec![Problem::new(
            "value",
            "The values of a rating come from consultation rounds, so readings cannot be added to it.",
        )]);
    }
    let mut p = Vec::new();
    let value = parse_value(kind, t.value)
        .map_err(|e| p.push(Problem::new("value", value_message("The value", t.value, kind, e))))
        .ok();
    let taken_on = parse_day(t.taken_on, today)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|e| p.push(Problem::new("taken_on", day_message("The date", t.taken_on, e))))
        .ok();
    let site_id = match one_line(t.site) {
        s if s.is_empty() => None,
        s => {
            let found = find_site(sites, &s);
            if found.is_none() {
                p.push(Problem::new(
                    "site",
                    format!("There is no site called “{}”: check the spelling against the list of sites.", echo(&s)),
                ));
            }
            found
        }
    };
    let source = one_line(t.source);
    if source.chars().count() > SOURCE_MAX {
        p.push(Problem::new("source", format!("The source can be at most {SOURCE_MAX} characters.")));
    }
    match (value, taken_on) {
        (Some(value), Some(taken_on)) if p.is_empty() => Ok(ReadingFields { value, taken_on, site_id, source }),
        _ => Err(p),
    }
}

/// Pasted readings, one a line: `date,value,site,source` (site and source may be left
/// off; a first line starting "date" is column names; cells copied from a spreadsheet,
/// separated by tabs, work too). Every problem is reported, by line number; any problem
/// means no readings at all, so a paste is added whole or not at all.
#[cfg(feature = "ssr")]
pub fn parse_csv(
    kind: MeasureKind,
    text: &str,
    sites: &[Choice],
    today: NaiveDate,
) -> Result<Vec<ReadingFields>, Vec<Problem>> {
    const FIELD: &str = "csv";
    let one = |m: String| Err(vec![Problem::new(FIELD, m)]);
    if kind == MeasureKind::Rating {
        return one("The values of a rating come from consultation rounds, so readings cannot be added to it.".into());
    }
    if text.trim().is_empty() {
        return one(
            "The readings are missing. Paste one reading a line: its date and value, then its site and source if you have them."
                .into(),
        );
    }
    if text.len() > CSV_BYTES_MAX {
        return one(format!("The text pasted is too long. Paste at most {} readings at a time.", count(CSV_ROWS_MAX)));
    }
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') { b'\t' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let (mut rows, mut problems) = (Vec::new(), Vec::new());
    let (mut first, mut readings) = (true, 0usize);
    for (i, record) in reader.records().enumerate() {
        // Each record consumes input, so this never binds; it keeps the loop plainly finite.
        if i > CSV_BYTES_MAX {
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem::new(
                    FIELD,
                    match e.position() {
                        Some(pos) => {
                            format!("Line {}: this line could not be read. Check its quotation marks.", pos.line())
                        }
                        None => "A line could not be read. Check the quotation marks.".to_string(),
                    },
                ));
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let line = record.position().map_or(i as u64 + 1, |p| p.line() + blank_lines_at(text, p.byte()));
        if std::mem::take(&mut first) && record.get(0).is_some_and(|c| c.eq_ignore_ascii_case("date")) {
            continue;
        }
        readings += 1;
        if readings > CSV_ROWS_MAX {
            continue;
        }
        if record.len() > 4 {
            problems.push(Problem::new(
                FIELD,
                format!(
                    "Line {line}: it has {} columns, but a reading has at most 4: date, value, site and source. If a source has a comma in it, put the source in double quotes.",
                    record.len()
                ),
            ));
            continue;
        }
        let cell = |n: usize| record.get(n).unwrap_or("");
        let typed = ReadingTyped { taken_on: cell(0), value: cell(1), site: cell(2), source: cell(3) };
        match parse_reading(kind, &typed, sites, today) {
            Ok(r) => rows.push(r),
            Err(ps) => problems.extend(
                ps.into_iter().map(|p| Problem::new(FIELD, format!("Line {line}: {}", lower_first(&p.message)))),
            ),
        }
    }
    if readings > CSV_ROWS_MAX {
        return one(format!(
            "There are {} readings here. Add at most {} at a time.",
            count(readings),
            count(CSV_ROWS_MAX)
        ));
    }
    if readings == 0 && problems.is_empty() {
        return one("There are no readings here, only column names. Put one reading a line under them.".into());
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// Blank lines at this byte of the text: a record's position is where the reader started
/// looking for it, before the blank lines it skipped, and a line number must name the line.
#[cfg(feature = "ssr")]
fn blank_lines_at(text: &str, byte: u64) -> u64 {
    let rest = usize::try_from(byte).ok().and_then(|b| text.as_bytes().get(b..)).unwrap_or_default();
    rest.iter().take_while(|b| matches!(b, b'\n' | b'\r')).filter(|b| **b == b'\n').count() as u64
}

// ---------------------------------------------------------------------------------------
// Writing values and dates as people read them.

pub use crate::days::{long_date, month_year, short_date, short_month};

/// "03/03/2025", as the forms take dates.
pub fn uk_date(iso: &str) -> String {
    crate::days::stored(iso).map_or_else(|| iso.to_string(), |d| d.format("%d/%m/%Y").to_string())
}

/// "1,250" from "1250".
fn group_thousands(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count: "2,000".
pub fn count(n: usize) -> String {
    group_thousands(&n.to_string())
}

/// A number to at most two decimal places, thousands grouped: "1,250", "3.5", "-2".
pub fn fmt_number(v: f64) -> String {
    let fixed = format!("{v:.2}");
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    let (sign, rest) = match trimmed.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", trimmed),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let grouped = group_thousands(int);
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None if grouped == "0" => "0".to_string(),
        None => format!("{sign}{grouped}"),
    }
}

/// A rating to one decimal place: "3.4".
pub fn fmt_rating(v: f64) -> String {
    format!("{v:.1}")
}

/// A number as the forms show it: digits only, as typed ("28", "61.5").
pub fn plain_number(v: f64) -> String {
    v.to_string()
}

/// The unit after a value: "1 day", "2 days". Only a plain English plural loses its "s".
fn unit_for(unit: &str, v: f64) -> String {
    let one = fmt_number(v) == "1";
    let plain_plural = !unit.contains(' ')
        && unit.len() > 2
        && unit.ends_with('s')
        && !["ss", "us", "is"].iter().any(|end| unit.ends_with(end));
    if one && plain_plural {
        unit[..unit.len() - 1].to_string()
    } else {
        unit.to_string()
    }
}

/// A value with its unit: "24 days", "61%", "3.4 out of 5".
pub fn with_unit(kind: MeasureKind, unit: &str, v: f64) -> String {
    match kind {
        MeasureKind::Percentage => format!("{}{PERCENT_UNIT}", fmt_number(v)),
        MeasureKind::Rating => format!("{} {RATING_UNIT}", fmt_rating(v)),
        MeasureKind::Number if unit.is_empty() => fmt_number(v),
        MeasureKind::Number => format!("{} {}", fmt_number(v), unit_for(unit, v)),
    }
}

/// A value without its unit, where the sentence has already said it ("target 7").
fn bare(kind: MeasureKind, v: f64) -> String {
    match kind {
        MeasureKind::Percentage => format!("{}{PERCENT_UNIT}", fmt_number(v)),
        MeasureKind::Rating => fmt_rating(v),
        MeasureKind::Number => fmt_number(v),
    }
}

/// "from 28 to 9 days", "from 61% to 74%".
fn from_to(kind: MeasureKind, unit: &str, a: f64, b: f64) -> String {
    match kind {
        MeasureKind::Number if !unit.is_empty() => {
            format!("from {} to {} {}", fmt_number(a), fmt_number(b), unit_for(unit, b))
        }
        MeasureKind::Rating => format!("from {} to {} {RATING_UNIT}", fmt_rating(a), fmt_rating(b)),
        _ => format!("from {} to {}", bare(kind, a), bare(kind, b)),
    }
}

/// "Down from 28 to 9 days since March 2025"; values that read the same are "unchanged".
fn movement(kind: MeasureKind, unit: &str, a: f64, b: f64, since: &str) -> String {
    if with_unit(kind, unit, a) == with_unit(kind, unit, b) {
        format!("Unchanged at {} {since}", with_unit(kind, unit, b))
    } else {
        format!("{} {} {since}", if b > a { "Up" } else { "Down" }, from_to(kind, unit, a, b))
    }
}

/// The sentence under a chart: where the measure started, where it is now and its target.
/// `points` are the readings (or a rating's rounds with enough ratings), oldest first.
pub fn summary(
    kind: MeasureKind,
    unit: &str,
    baseline: Option<(f64, &str)>,
    target: Option<f64>,
    target_on: Option<&str>,
    points: &[ChartPoint],
) -> String {
    let rating = kind == MeasureKind::Rating;
    let noun = if rating { "round" } else { "reading" };
    let none_yet = if rating { "no ratings from consultation rounds yet" } else { "no readings yet" };
    let value = |v: f64| with_unit(kind, unit, v);
    let main = match (baseline, points) {
        (None, []) => upper_first(none_yet),
        (Some((b, on)), []) => format!("Baseline {} ({}); {none_yet}", value(b), month_year(on)),
        (Some((b, on)), [only]) => format!(
            "Baseline {} ({}); 1 {noun} so far: {} ({})",
            value(b),
            month_year(on),
            value(only.value),
            month_year(&only.date)
        ),
        (None, [only]) => format!("1 {noun} so far: {} ({})", value(only.value), month_year(&only.date)),
        (Some((b, on)), [.., last]) => movement(kind, unit, b, last.value, &format!("since {}", month_year(on))),
        (None, [first, .., last]) => movement(
            kind,
            unit,
            first.value,
            last.value,
            &format!("since the first {noun} in {}", month_year(&first.date)),
        ),
    };
    // After a value with its unit, the target's number alone reads naturally.
    let said_unit = baseline.is_some() || !points.is_empty();
    match target {
        None => format!("{main}."),
        Some(t) => {
            let t = if said_unit { bare(kind, t) } else { value(t) };
            match target_on {
                Some(on) => format!("{main}; target {t} by {}.", month_year(on)),
                None => format!("{main}; target {t}."),
            }
        }
    }
}

/// Whether the latest value meets the target, given which way is better: "Target met." or
/// what is still to go ("2 days to go to the target."). `None` without both.
pub fn progress(
    kind: MeasureKind,
    unit: &str,
    direction: Direction,
    target: Option<f64>,
    latest: Option<f64>,
) -> Option<String> {
    let (t, l) = (target?, latest?);
    let gap = match direction {
        Direction::Higher => t - l,
        Direction::Lower => l - t,
    };
    // Compared as shown: a gap that rounds to nothing is met.
    let places = if kind == MeasureKind::Rating { 10.0 } else { 100.0 };
    let gap = (gap * places).round() / places;
    if gap <= 0.0 {
        return Some("Target met.".to_string());
    }
    let amount = match kind {
        MeasureKind::Percentage => {
            format!("{} percentage {}", fmt_number(gap), if fmt_number(gap) == "1" { "point" } else { "points" })
        }
        MeasureKind::Rating => format!("{} on the 1 to 5 scale", fmt_rating(gap)),
        MeasureKind::Number if unit.is_empty() => fmt_number(gap),
        MeasureKind::Number => format!("{} {}", fmt_number(gap), unit_for(unit, gap)),
    };
    Some(format!("{amount} to go to the target."))
}

// ---------------------------------------------------------------------------------------
// Small text helpers.

/// What a person typed, quoted back in a message: at most 40 characters of it.
fn echo(raw: &str) -> String {
    let t = raw.trim();
    if t.chars().count() <= 40 {
        t.to_string()
    } else {
        format!("{}…", t.chars().take(39).collect::<String>())
    }
}

#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    fn point(date: &str, value: f64) -> ChartPoint {
        ChartPoint { date: date.into(), value }
    }

    fn measure<'a>() -> MeasureTyped<'a> {
        MeasureTyped {
            name: "  Days   waited ",
            kind: Some("number"),
            unit: " days ",
            direction: Some("lower"),
            baseline: "28",
            baseline_on: "01/03/2025",
            target: "7",
            target_on: "2026-12-31",
            ..Default::default()
        }
    }

    #[test]
    fn days_are_real_calendar_days_in_range() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(parse_day("2025-03-31", today()), Ok(d(2025, 3, 31)));
        assert_eq!(parse_day(" 31/03/2025 ", today()), Ok(d(2025, 3, 31)));
        assert_eq!(parse_day("1/3/2025", today()), Ok(d(2025, 3, 1)));
        assert_eq!(parse_day("29/02/2024", today()), Ok(d(2024, 2, 29)), "a leap day");
        assert_eq!(parse_day("29/02/2025", today()), Err(DayError::NotReal));
        assert_eq!(parse_day("31/02/2025", today()), Err(DayError::NotReal));
        assert_eq!(parse_day("2025-13-01", today()), Err(DayError::NotReal));
        assert_eq!(parse_day("", today()), Err(DayError::Missing));
        for bad in ["March 2025", "2025/03/31", "31/03/25", "31-03-2025", "2025-03-31T10:00", "x"] {
            assert_eq!(parse_day(bad, today()), Err(DayError::Unreadable), "{bad}");
        }
        assert_eq!(parse_day("31/12/1999", today()), Err(DayError::TooEarly));
        assert_eq!(parse_day("01/01/2000", today()), Ok(d(2000, 1, 1)));
        assert_eq!(parse_day("27/11/2036", today()), Ok(d(2036, 11, 27)), "ten years ahead exactly");
        assert_eq!(parse_day("28/11/2036", today()), Err(DayError::TooLate));
        assert_eq!(
            day_message("The date", "31/02/2025", DayError::NotReal),
            "The date “31/02/2025” is not a real day."
        );
    }

    #[test]
    fn values_are_finite_and_on_their_scale() {
        use MeasureKind::*;
        assert_eq!(parse_value(Number, " 24 "), Ok(24.0));
        assert_eq!(parse_value(Number, "-3.5"), Ok(-3.5));
        assert_eq!(parse_value(Number, "1,250"), Ok(1250.0));
        assert_eq!(parse_value(Number, "1,250,000.5"), Ok(1_250_000.5));
        assert_eq!(parse_value(Number, "1,5"), Err(ValueError::NotNumber), "not read as 15");
        assert_eq!(parse_value(Number, "12,34"), Err(ValueError::NotNumber));
        assert_eq!(parse_value(Number, "-0"), Ok(0.0));
        assert!(parse_value(Number, "-0").unwrap().is_sign_positive());
        for bad in ["inf", "NaN", "infinity", "abc", "12 days", "1e999", "£5"] {
            assert_eq!(parse_value(Number, bad), Err(ValueError::NotNumber), "{bad}");
        }
        assert_eq!(parse_value(Number, ""), Err(ValueError::Missing));
        assert_eq!(parse_value(Number, "1e12"), Ok(1e12));
        assert_eq!(parse_value(Number, "-1000000000001"), Err(ValueError::OutOfRange));
        assert_eq!(parse_value(Percentage, "61.5%"), Ok(61.5));
        assert_eq!(parse_value(Percentage, "100 %"), Ok(100.0));
        assert_eq!(parse_value(Percentage, "100.1"), Err(ValueError::OutOfRange));
        assert_eq!(parse_value(Percentage, "-1"), Err(ValueError::OutOfRange));
        assert_eq!(parse_value(Number, "5%"), Err(ValueError::NotNumber), "only a percentage takes %");
        assert_eq!(parse_value(Rating, "3.5"), Ok(3.5));
        assert_eq!(parse_value(Rating, "0"), Err(ValueError::OutOfRange));
        assert_eq!(parse_value(Rating, "6"), Err(ValueError::OutOfRange));
        assert_eq!(
            value_message("The target", "120", Percentage, ValueError::OutOfRange),
            "The target “120” is not a percentage from 0 to 100."
        );
    }

    #[test]
    fn a_measure_parses_with_its_units_and_iso_dates() {
        let m = parse_measure(&measure(), today()).unwrap();
        assert_eq!(m.name, "Days waited");
        assert_eq!(m.unit, "days");
        assert_eq!((m.kind, m.direction), (MeasureKind::Number, Direction::Lower));
        assert_eq!((m.baseline, m.baseline_on.as_deref()), (Some(28.0), Some("2025-03-01")));
        assert_eq!((m.target, m.target_on.as_deref()), (Some(7.0), Some("2026-12-31")));
        assert_eq!(m.statement, None);
        let pct = parse_measure(
            &MeasureTyped { kind: Some("percentage"), unit: "per cent", statement: Some("3"), ..measure() },
            today(),
        )
        .unwrap();
        assert_eq!((pct.unit.as_str(), pct.statement), ("%", None), "the unit is fixed; a statement is for ratings");
        let rating = MeasureTyped {
            kind: Some("rating"),
            statement: Some("4"),
            baseline: "3.1",
            target: "4",
            direction: Some("higher"),
            ..measure()
        };
        let r = parse_measure(&rating, today()).unwrap();
        assert_eq!((r.unit.as_str(), r.statement, r.baseline), ("out of 5", Some(4), Some(3.1)));
        let none = MeasureTyped { baseline: "", baseline_on: "", target: "", target_on: "", ..measure() };
        let n = parse_measure(&none, today()).unwrap();
        assert_eq!((n.baseline, n.baseline_on, n.target, n.target_on), (None, None, None, None));
    }

    #[test]
    fn every_problem_is_reported_at_once_naming_its_field() {
        let bad = MeasureTyped {
            name: " ",
            method: &"m".repeat(METHOD_MAX + 1),
            kind: None,
            unit: &"u".repeat(UNIT_MAX + 1),
            direction: Some("sideways"),
            baseline: "lots",
            baseline_on: "",
            baseline_source: &"s".repeat(SOURCE_MAX + 1),
            target: "",
            target_on: "31/02/2026",
            ..Default::default()
        };
        let p = parse_measure(&bad, today()).unwrap_err();
        let fields: Vec<&str> = p.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "method",
                "kind",
                "unit",
                "direction",
                "baseline",
                "baseline_on",
                "baseline_source",
                "target_on",
                "target_on"
            ]
        );
        assert!(p[0].message.starts_with("The name is missing"));
        assert!(p[5].message.contains("“lots” is not a number"), "{}", p[5].message);
        assert!(p[9].message.contains("“31/02/2026” is not a real day"), "{}", p[9].message);
        let rating =
            MeasureTyped { kind: Some("rating"), statement: Some(""), baseline: "7", target: "4", ..measure() };
        let p = parse_measure(&rating, today()).unwrap_err();
        assert_eq!(p.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["statement", "baseline"]);
        assert!(p[1].message.contains("rating scale of 1 to 5"));
        let date_only = MeasureTyped { baseline: "", ..measure() };
        assert_eq!(parse_measure(&date_only, today()).unwrap_err()[0].field, "baseline");
        let long = MeasureTyped { name: &"n".repeat(NAME_MAX + 1), ..measure() };
        assert!(parse_measure(&long, today()).unwrap_err()[0].message.contains("at most 120 characters"));
        assert!(parse_measure(&MeasureTyped { name: &"é".repeat(NAME_MAX), ..measure() }, today()).is_ok());
    }

    #[test]
    fn a_refusal_lists_its_problems_and_keeps_what_was_typed() {
        let typed = MeasureTyped { name: "", kind: None, ..measure() };
        let e = typed.parse(today()).unwrap_err();
        assert_eq!(e.to_string(), "There are 2 problems. Nothing was saved.");
        let listed = problems(&e);
        assert_eq!(listed.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), ["name", "kind"]);
        assert_eq!(e.kept("unit").as_deref(), Some(" days "));
        assert_eq!(e.kept("baseline_on").as_deref(), Some("01/03/2025"));
        // Each control sees its own problem, and every control keeps what was typed.
        let name = focus(e.clone(), "name");
        assert!(name.for_field("name").unwrap().starts_with("The name is missing"));
        assert_eq!(name.kept("target").as_deref(), Some("7"));
        let unit = focus(e.clone(), "unit");
        assert_eq!(unit.for_field("unit"), None);
        assert_eq!(unit.kept("unit").as_deref(), Some(" days "));
        assert_eq!(headline(&e), "There are 2 problems. Nothing was saved.");
        assert_eq!(headline(&AppError::invalid("statement", "Retired.")), "There is a problem.");
        assert_eq!(anchor("kind"), "f-kind-number");
        assert_eq!(anchor("baseline_on"), "f-baseline_on");
        // An error from a store names one field; it is listed too.
        let one = with_typed(AppError::invalid("statement", "That statement is retired."), &[("name", "x")]);
        assert_eq!(problems(&one), vec![("statement".to_string(), "That statement is retired.".to_string())]);
        assert_eq!(one.kept("name").as_deref(), Some("x"));
        assert!(problems(&AppError::NotFound).is_empty());
        assert_eq!(focus(AppError::Forbidden, "name"), AppError::Forbidden);
    }

    #[test]
    fn a_long_list_of_problems_is_bounded() {
        let many: Vec<Problem> =
            (1..=3000).map(|i| Problem::new("csv", format!("Line {i}: the value is missing."))).collect();
        let e = refusal(many, "No readings were added.");
        assert_eq!(e.to_string(), "There are 3,000 problems. No readings were added.");
        let listed = problems(&e);
        assert!(listed.len() < 3000);
        let text: usize = listed.iter().map(|(_, m)| m.len()).sum();
        assert!(text <= PROBLEMS_TEXT_MAX + 200);
        assert!(listed.last().unwrap().1.contains("more not listed here"), "{:?}", listed.last());
        assert_eq!(
            field_message(&e, "csv").as_deref(),
            Some(
                format!("There are {} problems here: each is listed at the top of the form.", count(listed.len()))
                    .as_str()
            )
        );
    }

    #[test]
    fn a_reading_parses_with_its_site() {
        let sites = vec![Choice { id: 4, label: "Lakeside Surgery".into() }, Choice { id: 9, label: "Hub".into() }];
        let t = ReadingTyped { value: "24", taken_on: "03/03/2025", site: " lakeside  surgery ", source: " audit " };
        let r = parse_reading(MeasureKind::Number, &t, &sites, today()).unwrap();
        assert_eq!(
            r,
            ReadingFields { value: 24.0, taken_on: "2025-03-03".into(), site_id: Some(4), source: "audit".into() }
        );
        let none = ReadingTyped { site: "", ..t };
        assert_eq!(parse_reading(MeasureKind::Number, &none, &sites, today()).unwrap().site_id, None);
        let bad =
            ReadingTyped { value: "", taken_on: "2025-02-30", site: "Lakesyde", source: &"s".repeat(SOURCE_MAX + 1) };
        let p = parse_reading(MeasureKind::Number, &bad, &sites, today()).unwrap_err();
        assert_eq!(p.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["value", "taken_on", "site", "source"]);
        assert_eq!(p[0].message, "The value is missing.");
        assert!(p[2].message.contains("no site called “Lakesyde”"));
        let rating = parse_reading(MeasureKind::Rating, &t, &sites, today()).unwrap_err();
        assert!(rating[0].message.contains("come from consultation rounds"));
        let e = t.parse(MeasureKind::Percentage, &sites, today());
        assert!(e.is_ok());
        let e = ReadingTyped { value: "101", ..t }.parse(MeasureKind::Percentage, &sites, today()).unwrap_err();
        assert_eq!(e.kept("value").as_deref(), Some("101"));
        assert_eq!(field_message(&e, "value").as_deref(), Some("The value “101” is not a percentage from 0 to 100."));
        assert_eq!(e.for_field("value").as_deref(), Some("There is a problem. The reading was not added."));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn pasted_csv_is_checked_line_by_line_and_all_or_nothing() {
        let sites = vec![Choice { id: 4, label: "Lakeside Surgery".into() }];
        let ok = "date,value,site,source\n31/01/2025,24,Lakeside Surgery,Practice audit\n\n2025-02-28,20\n\"2025-03-31\",\"1,250\",,\"Audit, March\"\n";
        let rows = parse_csv(MeasureKind::Number, ok, &sites, today()).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0],
            ReadingFields {
                value: 24.0,
                taken_on: "2025-01-31".into(),
                site_id: Some(4),
                source: "Practice audit".into()
            }
        );
        assert_eq!((rows[2].value, rows[2].source.as_str()), (1250.0, "Audit, March"));
        let no_header = "31/01/2025,61%\n28/02/2025,64.5";
        assert_eq!(parse_csv(MeasureKind::Percentage, no_header, &sites, today()).unwrap().len(), 2);
        let tabs = "31/01/2025\t24\tLakeside Surgery\n28/02/2025\t20";
        assert_eq!(parse_csv(MeasureKind::Number, tabs, &sites, today()).unwrap()[0].site_id, Some(4));

        let bad = "Date,Value\n31/01/2025,24\n31/02/2025,20\n2025-03-31,lots,Nowhere\n1,2,3,4,5\n2025-04-30\n";
        let p = parse_csv(MeasureKind::Number, bad, &sites, today()).unwrap_err();
        let messages: Vec<&str> = p.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "Line 3: the date “31/02/2025” is not a real day.",
                "Line 4: the value “lots” is not a number. Write it in digits, for example 24 or 3.5.",
                "Line 4: there is no site called “Nowhere”: check the spelling against the list of sites.",
                "Line 5: it has 5 columns, but a reading has at most 4: date, value, site and source. If a source has a comma in it, put the source in double quotes.",
                "Line 6: the value is missing.",
            ]
        );
        assert!(p.iter().all(|p| p.field == "csv"));
        let gaps = "2025-01-01,1\n\n\r\n\n2025-02-30,2\n   \n2025-03-01,x";
        let p = parse_csv(MeasureKind::Number, gaps, &sites, today()).unwrap_err();
        assert!(p[0].message.starts_with("Line 5: "), "{}", p[0].message);
        assert!(p[1].message.starts_with("Line 7: "), "{}", p[1].message);

        let many: String = (0..=CSV_ROWS_MAX).map(|_| "2025-01-01,1\n").collect();
        let p = parse_csv(MeasureKind::Number, &many, &sites, today()).unwrap_err();
        assert_eq!(p.len(), 1);
        assert!(p[0].message.contains("2,001 readings"), "{}", p[0].message);
        let exactly: String = (0..CSV_ROWS_MAX).map(|_| "2025-01-01,1\n").collect();
        assert_eq!(parse_csv(MeasureKind::Number, &exactly, &sites, today()).unwrap().len(), CSV_ROWS_MAX);
        assert!(parse_csv(MeasureKind::Number, "  \n ", &sites, today()).unwrap_err()[0].message.contains("missing"));
        assert!(parse_csv(MeasureKind::Number, "date,value\n", &sites, today()).unwrap_err()[0]
            .message
            .contains("only column names"));
        assert!(parse_csv(MeasureKind::Rating, ok, &sites, today()).is_err());
        let huge = "x".repeat(crate::evaluation::CSV_BYTES_MAX + 1);
        assert!(parse_csv(MeasureKind::Number, &huge, &sites, today()).unwrap_err()[0].message.contains("too long"));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn an_uploaded_file_is_utf8_text_of_a_paste_s_size_and_its_problems_name_the_file_input() {
        assert_eq!(file_text(b"\xEF\xBB\xBFdate,value\n2025-01-31,4\n"), Ok("date,value\n2025-01-31,4\n"));
        assert!(file_text(b"").unwrap_err().contains("Choose a CSV file"));
        assert!(file_text(b"2025-01-31,\xA34\n").unwrap_err().contains("CSV UTF-8"));
        assert!(file_text(b"PK\x03\x04\0\0").unwrap_err().contains("not a CSV file"));
        let huge = vec![b'1'; crate::evaluation::CSV_BYTES_MAX + 1];
        assert!(file_text(&huge).unwrap_err().contains("too large"));
        let e =
            refusal(vec![Problem::new("csv", "Line 2: no date."), Problem::new("csv", "Line 3: no value.")], "None.");
        let e = as_field(e, "csv", "file");
        assert_eq!(
            problems(&e),
            vec![("file".into(), "Line 2: no date.".into()), ("file".into(), "Line 3: no value.".into())]
        );
        assert!(matches!(as_field(AppError::NotFound, "csv", "file"), AppError::NotFound));
    }

    #[test]
    fn values_and_dates_read_naturally() {
        use MeasureKind::*;
        assert_eq!(fmt_number(1250.0), "1,250");
        assert_eq!(fmt_number(1_234_567.891), "1,234,567.89");
        assert_eq!(fmt_number(3.5), "3.5");
        assert_eq!(fmt_number(-2.0), "-2");
        assert_eq!(fmt_number(-0.001), "0");
        assert_eq!(fmt_number(0.1 + 0.2), "0.3");
        assert_eq!(count(2000), "2,000");
        assert_eq!(with_unit(Number, "days", 24.0), "24 days");
        assert_eq!(with_unit(Number, "days", 1.0), "1 day");
        assert_eq!(with_unit(Number, "bus", 1.0), "1 bus");
        assert_eq!(with_unit(Number, "", 7.0), "7");
        assert_eq!(with_unit(Percentage, "%", 61.0), "61%");
        assert_eq!(with_unit(Rating, "out of 5", 3.44), "3.4 out of 5");
        assert_eq!(month_year("2025-03-01"), "March 2025");
        assert_eq!(long_date("2025-03-01"), "1 March 2025");
        assert_eq!(short_date("2025-12-09"), "9 Dec 2025");
        assert_eq!(uk_date("2025-03-01"), "01/03/2025");
        assert_eq!(plain_number(28.0), "28");
        assert_eq!(plain_number(61.5), "61.5");
    }

    #[test]
    fn the_summary_says_where_a_measure_is() {
        use MeasureKind::*;
        let days = |b: Option<(f64, &str)>, points: &[ChartPoint]| {
            summary(Number, "days", b, Some(7.0), Some("2026-12-01"), points)
        };
        let base = Some((28.0, "2025-03-10"));
        assert_eq!(
            days(base, &[point("2025-06-01", 24.0), point("2026-10-01", 9.0)]),
            "Down from 28 to 9 days since March 2025; target 7 by December 2026."
        );
        assert_eq!(
            days(base, &[point("2025-05-02", 24.0)]),
            "Baseline 28 days (March 2025); 1 reading so far: 24 days (May 2025); target 7 by December 2026."
        );
        assert_eq!(days(base, &[]), "Baseline 28 days (March 2025); no readings yet; target 7 by December 2026.");
        assert_eq!(days(None, &[]), "No readings yet; target 7 days by December 2026.");
        assert_eq!(summary(Number, "days", None, None, None, &[]), "No readings yet.");
        assert_eq!(
            summary(Number, "days", None, None, None, &[point("2025-01-05", 30.0), point("2025-04-05", 30.0)]),
            "Unchanged at 30 days since the first reading in January 2025."
        );
        assert_eq!(
            summary(
                Percentage,
                "%",
                Some((61.0, "2025-03-01")),
                Some(80.0),
                None,
                &[point("2025-04-01", 70.0), point("2025-05-01", 74.0)]
            ),
            "Up from 61% to 74% since March 2025; target 80%."
        );
        assert_eq!(
            summary(Rating, "out of 5", None, None, None, &[point("2025-05-01", 3.1), point("2025-09-01", 3.8)]),
            "Up from 3.1 to 3.8 out of 5 since the first round in May 2025."
        );
        assert_eq!(summary(Rating, "out of 5", None, None, None, &[]), "No ratings from consultation rounds yet.");
        assert_eq!(
            summary(Number, "", None, None, None, &[point("2025-05-01", 3.0)]),
            "1 reading so far: 3 (May 2025)."
        );
    }

    #[test]
    fn progress_follows_the_direction() {
        use {Direction::*, MeasureKind::*};
        assert_eq!(
            progress(Number, "days", Lower, Some(7.0), Some(9.0)).as_deref(),
            Some("2 days to go to the target.")
        );
        assert_eq!(
            progress(Number, "days", Lower, Some(7.0), Some(8.0)).as_deref(),
            Some("1 day to go to the target.")
        );
        assert_eq!(progress(Number, "days", Lower, Some(7.0), Some(7.0)).as_deref(), Some("Target met."));
        assert_eq!(progress(Number, "days", Lower, Some(7.0), Some(5.0)).as_deref(), Some("Target met."));
        assert_eq!(
            progress(Number, "days", Higher, Some(7.0), Some(5.0)).as_deref(),
            Some("2 days to go to the target.")
        );
        assert_eq!(
            progress(Percentage, "%", Higher, Some(80.0), Some(74.0)).as_deref(),
            Some("6 percentage points to go to the target.")
        );
        assert_eq!(progress(Percentage, "%", Higher, Some(80.0), Some(80.001)).as_deref(), Some("Target met."));
        assert_eq!(
            progress(Rating, "out of 5", Higher, Some(4.0), Some(3.62)).as_deref(),
            Some("0.4 on the 1 to 5 scale to go to the target.")
        );
        assert_eq!(progress(Number, "", Higher, Some(10.0), Some(7.0)).as_deref(), Some("3 to go to the target."));
        assert_eq!(progress(Number, "days", Lower, None, Some(7.0)), None);
        assert_eq!(progress(Number, "days", Lower, Some(7.0), None), None);
    }
}
