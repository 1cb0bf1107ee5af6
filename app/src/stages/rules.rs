//! Stage rules: which moves are allowed, and which stage changes keep the pipeline whole.

use super::Stage;
use crate::error::AppError;

/// May a prototype with `iterations` published iterations move from `from` to `to`?
pub fn check_move(from: &Stage, to: &Stage, iterations: i64) -> Result<(), AppError> {
    if from.id == to.id {
        return Err(AppError::invalid("stage", format!("The prototype is already at {}.", to.name)));
    }
    if to.retired {
        return Err(AppError::invalid(
            "stage",
            format!("{} is no longer in use. Please choose another stage.", to.name),
        ));
    }
    if to.requires_iteration && iterations < 1 {
        return Err(AppError::invalid(
            "stage",
            format!(
                "A prototype needs at least one published iteration before it can move to {}. Publish one first.",
                to.name
            ),
        ));
    }
    Ok(())
}

/// A stage may be retired only when no prototype is at it, so none is left in a stage
/// that has vanished from the board.
pub fn check_retire(stage: &Stage, prototypes_at_stage: i64, open_stages_left: usize) -> Result<(), AppError> {
    if prototypes_at_stage > 0 {
        return Err(AppError::Conflict(format!(
            "{} prototypes are at {}. Move them to another stage before retiring it.",
            prototypes_at_stage, stage.name
        )));
    }
    if !stage.closed && open_stages_left <= 1 {
        return Err(AppError::Conflict("The pipeline needs at least one open stage.".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(id: i64, name: &str, requires_iteration: bool) -> Stage {
        Stage { id, name: name.into(), position: id, closed: false, retired: false, requires_iteration }
    }

    #[test]
    fn decision_needs_a_published_iteration() {
        let (idea, decision) = (stage(1, "Idea", false), stage(6, "Decision", true));
        assert!(check_move(&idea, &decision, 0).unwrap_err().to_string().contains("at least one published iteration"));
        assert!(check_move(&idea, &decision, 1).is_ok());
        assert!(check_move(&decision, &idea, 0).is_ok(), "moving back needs nothing");
    }

    #[test]
    fn no_move_to_the_same_or_a_retired_stage() {
        let a = stage(1, "Idea", false);
        let mut b = stage(2, "Old", false);
        assert!(check_move(&a, &a, 3).is_err());
        b.retired = true;
        assert!(check_move(&a, &b, 3).unwrap_err().to_string().contains("no longer in use"));
    }

    #[test]
    fn a_stage_in_use_cannot_be_retired() {
        let s = stage(3, "Testing", false);
        assert!(check_retire(&s, 2, 5).is_err());
        assert!(check_retire(&s, 0, 5).is_ok());
        assert!(check_retire(&s, 0, 1).is_err(), "the last open stage stays");
    }
}
