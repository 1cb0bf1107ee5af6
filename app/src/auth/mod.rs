//! Accounts: registering, signing in and out, passwords, perspectives, invitations.

pub mod api;
pub mod fields;
pub mod pages;
pub mod policy;
pub mod reset;
pub mod roles;
pub mod throttle;

#[cfg(feature = "ssr")]
pub mod hashing;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

pub use roles::{Perspective, Role};

/// The signed-in person as pages see them (no secrets: the hash never leaves the store).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub display_name: String,
    pub role: Role,
    /// Unread notifications, for the header.
    pub unread: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountDetails {
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub perspectives: Vec<Perspective>,
}

/// What an invitation link offers, shown before the person registers with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationOffer {
    pub role: Role,
    pub email: Option<String>,
    pub collaborative: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    pub collaborative: String,
    pub open_registration: bool,
    pub user: Option<CurrentUser>,
    /// The collaborative's crisis signposting, rendered (facilitators set it; UK default).
    pub crisis_html: String,
    /// A demo site (made-up people, a published password): every page says so.
    pub demo: bool,
}
