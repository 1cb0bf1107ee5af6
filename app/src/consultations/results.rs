//! Results, as pure functions over stored answers: distributions, means, the perspective
//! breakdown with small groups merged, and what an export may show under each consent.

use serde::{Deserialize, Serialize};

use super::Consent;

/// No group in a breakdown may describe fewer people than this.
pub const MIN_GROUP: usize = 5;

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
    /// Free-text answers (design group and facilitators only).
    pub texts: Vec<TextAnswer>,
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
    pub held: i64,
    pub questions: Vec<QuestionResult>,
    pub breakdown: Breakdown,
    pub theme_counts: Vec<(String, i64)>,
    pub previous_round: Option<(i64, String)>,
    /// The full results (free text, coding, export) rather than the members' summary.
    pub full: bool,
    pub iterations: Vec<i64>,
}

pub fn mean(values: &[i64]) -> Option<f64> {
    (!values.is_empty()).then(|| (values.iter().sum::<i64>() as f64 / values.len() as f64 * 10.0).round() / 10.0)
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

/// Merges every group of fewer than `MIN_GROUP` people into one "other perspectives"
/// group. If even that is too small it is not shown at all, only counted, so nobody can be
/// picked out. People may be in several groups (they can declare several perspectives).
pub fn merge_small_groups(groups: Vec<(String, Vec<i64>)>) -> (Vec<(String, Vec<i64>)>, i64) {
    let (big, small): (Vec<_>, Vec<_>) = groups.into_iter().filter(|(_, p)| !p.is_empty()).partition(|(_, p)| p.len() >= MIN_GROUP);
    let mut merged: Vec<i64> = small.iter().flat_map(|(_, p)| p.iter().copied()).collect();
    merged.sort_unstable();
    merged.dedup();
    let mut out = big;
    let mut suppressed = 0;
    if merged.len() >= MIN_GROUP {
        let names: Vec<&str> = small.iter().map(|(l, _)| l.as_str()).collect();
        out.push((format!("Other perspectives together ({})", names.join(", ")), merged));
    } else {
        suppressed = merged.len() as i64;
    }
    (out, suppressed)
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
    fn small_groups_are_merged_or_suppressed() {
        let g = |l: &str, ids: std::ops::Range<i64>| (l.to_string(), ids.collect::<Vec<_>>());
        let (rows, hidden) = merge_small_groups(vec![g("Service user", 0..6), g("Carer", 10..13), g("Commissioner", 20..22)]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, "Service user");
        assert_eq!(rows[1].1.len(), 5, "3 carers + 2 commissioners merged");
        assert!(rows[1].0.contains("Carer") && rows[1].0.contains("Commissioner"));
        assert_eq!(hidden, 0);

        let (rows, hidden) = merge_small_groups(vec![g("Service user", 0..6), g("Carer", 10..12)]);
        assert_eq!(rows.len(), 1, "two carers cannot be shown even merged");
        assert_eq!(hidden, 2);

        // The same person in two small groups counts once.
        let (rows, hidden) = merge_small_groups(vec![g("Carer", 0..3), g("Other", 1..4)]);
        assert!(rows.is_empty());
        assert_eq!(hidden, 4);
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
