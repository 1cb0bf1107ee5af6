//! Ground floor: CSV cells that are safe to open in a spreadsheet. Excel, LibreOffice and
//! Google Sheets run a cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage
//! return before one) as a formula, so a visitor's answer `=HYPERLINK("https://evil…")`
//! would become a live link, or worse, on a facilitator's computer. OWASP's remedy: such a
//! cell starts with `'`, which spreadsheets show as text and do not store.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell`, with a leading `'` if a spreadsheet would run it. A plain number (`-3`, `+4.5`)
/// is left alone: it is no formula, and a rating must stay a number.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some(c) if FORMULA_STARTS.contains(&c) && !is_plain_number(cell) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit())
}

/// Writes one record with every cell neutralised: the one way this app writes CSV rows.
#[cfg(feature = "ssr")]
pub fn write_record<W: std::io::Write>(w: &mut csv::Writer<W>, cells: &[String]) -> csv::Result<()> {
    w.write_record(cells.iter().map(|c| neutralise(c).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_become_text() {
        assert_eq!(
            neutralise("=HYPERLINK(\"https://evil.example\",\"Click\")"),
            "'=HYPERLINK(\"https://evil.example\",\"Click\")"
        );
        assert_eq!(neutralise("+1+cmd|' /C calc'!A0"), "'+1+cmd|' /C calc'!A0");
        assert_eq!(neutralise("-2+3"), "'-2+3");
        assert_eq!(neutralise("@SUM(A1:A9)"), "'@SUM(A1:A9)");
        assert_eq!(neutralise("\t=1+1"), "'\t=1+1");
        assert_eq!(neutralise("\r=1+1"), "'\r=1+1");
        assert_eq!(neutralise("- a list item"), "'- a list item");
    }

    #[test]
    fn everything_else_is_unchanged() {
        for cell in [
            "",
            "Nobody answers after 5pm",
            "1 = 1",
            "a@b.org",
            "'already quoted",
            " =leading space",
            "3",
            "4.5",
            "-3",
            "+4",
            "-0.5",
        ] {
            assert_eq!(neutralise(cell), cell, "{cell:?}");
        }
    }

    #[test]
    fn number_look_alikes_are_still_neutralised() {
        for cell in ["-", "+", "-.", "-1.2.3", "-1e5", "-inf", "+NaN"] {
            assert!(neutralise(cell).starts_with('\''), "{cell:?}");
        }
    }
}
