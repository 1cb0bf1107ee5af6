//! Sites and roll-out: the places services are delivered (`/settings/sites`, kept by
//! facilitators), each adopted prototype's roll-out across them (`/prototypes/{id}/rollout`,
//! changed by the design group) and the whole picture (`/rollout`, for every account).
//!
//! Here: the wire types and the limits. The pure rules (which status may follow which,
//! dates, the progress line, when a plan may start) are in `rules`; reading a pasted CSV of
//! sites is in `import`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod import;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod views;

use serde::{Deserialize, Serialize};

pub use rules::{may_move, next_statuses, plan_allowed};

/// Sites on one page of `/settings/sites`.
pub const SITES_PAGE_SIZE: i64 = 50;
/// Retired sites listed under the ones in use (they are few; the filters narrow them).
pub const RETIRED_SHOWN: i64 = 200;
/// Sites (rows) on one page of `/rollout`.
pub const OVERVIEW_PAGE_SIZE: i64 = 50;
/// Prototypes (columns) `/rollout` shows at most: beyond this a table is unreadable anyway.
pub const OVERVIEW_COLUMNS: i64 = 30;
/// Sites offered as checkboxes on a plan's "add sites" form.
pub const OFFERED_MAX: i64 = 500;
/// Sites in one prototype's plan, at most (a bound on the plan page and on one request's writes).
pub const PLAN_MAX: i64 = 2_000;
/// Areas and kinds offered as filter choices.
pub const CHOICES_MAX: i64 = 200;
/// Rows one CSV import may add.
pub const IMPORT_MAX_ROWS: usize = 1_000;
pub const NAME_MAX: usize = 120;
pub const KIND_MAX: usize = 60;
pub const AREA_MAX: usize = 60;
pub const NOTE_MAX: usize = 500;

/// A prototype's status at one site (see `rules::may_move` for the moves allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RolloutStatus {
    Planned,
    Live,
    Paused,
    Stopped,
}

impl RolloutStatus {
    pub const ALL: [RolloutStatus; 4] =
        [RolloutStatus::Planned, RolloutStatus::Live, RolloutStatus::Paused, RolloutStatus::Stopped];
    pub fn as_str(self) -> &'static str {
        match self {
            RolloutStatus::Planned => "planned",
            RolloutStatus::Live => "live",
            RolloutStatus::Paused => "paused",
            RolloutStatus::Stopped => "stopped",
        }
    }
    pub fn parse(s: &str) -> Option<RolloutStatus> {
        RolloutStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            RolloutStatus::Planned => "Planned",
            RolloutStatus::Live => "Live",
            RolloutStatus::Paused => "Paused",
            RolloutStatus::Stopped => "Stopped",
        }
    }
}

/// An open stage of the pipeline, as the plan rule reads it (its name for the message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenStage {
    pub name: String,
    pub position: i64,
}

/// A place services are delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub area: String,
    pub retired: bool,
}

/// `/settings/sites`: one page of sites in use matching the filters, the retired ones
/// matching them, and the filter choices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SitesView {
    pub sites: Vec<Site>,
    pub retired: Vec<Site>,
    pub areas: Vec<String>,
    pub kinds: Vec<String>,
    pub page: i64,
    pub has_more: bool,
}

/// How many sites of a plan are at each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub planned: i64,
    pub live: i64,
    pub paused: i64,
    pub stopped: i64,
}

impl StatusCounts {
    /// Every site in the plan, whatever its status.
    pub fn total(&self) -> i64 {
        self.planned + self.live + self.paused + self.stopped
    }
    pub fn of(&self, s: RolloutStatus) -> i64 {
        match s {
            RolloutStatus::Planned => self.planned,
            RolloutStatus::Live => self.live,
            RolloutStatus::Paused => self.paused,
            RolloutStatus::Stopped => self.stopped,
        }
    }
}

/// One site in a prototype's plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanEntry {
    pub site: Site,
    pub status: RolloutStatus,
    /// The day the current status began, as people read it ("1 Mar 2027").
    pub since: String,
    /// The first day it went live, kept through pauses.
    pub live_on: Option<String>,
    pub note: String,
    /// The statuses it may move to next (empty for nobody: every status has a next one).
    pub next: Vec<RolloutStatus>,
}

/// `/prototypes/{id}/rollout`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanView {
    pub prototype: i64,
    pub title: String,
    /// The stage the prototype is at.
    pub stage: String,
    /// Whether that stage allows a roll-out plan (the last open stage or any later one).
    pub plan_allowed: bool,
    /// The stage from which a plan may start ("Implementing" by default).
    pub plan_stage: Option<String>,
    /// The viewer may change the plan (the design group and facilitators).
    pub can_edit: bool,
    pub entries: Vec<PlanEntry>,
    pub counts: StatusCounts,
    /// "15 of 48 GP practices live".
    pub progress: String,
    /// Sites in use not yet in the plan, by area then name (for editors only; else empty).
    pub available: Vec<Site>,
    /// Sites not in the plan beyond those offered (`OFFERED_MAX`).
    pub more_available: i64,
    /// Today in the UK, `YYYY-MM-DD`: the date forms start from.
    pub today: String,
}

/// A prototype with a roll-out plan: a column of `/rollout`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewColumn {
    pub id: i64,
    pub title: String,
}

/// A site: a row of `/rollout`; `cells` line up with the columns (`None`: not in that plan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewRow {
    pub site: Site,
    pub cells: Vec<Option<RolloutStatus>>,
}

/// `/rollout`: which prototype has which status at which site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverviewView {
    pub columns: Vec<OverviewColumn>,
    /// Prototypes with a plan left out of the table (beyond `OVERVIEW_COLUMNS`).
    pub more_columns: i64,
    pub rows: Vec<OverviewRow>,
    pub areas: Vec<String>,
    pub kinds: Vec<String>,
    pub page: i64,
    pub has_more: bool,
    pub total_sites: i64,
    pub live_sites: i64,
    /// "15 of 48 sites have a service live".
    pub count_line: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_with_plain_labels() {
        for s in RolloutStatus::ALL {
            assert_eq!(RolloutStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(RolloutStatus::parse("Live"), None, "stored lower case only");
        assert_eq!(RolloutStatus::Paused.label(), "Paused");
        let c = StatusCounts { planned: 1, live: 2, paused: 3, stopped: 4 };
        assert_eq!(c.total(), 10);
        assert_eq!(c.of(RolloutStatus::Paused), 3);
    }
}
