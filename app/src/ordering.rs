//! Lists facilitators put in order (stages, experience statements): the "move up / move
//! down" rule, and the SQL that writes a new order.

use crate::error::AppError;

/// The new order of ids after moving `id` one place up (`-1`) or down (`+1`); the ends stay put.
pub fn reorder(ids: &[i64], id: i64, delta: i64) -> Vec<i64> {
    let mut out = ids.to_vec();
    if let Some(i) = out.iter().position(|&x| x == id) {
        let j = i as i64 + delta;
        if (0..out.len() as i64).contains(&j) {
            out.swap(i, j as usize);
        }
    }
    out
}

/// "up" or "down", as a step.
pub fn direction(raw: &str) -> Result<i64, AppError> {
    match raw {
        "up" => Ok(-1),
        "down" => Ok(1),
        _ => Err(AppError::BadRequest),
    }
}

/// The ordered tables (names are fixed here, never taken from input).
#[derive(Debug, Clone, Copy)]
pub enum Ordered {
    Stages,
    Statements,
    Values,
}

#[cfg(feature = "ssr")]
impl Ordered {
    fn table(self) -> &'static str {
        match self {
            Ordered::Stages => "stages",
            Ordered::Statements => "experience_statements",
            Ordered::Values => "lab_values",
        }
    }
}

/// Moves one item up or down, reading and writing the order in one write transaction.
#[cfg(feature = "ssr")]
pub async fn move_item(pool: &sqlx::SqlitePool, list: Ordered, id: i64, step: &str) -> Result<(), AppError> {
    let delta = direction(step)?;
    let mut tx = pool.begin().await?;
    let ids: Vec<i64> = sqlx::query_scalar(&format!("SELECT id FROM {} ORDER BY position, id", list.table()))
        .fetch_all(&mut *tx)
        .await?;
    if !ids.contains(&id) {
        return Err(AppError::NotFound);
    }
    for (i, id) in reorder(&ids, id, delta).iter().enumerate() {
        sqlx::query(&format!("UPDATE {} SET position = ? WHERE id = ?", list.table()))
            .bind(i as i64 + 1)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reordering_swaps_neighbours_and_stops_at_the_ends() {
        assert_eq!(reorder(&[1, 2, 3], 2, -1), [2, 1, 3]);
        assert_eq!(reorder(&[1, 2, 3], 2, 1), [1, 3, 2]);
        assert_eq!(reorder(&[1, 2, 3], 1, -1), [1, 2, 3]);
        assert_eq!(reorder(&[1, 2, 3], 3, 1), [1, 2, 3]);
    }

    #[test]
    fn directions() {
        assert_eq!(direction("up"), Ok(-1));
        assert_eq!(direction("down"), Ok(1));
        assert_eq!(direction("sideways"), Err(AppError::BadRequest));
    }
}
