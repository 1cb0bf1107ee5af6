//! Results, as pure functions over stored answers: distributions, means, the perspective
//! breakdown with small groups merged, and what an export may show under each consent.

use serde::{Deserialize, Serialize};

use super::Consent;

/// No group in a breakdown, nor everyone outside it, may describe fewer people than this.
pub const MIN_GROUP: usize = crate::suppression::MIN_GROUP;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    pub label: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub id: i64,
    pub prompt: String,
    pub kind: super::QuestionKind,
    pub answered: i64,
    /// Counts per scale point or option (empty for free text and statement ratings).
    pub bars: Vec<Bar>,
    pub mean: Option<f64>,
    /// Per statement: label, this round's mean, the previous round's mean.
    pub ratings: Vec<(String, Option<f64>, Option<f64>)>,
    /// Free-text answers (design group and facilitators only), one page of them.
    pub texts: Vec<TextAnswer>,
    /// More free-text answers follow on the next page.
    pub more_texts: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextAnswer {
    pub answer_id: i64,
    pub response_id: i64,
    pub text: String,
    pub who: String,
    pub themes: Vec<String>,
    pub outcome: super::Outcome,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    pub label: String,
    pub people: i64,
    /// Means per rated item, in `Breakdown::items` order; None when nobody in the group rated it.
    pub means: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub items: Vec<String>,
    pub rows: Vec<GroupRow>,
    /// People in groups too small to show even when merged.
    pub suppressed: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundResults {
    pub round: super::RoundSummary,
    pub responses: i64,
    /// Responses held for a moderator: for the design group only (to members, even the
    /// number would say that triage held someone's words).
    pub held: Option<i64>,
    pub questions: Vec<QuestionResult>,
    pub breakdown: Breakdown,
    pub theme_counts: Vec<(String, i64)>,
    pub previous_round: Option<(i64, String)>,
    /// The full results (free text, coding, export) rather than the members' summary.
    pub full: bool,
    pub iterations: Vec<i64>,
    /// Which page of free-text answers this is (from 0), `TEXTS_PER_PAGE` a page.
    pub page: i64,
}

/// Free-text answers shown per question on one results page.
pub const TEXTS_PER_PAGE: i64 = 50;

pub fn mean(values: &[i64]) -> Option<f64> {
    mean_of(values.len() as i64, values.iter().sum())
}

/// The mean of `count` values adding up to `total`, to one decimal (as `mean`).
pub fn mean_of(count: i64, total: i64) -> Option<f64> {
    (count > 0).then(|| (total as f64 / count as f64 * 10.0).round() / 10.0)
}

/// Counts of each value in `0..n`.
pub fn counts(values: &[i64], n: usize) -> Vec<i64> {
    let mut c = vec![0; n];
    for &v in values {
        if let Some(slot) = usize::try_from(v).ok().and_then(|i| c.get_mut(i)) {
            *slot += 1;
        }
    }
    c
}

/// The perspective breakdown's rows under complementary suppression (see
/// `crate::suppression`): people with several perspectives in a cell of their own, a group
/// shown only when it and everyone outside it are each at least `MIN_GROUP`, the rest merged
/// into one row that is large enough too, or nothing at all. Returns the rows and how many
/// people are in no row (everyone, when nothing can be shown).
pub fn merge_small_groups(groups: Vec<(String, Vec<i64>)>) -> (Vec<(String, Vec<i64>)>, i64) {
    crate::suppression::breakdown(groups)
}

/// One rated item's mean per breakdown row, given the ratings of the people in each row who
/// rated it. The rows cover everyone, and the question's overall mean and count are shown,
/// so a mean over too few raters, or one whose hiding leaves too few raters elsewhere, would
/// give a lone respondent's rating by subtraction: those means are left out the same way.
pub fn row_means(ratings: &[Vec<i64>]) -> Vec<Option<f64>> {
    row_means_of(&ratings.iter().map(|v| (v.len() as i64, v.iter().sum())).collect::<Vec<_>>())
}

/// `row_means` from each row's (count, total) of ratings, as SQL aggregates them.
pub fn row_means_of(ratings: &[(i64, i64)]) -> Vec<Option<f64>> {
    let shown = crate::suppression::shown_cells(&ratings.iter().map(|r| r.0 as usize).collect::<Vec<_>>());
    ratings.iter().zip(shown).map(|(&(n, total), show)| if show { mean_of(n, total) } else { None }).collect()
}

/// What an export may show of one contribution: `None` leaves it out; otherwise the name
/// to show, if any. For publication only quotable words go out, named only when the
/// person chose `quote_with_name` and did not answer anonymously.
pub fn export_view(consent: Consent, anonymous: bool, name: Option<&str>, publication: bool) -> Option<Option<String>> {
    let named = name.filter(|_| !anonymous).map(str::to_string);
    if publication {
        match consent {
            Consent::DesignGroupOnly => None,
            Consent::QuoteAnonymously => Some(None),
            Consent::QuoteWithName => Some(named),
        }
    } else {
        Some(named)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_and_counts() {
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[3, 4, 4]), Some(3.7));
        assert_eq!(counts(&[0, 2, 2, 9, -1], 3), vec![1, 0, 2], "out-of-range values are ignored");
    }

    #[test]
    fn small_groups_are_merged_so_that_nobody_is_recovered_by_subtraction() {
        let g = |l: &str, ids: std::ops::Range<i64>| (l.to_string(), ids.collect::<Vec<_>>());
        let (rows, hidden) =
            merge_small_groups(vec![g("Service user", 0..6), g("Carer", 10..13), g("Commissioner", 20..22)]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, "Service user");
        assert_eq!(rows[1].1.len(), 5, "3 carers + 2 commissioners merged");
        assert!(rows[1].0.contains("Carer") && rows[1].0.contains("Commissioner"));
        assert_eq!(hidden, 0);

        // Six service users and two carers: showing the six gives the two by subtraction.
        let (rows, hidden) = merge_small_groups(vec![g("Service user", 0..6), g("Carer", 10..12)]);
        assert!(rows.is_empty(), "{rows:?}");
        assert_eq!(hidden, 8);

        // The same person in two small groups counts once.
        let (rows, hidden) = merge_small_groups(vec![g("Carer", 0..3), g("Other", 1..4)]);
        assert!(rows.is_empty());
        assert_eq!(hidden, 4);
    }

    #[test]
    fn a_rated_items_mean_is_left_out_when_it_or_the_rest_has_too_few_raters() {
        // Two rows of six people; only one person in the second rated this item: the
        // overall mean minus the first row's would be that person's rating.
        assert_eq!(row_means(&[vec![4; 6], vec![1]]), vec![None, None]);
        assert_eq!(row_means(&[vec![4; 6], vec![2; 5]]), vec![Some(4.0), Some(2.0)]);
        assert_eq!(row_means(&[vec![4; 6], vec![2; 5], vec![]]), vec![Some(4.0), Some(2.0), None]);
    }

    #[test]
    fn exports_honour_consent() {
        use Consent::*;
        // For publication: design-group-only words never leave; names only when chosen.
        assert_eq!(export_view(DesignGroupOnly, false, Some("Ann"), true), None);
        assert_eq!(export_view(QuoteAnonymously, false, Some("Ann"), true), Some(None));
        assert_eq!(export_view(QuoteWithName, false, Some("Ann"), true), Some(Some("Ann".into())));
        assert_eq!(export_view(QuoteWithName, true, Some("Ann"), true), Some(None), "answered anonymously");
        assert_eq!(export_view(QuoteWithName, false, None, true), Some(None), "a visitor has no name");
        // For the design group's own analysis every answer is there, names only if not anonymous.
        assert_eq!(export_view(DesignGroupOnly, false, Some("Ann"), false), Some(Some("Ann".into())));
        assert_eq!(export_view(DesignGroupOnly, true, Some("Ann"), false), Some(None));
    }
}
