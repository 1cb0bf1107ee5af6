//! CSV export of a round's responses. Two kinds: "for publication" carries only words the
//! person agreed may be quoted (named only under `quote_with_name`), "design group" carries
//! every published answer for the group's own analysis. Held and hidden responses never leave.
//! Every cell goes through `spreadsheet::write_record`, so no answer runs as a formula.

use sqlx::SqlitePool;

use super::{results::export_view, Consent, QuestionKind};
use crate::error::AppError;

pub async fn csv(pool: &SqlitePool, round: i64, publication: bool) -> Result<String, AppError> {
    super::store::round(pool, round).await?; // a round that does not exist is NotFound
    let questions = super::store::questions(pool, round).await?;
    let responses: Vec<(i64, String, bool, Option<String>, i64)> = sqlx::query_as(
        "SELECT x.id, x.consent, x.anonymous, u.display_name, x.created_at FROM responses x LEFT JOIN users u ON u.id = x.user_id
         WHERE x.round_id = ? AND x.status = 'published' ORDER BY x.id",
    )
    .bind(round)
    .fetch_all(pool)
    .await?;
    let answers: Vec<(i64, i64, Option<i64>, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT a.response_id, a.question_id, a.statement_id, a.number, a.text FROM answers a JOIN responses x ON x.id = a.response_id
         WHERE x.round_id = ? AND x.status = 'published' ORDER BY a.id",
    )
    .bind(round)
    .fetch_all(pool)
    .await?;

    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["response".to_string(), "submitted".into(), "name".into(), "consent".into()];
    for q in &questions {
        match q.kind {
            QuestionKind::Statements => {
                header.extend(q.statements.iter().map(|s| format!("{}: {}", q.prompt, s.label)))
            }
            _ => header.push(q.prompt.clone()),
        }
    }
    crate::spreadsheet::write_record(&mut w, &header).map_err(AppError::internal)?;
    for (n, (id, consent, anonymous, name, at)) in responses.iter().enumerate() {
        let consent = Consent::parse(consent).unwrap_or(Consent::DesignGroupOnly);
        let Some(shown_name) = export_view(consent, *anonymous, name.as_deref(), publication) else { continue };
        let mine: Vec<_> = answers.iter().filter(|a| a.0 == *id).collect();
        let mut row = vec![
            (n + 1).to_string(),
            crate::time::when(*at),
            shown_name.unwrap_or_default(),
            consent.as_str().to_string(),
        ];
        for q in &questions {
            let of_q: Vec<_> = mine.iter().filter(|a| a.1 == q.id).collect();
            match q.kind {
                QuestionKind::Text => row.push(of_q.first().and_then(|a| a.4.clone()).unwrap_or_default()),
                QuestionKind::Scale => {
                    row.push(of_q.first().and_then(|a| a.3).map(|n| n.to_string()).unwrap_or_default())
                }
                QuestionKind::Single | QuestionKind::Multiple => row.push(
                    of_q.iter()
                        .filter_map(|a| a.3.and_then(|i| q.options.get(i as usize)).cloned())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                QuestionKind::Statements => row.extend(q.statements.iter().map(|s| {
                    of_q.iter().find(|a| a.2 == Some(s.id)).and_then(|a| a.3).map(|n| n.to_string()).unwrap_or_default()
                })),
            }
        }
        crate::spreadsheet::write_record(&mut w, &row).map_err(AppError::internal)?;
    }
    String::from_utf8(w.into_inner().map_err(AppError::internal)?).map_err(AppError::internal)
}
