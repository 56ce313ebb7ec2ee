//! Tauri commands: each locks the collection, calls one core function with the current time and
//! maps the error to the typed [`AppError`] the UI shows.

use chrono::Local;
use reprise::error::AppError;
use reprise::{AnswerOutcome, CardId, Collection, Rating, Status, StudyCard, UndoOutcome};
use tauri::State;

use crate::AppState;

fn with_collection<T>(
    state: &State<'_, AppState>,
    f: impl FnOnce(&mut Collection) -> reprise::Result<T>,
) -> Result<T, AppError> {
    // A panic elsewhere while holding the lock leaves the collection itself consistent (every
    // write is one transaction), so carry on with it.
    let mut guard = state
        .0
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let collection = guard.as_mut().map_err(|e| e.clone())?;
    f(collection).map_err(|e| AppError::from(&e))
}

#[tauri::command]
pub fn get_status(state: State<'_, AppState>) -> Result<Status, AppError> {
    with_collection(&state, |c| c.status(Local::now().fixed_offset()))
}

#[tauri::command]
pub fn next_card(state: State<'_, AppState>) -> Result<Option<StudyCard>, AppError> {
    with_collection(&state, |c| c.next_card(Local::now().fixed_offset()))
}

#[tauri::command]
pub fn answer_card(
    state: State<'_, AppState>,
    card_id: i64,
    rating: Rating,
    duration_ms: u32,
) -> Result<AnswerOutcome, AppError> {
    with_collection(&state, |c| {
        c.answer(
            CardId(card_id),
            rating,
            Local::now().fixed_offset(),
            duration_ms,
        )
    })
}

#[tauri::command]
pub fn undo(state: State<'_, AppState>) -> Result<Option<UndoOutcome>, AppError> {
    with_collection(&state, |c| c.undo(Local::now().fixed_offset()))
}
