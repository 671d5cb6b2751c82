//! The one way a command reaches the engine from any door (JSON, ISO 20022, the demo
//! generator): payments are validated, then screened, then the command is submitted and its
//! answer released once durable. A malformed payment is refused here and never reaches the
//! screening or the journal.

use axum::http::StatusCode;
use corridor_settlement::{
    Answer, HubCommand, MAX_BATCH, PaymentInstruction, PaymentReceipt, Rejection,
};

use crate::error::{ApiError, AppResult};
use crate::state::AppState;

pub async fn submit(state: &AppState, mut command: HubCommand) -> AppResult<Answer> {
    let refused = validate(&mut command)?;
    if let HubCommand::SubmitPayments { payments, .. } = &command
        && payments.is_empty()
    {
        return Ok(Answer::Payments(merge(Vec::new(), refused)));
    }
    screen(state, &mut command).await?;
    let answer = state.engine.submit_async(command).await??;
    state.changed();
    match answer {
        Answer::Payments(receipts) if !refused.is_empty() => {
            Ok(Answer::Payments(merge(receipts, refused)))
        }
        answer => Ok(answer),
    }
}

/// A payment refused by the gateway: its place in the batch and why.
type Refused = (usize, Rejection);

/// Takes the malformed payments out of a `SubmitPayments` command and returns them with
/// their refusals: checking an instruction's fields needs no state, so only well-formed
/// instructions are screened and journaled. A batch of the wrong size is refused whole.
fn validate(command: &mut HubCommand) -> AppResult<Vec<Refused>> {
    let HubCommand::SubmitPayments { payments, .. } = command else {
        return Ok(Vec::new());
    };
    if payments.is_empty() || payments.len() > MAX_BATCH {
        return Err(ApiError::from(Rejection::format(format!(
            "a batch holds 1 to {MAX_BATCH} payments, not {}",
            payments.len()
        ))));
    }
    let mut refused = Vec::new();
    let mut index = 0;
    payments.retain(|instruction: &PaymentInstruction| {
        let at = index;
        index += 1;
        let Err(rejection) = instruction.check() else {
            return true;
        };
        refused.push((at, rejection));
        false
    });
    Ok(refused)
}

/// The engine's receipts for the well-formed payments with the gateway's refusals put back
/// in their places, so a batch's answer still has one result per payment, in order.
fn merge(
    receipts: Vec<Result<PaymentReceipt, Rejection>>,
    refused: Vec<Refused>,
) -> Vec<Result<PaymentReceipt, Rejection>> {
    let mut merged = Vec::with_capacity(receipts.len() + refused.len());
    let mut receipts = receipts.into_iter();
    for (at, rejection) in refused {
        while merged.len() < at {
            let Some(receipt) = receipts.next() else {
                break;
            };
            merged.push(receipt);
        }
        merged.push(Err(rejection));
    }
    merged.extend(receipts);
    merged
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

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt(payment: u64) -> Result<PaymentReceipt, Rejection> {
        Ok(PaymentReceipt {
            payment,
            instruction_id: payment.to_string(),
            uetr: corridor_core::Uetr::generate(),
            status: corridor_settlement::PaymentStatus::Settled,
            reason: None,
            duplicate: false,
        })
    }

    fn shape(results: &[Result<PaymentReceipt, Rejection>]) -> Vec<Option<u64>> {
        results
            .iter()
            .map(|r| r.as_ref().ok().map(|r| r.payment))
            .collect()
    }

    #[test]
    fn refusals_go_back_in_their_places() {
        let refused = |at: usize| (at, Rejection::format("bad"));
        let merged = merge(
            vec![receipt(1), receipt(2)],
            vec![refused(0), refused(2), refused(4)],
        );
        assert_eq!(
            shape(&merged),
            [None, Some(1), None, Some(2), None].to_vec()
        );
        let merged = merge(Vec::new(), vec![refused(0), refused(1)]);
        assert_eq!(shape(&merged), [None, None].to_vec());
    }
}
