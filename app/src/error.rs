//! The one error type server functions return. It crosses the wire, so it carries only
//! what a person may read: internal causes are logged on the server under a reference id.

use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

use leptos::server_fn;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Input that does not parse; `field` names the form control it belongs to. `kept`
    /// holds the non-secret values typed, so a form posted without JavaScript (which comes
    /// back through a redirect) can show them again. Never passwords or health data.
    #[error("{message}")]
    Invalid { field: Option<String>, message: String, kept: Vec<(String, String)> },
    #[error("Please sign in to do that.")]
    NotSignedIn,
    #[error("You do not have permission to do that.")]
    Forbidden,
    #[error("We could not find that. It may have been removed, or the link may be wrong.")]
    NotFound,
    /// The request clashes with what is stored (a taken email, the last facilitator…).
    #[error("{0}")]
    Conflict(String),
    /// A durable limit (sign-in, reset, registration, answers), which protects accounts.
    #[error("{}", throttled_text(*minutes))]
    Throttled { minutes: i64 },
    /// A minute's soft limit on costly reads (searches, reports): only asks them to slow down.
    #[error("You have asked for this many times in the last minute. Please wait a minute and try again.")]
    TooOften,
    /// Too many password checks at once (each takes a core and 19 MiB): try again shortly.
    #[error("The server is busy checking other passwords. Please wait a moment and try again.")]
    Busy,
    #[error("The form could not be read. Please reload the page and try again.")]
    BadRequest,
    #[error("We could not reach the server. Please check your connection and try again.")]
    Network,
    #[error("Something went wrong on our side. Please try again; if it keeps happening, quote reference {reference}.")]
    Internal { reference: String },
}

/// "wait 15 minutes", and "wait a minute" in a window's last minute (not "1 minutes").
fn throttled_text(minutes: i64) -> String {
    let wait = if minutes <= 1 { "a minute".to_string() } else { format!("{minutes} minutes") };
    format!("Too many attempts. For your safety, please wait {wait} and try again.")
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid { field: Some(field.to_string()), message: message.into(), kept: Vec::new() }
    }

    /// Attaches the typed values to keep, if this is an `Invalid` error.
    pub fn keeping(self, values: &[(&str, &str)]) -> Self {
        match self {
            AppError::Invalid { field, message, .. } => AppError::Invalid {
                field,
                message,
                kept: values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            },
            other => other,
        }
    }

    /// The value typed into `name`, if the error kept it.
    pub fn kept(&self, name: &str) -> Option<String> {
        match self {
            AppError::Invalid { kept, .. } => kept.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
            _ => None,
        }
    }

    /// The message for one form control, if this error is about it.
    pub fn for_field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Invalid { field: Some(f), message, .. } if f == name => Some(message.clone()),
            _ => None,
        }
    }

    /// The HTTP status for clients that call the API directly (scripts, tests).
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid { .. } | AppError::BadRequest => 400,
            AppError::NotSignedIn => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::Throttled { .. } | AppError::TooOften => 429,
            AppError::Busy => 503,
            AppError::Network => 502,
            AppError::Internal { .. } => 500,
        }
    }

    /// Logs the real cause and returns an error that shows only a reference to it.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let reference = uuid::Uuid::new_v4().simple().to_string()[..10].to_uppercase();
        tracing::error!(%reference, error = %cause, "internal error");
        AppError::Internal { reference }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => AppError::Network,
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::BadRequest
            }
            other => {
                #[cfg(feature = "ssr")]
                return AppError::internal(other);
                #[cfg(not(feature = "ssr"))]
                AppError::Internal {
                    reference: format!("{other}").chars().filter(char::is_ascii_alphanumeric).take(10).collect(),
                }
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(e)
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::AppError;

    #[test]
    fn a_limit_says_a_minute_or_its_minutes() {
        let minute = AppError::Throttled { minutes: 1 }.to_string();
        assert!(minute.contains("wait a minute and") && !minute.contains("1 minutes"), "{minute}");
        assert!(AppError::Throttled { minutes: 15 }.to_string().contains("wait 15 minutes"));
    }
}
