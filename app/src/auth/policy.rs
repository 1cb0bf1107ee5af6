//! Who may do what: the one place permissions are decided. Server functions ask
//! `require(viewer, action)` before touching the store; pages only hide what this denies.

use super::roles::Role;
use crate::error::AppError;

/// Every permission-checked thing a server function does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Anyone, signed in or not (register, sign in, read public pages).
    Public,
    /// Any signed-in person acting on their own account.
    OwnAccount,
    /// Facilitators: members, roles, invitations, registration settings.
    ManageMembers,
    /// Reading published prototypes (those with at least one iteration): every account.
    ReadPublished,
    /// Reading drafts and unpublished prototypes: the design group and facilitators.
    ReadDrafts,
    /// Creating and editing prototypes, publishing iterations, moving stages.
    EditPrototypes,
    /// Stages and experience statements: facilitators.
    ManageSettings,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::Public,
        Action::OwnAccount,
        Action::ManageMembers,
        Action::ReadPublished,
        Action::ReadDrafts,
        Action::EditPrototypes,
        Action::ManageSettings,
    ];
}

/// `viewer` is `None` for a visitor without an account.
pub fn allowed(viewer: Option<Role>, action: Action) -> bool {
    match action {
        Action::Public => true,
        Action::OwnAccount => viewer.is_some(),
        Action::ManageMembers | Action::ManageSettings => viewer == Some(Role::Facilitator),
        Action::ReadPublished => viewer.is_some(),
        Action::ReadDrafts | Action::EditPrototypes => viewer >= Some(Role::DesignGroup),
    }
}

/// `allowed`, as the error a server function returns: visitors are asked to sign in,
/// signed-in people are told they lack permission.
pub fn require(viewer: Option<Role>, action: Action) -> Result<(), AppError> {
    match (allowed(viewer, action), viewer) {
        (true, _) => Ok(()),
        (false, None) => Err(AppError::NotSignedIn),
        (false, Some(_)) => Err(AppError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole table: each action × visitor and each role.
    #[test]
    fn permission_table() {
        use Role::*;
        let viewers = [None, Some(Contributor), Some(Member), Some(DesignGroup), Some(Facilitator)];
        let table: [(Action, [bool; 5]); 7] = [
            (Action::Public, [true, true, true, true, true]),
            (Action::OwnAccount, [false, true, true, true, true]),
            (Action::ManageMembers, [false, false, false, false, true]),
            (Action::ReadPublished, [false, true, true, true, true]),
            (Action::ReadDrafts, [false, false, false, true, true]),
            (Action::EditPrototypes, [false, false, false, true, true]),
            (Action::ManageSettings, [false, false, false, false, true]),
        ];
        assert_eq!(table.len(), Action::ALL.len(), "every action is in the table");
        for (action, expected) in table {
            for (viewer, want) in viewers.iter().zip(expected) {
                assert_eq!(allowed(*viewer, action), want, "{action:?} for {viewer:?}");
            }
        }
    }

    #[test]
    fn require_distinguishes_visitors_from_members() {
        assert_eq!(require(None, Action::OwnAccount), Err(AppError::NotSignedIn));
        assert_eq!(require(Some(Role::Member), Action::ManageMembers), Err(AppError::Forbidden));
        assert_eq!(require(Some(Role::Facilitator), Action::ManageMembers), Ok(()));
    }
}
