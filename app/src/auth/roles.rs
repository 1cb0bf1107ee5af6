//! Roles (what a person may do) and perspectives (who they speak as). Perspectives never
//! grant permissions; they only drive breakdowns and lived-experience quorum later.

use serde::{Deserialize, Serialize};

/// Permission level, lowest first, so `role >= Role::Member` reads as "member and up".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    Contributor,
    Member,
    DesignGroup,
    Facilitator,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Contributor, Role::Member, Role::DesignGroup, Role::Facilitator];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Contributor => "contributor",
            Role::Member => "member",
            Role::DesignGroup => "design_group",
            Role::Facilitator => "facilitator",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Contributor => "Contributor",
            Role::Member => "Collaborative member",
            Role::DesignGroup => "Design group",
            Role::Facilitator => "Facilitator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Perspective {
    ServiceUser,
    Carer,
    Practitioner,
    Commissioner,
    VoluntarySector,
    Other,
}

impl Perspective {
    pub const ALL: [Perspective; 6] = [
        Perspective::ServiceUser,
        Perspective::Carer,
        Perspective::Practitioner,
        Perspective::Commissioner,
        Perspective::VoluntarySector,
        Perspective::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Perspective::ServiceUser => "service_user",
            Perspective::Carer => "carer",
            Perspective::Practitioner => "practitioner",
            Perspective::Commissioner => "commissioner",
            Perspective::VoluntarySector => "voluntary_sector",
            Perspective::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Perspective::ServiceUser => "Service user (lived experience)",
            Perspective::Carer => "Carer",
            Perspective::Practitioner => "Practitioner",
            Perspective::Commissioner => "Commissioner",
            Perspective::VoluntarySector => "Voluntary sector",
            Perspective::Other => "Other",
        }
    }

    pub fn parse(s: &str) -> Option<Perspective> {
        Perspective::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Service users and carers: the voices lived-experience rules count.
    pub fn is_lived_experience(self) -> bool {
        matches!(self, Perspective::ServiceUser | Perspective::Carer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_order() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert!(Role::Facilitator > Role::DesignGroup);
        assert!(Role::DesignGroup > Role::Member);
        assert!(Role::Member > Role::Contributor);
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn perspectives_round_trip() {
        for p in Perspective::ALL {
            assert_eq!(Perspective::parse(p.as_str()), Some(p));
        }
        assert!(Perspective::Carer.is_lived_experience());
        assert!(!Perspective::Commissioner.is_lived_experience());
    }
}
