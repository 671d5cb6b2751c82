//! MT103 <-> pacs.008.001.08, after the CBPR+ translation rules for the fields both carry.
//!
//! MT -> MX: :20: is the instruction id, the UETR comes from block 3 field 121, the end-to-end
//! id from a `/ROC/` reference in :70: (else `NOTPROVIDED`), :32A: gives the settlement
//! date and amount (decimal comma to point), :71A: OUR/SHA/BEN gives DEBT/SHAR/CRED, the
//! agents default to the sender (debtor agent) and receiver (creditor agent) when :52A: and
//! :57A: are absent, and the sender and receiver are the instructing and instructed agents.
//!
//! MX -> MT: see [`super::translate`] for how text is cut and what is noted.

use super::fin::FinMessage;
use super::mt103::Mt103;
use super::translate::{
    NOT_PROVIDED, Translation, TranslationNote, account, agent, bic_of, fin_message, iso_date,
    mt_amount, mt_date, mt_party, mt_reference, mt_remittance, mx_amount, mx_party, mx_remittance,
    note_dropped,
};
use crate::codes::{ChargeBearer, SettlementMethod};
use crate::pacs008::{
    CreditTransferTransaction, FIToFICstmrCdtTrf, GroupHeader, PaymentIdentification,
};

/// MT103 to pacs.008. `created` is the `CreDtTm` to stamp (the caller's clock, not ours).
/// MT103 to pacs.008. `created` is the `CreDtTm` to stamp (the caller's clock, not ours).
pub fn mt103_to_pacs008(mt: &Mt103, created: &str) -> Translation<FIToFICstmrCdtTrf> {
    let mut notes = Vec::new();
    let transaction = CreditTransferTransaction {
        payment_identification: PaymentIdentification {
            instruction_identification: Some(mt.reference.clone()),
            end_to_end_identification: end_to_end(mt.remittance.as_deref()),
            transaction_identification: None,
            uetr: mt.uetr.clone(),
        },
        instruction_priority: None,
        interbank_settlement_amount: mx_amount(&mt.currency, &mt.amount),
        interbank_settlement_date: Some(iso_date(&mt.value_date)),
        settlement_time_request: None,
        instructed_amount: mt
            .instructed
            .as_ref()
            .map(|(currency, amount)| mx_amount(currency, amount)),
        exchange_rate: None,
        charge_bearer: match mt.charges.as_str() {
            "OUR" => ChargeBearer::BorneByDebtor,
            "BEN" => ChargeBearer::BorneByCreditor,
            _ => ChargeBearer::Shared,
        },
        instructing_agent: Some(agent(&mt.sender)),
        instructed_agent: Some(agent(&mt.receiver)),
        ultimate_debtor: None,
        debtor: mx_party(&mt.ordering_customer.1, "50F", &mut notes),
        debtor_account: mt.ordering_customer.1.account.as_deref().map(account),
        debtor_agent: agent(mt.ordering_institution.as_deref().unwrap_or(&mt.sender)),
        creditor_agent: agent(
            mt.account_with_institution
                .as_deref()
                .unwrap_or(&mt.receiver),
        ),
        creditor: mx_party(&mt.beneficiary.1, "59F", &mut notes),
        creditor_account: mt.beneficiary.1.account.as_deref().map(account),
        ultimate_creditor: None,
        instructions_for_next_agent: Vec::new(),
        purpose_code: None,
        remittance_information_unstructured: mx_remittance(mt.remittance.as_deref()),
    };
    let message = FIToFICstmrCdtTrf {
        group_header: GroupHeader::one_transaction(
            mt.reference.clone(),
            created.to_string(),
            SettlementMethod::InstructedAgent,
        ),
        credit_transfer_transactions: vec![transaction],
    };
    Translation { message, notes }
}

fn end_to_end(remittance: Option<&str>) -> String {
    remittance
        .and_then(|text| text.split("/ROC/").nth(1))
        .map(|rest| {
            rest.split(['/', '\n'])
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| NOT_PROVIDED.to_string())
}

/// pacs.008 (its first transaction) to MT103, with a note for everything cut, replaced or
/// left out. `None` if the message holds no transaction.
pub fn pacs008_to_mt103(mx: &FIToFICstmrCdtTrf) -> Option<Translation<FinMessage>> {
    let tx = mx.credit_transfer_transactions.first()?;
    let mut notes = Vec::new();
    if mx.credit_transfer_transactions.len() > 1 {
        notes.push(TranslationNote::Dropped {
            field: "CdtTrfTxInf[2..] (an MT103 carries one transaction)".into(),
        });
    }
    note_dropped(
        &mut notes,
        &[
            (
                tx.exchange_rate.is_some(),
                "XchgRate (field 36 is not written)",
            ),
            (
                !tx.instructions_for_next_agent.is_empty(),
                "InstrForNxtAgt (field 72 is not written)",
            ),
        ],
    );
    let sender = bic_of(tx.instructing_agent.as_ref()).or(tx.debtor_agent.bicfi.clone())?;
    let receiver = bic_of(tx.instructed_agent.as_ref()).or(tx.creditor_agent.bicfi.clone())?;
    let reference = tx
        .payment_identification
        .instruction_identification
        .as_deref()
        .unwrap_or(&mx.group_header.message_identification);
    let amount = &tx.interbank_settlement_amount;
    let mt = Mt103 {
        sender: sender.clone(),
        receiver: receiver.clone(),
        uetr: tx.payment_identification.uetr.clone(),
        reference: mt_reference(reference, "20", &mut notes),
        bank_operation_code: "CRED".into(),
        value_date: mt_date(tx.interbank_settlement_date.as_deref()),
        currency: amount.currency.clone(),
        amount: mt_amount(&amount.amount),
        instructed: tx
            .instructed_amount
            .as_ref()
            .map(|a| (a.currency.clone(), mt_amount(&a.amount))),
        ordering_customer: mt_party(
            &tx.debtor,
            tx.debtor_account.as_ref(),
            ('K', 'F'),
            "50",
            &mut notes,
        ),
        ordering_institution: tx.debtor_agent.bicfi.clone().filter(|b| *b != sender),
        account_with_institution: tx.creditor_agent.bicfi.clone().filter(|b| *b != receiver),
        beneficiary: mt_party(
            &tx.creditor,
            tx.creditor_account.as_ref(),
            (' ', 'F'),
            "59",
            &mut notes,
        ),
        remittance: mt_remittance(&tx.remittance_information_unstructured, &mut notes),
        charges: match tx.charge_bearer {
            ChargeBearer::BorneByDebtor => "OUR",
            ChargeBearer::BorneByCreditor => "BEN",
            ChargeBearer::Shared | ChargeBearer::FollowingServiceLevel => "SHA",
        }
        .into(),
    };
    note_dropped(
        &mut notes,
        &[
            (tx.ultimate_debtor.is_some(), "UltmtDbtr"),
            (tx.ultimate_creditor.is_some(), "UltmtCdtr"),
            (tx.purpose_code.is_some(), "Purp"),
            (tx.settlement_time_request.is_some(), "SttlmTmReq"),
        ],
    );
    let user_header = mt
        .uetr
        .iter()
        .map(|u| ("121".to_string(), u.clone()))
        .collect();
    let fin = fin_message((sender, receiver), "103", user_header, mt.fields());
    Some(Translation {
        message: fin,
        notes,
    })
}
