//! Our own SVG line chart of a measure: readings (or a rating's rounds) by date, with the
//! baseline and target as labelled horizontal lines. Rendered on the server; classes only
//! (the CSP allows no inline styles), styled in `style/evaluation.css`. Meaning never rests
//! on colour: the baseline is dashed, the target dotted, and each is labelled in words.
//! The geometry is pure functions, tested below; the page puts the data table beside it.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

use super::{
    rules::{fmt_number, long_date, short_date, short_month, with_unit},
    ChartData, MeasureKind,
};

/// The drawing's size in SVG units (it scales to its box).
pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 300.0;
/// Room for the value labels on the left and the dates below.
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;
/// How many value ticks to aim for, and date labels at most.
const Y_TICKS: usize = 5;
const X_LABELS: usize = 6;

/// A linear map from a domain (values, or days) to a range (SVG units).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl Scale {
    /// Where `v` falls; the middle of the range when the domain is one point.
    pub fn at(&self, v: f64) -> f64 {
        let ((d0, d1), (r0, r1)) = (self.domain, self.range);
        if (d1 - d0).abs() < f64::EPSILON {
            (r0 + r1) / 2.0
        } else {
            r0 + (v - d0) / (d1 - d0) * (r1 - r0)
        }
    }
}

/// A day as a number (days from the common era), for the x scale.
pub fn day_number(iso: &str) -> Option<i64> {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok().map(|d| i64::from(d.num_days_from_ce()))
}

fn from_day_number(n: i64) -> Option<NaiveDate> {
    i32::try_from(n).ok().and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// A round step near `span / count`: 1, 2, 2.5 or 5 times a power of ten.
pub fn nice_step(span: f64, count: usize) -> f64 {
    let raw = span / count.max(1) as f64;
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let nice = match raw / magnitude {
        n if n <= 1.0 => 1.0,
        n if n <= 2.0 => 2.0,
        n if n <= 2.5 => 2.5,
        n if n <= 5.0 => 5.0,
        _ => 10.0,
    };
    nice * magnitude
}

/// Round ticks covering `lo..=hi`: the first at or below `lo`, the last at or above `hi`.
pub fn nice_ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let step = nice_step(hi - lo, count);
    let start = (lo / step).floor();
    let end = (hi / step).ceil().max(start + 1.0);
    // Whole multiples of the step, so 0.1 × 3 prints as 0.3.
    (0..=((end - start) as usize).min(50)).map(|i| (start + i as f64) * step).map(|v| clean(v, step)).collect()
}

/// `v` without floating-point dust, to the precision the step needs.
fn clean(v: f64, step: f64) -> f64 {
    let places = (-step.log10().floor()).max(0.0) as i32 + 1;
    let f = 10f64.powi(places);
    let r = (v * f).round() / f;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// The value axis: ticks covering every point, the baseline and the target, with some room
/// above and below. A percentage stays within 0–100; a rating shows its whole 1–5 scale; a
/// measure that is never negative does not dip below 0.
pub fn y_ticks(kind: MeasureKind, values: &[f64]) -> Vec<f64> {
    if kind == MeasureKind::Rating {
        return vec![1.0, 2.0, 3.0, 4.0, 5.0];
    }
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let (min, max) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    if min > max {
        return nice_ticks(0.0, 1.0, Y_TICKS);
    }
    let span = max - min;
    let pad = if span > 0.0 { span * 0.1 } else { (max.abs() * 0.1).max(1.0) };
    let (mut lo, mut hi) = (min - pad, max + pad);
    if min >= 0.0 {
        lo = lo.max(0.0);
    }
    if kind == MeasureKind::Percentage {
        hi = hi.min(100.0);
    }
    let mut ticks = nice_ticks(lo, hi, Y_TICKS);
    if kind == MeasureKind::Percentage {
        ticks.retain(|t| (0.0..=100.0).contains(t));
    }
    ticks
}

/// Date labels: the first of each month in `first..=last` (every few months, so at most six),
/// or, within one month, the first and last days themselves.
pub fn x_ticks(first: i64, last: i64) -> Vec<(i64, String)> {
    let (Some(a), Some(b)) = (from_day_number(first), from_day_number(last)) else {
        return Vec::new();
    };
    let mut months = Vec::new();
    let mut m = NaiveDate::from_ymd_opt(a.year(), a.month(), 1);
    while let Some(d) = m {
        if d > b {
            break;
        }
        if d >= a {
            months.push(d);
        }
        m = d.checked_add_months(chrono::Months::new(1));
    }
    if months.is_empty() {
        let label = |d: NaiveDate| short_date(&d.format("%Y-%m-%d").to_string());
        let mut ticks = vec![(first, label(a))];
        if last != first {
            ticks.push((last, label(b)));
        }
        return ticks;
    }
    let step = months.len().div_ceil(X_LABELS);
    months.into_iter().step_by(step).map(|d| (i64::from(d.num_days_from_ce()), short_month(d))).collect()
}

/// One point as drawn, with what it says in words.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotPoint {
    pub x: f64,
    pub y: f64,
    pub label: String,
}

/// A labelled horizontal line (baseline or target).
#[derive(Debug, Clone, PartialEq)]
pub struct Guide {
    pub y: f64,
    /// Where its words go (above the line, or below when the other line is close).
    pub label_y: f64,
    pub label: String,
}

/// Everything the SVG draws, in SVG units.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    /// The polyline's `points`.
    pub line: String,
    pub points: Vec<PlotPoint>,
    pub baseline: Option<Guide>,
    pub target: Option<Guide>,
    pub y_ticks: Vec<(f64, String)>,
    pub x_ticks: Vec<(f64, String)>,
}

/// The plot area's edges.
pub fn plot_area() -> (f64, f64, f64, f64) {
    (LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM)
}

/// The chart's geometry, or `None` with no points to draw.
pub fn plot(data: &ChartData) -> Option<Plot> {
    let dated: Vec<(i64, f64, &str)> = data
        .points
        .iter()
        .filter(|p| p.value.is_finite())
        .filter_map(|p| day_number(&p.date).map(|d| (d, p.value, p.date.as_str())))
        .collect();
    if dated.is_empty() {
        return None;
    }
    let (left, right, top, bottom) = plot_area();
    let first = dated.iter().map(|p| p.0).min().unwrap_or_default();
    let last = dated.iter().map(|p| p.0).max().unwrap_or_default();
    let x = Scale { domain: (first as f64, last as f64), range: (left + 8.0, right - 8.0) };
    let mut values: Vec<f64> = dated.iter().map(|p| p.1).collect();
    values.extend(data.baseline);
    values.extend(data.target);
    let ticks = y_ticks(data.kind, &values);
    let (lo, hi) = (ticks.first().copied().unwrap_or(0.0), ticks.last().copied().unwrap_or(1.0));
    let y = Scale { domain: (lo, hi), range: (bottom, top) };
    let points: Vec<PlotPoint> = dated
        .iter()
        .map(|&(d, v, iso)| PlotPoint {
            x: x.at(d as f64),
            y: y.at(v),
            label: format!("{}: {}", long_date(iso), with_unit(data.kind, &data.unit, v)),
        })
        .collect();
    let line = points.iter().map(|p| format!("{:.1},{:.1}", p.x, p.y)).collect::<Vec<_>>().join(" ");
    let guide = |v: f64, what: &str| {
        let at = y.at(v);
        // Words above the line, unless that would leave the drawing.
        let label_y = if at - 5.0 < 12.0 { at + 14.0 } else { at - 5.0 };
        Guide { y: at, label_y, label: format!("{what}: {}", with_unit(data.kind, &data.unit, v)) }
    };
    let mut baseline = data.baseline.filter(|v| v.is_finite()).map(|v| guide(v, "Baseline"));
    let mut target = data.target.filter(|v| v.is_finite()).map(|v| guide(v, "Target"));
    // Two lines close together: the lower one's words go below it, so neither hides the other.
    if let (Some(b), Some(t)) = (&mut baseline, &mut target) {
        if (b.y - t.y).abs() < 16.0 {
            let lower = if t.y >= b.y { t } else { b };
            lower.label_y = lower.y + 14.0;
        }
    }
    let tick_label = |v: f64| match data.kind {
        MeasureKind::Percentage => format!("{}%", fmt_number(v)),
        _ => fmt_number(v),
    };
    Some(Plot {
        line,
        points,
        baseline,
        target,
        y_ticks: ticks.iter().map(|&v| (y.at(v), tick_label(v))).collect(),
        x_ticks: x_ticks(first, last).into_iter().map(|(d, label)| (x.at(d as f64), label)).collect(),
    })
}

fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// The chart of one measure. `id` makes its title's and description's ids unique on the
/// page; `summary` is the sentence that says in words what it shows. Nothing without points.
#[component]
pub fn MeasureChart(id: String, name: String, summary: String, data: ChartData) -> impl IntoView {
    plot(&data).map(|p| {
        let (left, right, top, bottom) = plot_area();
        let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
        let y_ticks = p
            .y_ticks
            .into_iter()
            .map(|(y, label)| {
                view! {
                    <line class="chart-grid" x1=n(left) x2=n(right) y1=n(y) y2=n(y)></line>
                    <text class="chart-tick chart-tick-y" x=n(left - 6.0) y=n(y + 4.0)>{label}</text>
                }
            })
            .collect_view();
        let x_ticks = p
            .x_ticks
            .into_iter()
            .map(|(x, label)| {
                view! {
                    <line class="chart-axis" x1=n(x) x2=n(x) y1=n(bottom) y2=n(bottom + 5.0)></line>
                    <text class="chart-tick chart-tick-x" x=n(x) y=n(bottom + 20.0)>{label}</text>
                }
            })
            .collect_view();
        let guide = |g: Option<Guide>, class: &'static str, label_class: &'static str| {
            g.map(|g| {
                view! {
                    <line class=class x1=n(left) x2=n(right) y1=n(g.y) y2=n(g.y)></line>
                    <text class=label_class x=n(right - 4.0) y=n(g.label_y)>{g.label}</text>
                }
            })
        };
        let baseline = guide(p.baseline, "chart-baseline", "chart-label chart-label-end");
        let target = guide(p.target, "chart-target", "chart-label chart-label-end");
        let points = p
            .points
            .into_iter()
            .map(|pt| {
                view! {
                    <circle class="chart-point" cx=n(pt.x) cy=n(pt.y) r="4">
                        <title>{pt.label}</title>
                    </circle>
                }
            })
            .collect_view();
        let (labelled_by, described_by) = (title_id.clone(), desc_id.clone());
        view! {
            <svg
                class="chart measure-chart"
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                preserveAspectRatio="xMinYMin meet"
                role="img"
                aria-labelledby=labelled_by
                aria-describedby=described_by
            >
                <title id=title_id>{format!("Chart of “{name}” over time")}</title>
                <desc id=desc_id>{format!("{summary} The table with the chart lists the same values.")}</desc>
                {y_ticks}
                <line class="chart-axis" x1=n(left) x2=n(left) y1=n(top) y2=n(bottom)></line>
                <line class="chart-axis" x1=n(left) x2=n(right) y1=n(bottom) y2=n(bottom)></line>
                {x_ticks}
                {baseline}
                {target}
                <polyline class="chart-line" points=p.line></polyline>
                {points}
            </svg>
        }
        .into_any()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::ChartPoint;

    fn data(kind: MeasureKind, points: &[(&str, f64)], baseline: Option<f64>, target: Option<f64>) -> ChartData {
        ChartData {
            kind,
            unit: if kind == MeasureKind::Number { "days".into() } else { String::new() },
            points: points.iter().map(|(d, v)| ChartPoint { date: d.to_string(), value: *v }).collect(),
            baseline,
            target,
        }
    }

    #[test]
    fn steps_and_ticks_are_round_numbers() {
        assert_eq!(nice_step(100.0, 5), 20.0);
        assert_eq!(nice_step(23.0, 5), 5.0);
        assert_eq!(nice_step(1.0, 5), 0.2);
        assert_eq!(nice_step(12.0, 5), 2.5);
        assert_eq!(nice_step(0.0, 5), 1.0);
        assert_eq!(nice_ticks(3.2, 27.8, 5), vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0]);
        assert_eq!(nice_ticks(0.0, 0.5, 5), vec![0.0, 0.1, 0.2, 0.3, 0.4, 0.5]);
        assert_eq!(nice_ticks(-12.0, 12.0, 5), vec![-15.0, -10.0, -5.0, 0.0, 5.0, 10.0, 15.0]);
    }

    #[test]
    fn the_value_axis_includes_baseline_and_target_with_room() {
        let t = y_ticks(MeasureKind::Number, &[24.0, 9.0, 28.0, 7.0]);
        assert!(t.first().unwrap() <= &5.0 && t.last().unwrap() >= &28.0, "{t:?}");
        assert!(*t.first().unwrap() >= 0.0, "never-negative data does not dip below 0: {t:?}");
        let p = y_ticks(MeasureKind::Percentage, &[61.0, 74.0, 98.0]);
        assert!(p.iter().all(|v| (0.0..=100.0).contains(v)), "{p:?}");
        assert_eq!(*p.last().unwrap(), 100.0);
        assert_eq!(y_ticks(MeasureKind::Rating, &[3.4]), vec![1.0, 2.0, 3.0, 4.0, 5.0]);
        let flat = y_ticks(MeasureKind::Number, &[10.0]);
        assert!(flat.first().unwrap() < &10.0 && flat.last().unwrap() > &10.0, "{flat:?}");
        let negative = y_ticks(MeasureKind::Number, &[-5.0, 5.0]);
        assert!(*negative.first().unwrap() <= -5.0, "{negative:?}");
        assert_eq!(y_ticks(MeasureKind::Number, &[]), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
    }

    #[test]
    fn dates_are_labelled_by_month_or_by_day() {
        let d = |s: &str| day_number(s).unwrap();
        let ticks = x_ticks(d("2025-01-15"), d("2025-04-20"));
        assert_eq!(ticks.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(), ["Feb 2025", "Mar 2025", "Apr 2025"]);
        let years = x_ticks(d("2024-01-01"), d("2026-12-31"));
        assert!(years.len() <= X_LABELS, "{years:?}");
        assert_eq!(years[0].1, "Jan 2024");
        let within = x_ticks(d("2025-03-03"), d("2025-03-20"));
        assert_eq!(within.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(), ["3 Mar 2025", "20 Mar 2025"]);
        assert_eq!(x_ticks(d("2025-03-03"), d("2025-03-03")).len(), 1);
    }

    #[test]
    fn points_are_placed_by_date_and_value() {
        let p = plot(&data(
            MeasureKind::Number,
            &[("2025-01-01", 30.0), ("2025-07-02", 20.0), ("2025-12-31", 10.0)],
            Some(28.0),
            Some(7.0),
        ))
        .unwrap();
        let (left, right, top, bottom) = plot_area();
        assert_eq!(p.points.len(), 3);
        assert!((p.points[0].x - (left + 8.0)).abs() < 1e-9);
        assert!((p.points[2].x - (right - 8.0)).abs() < 1e-9);
        // Later dates further right, higher values further up (smaller y).
        assert!(p.points[1].x > p.points[0].x && p.points[1].x < p.points[2].x);
        assert!(p.points[0].y < p.points[1].y && p.points[1].y < p.points[2].y);
        assert!(p.points.iter().all(|pt| pt.y >= top && pt.y <= bottom));
        assert_eq!(p.points[0].label, "1 January 2025: 30 days");
        assert_eq!(p.line.split(' ').count(), 3);
        let b = p.baseline.unwrap();
        let t = p.target.unwrap();
        assert!(b.y < t.y, "the higher baseline is drawn above the target");
        assert_eq!((b.label.as_str(), t.label.as_str()), ("Baseline: 28 days", "Target: 7 days"));
        assert!(p.y_ticks.iter().any(|(_, l)| l == "0"), "{:?}", p.y_ticks);
    }

    #[test]
    fn one_point_sits_in_the_middle_and_no_points_draw_nothing() {
        let p = plot(&data(MeasureKind::Percentage, &[("2025-05-01", 61.0)], None, None)).unwrap();
        let (left, right, ..) = plot_area();
        assert!((p.points[0].x - (left + right) / 2.0).abs() < 1e-9);
        assert!(p.y_ticks.iter().all(|(_, l)| l.ends_with('%')));
        assert_eq!(p.x_ticks.len(), 1);
        assert!(plot(&data(MeasureKind::Number, &[], Some(3.0), None)).is_none());
        assert!(plot(&data(MeasureKind::Number, &[("not a date", 3.0)], None, None)).is_none());
    }

    #[test]
    fn close_lines_keep_their_labels_apart() {
        let p = plot(&data(MeasureKind::Number, &[("2025-01-01", 0.0), ("2025-02-01", 100.0)], Some(50.0), Some(49.0)))
            .unwrap();
        let (b, t) = (p.baseline.unwrap(), p.target.unwrap());
        assert!((b.label_y - t.label_y).abs() >= 14.0, "{b:?} {t:?}");
    }
}
