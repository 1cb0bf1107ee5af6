//! Meeting pages: the list (and scheduling), and one meeting with its agenda, attendance,
//! motions, votes, live tallies and minutes.

mod list;
mod meeting;
mod motion;

pub use list::MeetingsPage;
pub use meeting::MeetingPage;
