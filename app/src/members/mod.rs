//! Members: the facilitator's view of who is in the collaborative, their roles,
//! invitations, deactivation and whether anyone may register.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod views;

use serde::{Deserialize, Serialize};

use crate::auth::{Perspective, Role};

pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    pub perspectives: Vec<Perspective>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembersPage {
    pub members: Vec<Member>,
    pub page: i64,
    pub has_more: bool,
    pub total: i64,
    pub open_registration: bool,
}

/// The last-facilitator rule: a change that would leave no active facilitator is refused,
/// so the collaborative can never lock itself out of managing members.
pub fn leaves_a_facilitator(
    active_facilitators: i64,
    target_is_active_facilitator: bool,
    target_stays_active_facilitator: bool,
) -> bool {
    !target_is_active_facilitator || target_stays_active_facilitator || active_facilitators > 1
}

#[cfg(test)]
mod tests {
    use super::leaves_a_facilitator;

    #[test]
    fn the_last_facilitator_cannot_be_removed() {
        assert!(!leaves_a_facilitator(1, true, false));
        assert!(leaves_a_facilitator(2, true, false));
        assert!(leaves_a_facilitator(1, true, true));
        assert!(leaves_a_facilitator(1, false, false));
    }
}
