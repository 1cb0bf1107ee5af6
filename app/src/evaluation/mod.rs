//! Outcome measures (`/prototypes/{id}/measures`): what a prototype is judged by — a
//! number (days waited), a percentage, or a lived-experience rating of one experience
//! statement — with its unit, direction, baseline and target, and dated readings. Readings
//! are typed one at a time or pasted as CSV by the design group; a rating's values are the
//! mean ratings of its statement in the prototype's closed consultation rounds.
//!
//! Here: the wire types and limits. The form parsers, the summary sentence and the
//! formatting of values and dates are in `rules`; the SVG chart in `chart`.

pub mod api;
pub mod chart;
pub mod pages;
pub mod period;
pub mod report;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod upload;
#[cfg(feature = "ssr")]
pub mod views;

use serde::{Deserialize, Serialize};

pub use crate::library::Choice;

/// A measure's name: one line.
pub const NAME_MAX: usize = 120;
/// How it is measured (Markdown).
pub const METHOD_MAX: usize = 5_000;
/// A number's unit ("days", "people").
pub const UNIT_MAX: usize = 30;
/// Where a reading or a baseline comes from.
pub const SOURCE_MAX: usize = 300;
/// Readings pasted at once.
pub const CSV_ROWS_MAX: usize = 2_000;
/// The pasted text, in bytes: 2,000 generous lines, and a bound on the work one post makes.
pub const CSV_BYTES_MAX: usize = 256 * 1024;
/// Readings one measure holds: years of weekly figures, and a chart and table that stay
/// quick to draw on a cheap phone.
pub const READINGS_MAX: i64 = 5_000;
/// A list of measures and a report show a measure's readings one by one up to this many;
/// past it, each month's mean (with how many readings it holds). The measure's own page
/// always lists every reading.
pub const READINGS_LISTED: i64 = 60;
/// The largest number a reading may be, either side of zero.
pub const NUMBER_LIMIT: f64 = 1e12;
/// The units percentages and ratings always have.
pub const PERCENT_UNIT: &str = "%";
pub const RATING_UNIT: &str = "out of 5";
pub use crate::days::{EARLIEST_YEAR, YEARS_AHEAD};

/// What a measure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MeasureKind {
    Number,
    Percentage,
    /// The mean rating (1–5) of one experience statement across the prototype's rounds.
    Rating,
}

impl MeasureKind {
    pub const ALL: [MeasureKind; 3] = [MeasureKind::Number, MeasureKind::Percentage, MeasureKind::Rating];
    pub fn as_str(self) -> &'static str {
        match self {
            MeasureKind::Number => "number",
            MeasureKind::Percentage => "percentage",
            MeasureKind::Rating => "rating",
        }
    }
    pub fn parse(s: &str) -> Option<MeasureKind> {
        MeasureKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            MeasureKind::Number => "A number",
            MeasureKind::Percentage => "A percentage",
            MeasureKind::Rating => "A lived-experience rating",
        }
    }
    /// What the choice means, beside its radio button.
    pub fn hint(self) -> &'static str {
        match self {
            MeasureKind::Number => "For example days waited, or people seen in a month.",
            MeasureKind::Percentage => "From 0 to 100, for example the share of people seen within a week.",
            MeasureKind::Rating => {
                "How people rated one experience statement (1 to 5) in this prototype's consultation rounds. Its values come from the rounds: nobody types them."
            }
        }
    }
}

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    Higher,
    Lower,
}

impl Direction {
    pub const ALL: [Direction; 2] = [Direction::Higher, Direction::Lower];
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
        }
    }
    pub fn parse(s: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Direction::Higher => "Higher is better",
            Direction::Lower => "Lower is better",
        }
    }
}

/// One dated value on a chart: a reading, or a round's mean rating. `date` is 'YYYY-MM-DD'.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartPoint {
    pub date: String,
    pub value: f64,
}

/// What the chart draws: the points in date order, and the baseline and target lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartData {
    pub kind: MeasureKind,
    pub unit: String,
    pub points: Vec<ChartPoint>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
}

/// A typed or imported reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadingItem {
    pub id: i64,
    /// 'YYYY-MM-DD'.
    pub taken_on: String,
    /// "3 March 2025".
    pub date: String,
    pub value: f64,
    /// "24 days", "61%".
    pub shown: String,
    pub site: Option<String>,
    pub source: String,
    /// 1, or how many readings a month's mean is of (`READINGS_LISTED`).
    pub readings: i64,
}

/// A closed consultation round's ratings of a rating measure's statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundRating {
    pub round_id: i64,
    pub title: String,
    /// The day it closed, 'YYYY-MM-DD', and as people read it.
    pub closed_on: String,
    pub date: String,
    /// `None` when fewer than `suppression::MIN_GROUP` people rated it: too few to show.
    pub mean: Option<f64>,
    /// The number of ratings, when there are enough to show the mean.
    pub ratings: Option<i64>,
    /// "3.4 out of 5" or "Fewer than 5 ratings".
    pub shown: String,
}

/// A measure as its card and page show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureCard {
    pub id: i64,
    pub name: String,
    pub kind: MeasureKind,
    pub unit: String,
    pub direction: Direction,
    /// A rating's experience statement, in full.
    pub statement: Option<String>,
    /// "28 days (3 March 2025)".
    pub baseline: Option<String>,
    pub baseline_source: String,
    /// "7 days by 31 December 2026".
    pub target: Option<String>,
    /// Typed readings, oldest first (none for a rating); each month's mean when `by_month`.
    pub readings: Vec<ReadingItem>,
    /// The readings are summarised by month: there are more than `READINGS_LISTED`.
    pub by_month: bool,
    /// All the measure's readings.
    pub reading_count: i64,
    /// A rating's rounds, oldest first.
    pub rounds: Vec<RoundRating>,
    /// A rating whose values this viewer may not see (they are results summaries, shared
    /// with members of the collaborative).
    pub ratings_hidden: bool,
    /// "Down from 28 to 9 days since March 2025; target 7 by December 2026."
    pub summary: String,
    /// "Target met." / "2 days to go to the target."
    pub progress: Option<String>,
    pub chart: ChartData,
}

/// `/prototypes/{id}/measures`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasuresView {
    pub prototype_id: i64,
    pub prototype_title: String,
    pub stage: String,
    /// The viewer may add, edit and delete measures and readings.
    pub can_edit: bool,
    pub measures: Vec<MeasureCard>,
    /// Experience statements a rating may use (editors only).
    pub statements: Vec<Choice>,
}

/// The measure form's values as text, as the edit form starts (and the add form, empty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MeasureFormValues {
    pub name: String,
    pub method: String,
    pub kind: String,
    pub unit: String,
    pub direction: String,
    pub statement: String,
    pub baseline: String,
    pub baseline_on: String,
    pub baseline_source: String,
    pub target: String,
    pub target_on: String,
}

/// `/prototypes/{id}/measures/{measure}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureDetail {
    pub prototype_id: i64,
    pub prototype_title: String,
    pub stage: String,
    pub can_edit: bool,
    pub measure: MeasureCard,
    /// How it is measured, rendered and sanitised.
    pub method_html: String,
    /// For editors: the edit form's values, the statements and the sites to choose from.
    pub form: Option<MeasureFormValues>,
    pub statements: Vec<Choice>,
    pub sites: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_directions_round_trip() {
        for k in MeasureKind::ALL {
            assert_eq!(MeasureKind::parse(k.as_str()), Some(k));
            assert!(!k.label().is_empty());
        }
        for d in Direction::ALL {
            assert_eq!(Direction::parse(d.as_str()), Some(d));
        }
        assert_eq!(MeasureKind::parse("Number"), None);
        assert_eq!(Direction::parse(""), None);
        assert_eq!(Direction::Lower.label(), "Lower is better");
    }
}
