//! Rows into what a viewer sees: values with their units, dates in words, the summary
//! sentence, the chart's data. A rating's rounds are given only to viewers who may read
//! results summaries (`see_ratings`), and a round's mean only when enough people rated.

use super::{
    rules::{self, long_date, plain_number, uk_date, with_unit},
    store::{HeadRow, MeasureRow, RatingRow},
    ChartData, ChartPoint, Choice, Direction, MeasureCard, MeasureDetail, MeasureFormValues, MeasureKind, MeasuresView,
    ReadingItem, RoundRating,
};
use crate::suppression::MIN_GROUP;

fn kind(s: &str) -> MeasureKind {
    MeasureKind::parse(s).unwrap_or(MeasureKind::Number)
}

fn direction(s: &str) -> Direction {
    Direction::parse(s).unwrap_or(Direction::Higher)
}

/// The UK calendar day of an instant, as 'YYYY-MM-DD'.
fn uk_day(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.with_timezone(&chrono_tz::Europe::London).format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn round(r: &RatingRow) -> RoundRating {
    let closed_on = uk_day(r.closed_at);
    let enough = r.mean.is_some() && r.ratings >= MIN_GROUP as i64;
    let mean = r.mean.filter(|_| enough);
    RoundRating {
        round_id: r.round_id,
        title: r.title.clone(),
        date: long_date(&closed_on),
        closed_on,
        mean,
        ratings: enough.then_some(r.ratings),
        shown: match mean {
            Some(m) => with_unit(MeasureKind::Rating, "", m),
            None => format!("Fewer than {MIN_GROUP} ratings"),
        },
    }
}

/// A measure as its card shows it. `ratings` may hold other measures' rounds too.
pub fn card(m: &MeasureRow, ratings: &[RatingRow], see_ratings: bool) -> MeasureCard {
    let kind = kind(&m.kind);
    let direction = direction(&m.direction);
    let unit = m.unit.clone();
    // Months, not readings, when the store summarised them (a month's mean has no one id):
    // each row then says which month and how many readings its mean is of.
    let by_month = m.readings.iter().any(|r| r.id == 0);
    let readings: Vec<ReadingItem> = m
        .readings
        .iter()
        .map(|r| ReadingItem {
            id: r.id,
            date: if by_month { crate::days::month_year(&r.taken_on) } else { long_date(&r.taken_on) },
            taken_on: r.taken_on.clone(),
            value: r.value,
            shown: with_unit(kind, &unit, r.value),
            site: r.site.clone(),
            source: match (by_month, r.readings) {
                (false, _) => r.source.clone(),
                (true, 1) => "The month's one reading".to_string(),
                (true, n) => format!("Mean of the month's {} readings", rules::count(n as usize)),
            },
            readings: r.readings,
        })
        .collect();
    let rating = kind == MeasureKind::Rating;
    let ratings_hidden = rating && !see_ratings;
    let rounds: Vec<RoundRating> = if rating && see_ratings {
        ratings.iter().filter(|r| r.measure_id == m.id).map(round).collect()
    } else {
        Vec::new()
    };
    let points: Vec<ChartPoint> = if rating {
        rounds.iter().filter_map(|r| r.mean.map(|value| ChartPoint { date: r.closed_on.clone(), value })).collect()
    } else {
        readings.iter().map(|r| ChartPoint { date: r.taken_on.clone(), value: r.value }).collect()
    };
    let baseline = m.baseline.zip(m.baseline_on.clone());
    let summary = if ratings_hidden {
        "Ratings from consultation rounds are shared with members of the collaborative.".to_string()
    } else {
        rules::summary(
            kind,
            &unit,
            baseline.as_ref().map(|(v, on)| (*v, on.as_str())),
            m.target,
            m.target_on.as_deref(),
            &points,
        )
    };
    let progress = rules::progress(kind, &unit, direction, m.target, points.last().map(|p| p.value));
    MeasureCard {
        id: m.id,
        name: m.name.clone(),
        kind,
        direction,
        statement: m.statement.clone().filter(|_| rating),
        baseline: baseline.as_ref().map(|(v, on)| format!("{} ({})", with_unit(kind, &unit, *v), long_date(on))),
        baseline_source: m.baseline_source.clone(),
        target: m.target.map(|t| match m.target_on.as_deref() {
            Some(on) => format!("{} by {}", with_unit(kind, &unit, t), long_date(on)),
            None => with_unit(kind, &unit, t),
        }),
        readings,
        by_month,
        reading_count: m.reading_count,
        rounds,
        ratings_hidden,
        summary,
        progress,
        chart: ChartData { kind, unit: unit.clone(), points, baseline: m.baseline, target: m.target },
        unit,
    }
}

/// `/prototypes/{id}/measures`.
pub fn measures(
    head: HeadRow,
    rows: &[MeasureRow],
    ratings: &[RatingRow],
    can_edit: bool,
    see_ratings: bool,
) -> MeasuresView {
    MeasuresView {
        prototype_id: head.id,
        prototype_title: head.title,
        stage: head.stage,
        can_edit,
        measures: rows.iter().map(|m| card(m, ratings, see_ratings)).collect(),
        statements: if can_edit { head.statements.0 } else { Vec::new() },
    }
}

/// The edit form's starting values: what is stored, as a person would type it.
pub fn form_values(m: &MeasureRow) -> MeasureFormValues {
    MeasureFormValues {
        name: m.name.clone(),
        method: m.method.clone(),
        kind: m.kind.clone(),
        unit: m.unit.clone(),
        direction: m.direction.clone(),
        statement: m.statement_id.map(|s| s.to_string()).unwrap_or_default(),
        baseline: m.baseline.map(plain_number).unwrap_or_default(),
        baseline_on: m.baseline_on.as_deref().map(uk_date).unwrap_or_default(),
        baseline_source: m.baseline_source.clone(),
        target: m.target.map(plain_number).unwrap_or_default(),
        target_on: m.target_on.as_deref().map(uk_date).unwrap_or_default(),
    }
}

/// The statements an edit form offers: those in use, and the measure's own if it has been
/// retired since (so saving other changes keeps it).
fn statements_for(head: &HeadRow, m: &MeasureRow) -> Vec<Choice> {
    let mut all = head.statements.0.clone();
    if let (Some(id), Some(text)) = (m.statement_id, m.statement.as_ref()) {
        if !all.iter().any(|c| c.id == id) {
            all.push(Choice { id, label: format!("{text} (retired)") });
        }
    }
    all
}

/// `/prototypes/{id}/measures/{measure}`.
pub fn detail(
    head: HeadRow,
    m: &MeasureRow,
    ratings: &[RatingRow],
    can_edit: bool,
    see_ratings: bool,
) -> MeasureDetail {
    MeasureDetail {
        prototype_id: head.id,
        measure: card(m, ratings, see_ratings),
        method_html: m.method_html.clone(),
        form: can_edit.then(|| form_values(m)),
        statements: if can_edit { statements_for(&head, m) } else { Vec::new() },
        sites: if can_edit { head.sites.0.iter().map(|s| s.label.clone()).collect() } else { Vec::new() },
        prototype_title: head.title,
        stage: head.stage,
        can_edit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{evaluation::store::ReadingRow, json_column::Json};

    fn row(kind: &str) -> MeasureRow {
        MeasureRow {
            id: 3,
            name: "Days waited".into(),
            method: "Counted from referral.".into(),
            method_html: "<p>Counted from referral.</p>".into(),
            kind: kind.into(),
            unit: if kind == "number" { "days".into() } else { String::new() },
            direction: "lower".into(),
            statement_id: (kind == "rating").then_some(8),
            statement: (kind == "rating").then(|| "I can get help when I need it".to_string()),
            statement_retired: (kind == "rating").then_some(true),
            baseline: Some(28.0),
            baseline_on: Some("2025-03-10".into()),
            baseline_source: "Practice audit".into(),
            target: Some(7.0),
            target_on: Some("2026-12-01".into()),
            readings: Json(vec![
                ReadingRow {
                    id: 1,
                    value: 24.0,
                    taken_on: "2025-06-01".into(),
                    site: None,
                    source: String::new(),
                    readings: 1,
                },
                ReadingRow {
                    id: 2,
                    value: 9.0,
                    taken_on: "2026-10-01".into(),
                    site: Some("Hub".into()),
                    source: "Audit".into(),
                    readings: 1,
                },
            ]),
            reading_count: 2,
        }
    }

    fn rating_row(round: i64, ratings: i64, mean: Option<f64>) -> RatingRow {
        RatingRow {
            measure_id: 3,
            round_id: round,
            title: format!("Round {round}"),
            closed_at: 1_799_589_600,
            ratings,
            mean,
        }
    }

    #[test]
    fn a_card_says_where_the_measure_is() {
        let c = card(&row("number"), &[], true);
        assert_eq!(c.summary, "Down from 28 to 9 days since March 2025; target 7 by December 2026.");
        assert_eq!(c.progress.as_deref(), Some("2 days to go to the target."));
        assert_eq!(c.baseline.as_deref(), Some("28 days (10 March 2025)"));
        assert_eq!(c.target.as_deref(), Some("7 days by 1 December 2026"));
        assert_eq!(c.readings[1].shown, "9 days");
        assert_eq!(c.readings[1].date, "1 October 2026");
        assert_eq!(c.chart.points.len(), 2);
        assert_eq!(c.statement, None);
        assert!(!c.by_month);
        // Summarised by the store (many readings): months, each saying what its mean is of.
        let mut many = row("number");
        many.readings.0 = vec![
            ReadingRow {
                id: 0,
                value: 20.5,
                taken_on: "2025-06-28".into(),
                site: None,
                source: String::new(),
                readings: 31,
            },
            ReadingRow {
                id: 0,
                value: 9.0,
                taken_on: "2026-10-02".into(),
                site: None,
                source: String::new(),
                readings: 1,
            },
        ];
        many.reading_count = 32;
        let c = card(&many, &[], true);
        assert!(c.by_month);
        assert_eq!(
            (c.readings[0].date.as_str(), c.readings[0].source.as_str()),
            ("June 2025", "Mean of the month's 31 readings")
        );
        assert_eq!(c.readings[1].source, "The month's one reading");
        assert_eq!(c.summary, "Down from 28 to 9 days since March 2025; target 7 by December 2026.");
        let f = form_values(&row("number"));
        assert_eq!(
            (f.baseline.as_str(), f.baseline_on.as_str(), f.target_on.as_str()),
            ("28", "10/03/2025", "01/12/2026")
        );
    }

    #[test]
    fn a_rating_shows_rounds_with_enough_ratings_only_to_those_who_may_see_them() {
        let mut m = row("rating");
        m.readings = Json(vec![]);
        m.baseline = Some(3.0);
        m.target = Some(4.0);
        m.direction = "higher".into();
        let rounds = [
            rating_row(1, 4, None),
            rating_row(2, 12, Some(3.5)),
            RatingRow { measure_id: 99, ..rating_row(3, 9, Some(1.0)) },
        ];
        let c = card(&m, &rounds, true);
        assert_eq!(c.rounds.len(), 2, "another measure's rounds are not this one's");
        assert_eq!(c.rounds[0].shown, "Fewer than 5 ratings");
        assert_eq!((c.rounds[0].mean, c.rounds[0].ratings), (None, None));
        assert_eq!((c.rounds[1].mean, c.rounds[1].ratings), (Some(3.5), Some(12)));
        assert_eq!(c.rounds[1].shown, "3.5 out of 5");
        assert_eq!(c.chart.points.len(), 1, "only rounds with a mean are drawn");
        assert_eq!(c.statement.as_deref(), Some("I can get help when I need it"));
        assert_eq!(c.progress.as_deref(), Some("0.5 on the 1 to 5 scale to go to the target."));
        // A small group's mean is never shown, even if a row carried one.
        let leaked = card(&m, &[rating_row(4, 3, Some(2.0))], true);
        assert_eq!(leaked.rounds[0].mean, None);
        let hidden = card(&m, &rounds, false);
        assert!(hidden.ratings_hidden && hidden.rounds.is_empty() && hidden.chart.points.is_empty());
        assert_eq!(hidden.progress, None);
        assert!(hidden.summary.contains("shared with members"));
    }
}
