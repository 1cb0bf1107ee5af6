//! The one notification writer, called inside the transaction of the event it reports, so a
//! notification exists exactly when its event does. Recipients are chosen in SQL (active
//! accounts only, never the person who caused the event), and:
//! - nobody gets two notifications about one comment (a reply to a co-author's comment is
//!   one reply, not also a "comment on yours");
//! - kinds that one person could set off many times (comments, held items) coalesce: while
//!   someone has an unread one of that kind about the same prototype, no second is added, so
//!   a burst of comments or of held answers is one line and at most one email, not hundreds.

use sqlx::SqliteConnection;

use super::Kind;
use crate::time::now;

/// What a notification is about: the ids a page and an email name it by.
#[derive(Debug, Default, Clone, Copy)]
pub struct About {
    pub prototype: Option<i64>,
    pub round: Option<i64>,
    pub meeting: Option<i64>,
    pub comment: Option<i64>,
}

/// Who is told.
#[derive(Debug, Clone, Copy)]
pub enum To {
    /// One account.
    User(i64),
    /// The author of a comment.
    CommentAuthor(i64),
    /// The person who gave a consultation response (if they were signed in).
    ResponseAuthor(i64),
    /// A prototype's co-authors.
    PrototypeAuthors(i64),
    /// Members, the design group and facilitators.
    Members,
    /// Every account.
    Everyone,
    /// Facilitators.
    Facilitators,
}

impl To {
    /// A query of the user ids, with at most one bound parameter.
    fn query(self) -> (&'static str, Option<i64>) {
        match self {
            To::User(id) => ("SELECT ? AS id", Some(id)),
            To::CommentAuthor(id) => ("SELECT author_id AS id FROM comments WHERE id = ?", Some(id)),
            To::ResponseAuthor(id) => ("SELECT user_id AS id FROM responses WHERE id = ?", Some(id)),
            To::PrototypeAuthors(id) => {
                ("SELECT user_id AS id FROM prototype_authors WHERE prototype_id = ?", Some(id))
            }
            To::Members => ("SELECT id FROM users WHERE role IN ('member', 'design_group', 'facilitator')", None),
            To::Everyone => ("SELECT id FROM users", None),
            To::Facilitators => ("SELECT id FROM users WHERE role = 'facilitator'", None),
        }
    }
}

/// For each kind: whether it is about a comment (once per person per comment), and whether
/// it coalesces while unread (see the module's notes).
fn rules(kind: Kind) -> (bool, bool) {
    match kind {
        Kind::Reply | Kind::CommentOnYours => (true, true),
        Kind::Held => (false, true),
        _ => (false, false),
    }
}

/// Notifies `to` of `kind` about `about`, leaving out `by` (who caused it). Returns how many
/// people were notified.
pub async fn notify(
    conn: &mut SqliteConnection,
    kind: Kind,
    about: About,
    to: To,
    by: Option<i64>,
) -> Result<u64, sqlx::Error> {
    let (recipients, param) = to.query();
    let (per_comment, coalesce) = rules(kind);
    let mut sql = format!(
        "INSERT INTO notifications (user_id, kind, prototype_id, round_id, meeting_id, comment_id, created_at)
         SELECT u.id, ?, ?, ?, ?, ?, ? FROM users u
         WHERE u.active = 1 AND u.id IN ({recipients}) AND u.id IS NOT ?"
    );
    if per_comment {
        sql.push_str(" AND u.id NOT IN (SELECT user_id FROM notifications WHERE comment_id = ?)");
    }
    if coalesce {
        sql.push_str(
            " AND NOT EXISTS (SELECT 1 FROM notifications x WHERE x.user_id = u.id AND x.kind = ?
                              AND x.prototype_id IS ? AND x.read_at IS NULL)",
        );
    }
    let mut q = sqlx::query(&sql)
        .bind(kind.as_str())
        .bind(about.prototype)
        .bind(about.round)
        .bind(about.meeting)
        .bind(about.comment)
        .bind(now());
    if let Some(p) = param {
        q = q.bind(p);
    }
    q = q.bind(by);
    if per_comment {
        q = q.bind(about.comment);
    }
    if coalesce {
        q = q.bind(kind.as_str()).bind(about.prototype);
    }
    Ok(q.execute(conn).await?.rows_affected())
}

/// Which role names a round's audience reaches (the round's own rule, in SQL terms).
pub fn round_audience(audience: &str) -> To {
    match audience {
        "members" => To::Members,
        _ => To::Everyone,
    }
}
