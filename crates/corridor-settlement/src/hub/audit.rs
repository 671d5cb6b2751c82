//! The audit chain as commands feed it: every command that changed the hub's state leaves a
//! record naming its kind, its caller and what it named, in the order the engine applied it.

use corridor_core::Timestamp;

use super::{Answer, Hub};
use crate::audit::{AuditAction, CommandKind};
use crate::command::HubCommand;

/// The operator's label in the chain: the one identity that administers the scheme.
const OPERATOR: &str = "operator";
/// What the clock did on its own (queued payments timing out).
const CLOCK: &str = "system:clock";

impl HubCommand {
    /// Which kind of command this is, as the audit chain names it.
    pub fn kind(&self) -> CommandKind {
        match self {
            HubCommand::Configure(_) => CommandKind::Configure,
            HubCommand::DesignateAgent { .. } => CommandKind::DesignateAgent,
            HubCommand::AdmitParticipant { .. } => CommandKind::AdmitParticipant,
            HubCommand::SetParticipantStatus { .. } => CommandKind::SetParticipantStatus,
            HubCommand::OpenAccount { .. } => CommandKind::OpenAccount,
            HubCommand::SetNetDebitCap { .. } => CommandKind::SetNetDebitCap,
            HubCommand::Liquidity { .. } => CommandKind::Liquidity,
            HubCommand::SubmitPayments { .. } => CommandKind::SubmitPayments,
            HubCommand::CancelPayment { .. } => CommandKind::CancelPayment,
            HubCommand::ReturnPayment { .. } => CommandKind::ReturnPayment,
            HubCommand::AcknowledgeOutbox { .. } => CommandKind::AcknowledgeOutbox,
            HubCommand::RegisterToken { .. } => CommandKind::RegisterToken,
            HubCommand::PublishRateSheet { .. } => CommandKind::PublishRateSheet,
            HubCommand::PublishReferenceRates { .. } => CommandKind::PublishReferenceRates,
            HubCommand::RequestQuote { .. } => CommandKind::RequestQuote,
            HubCommand::Tick => CommandKind::Tick,
            HubCommand::ConfigureCompliance(_) => CommandKind::ConfigureCompliance,
            HubCommand::RecordWatchlist { .. } => CommandKind::RecordWatchlist,
            HubCommand::ConfigureMonitoring(_) => CommandKind::ConfigureMonitoring,
            HubCommand::WorkCase { .. } => CommandKind::WorkCase,
            HubCommand::DecideHold { .. } => CommandKind::DecideHold,
            HubCommand::RecallPayment { .. } => CommandKind::RecallPayment,
            HubCommand::AnswerRecall { .. } => CommandKind::AnswerRecall,
            HubCommand::CloseBusinessDay { .. } => CommandKind::CloseBusinessDay,
            HubCommand::IssueToken { .. } => CommandKind::IssueToken,
            HubCommand::RevokeToken { .. } => CommandKind::RevokeToken,
            HubCommand::RegisterCredential { .. } => CommandKind::RegisterCredential,
            HubCommand::RevokeCredential { .. } => CommandKind::RevokeCredential,
            HubCommand::ConfigureOperatingDay { .. } => CommandKind::ConfigureOperatingDay,
            HubCommand::LoadCalendar { .. } => CommandKind::LoadCalendar,
            HubCommand::AmendCalendar(_) => CommandKind::AmendCalendar,
            HubCommand::ExtendCutOff { .. } => CommandKind::ExtendCutOff,
            HubCommand::ConfigureLiquiditySaving(_) => CommandKind::ConfigureLiquiditySaving,
            HubCommand::SetLiquidityControls { .. } => CommandKind::SetLiquidityControls,
            HubCommand::ConfigureNetSettlement { .. } => CommandKind::ConfigureNetSettlement,
            HubCommand::RunOptimisation { .. } => CommandKind::RunOptimisation,
            HubCommand::NetWindow { .. } => CommandKind::NetWindow,
        }
    }

    /// Who asked, as the audit chain names them: `operator`, `participant:<BIC>`,
    /// `officer:...` ([`crate::Officer::label`]) or `system:clock`.
    pub fn caller_label(&self) -> String {
        let participant = |bic: &corridor_core::Bic| format!("participant:{bic}");
        match self {
            HubCommand::Liquidity { agent, .. }
            | HubCommand::PublishReferenceRates { agent, .. } => participant(agent),
            HubCommand::SubmitPayments { sender, .. }
            | HubCommand::CancelPayment { sender, .. }
            | HubCommand::ReturnPayment { sender, .. }
            | HubCommand::RecallPayment { sender, .. } => participant(sender),
            HubCommand::AcknowledgeOutbox { participant: p, .. } => participant(p),
            HubCommand::PublishRateSheet { provider, .. } => participant(provider),
            HubCommand::RequestQuote { requester, .. } => participant(requester),
            HubCommand::AnswerRecall { responder, .. } => participant(responder),
            HubCommand::SetLiquidityControls {
                requested_by: Some(bank),
                ..
            } => participant(bank),
            HubCommand::WorkCase { officer, .. } | HubCommand::DecideHold { officer, .. } => {
                officer.label()
            }
            HubCommand::Tick => CLOCK.to_string(),
            HubCommand::Configure(_)
            | HubCommand::DesignateAgent { .. }
            | HubCommand::AdmitParticipant { .. }
            | HubCommand::SetParticipantStatus { .. }
            | HubCommand::OpenAccount { .. }
            | HubCommand::SetNetDebitCap { .. }
            | HubCommand::RegisterToken { .. }
            | HubCommand::IssueToken { .. }
            | HubCommand::RevokeToken { .. }
            | HubCommand::RegisterCredential { .. }
            | HubCommand::RevokeCredential { .. }
            | HubCommand::ConfigureCompliance(_)
            | HubCommand::RecordWatchlist { .. }
            | HubCommand::ConfigureMonitoring(_)
            | HubCommand::CloseBusinessDay { .. }
            | HubCommand::ConfigureOperatingDay { .. }
            | HubCommand::LoadCalendar { .. }
            | HubCommand::AmendCalendar(_)
            | HubCommand::ExtendCutOff { .. }
            | HubCommand::ConfigureLiquiditySaving(_)
            | HubCommand::SetLiquidityControls { .. }
            | HubCommand::ConfigureNetSettlement { .. }
            | HubCommand::RunOptimisation { .. }
            | HubCommand::NetWindow { .. } => OPERATOR.to_string(),
        }
    }
}

/// What a command named, short: enough to find its effects, never a secret (a token's
/// digest is not repeated) and never a customer's name.
fn detail(command: &HubCommand, answer: &Answer) -> String {
    match command {
        HubCommand::Configure(c) => format!("{c:?}"),
        HubCommand::DesignateAgent {
            currency, agent, ..
        } => format!("{agent} agent of {currency}"),
        HubCommand::AdmitParticipant { bic, roles, .. } => format!("{bic} admitted as {roles:?}"),
        HubCommand::SetParticipantStatus { bic, status } => format!("{bic} {status:?}"),
        HubCommand::OpenAccount {
            owner,
            currency,
            purpose,
            net_debit_cap,
        } => format!("{owner} {currency} {purpose:?} cap {net_debit_cap}"),
        HubCommand::SetNetDebitCap {
            account,
            net_debit_cap,
        } => format!("account {account} cap {net_debit_cap}"),
        HubCommand::Liquidity {
            reference,
            participant,
            currency,
            amount,
            direction,
            ..
        } => format!("{direction:?} {participant} {amount} {currency} ref {reference}"),
        HubCommand::SubmitPayments { payments, .. } => submitted(payments.len(), answer),
        HubCommand::CancelPayment { payment, .. } => format!("payment {payment}"),
        HubCommand::ReturnPayment {
            original,
            return_id,
            ..
        } => format!("payment {original} return {return_id}"),
        HubCommand::AcknowledgeOutbox { up_to, .. } => format!("up to {up_to}"),
        HubCommand::RegisterToken { subject, .. } => format!("token for {subject}"),
        HubCommand::PublishRateSheet { sheet, .. } => format!("{} pairs", sheet.pairs.len()),
        HubCommand::PublishReferenceRates { rates, .. } => format!("{} rates", rates.len()),
        HubCommand::RequestQuote { .. } => match answer {
            Answer::Quote(quote) => format!("quote {}", quote.id),
            _ => String::new(),
        },
        HubCommand::Tick => String::new(),
        HubCommand::ConfigureCompliance(c) => format!("{c:?}"),
        HubCommand::RecordWatchlist { version, entries } => format!(
            "{} of {} ({}), {entries} entries",
            version.list, version.date, version.sha256
        ),
        HubCommand::ConfigureMonitoring(_) => "AML rules replaced".to_string(),
        HubCommand::WorkCase { case, action, .. } => format!("case {case} {action:?}"),
        HubCommand::DecideHold {
            payment, decision, ..
        } => format!("payment {payment} {decision:?}"),
        HubCommand::RecallPayment {
            payment,
            cancellation_id,
            ..
        } => format!("payment {payment} cancellation {cancellation_id}"),
        HubCommand::AnswerRecall { recall, .. } => format!("recall {recall}"),
        HubCommand::CloseBusinessDay { date, .. } => format!("business day {date}"),
        HubCommand::IssueToken {
            subject,
            expires_at,
            ..
        } => format!("token for {subject} until {expires_at}"),
        HubCommand::RevokeToken { token_sha256 } => {
            format!("token {} revoked", digest_prefix(token_sha256))
        }
        HubCommand::RegisterCredential {
            subject,
            fingerprint_sha256,
        } => format!("certificate {fingerprint_sha256} for {subject}"),
        HubCommand::RevokeCredential {
            subject,
            fingerprint_sha256,
        } => format!("certificate {fingerprint_sha256} of {subject} revoked"),
        HubCommand::ConfigureOperatingDay { currency, schedule } => format!(
            "{currency} {} opens {} customer {} institution {} liquidity {} closes {} {:?} horizon {} days",
            schedule.time_zone,
            schedule.opens,
            schedule.customer_cutoff,
            schedule.institution_cutoff,
            schedule.liquidity_cutoff,
            schedule.closes,
            schedule.end_of_day,
            schedule.horizon_days
        ),
        HubCommand::LoadCalendar { currency, text } => {
            let version = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("version,"))
                .unwrap_or("?");
            format!("{currency} calendar version {}", version.trim())
        }
        HubCommand::AmendCalendar(a) => format!(
            "{} {} {}: {} ({})",
            a.currency,
            a.date,
            if a.closed { "closed" } else { "opened" },
            a.name,
            a.source
        ),
        HubCommand::ExtendCutOff {
            currency,
            date,
            cut_off,
            until,
        } => format!("{currency} {date} {cut_off:?} extended to {until}"),
        HubCommand::ConfigureLiquiditySaving(c) => format!("{c:?}"),
        HubCommand::SetLiquidityControls {
            participant,
            currency,
            controls,
            ..
        } => format!("{participant} {currency} {controls:?}"),
        HubCommand::ConfigureNetSettlement { currency, settings } => {
            format!("{currency} {settings:?}")
        }
        HubCommand::NetWindow { currency, action } => format!("{currency} {action:?}"),
        HubCommand::RunOptimisation {
            currency,
            algorithm,
        } => format!("{currency} {algorithm:?}"),
    }
}

/// Enough of a token's digest to tell which was revoked, without repeating the digest.
fn digest_prefix(token_sha256: &str) -> &str {
    token_sha256.get(..12).unwrap_or(token_sha256)
}

/// How many of a batch were taken, and the numbers they got.
fn submitted(count: usize, answer: &Answer) -> String {
    let Answer::Payments(results) = answer else {
        return format!("{count} payments");
    };
    let taken: Vec<u64> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|r| r.payment))
        .collect();
    let (accepted, first, last) = (taken.len(), taken.first(), taken.last());
    match (first, last) {
        (Some(first), Some(last)) => {
            format!("{accepted} of {count} accepted: payments {first} to {last}")
        }
        _ => format!("none of {count} accepted"),
    }
}

impl Hub {
    /// Records a command the hub carried out; a refused command changed nothing, nor did a
    /// batch of payments all refused.
    pub(super) fn audit_command(&mut self, command: &HubCommand, answer: &Answer, now: Timestamp) {
        if let Answer::Payments(results) = answer
            && results.iter().all(Result::is_err)
        {
            return;
        }
        self.audit.append(
            now,
            &command.caller_label(),
            AuditAction::Command {
                command: command.kind(),
                detail: detail(command, answer),
            },
        );
    }
}
