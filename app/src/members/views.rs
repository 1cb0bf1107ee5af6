//! The members page's view of the store's rows.

use super::{store::MemberRow, Member};
use crate::auth::{Perspective, Role};

/// A member as the page lists them: their role (an unknown one reads as the least), their
/// declared perspectives in a known form.
pub fn member(r: MemberRow) -> Member {
    Member {
        id: r.id,
        display_name: r.display_name,
        email: r.email,
        role: Role::parse(&r.role).unwrap_or(Role::Contributor),
        active: r.active,
        perspectives: r.perspectives.unwrap_or_default().split(',').filter_map(Perspective::parse).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_perspectives_are_read_from_the_row() {
        let row = |role: &str, perspectives: Option<&str>| MemberRow {
            id: 1,
            display_name: "Sam".into(),
            email: "sam@lab.test".into(),
            role: role.into(),
            active: true,
            perspectives: perspectives.map(Into::into),
        };
        let m = member(row("design_group", Some("carer,service_user,nonsense")));
        assert_eq!(m.role, Role::DesignGroup);
        assert_eq!(m.perspectives, [Perspective::Carer, Perspective::ServiceUser]);
        let m = member(row("wizard", None));
        assert_eq!(m.role, Role::Contributor);
        assert!(m.perspectives.is_empty());
    }
}
