//! CSV export of a round's responses. Two kinds: "for publication" carries only words the
//! person agreed may be quoted (named only under `quote_with_name`), "design group" carries
//! every published answer for the group's own analysis. Held and hidden responses never leave.
//! Every cell goes through `spreadsheet::write_record`, so no answer runs as a formula.

use sqlx::SqlitePool;

use super::{results::export_view, Consent, QuestionKind};
use crate::error::AppError;

pub async fn csv(pool: &SqlitePool, round: i64, publication: bool) -> Result<String, AppError> {
    // A round that does not exist is NotFound.
    let questions = super::views::questions(super::store::questions(pool, round).await?);
    let responses = super::store::export_rows(pool, round).await?;

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
    for (n, response) in responses.iter().enumerate() {
        let consent = Consent::parse(&response.consent).unwrap_or(Consent::DesignGroupOnly);
        let Some(shown_name) = export_view(consent, response.anonymous, response.display_name.as_deref(), publication)
        else {
            continue;
        };
        let answers = &response.answers;
        let mut row = vec![
            (n + 1).to_string(),
            crate::time::when(response.created_at),
            shown_name.unwrap_or_default(),
            consent.as_str().to_string(),
        ];
        for q in &questions {
            let of_q: Vec<_> = answers.iter().filter(|a| a.question_id == q.id).collect();
            match q.kind {
                QuestionKind::Text => row.push(of_q.first().and_then(|a| a.text.clone()).unwrap_or_default()),
                QuestionKind::Scale => {
                    row.push(of_q.first().and_then(|a| a.number).map(|n| n.to_string()).unwrap_or_default())
                }
                QuestionKind::Single | QuestionKind::Multiple => row.push(
                    of_q.iter()
                        .filter_map(|a| a.number.and_then(|i| q.options.get(i as usize)).cloned())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                QuestionKind::Statements => row.extend(q.statements.iter().map(|s| {
                    of_q.iter()
                        .find(|a| a.statement_id == Some(s.id))
                        .and_then(|a| a.number)
                        .map(|n| n.to_string())
                        .unwrap_or_default()
                })),
            }
        }
        crate::spreadsheet::write_record(&mut w, &row).map_err(AppError::internal)?;
    }
    String::from_utf8(w.into_inner().map_err(AppError::internal)?).map_err(AppError::internal)
}
