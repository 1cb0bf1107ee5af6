//! The collaborative's pipeline of stages, which facilitators can rename, reorder, add and retire.

pub mod api;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub id: i64,
    pub name: String,
    pub position: i64,
    /// Closed stages (Adopted, Stopped) end the pipeline.
    pub closed: bool,
    pub retired: bool,
    pub requires_iteration: bool,
}
