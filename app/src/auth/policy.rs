//! Who may do what: the one place permissions are decided. Server functions start with
//! `require(Action)`, which reads the session once and answers with the signed-in viewer
//! or the error to return; pages and views ask `allowed` to show only what this permits.
//! No role comparison lives anywhere else.

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
    /// Collaborative business: meetings, votes, results summaries of closed rounds. Members and up.
    TakePart,
    /// Running meetings: scheduling, agendas, opening and closing votes, minutes. Facilitators.
    RunMeetings,
    /// The moderation queue and safeguarding holds: reading held items, releasing, hiding. Facilitators.
    Moderate,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::Public,
        Action::OwnAccount,
        Action::ManageMembers,
        Action::ReadPublished,
        Action::ReadDrafts,
        Action::EditPrototypes,
        Action::ManageSettings,
        Action::TakePart,
        Action::RunMeetings,
        Action::Moderate,
    ];
}

/// `viewer` is `None` for a visitor without an account.
pub fn allowed(viewer: Option<Role>, action: Action) -> bool {
    match action {
        Action::Public => true,
        Action::OwnAccount => viewer.is_some(),
        Action::ManageMembers | Action::ManageSettings | Action::RunMeetings | Action::Moderate => {
            viewer == Some(Role::Facilitator)
        }
        Action::TakePart => viewer >= Some(Role::Member),
        Action::ReadPublished => viewer.is_some(),
        Action::ReadDrafts | Action::EditPrototypes => viewer >= Some(Role::DesignGroup),
    }
}

/// `allowed`, as the error a server function returns: visitors are asked to sign in,
/// signed-in people are told they lack permission.
pub fn check(viewer: Option<Role>, action: Action) -> Result<(), AppError> {
    match (allowed(viewer, action), viewer) {
        (true, _) => Ok(()),
        (false, None) => Err(AppError::NotSignedIn),
        (false, Some(_)) => Err(AppError::Forbidden),
    }
}

/// The first line of a server function: this request's viewer, who must be signed in and
/// allowed `action`. (Public server functions read `session::viewer()` instead; for them
/// there may be nobody.)
#[cfg(feature = "ssr")]
pub async fn require(action: Action) -> Result<super::session::Viewer, AppError> {
    let viewer = super::session::viewer().await?;
    check(viewer.as_ref().map(|v| v.role), action)?;
    viewer.ok_or(AppError::NotSignedIn)
}

/// What `viewer` may do, for server functions that shape a view by it.
pub fn may(viewer: &impl HasRole, action: Action) -> bool {
    allowed(viewer.role(), action)
}

/// Anything that may carry a role: a signed-in viewer, or an optional one.
pub trait HasRole {
    fn role(&self) -> Option<Role>;
}

impl HasRole for Option<Role> {
    fn role(&self) -> Option<Role> {
        *self
    }
}

#[cfg(feature = "ssr")]
impl HasRole for super::session::Viewer {
    fn role(&self) -> Option<Role> {
        Some(self.role)
    }
}

impl HasRole for Role {
    fn role(&self) -> Option<Role> {
        Some(*self)
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
        let table: [(Action, [bool; 5]); 10] = [
            (Action::Public, [true, true, true, true, true]),
            (Action::OwnAccount, [false, true, true, true, true]),
            (Action::ManageMembers, [false, false, false, false, true]),
            (Action::ReadPublished, [false, true, true, true, true]),
            (Action::ReadDrafts, [false, false, false, true, true]),
            (Action::EditPrototypes, [false, false, false, true, true]),
            (Action::ManageSettings, [false, false, false, false, true]),
            (Action::TakePart, [false, false, true, true, true]),
            (Action::RunMeetings, [false, false, false, false, true]),
            (Action::Moderate, [false, false, false, false, true]),
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
        assert_eq!(check(None, Action::OwnAccount), Err(AppError::NotSignedIn));
        assert_eq!(check(Some(Role::Member), Action::ManageMembers), Err(AppError::Forbidden));
        assert_eq!(check(Some(Role::Facilitator), Action::ManageMembers), Ok(()));
    }
}
