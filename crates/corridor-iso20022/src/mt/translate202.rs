//! MT202 <-> pacs.009.001.08 and MT202COV <-> pacs.009.001.08 with `UndrlygCstmrCdtTrf`
//! (the cover variant), after the CBPR+ translation rules for the fields both carry.
//!
//! MT -> MX: :20: is the message and instruction id, :21: the end-to-end id, the UETR comes
//! from block 3 field 121, :32A: gives the settlement date and amount, the sender and
//! receiver are the instructing and instructed agents, :52a: is the debtor (the sender when
//! absent) and its party identifier the debtor's account, :57a: the creditor agent, :58a:
//! the creditor and its account, and each line of :72: one `RmtInf/Ustrd`. Sequence B
//! gives the underlying transfer: :50a: and :59a: the debtor and creditor with their
//! accounts, :52a: the debtor agent (else the debtor of sequence A), :57a: the creditor
//! agent (else the creditor of sequence A), :70: the remittance, :33B: the instructed
//! amount. Fields the pacs.009 model does not keep (13C, 53a, 54a, 56a, :72: of sequence B,
//! an agent written in an option other than A) are noted as dropped.
//!
//! MX -> MT: the same in reverse, an MT202COV when `UndrlygCstmrCdtTrf` is present; see
//! [`super::translate`] for how text is cut and what is noted.

use super::field::Institution;
use super::fin::FinMessage;
use super::mt202::{Mt202, UnderlyingCustomerTransfer};
use super::translate::{
    Translation, TranslationNote, account, account_id, agent, bic_of, fin_message, iso_date,
    mt_amount, mt_date, mt_instructions, mt_party, mt_reference, mt_remittance, mx_amount,
    mx_instructions, mx_party, mx_remittance, note_dropped,
};
use crate::codes::SettlementMethod;
use crate::components::{Agent, CashAccount};
use crate::pacs008::{GroupHeader, PaymentIdentification};
use crate::pacs009::{FICdtTrf, FICreditTransferTransaction, UnderlyingCustomerCreditTransfer};

/// MT202 or MT202COV to pacs.009. `created` is the `CreDtTm` to stamp (the caller's clock).
pub fn mt202_to_pacs009(mt: &Mt202, created: &str) -> Translation<FICdtTrf> {
    let mut notes = Vec::new();
    note_dropped(
        &mut notes,
        &[
            (
                !mt.time_indications.is_empty(),
                "13C (SttlmTmIndctn is not kept by the pacs.009 model)",
            ),
            (
                mt.senders_correspondent.is_some(),
                "53a (InstgRmbrsmntAgt is not kept by the pacs.009 model)",
            ),
            (
                mt.receivers_correspondent.is_some(),
                "54a (InstdRmbrsmntAgt is not kept by the pacs.009 model)",
            ),
            (
                mt.intermediary.is_some(),
                "56a (IntrmyAgt1 is not kept by the pacs.009 model)",
            ),
        ],
    );
    let (debtor, debtor_account) = match &mt.ordering_institution {
        Some(institution) => mx_institution(institution, "52a", &mut notes),
        None => (agent(&mt.sender), None),
    };
    let creditor_agent = mt
        .account_with_institution
        .as_ref()
        .map(|institution| agent_without_account(institution, "57a", &mut notes));
    let (creditor, creditor_account) =
        mx_institution(&mt.beneficiary_institution, "58a", &mut notes);
    let underlying = mt
        .underlying
        .as_ref()
        .map(|underlying| mx_underlying(underlying, (&debtor, &creditor), &mut notes));
    let transaction = FICreditTransferTransaction {
        payment_identification: PaymentIdentification {
            instruction_identification: Some(mt.reference.clone()),
            end_to_end_identification: mt.related_reference.clone(),
            transaction_identification: None,
            uetr: mt.uetr.clone(),
        },
        instruction_priority: None,
        interbank_settlement_amount: mx_amount(&mt.currency, &mt.amount),
        interbank_settlement_date: Some(iso_date(&mt.value_date)),
        settlement_time_request: None,
        instructing_agent: Some(agent(&mt.sender)),
        instructed_agent: Some(agent(&mt.receiver)),
        debtor,
        debtor_account,
        debtor_agent: None,
        creditor_agent,
        creditor,
        creditor_account,
        remittance_information_unstructured: mx_instructions(mt.sender_to_receiver.as_deref()),
        underlying_customer_credit_transfer: underlying,
    };
    let message = FICdtTrf {
        group_header: GroupHeader::one_transaction(
            mt.reference.clone(),
            created.to_string(),
            SettlementMethod::InstructedAgent,
        ),
        credit_transfer_transactions: vec![transaction],
    };
    Translation { message, notes }
}

/// Sequence B as `UndrlygCstmrCdtTrf`; its agents default to sequence A's debtor and
/// creditor.
fn mx_underlying(
    underlying: &UnderlyingCustomerTransfer,
    (debtor, creditor): (&Agent, &Agent),
    notes: &mut Vec<TranslationNote>,
) -> UnderlyingCustomerCreditTransfer {
    note_dropped(
        notes,
        &[
            (
                underlying.intermediary.is_some(),
                "56a of sequence B (IntrmyAgt1 is not kept by the pacs.009 model)",
            ),
            (
                underlying.sender_to_receiver.is_some(),
                "72 of sequence B (InstrForNxtAgt is not kept by the pacs.009 model)",
            ),
        ],
    );
    let agent_or = |institution: Option<&Institution>,
                    default: &Agent,
                    field: &str,
                    notes: &mut Vec<TranslationNote>| {
        institution
            .map(|institution| agent_without_account(institution, field, notes))
            .unwrap_or_else(|| default.clone())
    };
    let (_, ordering_customer) = &underlying.ordering_customer;
    let (_, beneficiary) = &underlying.beneficiary;
    UnderlyingCustomerCreditTransfer {
        ultimate_debtor: None,
        debtor: mx_party(ordering_customer, "50F", notes),
        debtor_account: ordering_customer.account.as_deref().map(account),
        debtor_agent: agent_or(
            underlying.ordering_institution.as_ref(),
            debtor,
            "52a of sequence B",
            notes,
        ),
        creditor_agent: agent_or(
            underlying.account_with_institution.as_ref(),
            creditor,
            "57a of sequence B",
            notes,
        ),
        creditor: mx_party(beneficiary, "59F", notes),
        creditor_account: beneficiary.account.as_deref().map(account),
        ultimate_creditor: None,
        remittance_information_unstructured: mx_remittance(underlying.remittance.as_deref()),
        instructed_amount: underlying
            .instructed
            .as_ref()
            .map(|(currency, amount)| mx_amount(currency, amount)),
    }
}

/// An institution as an agent and the account its party identifier names. The agent model
/// keeps a BIC only: an option other than A, or a clearing code (`//CH123456`), is noted
/// as dropped.
fn mx_institution(
    institution: &Institution,
    field: &str,
    notes: &mut Vec<TranslationNote>,
) -> (Agent, Option<CashAccount>) {
    note_dropped(
        notes,
        &[(
            institution.option != 'A',
            &format!(
                "{field} option {} (the agent model keeps a BIC only)",
                institution.option
            ),
        )],
    );
    let identifier = institution.party_identifier.as_deref();
    let clearing_code = identifier.filter(|id| id.starts_with('/'));
    note_dropped(
        notes,
        &[(
            clearing_code.is_some(),
            &format!("{field} clearing code (the agent model keeps a BIC only)"),
        )],
    );
    let agent = Agent {
        bicfi: institution.bic().map(str::to_string),
    };
    let account = identifier.filter(|id| !id.starts_with('/')).map(account);
    (agent, account)
}

/// An institution where the model keeps no account for it (`CdtrAgt`, the underlying
/// agents): a party identifier is noted as dropped.
fn agent_without_account(
    institution: &Institution,
    field: &str,
    notes: &mut Vec<TranslationNote>,
) -> Agent {
    let (agent, account) = mx_institution(institution, field, notes);
    note_dropped(
        notes,
        &[(
            account.is_some(),
            &format!("{field} account (not kept by the pacs.009 model)"),
        )],
    );
    agent
}

/// pacs.009 (its first transaction) to MT202, or MT202COV when it has an
/// `UndrlygCstmrCdtTrf`, with a note for everything cut, replaced or left out. `None` if
/// the message holds no transaction, or lacks a sender, a receiver or a creditor BIC.
pub fn pacs009_to_mt202(mx: &FICdtTrf) -> Option<Translation<FinMessage>> {
    let tx = mx.credit_transfer_transactions.first()?;
    let mut notes = Vec::new();
    let sender = bic_of(tx.instructing_agent.as_ref()).or(tx.debtor.bicfi.clone())?;
    let receiver = bic_of(tx.instructed_agent.as_ref()).or(bic_of(tx.creditor_agent.as_ref()))?;
    let creditor = tx.creditor.bicfi.clone()?;
    note_dropped(
        &mut notes,
        &[
            (
                mx.credit_transfer_transactions.len() > 1,
                "CdtTrfTxInf[2..] (an MT202 carries one transaction)",
            ),
            (
                tx.payment_identification
                    .transaction_identification
                    .is_some(),
                "TxId",
            ),
            (tx.instruction_priority.is_some(), "PmtTpInf/InstrPrty"),
            (tx.settlement_time_request.is_some(), "SttlmTmReq"),
            (tx.debtor_agent.is_some(), "DbtrAgt"),
            (
                tx.debtor.bicfi.is_none() && tx.debtor_account.is_some(),
                "DbtrAcct (no BIC to write it with in 52A)",
            ),
        ],
    );
    let ids = &tx.payment_identification;
    let reference = ids
        .instruction_identification
        .as_deref()
        .unwrap_or(&mx.group_header.message_identification);
    let debtor_account = tx.debtor_account.as_ref().map(account_id);
    let ordering_institution = tx
        .debtor
        .bicfi
        .as_deref()
        .filter(|bic| *bic != sender || debtor_account.is_some())
        .map(|bic| Institution::with_bic(bic, debtor_account));
    let debtor = tx.debtor.bicfi.clone().unwrap_or_else(|| sender.clone());
    let amount = &tx.interbank_settlement_amount;
    let underlying = tx
        .underlying_customer_credit_transfer
        .as_ref()
        .map(|underlying| mt_underlying(underlying, (&debtor, &creditor), &mut notes));
    let mt = Mt202 {
        sender: sender.clone(),
        receiver: receiver.clone(),
        uetr: ids.uetr.clone(),
        reference: mt_reference(reference, "20", &mut notes),
        related_reference: mt_reference(&ids.end_to_end_identification, "21", &mut notes),
        time_indications: Vec::new(),
        value_date: mt_date(tx.interbank_settlement_date.as_deref()),
        currency: amount.currency.clone(),
        amount: mt_amount(&amount.amount),
        ordering_institution,
        senders_correspondent: None,
        receivers_correspondent: None,
        intermediary: None,
        account_with_institution: bic_of(tx.creditor_agent.as_ref())
            .map(|bic| Institution::with_bic(&bic, None)),
        beneficiary_institution: Institution::with_bic(
            &creditor,
            tx.creditor_account.as_ref().map(account_id),
        ),
        sender_to_receiver: mt_instructions(&tx.remittance_information_unstructured, &mut notes),
        underlying,
    };
    let fin = fin_message((sender, receiver), "202", mt.user_header(), mt.fields());
    Some(Translation {
        message: fin,
        notes,
    })
}

/// `UndrlygCstmrCdtTrf` as sequence B; an agent that is sequence A's debtor (for 52a) or
/// creditor (for 57a) is left out, as the MT reader defaults to them.
fn mt_underlying(
    underlying: &UnderlyingCustomerCreditTransfer,
    (debtor, creditor): (&str, &str),
    notes: &mut Vec<TranslationNote>,
) -> UnderlyingCustomerTransfer {
    note_dropped(
        notes,
        &[
            (underlying.ultimate_debtor.is_some(), "UltmtDbtr"),
            (underlying.ultimate_creditor.is_some(), "UltmtCdtr"),
        ],
    );
    let unless = |agent: &Agent, default: &str| {
        agent
            .bicfi
            .as_deref()
            .filter(|bic| *bic != default)
            .map(|bic| Institution::with_bic(bic, None))
    };
    UnderlyingCustomerTransfer {
        ordering_customer: mt_party(
            &underlying.debtor,
            underlying.debtor_account.as_ref(),
            ('K', 'F'),
            "50",
            notes,
        ),
        ordering_institution: unless(&underlying.debtor_agent, debtor),
        intermediary: None,
        account_with_institution: unless(&underlying.creditor_agent, creditor),
        beneficiary: mt_party(
            &underlying.creditor,
            underlying.creditor_account.as_ref(),
            (' ', 'F'),
            "59",
            notes,
        ),
        remittance: mt_remittance(&underlying.remittance_information_unstructured, notes),
        sender_to_receiver: None,
        instructed: underlying
            .instructed_amount
            .as_ref()
            .map(|amount| (amount.currency.clone(), mt_amount(&amount.amount))),
    }
}
