//! Sites pasted as CSV (`name,kind,area`, an optional header whose first cell is "name"),
//! checked row by row before anything is written: every problem is reported with its line
//! number, so a facilitator can correct the whole file in one go. Pure (the sites already
//! stored come in as their `name_key`s); tests below.

use std::collections::{HashMap, HashSet};

use super::{
    rules::{name_key, parse_site_area, parse_site_kind, parse_site_name, SiteFields},
    IMPORT_MAX_ROWS,
};

/// The most text one import reads: 1,000 rows of the longest fields, with room for quoting.
pub const IMPORT_MAX_BYTES: usize = 512 * 1024;
/// Problems described in full in a refusal; beyond these only their line numbers are given
/// (the refusal travels back to the form in a URL, so it must stay small).
pub const DETAILED_MAX: usize = 100;

/// A problem on one line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    pub line: u64,
    pub message: String,
}

/// A site read from a row, with the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: u64,
    pub site: SiteFields,
}

fn problem(line: u64, message: impl Into<String>) -> LineProblem {
    LineProblem { line, message: message.into() }
}

/// One line's cells, trimmed (`None` if it is not CSV at all). Lines are split here rather
/// than by the CSV reader so every problem carries the line people see in their editor,
/// whatever line endings the browser sent and however many blank lines there are.
fn cells(line: &str) -> Option<csv::StringRecord> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(line.as_bytes());
    match reader.records().next() {
        None => Some(csv::StringRecord::new()),
        Some(Ok(r)) => Some(r),
        Some(Err(_)) => None,
    }
}

/// Reads the pasted text. `existing` holds the `name_key` of every site already stored
/// (retired ones too: a name stays taken). All rows, or every problem found.
pub fn read(text: &str, existing: &HashSet<String>) -> Result<Vec<ImportRow>, Vec<LineProblem>> {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    // name_key → the line it is first on.
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut first = true;
    for (i, text_line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = i as u64 + 1;
        let Some(record) = cells(text_line) else {
            problems.push(problem(line, "This line could not be read as CSV. Check its quotes."));
            continue;
        };
        // A line of spaces or bare commas is no row.
        if record.iter().all(str::is_empty) {
            continue;
        }
        let is_header = first && record.get(0).is_some_and(|c| c.eq_ignore_ascii_case("name"));
        first = false;
        if is_header {
            continue;
        }
        if rows.len() + problems.len() >= IMPORT_MAX_ROWS {
            return Err(vec![problem(
                line,
                "The file has more than 1,000 sites. Please import at most 1,000 at a time.",
            )]);
        }
        if record.len() > 3 {
            problems.push(problem(
                line,
                format!(
                    "It has {} columns, but a row is name, kind, area. A name with a comma in it goes in double quotes.",
                    record.len()
                ),
            ));
            continue;
        }
        let cell = |n: usize| record.get(n).unwrap_or("");
        let (name, kind, area) = (parse_site_name(cell(0)), parse_site_kind(cell(1)), parse_site_area(cell(2)));
        let mut said: Vec<String> = Vec::new();
        for field in [&name, &kind, &area] {
            if let Err(e) = field {
                said.push(e.to_string());
            }
        }
        if let Ok(n) = &name {
            let key = name_key(n);
            if existing.contains(&key) {
                said.push(format!("There is already a site called “{n}”."));
            } else if let Some(earlier) = seen.get(&key) {
                said.push(format!("“{n}” is also on line {earlier}: each site once, please."));
            } else {
                seen.insert(key, line);
            }
        }
        match (name, kind, area) {
            (Ok(name), Ok(kind), Ok(area)) if said.is_empty() => {
                rows.push(ImportRow { line, site: SiteFields { name, kind, area } })
            }
            _ => problems.push(problem(line, said.join(" "))),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if rows.is_empty() {
        return Err(vec![problem(1, "There are no sites in it. Please paste one site a line: name, kind, area.")]);
    }
    Ok(rows)
}

/// A refusal for the form: a first line saying what happened, then one line per problem
/// ("Line 4: …"), the first `DETAILED_MAX` in full and the rest by line number.
pub fn refusal(problems: &[LineProblem]) -> String {
    let lines = problems.iter().map(|p| p.line).collect::<HashSet<_>>().len();
    let mut out = match lines {
        1 => "Nothing was imported: one line has a problem. Please correct it and import again.".to_string(),
        n => format!("Nothing was imported: {n} lines have problems. Please correct them and import again."),
    };
    for p in problems.iter().take(DETAILED_MAX) {
        out.push_str(&format!("\nLine {}: {}", p.line, p.message));
    }
    if problems.len() > DETAILED_MAX {
        let rest: Vec<String> = problems[DETAILED_MAX..].iter().map(|p| p.line.to_string()).collect();
        out.push_str(&format!("\nThere are problems on lines {} too.", rest.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> HashSet<String> {
        HashSet::new()
    }

    #[test]
    fn rows_with_or_without_a_header() {
        let rows = read("name,kind,area\nLakeside Surgery,GP practice,North\n\n\"Hub, the\",hub,\n", &none()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].site.name, "Lakeside Surgery");
        assert_eq!(rows[1].line, 4, "blank lines keep their numbers");
        assert_eq!(rows[1].site.name, "Hub, the");
        assert_eq!(rows[1].site.area, "");
        let rows = read("Lakeside Surgery , GP practice\r\nRiver Team,team,South\r\n", &none()).unwrap();
        assert_eq!((rows.len(), rows[0].site.kind.as_str(), rows[1].line), (2, "GP practice", 2));
        assert!(read("Name,Kind,Area\n", &none()).is_err(), "a header alone is no import");
        assert!(read("  \n", &none()).is_err());
    }

    #[test]
    fn every_problem_is_reported_by_line() {
        let existing: HashSet<String> = ["lakeside surgery".to_string()].into();
        let text = "name,kind,area\n\
                    LAKESIDE SURGERY,GP practice,North\n\
                    ,hub,\n\
                    River Team,team,South\n\
                    river  team,team,South\n\
                    Far Clinic\n\
                    A,b,c,d\n\
                    Good One,hub,East\n";
        let problems = read(text, &existing).unwrap_err();
        let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 3, 5, 6, 7]);
        assert!(problems[0].message.contains("already a site called"));
        assert!(problems[1].message.contains("give the site a name"));
        assert!(problems[2].message.contains("also on line 4"), "{}", problems[2].message);
        assert!(problems[3].message.contains("what kind of site"));
        assert!(problems[4].message.contains("4 columns"));
        let both = read(",\"\"\n", &none());
        assert!(both.is_err());
        let two = read(&format!(",{}\n", "k".repeat(61)), &none()).unwrap_err();
        assert!(two[0].message.contains("a name") && two[0].message.contains("at most 60"), "{}", two[0].message);
    }

    #[test]
    fn at_most_a_thousand_rows() {
        let ok: String = (0..IMPORT_MAX_ROWS).map(|i| format!("Site {i},hub,\n")).collect();
        assert_eq!(read(&ok, &none()).unwrap().len(), IMPORT_MAX_ROWS);
        let too_many = format!("name,kind,area\n{ok}One more,hub,\n");
        let p = read(&too_many, &none()).unwrap_err();
        assert_eq!(p.len(), 1);
        assert!(p[0].message.contains("more than 1,000"));
        assert_eq!(IMPORT_MAX_ROWS, 1_000, "the message names the limit");
    }

    #[test]
    fn refusals_list_lines_and_stay_small() {
        let one = refusal(&[problem(3, "Please give the site a name.")]);
        assert_eq!(one, "Nothing was imported: one line has a problem. Please correct it and import again.\nLine 3: Please give the site a name.");
        let many: Vec<LineProblem> = (1..=DETAILED_MAX as u64 + 3).map(|l| problem(l, "x")).collect();
        let r = refusal(&many);
        assert!(r.starts_with(&format!("Nothing was imported: {} lines", DETAILED_MAX + 3)));
        assert_eq!(r.lines().count(), DETAILED_MAX + 2);
        assert!(r.ends_with(&format!("lines {}, {}, {} too.", DETAILED_MAX + 1, DETAILED_MAX + 2, DETAILED_MAX + 3)));
    }
}
