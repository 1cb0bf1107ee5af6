//! Feedback pages and parts: the comment thread, moderation, and a person's own feedback.

mod comments;
mod mine;
mod moderation;
mod outcome;

pub use comments::{CommentActions, CommentThread, Notices as CommentNotices, SectionComments};
pub use mine::MyContributions;
pub use moderation::ModerationPage;
pub use outcome::OutcomeForm;
