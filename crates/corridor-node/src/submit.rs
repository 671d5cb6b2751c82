//! The one way a command reaches the engine from any door (JSON, ISO 20022, the demo
//! generator): payments are screened first, then the command is submitted and its answer
//! released once durable.

use axum::http::StatusCode;
use corridor_settlement::{Answer, HubCommand};

use crate::error::{ApiError, AppResult};
use crate::state::AppState;

pub(crate) async fn submit(state: &AppState, mut command: HubCommand) -> AppResult<Answer> {
    screen(state, &mut command).await?;
    let answer = state.engine.submit_async(command).await??;
    state.changed();
    Ok(answer)
}

/// Every payment is screened here, on its way to the engine, whichever door it came in by
/// (JSON, ISO 20022, the demo generator), so no path can skip it. Screening is CPU work: it
/// runs on the blocking pool, not on the connections' threads.
pub async fn screen(state: &AppState, command: &mut HubCommand) -> AppResult<()> {
    let HubCommand::SubmitPayments {
        payments,
        screening,
        ..
    } = command
    else {
        return Ok(());
    };
    let Some(prepared) = state.screening.prepare() else {
        return Ok(());
    };
    let threshold = state
        .hit_threshold
        .load(std::sync::atomic::Ordering::Relaxed);
    let names = state
        .directory
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .participant_names();
    let owned = std::mem::take(payments);
    let (owned, screened) = tokio::task::spawn_blocking(move || {
        let screened = prepared.screen_payments(&owned, threshold, |bic| names.get(&bic).cloned());
        (owned, screened)
    })
    .await
    .map_err(|e| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "UNAV",
            format!("screening stopped: {e}"),
        )
    })?;
    *payments = owned;
    *screening = screened;
    Ok(())
}
