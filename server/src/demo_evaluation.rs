//! `seed-demo`'s evaluation data (issue 12): 48 GP practices and a hub, the Living Well Hub
//! live at 15 practices and planned at the rest, and outcome measures with a year of monthly
//! readings, so the measures, the roll-out and the report have something real to show.
//! Written straight to the tables in one transaction (the demo's numbers are ours, not a
//! person's input), with each roll-out change on the prototype's timeline as the app would.

use app::{
    prototypes::timeline::{record_event, NewEvent},
    state::Db,
};

use crate::cli::CliError;

/// Four areas of a fictional borough, twelve practices each.
const AREAS: [&str; 4] = ["Northfield", "Riverside Central", "Eastgate", "Westmoor"];
const PRACTICE_NAMES: [&str; 12] = [
    "Abbey",
    "Brook Lane",
    "Castle Street",
    "Dale View",
    "Elm Tree",
    "Fairfield",
    "Green Park",
    "High Street",
    "Kingsway",
    "Lakeside",
    "Mill House",
    "Orchard",
];

/// (name, method, kind, unit, direction, baseline, target, monthly readings from December 2025)
type DemoMeasure = (&'static str, &'static str, &'static str, &'static str, &'static str, f64, f64, [f64; 12]);

const DEMO_MEASURES: [DemoMeasure; 2] = [
    (
        "Days waited for a first appointment",
        "The median number of calendar days between a person first asking for help (phone, text or walk-in) and their first appointment with a guide, from the Hub's booking system, each month.",
        "number",
        "days",
        "lower",
        28.0,
        7.0,
        [26.0, 25.0, 22.0, 20.0, 18.0, 15.0, 14.0, 12.0, 11.0, 10.0, 9.0, 9.0],
    ),
    (
        "People supported in primary care",
        "Of the people referred to secondary mental-health care, the share seen and supported in primary care instead, from the monthly referral audit.",
        "percentage",
        "%",
        "higher",
        31.0,
        60.0,
        [33.0, 35.0, 38.0, 41.0, 43.0, 46.0, 48.0, 50.0, 51.0, 53.0, 55.0, 56.0],
    ),
];

/// Practices live for the Hub (the first 15, as Lambeth began with 15 of 48).
const LIVE: usize = 15;

pub async fn seed(db: &Db, actor: i64) -> Result<(), CliError> {
    let err = |e: sqlx::Error| CliError(e.to_string());
    let now = app::time::now();
    let Some(hub): Option<i64> = sqlx::query_scalar("SELECT id FROM prototypes WHERE title LIKE 'Living Well Hub%'")
        .fetch_optional(&db.read)
        .await
        .map_err(err)?
    else {
        return Ok(());
    };
    let mut tx = db.write.begin().await.map_err(err)?;
    let mut practices = Vec::new();
    for (i, name) in PRACTICE_NAMES.iter().enumerate() {
        for (a, area) in AREAS.iter().enumerate() {
            let site: i64 = sqlx::query_scalar(
                "INSERT INTO sites (name, kind, area, created_at) VALUES (?, 'GP practice', ?, ?) RETURNING id",
            )
            .bind(format!("{name} {} Surgery", ["Medical Centre", "Health Centre", "Practice", "Family"][(i + a) % 4]))
            .bind(area)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(err)?;
            practices.push(site);
        }
    }
    sqlx::query("INSERT INTO sites (name, kind, area, created_at) VALUES ('Living Well Hub, Market Square', 'Hub', 'Riverside Central', ?)")
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    // Planned everywhere in January; the first 15 went live month by month from March.
    for (i, site) in practices.iter().enumerate() {
        let live_on = (i < LIVE).then(|| format!("2026-{:02}-01", 3 + i / 2));
        let (status, since) = match &live_on {
            Some(day) => ("live", day.clone()),
            None => ("planned", "2026-01-15".to_string()),
        };
        sqlx::query(
            "INSERT INTO rollouts (prototype_id, site_id, status, since, live_on, note, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, '', ?, ?)",
        )
        .bind(hub)
        .bind(site)
        .bind(status)
        .bind(&since)
        .bind(&live_on)
        .bind(actor)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        record_event(&mut tx, hub, now, actor, NewEvent::Rollout { site: *site, status, note: "" }).await?;
    }
    for (position, (name, method, kind, unit, direction, baseline, target, readings)) in
        DEMO_MEASURES.iter().enumerate()
    {
        let measure: i64 = sqlx::query_scalar(
            "INSERT INTO measures (prototype_id, name, method, method_html, kind, unit, direction, baseline, baseline_on,
                 baseline_source, target, target_on, position, created_by, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, '2025-11-01', 'The service review, November 2025', ?, '2026-12-31', ?, ?, ?, ?)
             RETURNING id",
        )
        .bind(hub)
        .bind(name)
        .bind(method)
        .bind(app::markdown::render(method))
        .bind(kind)
        .bind(unit)
        .bind(direction)
        .bind(baseline)
        .bind(target)
        .bind(position as i64 + 1)
        .bind(actor)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        for (m, value) in readings.iter().enumerate() {
            let (year, month) = if m == 0 { (2025, 12) } else { (2026, m) };
            sqlx::query(
                "INSERT INTO readings (measure_id, value, taken_on, source, entered_by, entered_at) VALUES (?, ?, ?, 'Monthly service report', ?, ?)",
            )
            .bind(measure)
            .bind(value)
            .bind(format!("{year}-{month:02}-28"))
            .bind(actor)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        }
    }
    // The lived-experience rating of "one plan, one person coordinating", followed across
    // the Hub's consultation rounds.
    sqlx::query(
        "INSERT INTO measures (prototype_id, name, method, method_html, kind, unit, direction, statement_id, target,
             target_on, position, created_by, created_at, updated_at)
         SELECT ?, 'Rating: ' || coalesce(s.short_name, s.text), 'The mean rating (1 to 5) people gave this experience statement in each consultation round on the Hub.',
                '<p>The mean rating (1 to 5) people gave this experience statement in each consultation round on the Hub.</p>',
                'rating', 'out of 5', 'higher', s.id, 4.0, '2026-12-31', 3, ?, ?, ?
         FROM experience_statements s WHERE s.position = 2",
    )
    .bind(hub)
    .bind(actor)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(err)?;
    tx.commit().await.map_err(err)?;
    Ok(())
}
