//! ISO 20022 messages in: a participant's parsed message, once both validation layers pass,
//! becomes the same hub command the JSON API builds. Pure: the caller parses, brings the
//! business context, resolves the payments a cancellation, recall answer or return names,
//! and submits.

use corridor_core::{Bic, CurrencyCode, Uetr};
use corridor_iso20022::{
    AccountIdentification, ActiveCurrencyAndAmount, Agent, BusinessContext, CancellationStatus,
    CancellationStatusTransaction, CancellationTransaction, ChargeBearer as IsoChargeBearer,
    CreditTransferTransaction, Document, FICdtTrf, FICreditTransferTransaction, FIToFICstmrCdtTrf,
    FIToFIPmtCxlReq, FieldError, GroupHeader, InstructionForNextAgent, LqdtyCdtTrf, Message,
    MessageType, PaymentIdentification, PmtRtr, Priority as IsoPriority, ReasonInformation,
    ReturnTransaction, RsltnOfInvstgtn, TransferredAmount,
};
use corridor_settlement::{
    AccountPurpose, BusinessDate, CashAccount, ChargeBearer, HubCommand, LiquidityDirection, Party,
    PartyIdentification, PaymentInstruction, PaymentKind, PostalAddress, Priority, Rejection,
    SettlementTimeRequest,
};

/// What one inbound message asks of the hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intake {
    /// pacs.008 or pacs.009: a `SubmitPayments` command.
    Payments(HubCommand),
    /// camt.056: cancel each named payment still queued, recall each one settled.
    Cancellations(Vec<Cancellation>),
    /// camt.029 from the creditor agent: its answer to each recall of a payment it received.
    RecallReplies(Vec<RecallReply>),
    /// pacs.004: send each named settled payment back.
    Returns(Vec<PaymentReturn>),
    /// camt.050 from a settlement agent: a `Liquidity` command.
    Liquidity(HubCommand),
}

/// One transaction of a camt.056, by the UETR of the payment it would cancel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    pub cancellation_id: Option<String>,
    pub original_uetr: Uetr,
    pub reason: String,
}

/// One transaction of a camt.029, by the UETR of the recalled payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecallReply {
    pub original_uetr: Uetr,
    /// `CxlStsId`: on acceptance, the creditor agent's id for the return.
    pub status_id: Option<String>,
    /// `None`: accepted, the money goes back; else rejected for this reason.
    pub rejection: Option<String>,
}

/// One transaction of a pacs.004, by the UETR of the payment it sends back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentReturn {
    pub original_uetr: Uetr,
    pub return_id: String,
    pub amount: String,
    pub reason: String,
}

/// One problem of a refused message: where, its ISO 20022 reason code, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Problem {
    pub path: String,
    pub code: String,
    pub detail: String,
}

/// A message refused, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeRefusal(pub Vec<Problem>);

impl IntakeRefusal {
    fn one(path: impl Into<String>, code: &str, detail: impl Into<String>) -> IntakeRefusal {
        IntakeRefusal(vec![Problem {
            path: path.into(),
            code: code.to_owned(),
            detail: detail.into(),
        }])
    }

    /// The problems either validation layer of the message library found.
    pub fn from_fields(errors: Vec<FieldError>) -> IntakeRefusal {
        IntakeRefusal(
            errors
                .into_iter()
                .map(|e| Problem {
                    path: e.path,
                    code: e.code.as_str().to_owned(),
                    detail: e.detail,
                })
                .collect(),
        )
    }

    /// The first problem's code, with every problem in the text.
    pub fn rejection(&self) -> Rejection {
        let code = self.0.first().map_or("FF01", |e| e.code.as_str());
        let message = self
            .0
            .iter()
            .map(|e| format!("{} ({}): {}", e.path, e.code, e.detail))
            .collect::<Vec<_>>()
            .join("; ");
        Rejection::new(code, message)
    }
}

/// Checks `message` (both layers) as sent by `sender` and says what it asks of the hub.
/// Takes the message by value: its texts move into the command instead of being copied.
pub fn intake(
    message: Message,
    sender: Bic,
    business: &BusinessContext,
) -> Result<Intake, IntakeRefusal> {
    message
        .validate()
        .map_err(|e| IntakeRefusal::from_fields(e.0))?;
    message
        .check_business_rules(business)
        .map_err(|e| IntakeRefusal::from_fields(e.0))?;
    if let Some(header) = &message.header {
        agent_is_sender(&header.from, sender, "/AppHdr/Fr/FIId/FinInstnId/BICFI")?;
    }
    match message.document {
        Document::Pacs008(document) => customer_transfers(*document, sender),
        Document::Pacs009(document) => institution_transfers(*document, sender),
        Document::Camt056(document) => cancellations(&document),
        Document::Camt029(document) => recall_replies(&document, sender),
        Document::Pacs004(document) => returns(&document),
        Document::Camt050(document) => liquidity(&document, sender),
        _ => Err(IntakeRefusal::one(
            "/Document",
            "FF01",
            format!(
                "{} is not a message Corridor takes in; it takes {}",
                message.message_type,
                ACCEPTED.map(MessageType::name).join(", ")
            ),
        )),
    }
}

/// A bank moves only its own payments: the instructing agent, when named, is the sender.
/// `path` is where the agent's BICFI is, written only when the agent is refused.
fn agent_is_sender(
    agent: &Agent,
    sender: Bic,
    path: impl std::fmt::Display,
) -> Result<(), IntakeRefusal> {
    let named = agent.bicfi.as_deref().map(parse_bic).transpose();
    match named {
        Ok(Some(bic)) if bic == sender => Ok(()),
        Ok(None) => Ok(()),
        Ok(Some(bic)) => Err(IntakeRefusal::one(
            path.to_string(),
            "AG01",
            format!("{bic} is not the sending participant {sender}"),
        )),
        Err(detail) => Err(IntakeRefusal::one(path.to_string(), "RC01", detail)),
    }
}

fn customer_transfers(document: FIToFICstmrCdtTrf, sender: Bic) -> Result<Intake, IntakeRefusal> {
    let header = &document.group_header;
    let payments = each_transaction(
        "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf",
        document.credit_transfer_transactions,
        |path, t| customer_transfer(path, t, header, sender),
    )?;
    Ok(Intake::Payments(HubCommand::SubmitPayments {
        sender,
        payments,
        screening: Vec::new(),
    }))
}

fn institution_transfers(document: FICdtTrf, sender: Bic) -> Result<Intake, IntakeRefusal> {
    let header = &document.group_header;
    let payments = each_transaction(
        "/Document/FICdtTrf/CdtTrfTxInf",
        document.credit_transfer_transactions,
        |path, t| institution_transfer(path, t, header, sender),
    )?;
    Ok(Intake::Payments(HubCommand::SubmitPayments {
        sender,
        payments,
        screening: Vec::new(),
    }))
}

/// Maps every transaction, collecting every problem of every one before refusing.
fn each_transaction<T, R>(
    path: &str,
    transactions: impl IntoIterator<Item = T>,
    map: impl Fn(&str, T) -> Result<R, IntakeRefusal>,
) -> Result<Vec<R>, IntakeRefusal> {
    let transactions = transactions.into_iter();
    let mut mapped = Vec::with_capacity(transactions.size_hint().0);
    let mut problems = Vec::new();
    for (i, t) in transactions.enumerate() {
        match map(&format!("{path}[{}]", i + 1), t) {
            Ok(value) => mapped.push(value),
            Err(refusal) => problems.extend(refusal.0),
        }
    }
    if problems.is_empty() {
        Ok(mapped)
    } else {
        Err(IntakeRefusal(problems))
    }
}

/// What a pacs.008 and a pacs.009 transaction say alike: its identifiers, amount, agents,
/// priority and remittance line. The parties are the caller's to fill in.
struct Common<'t> {
    path: &'t str,
    kind: PaymentKind,
    id: PaymentIdentification,
    amount: ActiveCurrencyAndAmount,
    /// Names the agents of every transaction that does not name its own.
    header: &'t GroupHeader,
    instructing_agent: Option<&'t Agent>,
    instructed_agent: Option<&'t Agent>,
    priority: Option<IsoPriority>,
    remittance: Vec<String>,
    settlement_date: Option<String>,
    settlement_time: Option<corridor_iso20022::SettlementTimeRequest>,
}

impl Common<'_> {
    fn instruction(self, sender: Bic) -> Result<PaymentInstruction, IntakeRefusal> {
        let path = self.path;
        let instructing_agent = self
            .instructing_agent
            .or(self.header.instructing_agent.as_ref());
        let instructed_agent = self
            .instructed_agent
            .or(self.header.instructed_agent.as_ref());
        if let Some(agent) = instructing_agent {
            agent_is_sender(
                agent,
                sender,
                format_args!("{path}/InstgAgt/FinInstnId/BICFI"),
            )?;
        }
        Ok(PaymentInstruction {
            kind: self.kind,
            instruction_id: required(path, "PmtId/InstrId", self.id.instruction_identification)?,
            end_to_end_id: self.id.end_to_end_identification,
            uetr: uetr(path, "PmtId/UETR", self.id.uetr.as_deref())?,
            currency: currency(path, "IntrBkSttlmAmt", &self.amount.currency)?,
            amount: self.amount.amount,
            instructed_agent: required_agent(path, "InstdAgt", instructed_agent)?,
            debtor: Party::default(),
            debtor_account: None,
            debtor_agent: None,
            creditor: Party::default(),
            creditor_account: None,
            creditor_agent: None,
            ultimate_debtor: None,
            ultimate_creditor: None,
            charge_bearer: ChargeBearer::default(),
            purpose: None,
            remittance_information: remittance(path, self.remittance)?,
            priority: priority(self.priority),
            quote: None,
            settlement_date: settlement_date(path, self.settlement_date.as_deref())?,
            when_closed: None,
            settlement_time: self.settlement_time.map(settlement_time),
        })
    }
}

fn customer_transfer(
    path: &str,
    t: CreditTransferTransaction,
    header: &GroupHeader,
    sender: Bic,
) -> Result<PaymentInstruction, IntakeRefusal> {
    let common = Common {
        path,
        kind: PaymentKind::CustomerCreditTransfer,
        id: t.payment_identification,
        amount: t.interbank_settlement_amount,
        header,
        instructing_agent: t.instructing_agent.as_ref(),
        instructed_agent: t.instructed_agent.as_ref(),
        priority: t.instruction_priority,
        remittance: t.remittance_information_unstructured,
        settlement_date: t.interbank_settlement_date,
        settlement_time: t.settlement_time_request,
    }
    .instruction(sender)?;
    let debtor_agent = agent_bic(path, "DbtrAgt", &t.debtor_agent)?;
    let creditor_agent = agent_bic(path, "CdtrAgt", &t.creditor_agent)?;
    let instruction = PaymentInstruction {
        debtor: party(path, "Dbtr", t.debtor)?,
        debtor_account: t.debtor_account.map(account),
        debtor_agent: (debtor_agent != sender).then_some(debtor_agent),
        creditor: party(path, "Cdtr", t.creditor)?,
        creditor_account: t.creditor_account.map(account),
        creditor_agent: (creditor_agent != common.instructed_agent).then_some(creditor_agent),
        ultimate_debtor: optional_party(path, "UltmtDbtr", t.ultimate_debtor)?,
        ultimate_creditor: optional_party(path, "UltmtCdtr", t.ultimate_creditor)?,
        charge_bearer: charge_bearer(t.charge_bearer),
        purpose: t.purpose_code,
        quote: named_quote(path, &t.instructions_for_next_agent)?,
        ..common
    };
    checked(path, instruction)
}

/// How a pacs.008 names the FX quote to settle against, payment versus payment: an
/// instruction for the next agent (the hub) `/FXQT/<quote id>`, as `pay --quote` names it.
pub const QUOTE_INSTRUCTION: &str = "/FXQT/";

/// The quote an instruction for the next agent names, if one does.
fn named_quote(
    path: &str,
    instructions: &[InstructionForNextAgent],
) -> Result<Option<u64>, IntakeRefusal> {
    let mut named = instructions
        .iter()
        .enumerate()
        .filter_map(|(i, instruction)| {
            let text = instruction.information.as_deref()?;
            Some((i, text.strip_prefix(QUOTE_INSTRUCTION)?))
        });
    let Some((i, id)) = named.next() else {
        return Ok(None);
    };
    let where_ = format!("{path}/InstrForNxtAgt[{}]/InstrInf", i + 1);
    if named.next().is_some() {
        return Err(IntakeRefusal::one(
            where_,
            "FF01",
            "a payment settles against one quote: name it once",
        ));
    }
    id.trim_end_matches('/')
        .parse::<u64>()
        .map(Some)
        .map_err(|_| {
            IntakeRefusal::one(
                where_,
                "FF01",
                format!("{QUOTE_INSTRUCTION}{id} does not name a quote by its number"),
            )
        })
}

fn institution_transfer(
    path: &str,
    t: FICreditTransferTransaction,
    header: &GroupHeader,
    sender: Bic,
) -> Result<PaymentInstruction, IntakeRefusal> {
    let common = Common {
        path,
        kind: PaymentKind::FinancialInstitutionTransfer,
        id: t.payment_identification,
        amount: t.interbank_settlement_amount,
        header,
        instructing_agent: t.instructing_agent.as_ref(),
        instructed_agent: t.instructed_agent.as_ref(),
        priority: t.instruction_priority,
        remittance: t.remittance_information_unstructured,
        settlement_date: t.interbank_settlement_date,
        settlement_time: t.settlement_time_request,
    }
    .instruction(sender)?;
    let creditor_agent = t
        .creditor_agent
        .as_ref()
        .map(|agent| agent_bic(path, "CdtrAgt", agent))
        .transpose()?;
    let instruction = PaymentInstruction {
        debtor: institution(path, "Dbtr", &t.debtor)?,
        debtor_account: t.debtor_account.map(account),
        creditor: institution(path, "Cdtr", &t.creditor)?,
        creditor_account: t.creditor_account.map(account),
        creditor_agent: creditor_agent.filter(|bic| *bic != common.instructed_agent),
        charge_bearer: ChargeBearer::Creditor,
        ..common
    };
    checked(path, instruction)
}

/// The checks the JSON API makes on every instruction, so both doors refuse the same.
fn checked(
    path: &str,
    instruction: PaymentInstruction,
) -> Result<PaymentInstruction, IntakeRefusal> {
    instruction
        .check()
        .map_err(|r| IntakeRefusal::one(path, &r.code, r.message))?;
    Ok(instruction)
}

fn cancellations(document: &FIToFIPmtCxlReq) -> Result<Intake, IntakeRefusal> {
    let mut all = Vec::new();
    for (u, underlying) in document.underlying.iter().enumerate() {
        let path = format!("/Document/FIToFIPmtCxlReq/Undrlyg[{}]/TxInf", u + 1);
        all.extend(each_transaction(
            &path,
            &underlying.transactions,
            |path, t: &CancellationTransaction| {
                Ok(Cancellation {
                    cancellation_id: t.cancellation_identification.clone(),
                    original_uetr: uetr(path, "OrgnlUETR", t.original.uetr.as_deref())?,
                    reason: reason_text(&t.cancellation_reasons),
                })
            },
        )?);
    }
    Ok(Intake::Cancellations(all))
}

/// The creditor agent assigns the answer: `Assgnr` is the sender. Each transaction is
/// accepted (ACCR) or rejected (RJCR), or says nothing and follows `Sts/Conf` (CNCL, RJCR).
fn recall_replies(document: &RsltnOfInvstgtn, sender: Bic) -> Result<Intake, IntakeRefusal> {
    const PATH: &str = "/Document/RsltnOfInvstgtn";
    agent_is_sender(
        &document.assignment.assigner,
        sender,
        format_args!("{PATH}/Assgnmt/Assgnr/Agt/FinInstnId/BICFI"),
    )?;
    let confirmation = document.status_confirmation.as_str();
    let mut all = Vec::new();
    for (d, details) in document.cancellation_details.iter().enumerate() {
        let path = format!("{PATH}/CxlDtls[{}]/TxInfAndSts", d + 1);
        all.extend(each_transaction(
            &path,
            &details.transactions,
            |path, t: &CancellationStatusTransaction| recall_reply(path, t, confirmation),
        )?);
    }
    if all.is_empty() {
        return Err(IntakeRefusal::one(
            format!("{PATH}/CxlDtls"),
            "CH21",
            "a camt.029 answers at least one recall (CxlDtls/TxInfAndSts)",
        ));
    }
    Ok(Intake::RecallReplies(all))
}

fn recall_reply(
    path: &str,
    t: &CancellationStatusTransaction,
    confirmation: &str,
) -> Result<RecallReply, IntakeRefusal> {
    let accepted = match (t.status, confirmation) {
        (Some(CancellationStatus::Accepted), _) | (None, "CNCL") => true,
        (Some(CancellationStatus::Rejected), _) | (None, "RJCR") => false,
        _ => {
            return Err(IntakeRefusal::one(
                format!("{path}/TxCxlSts"),
                "CH16",
                "a recall is answered ACCR (accepted) or RJCR (rejected), not left pending",
            ));
        }
    };
    Ok(RecallReply {
        original_uetr: uetr(path, "OrgnlUETR", t.original.uetr.as_deref())?,
        status_id: t.cancellation_status_identification.clone(),
        rejection: (!accepted).then(|| reason_text(&t.reasons)),
    })
}

fn returns(document: &PmtRtr) -> Result<Intake, IntakeRefusal> {
    let returns = each_transaction(
        "/Document/PmtRtr/TxInf",
        &document.transactions,
        |path, t: &ReturnTransaction| {
            let return_id = required(path, "RtrId", t.return_identification.clone())?;
            Ok(PaymentReturn {
                original_uetr: uetr(path, "OrgnlUETR", t.original.uetr.as_deref())?,
                return_id,
                amount: t.returned_interbank_settlement_amount.amount.clone(),
                reason: reason_text(&t.return_reasons),
            })
        },
    )?;
    Ok(Intake::Returns(returns))
}

/// A settlement agent moves liquidity between its funding account and a participant's
/// settlement account: crediting the participant (`Cdtr`) funds it, debiting it (`Dbtr`)
/// takes liquidity back. The agent's own side may be left out or name the agent.
fn liquidity(document: &LqdtyCdtTrf, agent: Bic) -> Result<Intake, IntakeRefusal> {
    const PATH: &str = "/Document/LqdtyCdtTrf/LqdtyCdtTrf";
    let t = &document.liquidity_credit_transfer;
    let bic_of =
        |name: &str, side: Option<&Agent>| side.map(|a| agent_bic(PATH, name, a)).transpose();
    let creditor = bic_of("Cdtr", t.creditor.as_ref())?;
    let debtor = bic_of("Dbtr", t.debtor.as_ref())?;
    let (participant, direction) = match (creditor, debtor) {
        (Some(c), d) if c != agent && d.is_none_or(|d| d == agent) => (c, LiquidityDirection::Fund),
        (c, Some(d)) if d != agent && c.is_none_or(|c| c == agent) => {
            (d, LiquidityDirection::Defund)
        }
        _ => {
            return Err(IntakeRefusal::one(
                format!("{PATH}/Cdtr"),
                "CH16",
                "one side is the sending settlement agent, the other the participant whose account moves",
            ));
        }
    };
    let TransferredAmount::WithCurrency(amount) = &t.transferred_amount else {
        return Err(IntakeRefusal::one(
            format!("{PATH}/TrfdAmt/AmtWthtCcy"),
            "AM03",
            "Corridor settles several currencies: give the amount with its currency (AmtWthCcy)",
        ));
    };
    let id = t.liquidity_transfer_identification.as_ref();
    let reference = id
        .and_then(|i| i.instruction_identification.clone())
        .unwrap_or_else(|| document.message_header.message_identification.clone());
    Ok(Intake::Liquidity(HubCommand::Liquidity {
        agent,
        reference,
        participant,
        currency: currency(PATH, "TrfdAmt/AmtWthCcy", &amount.currency)?,
        amount: amount.amount.clone(),
        direction,
        account: AccountPurpose::Settlement,
    }))
}

/// The first reason's code, else its text, else `NARR`: the hub records one reason.
fn reason_text(reasons: &[ReasonInformation]) -> String {
    let first = reasons.first();
    first
        .and_then(|r| r.reason_code.clone())
        .or_else(|| first.and_then(|r| r.additional_information.first().cloned()))
        .unwrap_or_else(|| "NARR".to_owned())
}

fn required(path: &str, name: &str, value: Option<String>) -> Result<String, IntakeRefusal> {
    value.ok_or_else(|| {
        IntakeRefusal::one(
            format!("{path}/{name}"),
            "CH21",
            format!("{name} is required: it is the payment's idempotency key in Corridor"),
        )
    })
}

fn uetr(path: &str, name: &str, value: Option<&str>) -> Result<Uetr, IntakeRefusal> {
    let at = || format!("{path}/{name}");
    let text =
        value.ok_or_else(|| IntakeRefusal::one(at(), "CH21", format!("{name} is required")))?;
    text.parse()
        .map_err(|e| IntakeRefusal::one(at(), "CH16", format!("{text:?}: {e}")))
}

/// The currency of the amount `name` at `path`.
fn currency(path: &str, name: &str, code: &str) -> Result<CurrencyCode, IntakeRefusal> {
    code.parse().map_err(|e| {
        IntakeRefusal::one(
            format!("{path}/{name}/@Ccy"),
            "AM03",
            format!("{code:?}: {e}"),
        )
    })
}

fn parse_bic(text: &str) -> Result<Bic, String> {
    text.parse::<Bic>().map_err(|e| format!("{text:?}: {e}"))
}

fn agent_bic(path: &str, name: &str, agent: &Agent) -> Result<Bic, IntakeRefusal> {
    let at = || format!("{path}/{name}/FinInstnId/BICFI");
    let text = agent.bicfi.as_deref().ok_or_else(|| {
        IntakeRefusal::one(
            at(),
            "RC01",
            "Corridor routes on BICs: the agent needs its BICFI",
        )
    })?;
    parse_bic(text).map_err(|detail| IntakeRefusal::one(at(), "RC01", detail))
}

fn required_agent(path: &str, name: &str, agent: Option<&Agent>) -> Result<Bic, IntakeRefusal> {
    let agent = agent.ok_or_else(|| {
        IntakeRefusal::one(
            format!("{path}/{name}"),
            "CH21",
            format!(
                "{name} is required, in the transaction or once in the group header: it names the participant to credit"
            ),
        )
    })?;
    agent_bic(path, name, agent)
}

fn party(
    path: &str,
    name: &str,
    party: corridor_iso20022::PartyIdentification,
) -> Result<Party, IntakeRefusal> {
    let party_name = party.name.ok_or_else(|| {
        IntakeRefusal::one(
            format!("{path}/{name}/Nm"),
            "CH21",
            "a party's name is required: screening needs it",
        )
    })?;
    let identification = party
        .organisation_identification
        .map(|o| {
            let any_bic = o
                .any_bic
                .as_deref()
                .map(|text| {
                    parse_bic(text).map_err(|detail| {
                        IntakeRefusal::one(format!("{path}/{name}/Id/OrgId/AnyBIC"), "RC01", detail)
                    })
                })
                .transpose()?;
            let other = o.other.into_iter().next();
            let (other_id, other_scheme) = match other {
                Some(g) => (Some(g.identification), g.scheme_name_code),
                None => (None, None),
            };
            Ok(PartyIdentification {
                any_bic,
                lei: o.lei,
                other_id,
                other_scheme,
            })
        })
        .transpose()?;
    Ok(Party {
        name: party_name,
        postal_address: party.postal_address.map(|a| PostalAddress {
            street_name: a.street_name,
            building_number: a.building_number,
            post_code: a.post_code,
            town_name: a.town_name,
            country: a.country,
            address_lines: a.address_lines,
        }),
        identification,
        country_of_residence: party.country_of_residence,
    })
}

fn optional_party(
    path: &str,
    name: &str,
    value: Option<corridor_iso20022::PartyIdentification>,
) -> Result<Option<Party>, IntakeRefusal> {
    value.map(|p| party(path, name, p)).transpose()
}

/// In a pacs.009 the debtor and creditor are banks, named by their BIC.
fn institution(path: &str, name: &str, agent: &Agent) -> Result<Party, IntakeRefusal> {
    let bic = agent_bic(path, name, agent)?;
    Ok(Party {
        name: bic.to_string(),
        postal_address: None,
        identification: Some(PartyIdentification {
            any_bic: Some(bic),
            ..PartyIdentification::default()
        }),
        country_of_residence: None,
    })
}

fn account(account: corridor_iso20022::CashAccount) -> CashAccount {
    match account.identification {
        AccountIdentification::Iban(iban) => CashAccount {
            iban: Some(iban),
            other: None,
        },
        AccountIdentification::Other(other) => CashAccount {
            iban: None,
            other: Some(other),
        },
    }
}

fn remittance(path: &str, lines: Vec<String>) -> Result<Option<String>, IntakeRefusal> {
    if lines.len() > 1 {
        return Err(IntakeRefusal::one(
            format!("{path}/RmtInf/Ustrd[2]"),
            "CH17",
            "CBPR+ carries one line of unstructured remittance information",
        ));
    }
    Ok(lines.into_iter().next())
}

fn charge_bearer(bearer: IsoChargeBearer) -> ChargeBearer {
    match bearer {
        IsoChargeBearer::BorneByDebtor => ChargeBearer::Debtor,
        IsoChargeBearer::BorneByCreditor => ChargeBearer::Creditor,
        IsoChargeBearer::Shared => ChargeBearer::Shared,
        IsoChargeBearer::FollowingServiceLevel => ChargeBearer::ServiceLevel,
    }
}

fn priority(priority: Option<IsoPriority>) -> Priority {
    match priority {
        Some(IsoPriority::High) => Priority::High,
        Some(IsoPriority::Normal) | None => Priority::Normal,
    }
}

/// The message types the intake takes.
pub const ACCEPTED: [MessageType; 6] = [
    MessageType::Pacs008V08,
    MessageType::Pacs009V08,
    MessageType::Pacs004V09,
    MessageType::Camt056V08,
    MessageType::Camt029V09,
    MessageType::Camt050V05,
];

/// `IntrBkSttlmDt`, already checked as an ISO date by the message's own rules.
fn settlement_date(path: &str, date: Option<&str>) -> Result<Option<BusinessDate>, IntakeRefusal> {
    date.map(|d| {
        d.parse::<BusinessDate>()
            .map_err(|r| IntakeRefusal::one(format!("{path}/IntrBkSttlmDt"), &r.code, r.message))
    })
    .transpose()
}

/// `SttlmTmReq`: `CLSTm` is CLS's own latest time, so it counts as the till time when no
/// `TillTm` is given.
fn settlement_time(t: corridor_iso20022::SettlementTimeRequest) -> SettlementTimeRequest {
    SettlementTimeRequest {
        from_time: t.from_time,
        till_time: t.till_time.or(t.cls_time),
        reject_time: t.reject_time,
    }
}
