//! Views from the roll-out store's rows: the plan page with its progress line and the moves
//! each site may make, and the overview's table lined up by column. Plain functions, tested below.

use super::{
    rules::{common_kind, day_label, live_sites_line, next_statuses, plan_allowed, plan_stage, progress_line, tally},
    store::{OverviewHeadRow, OverviewRowRow, PlanPageRow, SiteJson, SiteRow},
    OverviewColumn, OverviewRow, OverviewView, PlanEntry, PlanView, RolloutStatus, Site,
};

pub fn site(r: SiteRow) -> Site {
    Site { id: r.id, name: r.name, kind: r.kind, area: r.area, retired: r.retired }
}

fn site_json(r: SiteJson) -> Site {
    Site { id: r.id, name: r.name, kind: r.kind, area: r.area, retired: r.retired != 0 }
}

/// What the plan page needs besides the row: the prototype's id, whether the viewer may
/// edit (only editors are offered the sites not in the plan), and today (`YYYY-MM-DD`).
pub fn plan(prototype: i64, r: PlanPageRow, can_edit: bool, today: String) -> PlanView {
    let positions: Vec<i64> = r.open_stages.0.iter().map(|s| s.position).collect();
    let allowed = plan_allowed(r.stage_position, &positions);
    let start = plan_stage(&r.open_stages.0).map(|s| s.name.clone());
    // A status the database cannot hold is skipped rather than shown wrongly.
    let entries: Vec<PlanEntry> = r
        .sites
        .0
        .into_iter()
        .filter_map(|e| {
            let status = RolloutStatus::parse(&e.status)?;
            Some(PlanEntry {
                site: site_json(e.site),
                status,
                since: day_label(&e.since),
                live_on: e.live_on.as_deref().map(day_label),
                note: e.note,
                next: next_statuses(Some(status)),
            })
        })
        .collect();
    let counts = tally(entries.iter().map(|e| e.status));
    let kind = common_kind(entries.iter().map(|e| e.site.kind.as_str()));
    let progress = progress_line(counts.live, counts.total(), kind);
    let (available, more_available) = if can_edit {
        let offered: Vec<Site> = r.available.0.into_iter().map(site_json).collect();
        let more = (r.available_total - offered.len() as i64).max(0);
        (offered, more)
    } else {
        (Vec::new(), 0)
    };
    PlanView {
        prototype,
        title: r.title,
        stage: r.stage_name,
        plan_allowed: allowed,
        plan_stage: start,
        can_edit,
        entries,
        counts,
        progress,
        available,
        more_available,
        today,
    }
}

/// The overview: `rows` holds up to `size + 1` sites (the extra one says a page follows).
pub fn overview(head: OverviewHeadRow, rows: Vec<OverviewRowRow>, page: i64, size: i64) -> OverviewView {
    let columns: Vec<OverviewColumn> =
        head.columns.0.into_iter().map(|c| OverviewColumn { id: c.id, title: c.title }).collect();
    let has_more = rows.len() as i64 > size;
    let rows = rows
        .into_iter()
        .take(size as usize)
        .map(|r| {
            let cells = columns
                .iter()
                .map(|c| r.cells.0.iter().find(|x| x.prototype == c.id).and_then(|x| RolloutStatus::parse(&x.status)))
                .collect();
            OverviewRow { site: Site { id: r.id, name: r.name, kind: r.kind, area: r.area, retired: r.retired }, cells }
        })
        .collect();
    OverviewView {
        more_columns: (head.column_total - columns.len() as i64).max(0),
        columns,
        rows,
        areas: head.areas.0,
        kinds: head.kinds.0,
        page,
        has_more,
        total_sites: head.total_sites,
        live_sites: head.live_sites,
        count_line: live_sites_line(head.live_sites, head.total_sites),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        json_column::Json,
        rollout::{
            store::{CellJson, ColumnJson, PlanSiteJson},
            OpenStage,
        },
    };

    fn sj(id: i64, kind: &str) -> SiteJson {
        SiteJson { id, name: format!("Site {id}"), kind: kind.into(), area: "North".into(), retired: 0 }
    }

    fn entry(id: i64, kind: &str, status: &str) -> PlanSiteJson {
        PlanSiteJson {
            site: sj(id, kind),
            status: status.into(),
            since: "2027-03-01".into(),
            live_on: (status == "live").then(|| "2027-03-01".to_string()),
            note: String::new(),
        }
    }

    fn row(stage_position: i64, sites: Vec<PlanSiteJson>) -> PlanPageRow {
        PlanPageRow {
            title: "Evening line".into(),
            stage_name: "Implementing".into(),
            stage_position,
            open_stages: Json(vec![
                OpenStage { name: "Testing".into(), position: 4 },
                OpenStage { name: "Implementing".into(), position: 7 },
            ]),
            sites: Json(sites),
            available: Json(vec![sj(9, "hub")]),
            available_total: 3,
        }
    }

    #[test]
    fn a_plan_reads_its_progress_and_next_moves() {
        let v = plan(
            5,
            row(
                7,
                vec![
                    entry(1, "GP practice", "live"),
                    entry(2, "GP practice", "planned"),
                    entry(3, "GP practice", "nonsense"),
                ],
            ),
            true,
            "2027-03-02".into(),
        );
        assert!(v.plan_allowed);
        assert_eq!(v.plan_stage.as_deref(), Some("Implementing"));
        assert_eq!(v.entries.len(), 2, "an unreadable status is skipped");
        assert_eq!(v.progress, "1 of 2 GP practices live");
        assert_eq!(v.entries[0].since, "1 Mar 2027");
        assert_eq!(v.entries[0].live_on.as_deref(), Some("1 Mar 2027"));
        assert_eq!(v.entries[1].next, vec![RolloutStatus::Live, RolloutStatus::Stopped]);
        assert_eq!((v.available.len(), v.more_available), (1, 2));

        let member =
            plan(5, row(4, vec![entry(1, "GP practice", "live"), entry(2, "hub", "paused")]), false, "x".into());
        assert!(!member.plan_allowed);
        assert!(member.available.is_empty(), "only editors are offered sites");
        assert_eq!(member.progress, "1 of 2 sites live", "mixed kinds are sites");
    }

    #[test]
    fn the_overview_lines_cells_up_with_columns() {
        let head = OverviewHeadRow {
            columns: Json(vec![ColumnJson { id: 3, title: "A".into() }, ColumnJson { id: 1, title: "B".into() }]),
            column_total: 4,
            total_sites: 2,
            live_sites: 1,
            areas: Json(vec!["North".into()]),
            kinds: Json(vec!["hub".into()]),
        };
        let site = |id: i64, cells: Vec<CellJson>| OverviewRowRow {
            id,
            name: format!("Site {id}"),
            kind: "hub".into(),
            area: "North".into(),
            retired: false,
            cells: Json(cells),
        };
        let rows = vec![
            site(
                1,
                vec![
                    CellJson { prototype: 1, status: "live".into() },
                    CellJson { prototype: 7, status: "planned".into() },
                ],
            ),
            site(2, vec![]),
            site(3, vec![]),
        ];
        let v = overview(head, rows, 0, 2);
        assert!(v.has_more);
        assert_eq!(v.rows.len(), 2);
        assert_eq!(v.rows[0].cells, vec![None, Some(RolloutStatus::Live)]);
        assert_eq!(v.rows[1].cells, vec![None, None]);
        assert_eq!(v.more_columns, 2);
        assert_eq!(v.count_line, "1 of 2 sites have a service live");
    }
}
