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
}

impl Action {
    pub const ALL: [Action; 3] = [Action::Public, Action::OwnAccount, Action::ManageMembers];
}

/// `viewer` is `None` for a visitor without an account.
pub fn allowed(viewer: Option<Role>, action: Action) -> bool {
    match action {
        Action::Public => true,
        Action::OwnAccount => viewer.is_some(),
        Action::ManageMembers => viewer == Some(Role::Facilitator),
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
        let table: [(Action, [bool; 5]); 3] = [
            (Action::Public, [true, true, true, true, true]),
            (Action::OwnAccount, [false, true, true, true, true]),
            (Action::ManageMembers, [false, false, false, false, true]),
        ];
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
