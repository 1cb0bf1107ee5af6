//! SQL for search. The index is written by triggers (the migration), never from here; these
//! are its reads. No permission decisions here: the server function passes the audiences
//! the viewer reaches as a data filter, applied in SQL so that pages and counts are right.

use sqlx::SqlitePool;

use super::DocKind;
use crate::{error::AppError, json_column::Json};

/// One search, already parsed and checked.
pub struct Filter<'a> {
    /// A well-formed FTS5 expression (`search::Query::fts`).
    pub fts: &'a str,
    /// `search_docs.audience` values the viewer reaches (never empty: visitors don't search).
    pub audiences: &'a [&'static str],
    pub kind: Option<&'a str>,
    pub theme: Option<&'a str>,
    pub stage: Option<i64>,
}

impl Filter<'_> {
    /// Stage and theme are read through `search_docs` and `prototypes`; without them the
    /// index alone answers (audience and kind are its `tags`, migration 26).
    fn needs_rows(&self) -> bool {
        self.stage.is_some() || self.theme.is_some()
    }
}

/// The index word for an audience or kind (migration 26 writes them without underscores).
fn tag(prefix: &str, value: &str) -> String {
    format!("{prefix}{}", value.replace('_', ""))
}

/// What the index is asked: what was typed, in titles and bodies only (so a typed word can
/// never match a tag), and one of the viewer's audiences, and the kind if one was chosen.
/// `fts` is already a well-formed expression; audiences and kinds are our own constants.
fn match_expr(fts: &str, audiences: &[&str], kind: Option<&str>) -> String {
    let reach: Vec<String> = audiences.iter().map(|a| tag("aud", a)).collect();
    let mut expr = format!("{{title body}} : ({fts}) AND tags : ({})", reach.join(" OR "));
    if let Some(kind) = kind {
        expr.push_str(&format!(" AND tags : {}", tag("kind", kind)));
    }
    expr
}

/// Stage and theme, after `search_index MATCH ?1`: ?2 audiences (a JSON array), ?3 stage,
/// ?4 theme. A prototype's stage and themes are read through `prototype_id` (a learning note
/// has themes of its own), so they are never stale; but only a prototype's readers may
/// filter by it: a member filtering a note or decision by stage or theme must not learn
/// those of a prototype never published.
const ROW_FILTER: &str = "(?3 IS NULL OR (p.stage_id = ?3 AND (p.iteration_count > 0 OR 'design_group' IN (SELECT value FROM json_each(?2)))))
    AND (?4 IS NULL OR CASE WHEN d.kind = 'note'
        THEN EXISTS (SELECT 1 FROM note_themes t WHERE t.note_id = d.ref_id AND t.theme = ?4)
        ELSE EXISTS (SELECT 1 FROM prototype_themes t WHERE t.prototype_id = d.prototype_id AND t.theme = ?4)
            AND (p.iteration_count > 0 OR 'design_group' IN (SELECT value FROM json_each(?2))) END)";

/// A result as found: the marked title and snippet (`search::MARK_START`/`MARK_END` around
/// matched words), and what its link is made of.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HitRow {
    pub kind: String,
    pub ref_id: i64,
    pub prototype_id: Option<i64>,
    pub place: Option<i64>,
    /// Shown where the indexed title is empty (a change note's iteration, an answer's round).
    pub heading: String,
    /// The indexed title, matched words marked ("" for comments, answers and change notes).
    pub title: String,
    pub snippet: String,
    /// The prototype's current title (for a comment: "Comment on …").
    pub prototype_title: Option<String>,
    /// How many items come before it in its own list: a comment in its prototype's thread
    /// (thread order, as the prototype page pages it), an answer among its question's
    /// published free-text answers (as the results page pages them). NULL for other kinds.
    pub position: Option<i64>,
}

/// One page of results, best first (`size + 1` rows, so the caller can tell whether another
/// page follows). Ranking is bm25 with titles weighing ten times bodies (tags nothing).
/// Only the page's rows are read from `search_docs` and get a snippet and a position: the
/// ranked scan reads ids and scores from the index alone, unless a stage or theme is chosen.
///
/// With `Order::TitlesThenNewest` (a search too common to rank whole: bm25 reads every
/// match, about 3 µs each), titles that match come first, ranked, then the other matches
/// newest first, which the index reads in order and stops after the page: a page costs
/// the title matches, not all of them.
pub async fn hits(
    pool: &SqlitePool,
    f: &Filter<'_>,
    page: i64,
    size: i64,
    order: Order,
) -> Result<Vec<HitRow>, AppError> {
    if order == Order::TitlesThenNewest && !f.needs_rows() {
        return titles_then_newest(pool, f, page, size).await;
    }
    // Parameters: ?1 the expression; with a stage or theme, ?2–?4 as in `ROW_FILTER`; then
    // the page's size and offset.
    let (ranked, limit, offset) = if f.needs_rows() {
        let ranked = format!(
            "SELECT d.id AS id, bm25(search_index, 10.0, 1.0, 0.0) AS score
             FROM search_index JOIN search_docs d ON d.id = search_index.rowid
                  LEFT JOIN prototypes p ON p.id = d.prototype_id
             WHERE search_index MATCH ?1 AND {ROW_FILTER}"
        );
        (ranked, 5, 6)
    } else {
        let ranked = "SELECT rowid AS id, bm25(search_index, 10.0, 1.0, 0.0) AS score
         FROM search_index WHERE search_index MATCH ?1"
            .to_string();
        (ranked, 2, 3)
    };
    let sql = format!(
        "WITH hits AS (SELECT id, 0 AS tier, score FROM ({ranked} ORDER BY score, id LIMIT ?{limit} OFFSET ?{offset}))
         {PAGE_ROWS}"
    );
    let mut query = sqlx::query_as(&sql).bind(match_expr(f.fts, f.audiences, f.kind));
    if f.needs_rows() {
        query = query.bind(audiences_json(f.audiences)?).bind(f.stage).bind(f.theme);
    }
    Ok(query.bind(size + 1).bind(page * size).fetch_all(pool).await?)
}

/// How a page of results is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Every match ranked by bm25.
    Ranked,
    /// Title matches ranked, then the rest newest first.
    TitlesThenNewest,
}

async fn titles_then_newest(pool: &SqlitePool, f: &Filter<'_>, page: i64, size: i64) -> Result<Vec<HitRow>, AppError> {
    // Every match whose title alone also matches, and every other match: the two split the
    // results exactly (a title match that fails an exclusion in the body is in neither).
    let all = match_expr(f.fts, f.audiences, f.kind);
    let titles = format!("({all}) AND {{title}} : ({})", f.fts);
    let rest = format!("({all}) NOT {{title}} : ({})", f.fts);
    let in_titles: i64 = sqlx::query_scalar("SELECT count(*) FROM search_index WHERE search_index MATCH ?")
        .bind(&titles)
        .fetch_one(pool)
        .await?;
    // The page's rows: from the ranked titles while the offset is inside them, then from
    // the rest. ?1 everything, ?2 titles, ?3 the rest (everything but titles).
    let (offset, want) = (page * size, size + 1);
    let from_titles = (in_titles - offset).clamp(0, want);
    let rest_offset = (offset - in_titles).max(0);
    let sql = format!(
        "WITH t AS (SELECT rowid AS id, bm25(search_index, 10.0, 1.0, 0.0) AS score FROM search_index
                    WHERE search_index MATCH ?2 ORDER BY score, id LIMIT ?4 OFFSET ?5),
              r AS (SELECT rowid AS id FROM search_index WHERE search_index MATCH ?3
                    ORDER BY rowid DESC LIMIT ?6 OFFSET ?7),
              hits AS (SELECT id, 0 AS tier, score FROM t UNION ALL SELECT id, 1 AS tier, -id AS score FROM r)
         {PAGE_ROWS}"
    );
    Ok(sqlx::query_as(&sql)
        .bind(&all)
        .bind(&titles)
        .bind(&rest)
        .bind(from_titles)
        .bind(offset.min(in_titles))
        .bind(want - from_titles)
        .bind(rest_offset)
        .fetch_all(pool)
        .await?)
}

/// A page's rows from `hits` (id, tier, score), in order, with what the page shows of each.
const PAGE_ROWS: &str = "SELECT d.kind, d.ref_id, d.prototype_id, d.place, d.heading,
                highlight(search_index, 0, char(57344), char(57345)) AS title,
                snippet(search_index, 1, char(57344), char(57345), '…', 24) AS snippet,
                p.title AS prototype_title,
                CASE d.kind
                    WHEN 'comment' THEN (
                        SELECT count(*) FROM comments c JOIN comments x ON x.prototype_id = c.prototype_id
                        WHERE c.id = d.ref_id AND x.status <> 'held' AND (x.thread_id, x.id) < (c.thread_id, c.id))
                    WHEN 'answer' THEN (
                        SELECT count(*) FROM answers a JOIN answers w ON w.question_id = a.question_id
                             JOIN responses v ON v.id = w.response_id
                        WHERE a.id = d.ref_id AND v.status = 'published' AND w.text IS NOT NULL AND w.id < a.id)
                END AS position
         FROM hits CROSS JOIN search_index ON search_index.rowid = hits.id
              JOIN search_docs d ON d.id = hits.id
              LEFT JOIN prototypes p ON p.id = d.prototype_id
         WHERE search_index MATCH ?1
         ORDER BY hits.tier, hits.score, hits.id";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KindCountRow {
    pub kind: String,
    pub n: i64,
}

/// How many results of each kind the search finds, with every filter but the kind (so the
/// kind filter can show what each choice holds). Kinds with none are not returned. Without
/// a stage or theme, each kind is counted by the index alone (one MATCH per kind, its kind
/// tag added), which never reads a row.
pub async fn counts(pool: &SqlitePool, f: &Filter<'_>) -> Result<Vec<KindCountRow>, AppError> {
    if f.needs_rows() {
        let sql = format!(
            "SELECT d.kind, count(*) AS n
             FROM search_index JOIN search_docs d ON d.id = search_index.rowid
                  LEFT JOIN prototypes p ON p.id = d.prototype_id
             WHERE search_index MATCH ?1 AND {ROW_FILTER}
             GROUP BY d.kind ORDER BY d.kind"
        );
        return Ok(sqlx::query_as(&sql)
            .bind(match_expr(f.fts, f.audiences, None))
            .bind(audiences_json(f.audiences)?)
            .bind(f.stage)
            .bind(f.theme)
            .fetch_all(pool)
            .await?);
    }
    let kinds = DocKind::ALL;
    // The SQL names only positions; the kinds are bound, each with its own expression.
    let sql = (1..=kinds.len())
        .map(|i| {
            format!(
                "SELECT ?{a} AS kind, (SELECT count(*) FROM search_index WHERE search_index MATCH ?{b}) AS n",
                a = 2 * i - 1,
                b = 2 * i
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let sql = format!("SELECT kind, n FROM ({sql}) WHERE n > 0 ORDER BY kind");
    let mut query = sqlx::query_as(&sql);
    for kind in kinds {
        query = query.bind(kind.as_str()).bind(match_expr(f.fts, f.audiences, Some(kind.as_str())));
    }
    Ok(query.fetch_all(pool).await?)
}

/// The filters' choices: stages in use, in pipeline order, and themes (at most 200, by
/// name). Themes come only from what the reader may open: published prototypes' themes;
/// with `notes`, published learning notes' themes; with `drafts`, those of drafts too.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChoicesRow {
    pub stages: Json<Vec<(i64, String)>>,
    pub themes: Json<Vec<String>>,
}

pub async fn choices(pool: &SqlitePool, drafts: bool, notes: bool) -> Result<ChoicesRow, AppError> {
    Ok(sqlx::query_as(
        "SELECT
            (SELECT json_group_array(json_array(id, name))
               FROM (SELECT id, name FROM stages WHERE retired = 0 ORDER BY position, id)) AS stages,
            (SELECT json_group_array(theme) FROM (
                SELECT theme FROM (
                    -- Each theme in use once (from its index), kept if one readable row has
                    -- it: a few index probes per theme, not a join over every prototype.
                    SELECT th.theme FROM (SELECT DISTINCT theme FROM prototype_themes) th
                    WHERE EXISTS (SELECT 1 FROM prototype_themes t JOIN prototypes p ON p.id = t.prototype_id
                                  WHERE t.theme = th.theme AND (p.iteration_count > 0 OR ?1))
                    UNION
                    SELECT th.theme FROM (SELECT DISTINCT theme FROM note_themes) th
                    WHERE EXISTS (SELECT 1 FROM note_themes t JOIN learning_notes n ON n.id = t.note_id
                                  WHERE t.theme = th.theme AND ((n.status = 'published' AND ?2) OR ?1)))
                ORDER BY theme COLLATE NOCASE LIMIT 200)) AS themes",
    )
    .bind(drafts)
    .bind(notes || drafts)
    .fetch_one(pool)
    .await?)
}

fn audiences_json(audiences: &[&'static str]) -> Result<String, AppError> {
    serde_json::to_string(audiences).map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_words_search_titles_and_bodies_and_tags_carry_reach_and_kind() {
        assert_eq!(
            match_expr("(\"wait\")", &["contributor", "member"], None),
            "{title body} : ((\"wait\")) AND tags : (audcontributor OR audmember)"
        );
        assert_eq!(
            match_expr("(\"a\") NOT \"b\"", &["design_group"], Some("change_note")),
            "{title body} : ((\"a\") NOT \"b\") AND tags : (auddesigngroup) AND tags : kindchangenote"
        );
    }
}
