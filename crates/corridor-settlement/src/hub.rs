//! The hub's state and `apply`: participants, accounts, payments, RTGS queues, outboxes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use corridor_core::{AccountId, Amount, Bic, Currency, CurrencyCode, Timestamp, TransferId, Uetr};
use corridor_ledger::{
    AccountKind, BalanceRule, Command, Ledger, Movement, NewAccount, ResultCode, RuleChange,
    Transfer, TransferAction,
};
use serde::{Deserialize, Serialize};

use crate::business_day::ClosedDay;
use crate::command::{AccountPurpose, HubCommand, HubConfig, LiquidityDirection};
use crate::compliance::{Compliance, Hold, HoldDecision, HoldState, Officer, Screening};
use crate::fx::sheet::{RateSheet, ReferenceRate};
use crate::model::{Participant, ParticipantRole, ParticipantStatus, PaymentInstruction, Priority};
use crate::monitoring::Monitoring;
use crate::outbox::{Outbox, OutboxEvent};
use crate::pvp::{FxSettlement, Quote};
use crate::recall::Recall;
use crate::rejection::Rejection;

/// Ledger transfer codes: what a transfer was for, visible in the journal and statements.
const CODE_PAYMENT: u16 = 1;
const CODE_RETURN: u16 = 2;
/// One leg of a cross-currency (PvP) payment.
pub(crate) const CODE_FX_LEG: u16 = 3;
const CODE_FUND: u16 = 10;
const CODE_DEFUND: u16 = 11;

/// What a ledger transfer code means, as statements name it.
pub fn transfer_kind(code: u16) -> &'static str {
    match code {
        CODE_PAYMENT => "payment",
        CODE_RETURN => "return",
        CODE_FX_LEG => "fx_leg",
        CODE_FUND => "funding",
        CODE_DEFUND => "defunding",
        _ => "other",
    }
}

/// Largest payment batch one command may carry.
pub const MAX_BATCH: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Waiting in the payer's RTGS queue for liquidity (pacs.002 PDNG).
    Queued,
    /// Held by sanctions screening until a compliance officer decides (pacs.002 PDNG,
    /// reason RR04).
    Held,
    /// Settled with finality (ACSC).
    Settled,
    /// Refused or timed out in the queue (RJCT).
    Rejected,
    /// Cancelled by its sender while queued.
    Cancelled,
    /// Settled, then sent back in full by the receiver (pacs.004).
    Returned,
}

impl PaymentStatus {
    /// The ISO 20022 pacs.002 transaction status.
    pub fn iso_code(self) -> &'static str {
        match self {
            PaymentStatus::Queued | PaymentStatus::Held => "PDNG",
            PaymentStatus::Settled | PaymentStatus::Returned => "ACSC",
            PaymentStatus::Rejected => "RJCT",
            PaymentStatus::Cancelled => "CANC",
        }
    }

    /// The name used in JSON and messages.
    pub fn name(self) -> &'static str {
        match self {
            PaymentStatus::Queued => "queued",
            PaymentStatus::Held => "held",
            PaymentStatus::Settled => "settled",
            PaymentStatus::Rejected => "rejected",
            PaymentStatus::Cancelled => "cancelled",
            PaymentStatus::Returned => "returned",
        }
    }

    pub fn is_final(self) -> bool {
        !matches!(self, PaymentStatus::Queued | PaymentStatus::Held)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StatusEvent {
    pub at: Timestamp,
    pub status: PaymentStatus,
    pub reason: Option<Rejection>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub id: u64,
    /// The instructing agent: the participant that submitted it.
    pub sender: Bic,
    pub instruction: PaymentInstruction,
    pub amount: u128,
    pub received_at: Timestamp,
    pub status: PaymentStatus,
    pub history: Vec<StatusEvent>,
    pub transfer: Option<TransferId>,
    pub settled_at: Option<Timestamp>,
    /// When it is rejected if still queued.
    pub queue_deadline: Option<Timestamp>,
    /// For a return: the payment it sends back.
    pub return_of: Option<u64>,
    /// Returns made of this payment.
    #[serde(default)]
    pub returns: Vec<u64>,
    /// How much of it settled returns have sent back.
    #[serde(default)]
    pub returned_amount: u128,
    /// For a return: the reason code and text the receiver gave (pacs.004 `RtrRsnInf`).
    pub return_reason: Option<Rejection>,
    /// For a cross-currency payment: its quote and, once settled, its legs.
    pub fx: Option<FxSettlement>,
}

impl Payment {
    pub fn receiver(&self) -> Bic {
        self.instruction.instructed_agent
    }

    pub fn currency(&self) -> CurrencyCode {
        self.instruction.currency
    }

    fn record(&mut self, at: Timestamp, status: PaymentStatus, reason: Option<Rejection>) {
        debug_assert!(
            !self.status.is_final() || status == PaymentStatus::Returned,
            "a final payment changes status only by being returned"
        );
        self.status = status;
        self.history.push(StatusEvent { at, status, reason });
    }
}

/// The answer to one submitted payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PaymentReceipt {
    pub payment: u64,
    pub instruction_id: String,
    pub uetr: Uetr,
    pub status: PaymentStatus,
    pub reason: Option<Rejection>,
    /// True when this was a retry of an instruction already accepted: nothing new happened.
    pub duplicate: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccountInfo {
    pub id: AccountId,
    pub owner: Bic,
    pub currency: CurrencyCode,
    pub purpose: AccountPurpose,
    pub opened_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyAgent {
    pub currency: Currency,
    pub agent: Bic,
    pub time_zone: String,
    pub funding_account: AccountId,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LiquidityRecord {
    pub agent: Bic,
    pub reference: String,
    pub participant: Bic,
    pub account: AccountId,
    pub currency: CurrencyCode,
    pub amount: u128,
    pub direction: LiquidityDirection,
    pub transfer: TransferId,
    pub at: Timestamp,
}

/// Settled cross-currency payments of one currency pair since genesis.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PairVolume {
    pub payments: u64,
    /// Debited from debtors, in source-currency minor units.
    pub source_minor: u128,
    /// Credited to creditors, in destination-currency minor units.
    pub destination_minor: u128,
}

/// One posting on an account, with the account's posted totals after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementEntry {
    pub at: Timestamp,
    pub transfer: TransferId,
    /// The payment it settled, if any (else a liquidity transfer).
    pub payment: Option<u64>,
    pub code: u16,
    pub credit: bool,
    pub amount: u128,
    pub credits_after: u128,
    pub debits_after: u128,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub account: AccountInfo,
    pub from: Timestamp,
    pub to: Timestamp,
    /// Posted credits and debits before the period: the opening balance is their difference.
    pub opening_credits: u128,
    pub opening_debits: u128,
    pub closing_credits: u128,
    pub closing_debits: u128,
    pub entries: Vec<StatementEntry>,
    /// Set when the period held more entries than asked for: `to` was cut to this instant,
    /// and the next page starts here.
    pub next_from: Option<Timestamp>,
}

/// What a participant may search its payments by. Every field narrows the result.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaymentFilter {
    pub status: Option<PaymentStatus>,
    pub counterparty: Option<Bic>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub min_amount: Option<u128>,
    pub max_amount: Option<u128>,
    /// Amount bounds are in this currency's minor units; payments in others are left out.
    pub currency: Option<CurrencyCode>,
    /// Only payments with ids above this (the previous page's last id).
    pub after: Option<u64>,
    pub limit: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Done,
    Participant(Participant),
    Account(AccountInfo),
    Liquidity(LiquidityRecord),
    Payments(Vec<Result<PaymentReceipt, Rejection>>),
    Payment(PaymentReceipt),
    RateSheet(RateSheet),
    ReferenceRates(Vec<ReferenceRate>),
    Quote(Box<Quote>),
    Hold(Box<Hold>),
    /// `duplicate`: a retry of a request or answer already taken; nothing new happened.
    Recall {
        recall: Box<Recall>,
        duplicate: bool,
    },
    /// `duplicate`: the day was already closed; nothing new was sent.
    BusinessDay {
        day: ClosedDay,
        duplicate: bool,
    },
}

pub type HubOutcome = Result<Answer, Rejection>;

/// A queue position: the most urgent first, then by arrival (payment ids grow with arrival).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct QueueKey {
    urgency: std::cmp::Reverse<Priority>,
    payment: u64,
}

enum Attempt {
    Settled,
    NoLiquidity,
    Failed(Rejection),
}

/// The hub. Fields are crate-visible for the snapshot codec; everything else goes through
/// [`Hub::execute`].
#[derive(Debug, Default)]
pub struct Hub {
    pub(crate) ledger: Ledger,
    pub(crate) config: HubConfig,
    pub(crate) currencies: BTreeMap<CurrencyCode, CurrencyAgent>,
    pub(crate) participants: BTreeMap<Bic, Participant>,
    pub(crate) accounts: BTreeMap<AccountId, AccountInfo>,
    pub(crate) payments: Vec<Payment>,
    pub(crate) outboxes: BTreeMap<Bic, Outbox>,
    pub(crate) tokens: BTreeMap<String, String>,
    pub(crate) entries: BTreeMap<AccountId, Vec<StatementEntry>>,
    pub(crate) liquidity: BTreeMap<(Bic, String), LiquidityRecord>,
    pub(crate) next_account: u128,
    pub(crate) next_transfer: u128,
    /// Every rate sheet ever published, oldest first.
    pub(crate) sheets: Vec<RateSheet>,
    /// Every reference rate ever published, oldest first.
    pub(crate) reference_rates: Vec<ReferenceRate>,
    pub(crate) next_rate_version: u64,
    /// Quotes issued and not yet forgotten (see `expire_quotes`).
    pub(crate) quotes: BTreeMap<u64, Quote>,
    pub(crate) next_quote: u64,
    pub(crate) compliance: Compliance,
    pub(crate) monitoring: Monitoring,
    /// Every recall of a settled payment, numbered from 1.
    pub(crate) recalls: Vec<Recall>,
    /// Every closed business day, oldest first.
    pub(crate) closed_days: Vec<ClosedDay>,
    // Indexes rebuilt from the fields above when a snapshot is loaded.
    pub(crate) settlement_accounts: BTreeMap<(Bic, CurrencyCode), AccountId>,
    pub(crate) inventory_accounts: BTreeMap<(Bic, CurrencyCode), AccountId>,
    /// Index into `sheets` of each provider's latest sheet.
    pub(crate) current_sheets: BTreeMap<Bic, usize>,
    /// When each quote is forgotten.
    pub(crate) quote_deadlines: BTreeSet<(Timestamp, u64)>,
    /// Settled cross-currency volume by (source, destination) currency.
    pub(crate) fx_volume: BTreeMap<(CurrencyCode, CurrencyCode), PairVolume>,
    pub(crate) instructions: HashMap<(Bic, String), u64, ahash::RandomState>,
    pub(crate) uetrs: HashMap<Uetr, u64, ahash::RandomState>,
    pub(crate) by_participant: BTreeMap<Bic, Vec<u64>>,
    pub(crate) queues: BTreeMap<AccountId, BTreeSet<QueueKey>>,
    pub(crate) deadlines: BTreeSet<(Timestamp, u64)>,
    /// Recalls by (requester, cancellation id).
    pub(crate) recall_requests: BTreeMap<(Bic, String), u64>,
    /// The open recall of each payment that has one.
    pub(crate) open_recalls: BTreeMap<u64, u64>,
}

impl Hub {
    pub fn new() -> Hub {
        Hub::default()
    }

    /// Applies one command at engine time `now`. Deterministic.
    pub fn execute(&mut self, command: &HubCommand, now: Timestamp) -> HubOutcome {
        self.expire_queued(now);
        self.expire_quotes(now);
        let outcome = match command {
            HubCommand::Configure(config) => {
                self.config = config.clone();
                Ok(Answer::Done)
            }
            HubCommand::DesignateAgent {
                currency,
                exponent,
                agent,
                time_zone,
            } => self.designate_agent(*currency, *exponent, *agent, time_zone, now),
            HubCommand::AdmitParticipant {
                bic,
                name,
                country,
                roles,
            } => self.admit(*bic, name, country, roles, now),
            HubCommand::SetParticipantStatus { bic, status } => self.set_status(*bic, *status, now),
            HubCommand::OpenAccount {
                owner,
                currency,
                purpose,
                net_debit_cap,
            } => self.open_account(*owner, *currency, *purpose, *net_debit_cap, now),
            HubCommand::SetNetDebitCap {
                account,
                net_debit_cap,
            } => self.set_net_debit_cap(*account, *net_debit_cap, now),
            HubCommand::Liquidity {
                agent,
                reference,
                participant,
                currency,
                amount,
                direction,
                account,
            } => self.move_liquidity(
                *agent,
                reference,
                (*participant, *account),
                *currency,
                amount,
                *direction,
                now,
            ),
            HubCommand::SubmitPayments {
                sender,
                payments,
                screening,
            } => self.submit_payments(*sender, payments, screening, now),
            HubCommand::CancelPayment {
                sender,
                payment,
                reason,
            } => self.cancel(*sender, *payment, reason, now),
            HubCommand::ReturnPayment {
                sender,
                original,
                return_id,
                uetr,
                amount,
                reason,
            } => self.return_payment(
                *sender,
                *original,
                return_id,
                *uetr,
                amount.as_deref(),
                reason,
                now,
            ),
            HubCommand::RecallPayment {
                sender,
                payment,
                cancellation_id,
                reason,
            } => self.recall_payment(*sender, *payment, cancellation_id, reason, now),
            HubCommand::AnswerRecall {
                responder,
                recall,
                decision,
            } => self.answer_recall(*responder, *recall, decision, now),
            HubCommand::AcknowledgeOutbox { participant, up_to } => {
                self.outboxes
                    .entry(*participant)
                    .or_default()
                    .acknowledge(*up_to);
                Ok(Answer::Done)
            }
            HubCommand::RegisterToken {
                token_sha256,
                subject,
            } => self.register_token(token_sha256, subject),
            HubCommand::PublishRateSheet { provider, sheet } => {
                self.publish_sheet(*provider, sheet, now)
            }
            HubCommand::PublishReferenceRates { agent, rates } => {
                self.publish_reference_rates(*agent, rates, now)
            }
            HubCommand::RequestQuote { requester, request } => {
                self.request_quote(*requester, request, now)
            }
            HubCommand::Tick => Ok(Answer::Done),
            HubCommand::ConfigureCompliance(config) => {
                self.compliance.configure(config, now);
                Ok(Answer::Done)
            }
            HubCommand::RecordWatchlist { version, entries } => {
                self.compliance.record_list(version, *entries, now);
                Ok(Answer::Done)
            }
            HubCommand::DecideHold {
                officer,
                payment,
                decision,
                reason,
            } => self.decide_hold(officer, *payment, *decision, reason, now),
            HubCommand::ConfigureMonitoring(config) => {
                let currencies = &self.currencies;
                self.monitoring
                    .configure(config, |code| currencies.get(&code).map(|c| c.currency))?;
                Ok(Answer::Done)
            }
            HubCommand::WorkCase {
                officer,
                case,
                action,
            } => {
                self.monitoring
                    .act(officer, *case, action, now, &mut self.compliance)?;
                Ok(Answer::Done)
            }
            HubCommand::CloseBusinessDay { date, at } => self.close_business_day(date, *at, now),
        };
        debug_assert!(self.queues_consistent());
        outcome
    }

    // ---- reads -------------------------------------------------------------------------

    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    pub fn compliance(&self) -> &Compliance {
        &self.compliance
    }

    pub fn monitoring(&self) -> &Monitoring {
        &self.monitoring
    }

    pub fn config(&self) -> &HubConfig {
        &self.config
    }

    pub fn currencies(&self) -> impl Iterator<Item = &CurrencyAgent> {
        self.currencies.values()
    }

    pub fn currency(&self, code: CurrencyCode) -> Option<Currency> {
        self.currencies.get(&code).map(|c| c.currency)
    }

    pub fn participants(&self) -> impl Iterator<Item = &Participant> {
        self.participants.values()
    }

    pub fn participant(&self, bic: Bic) -> Option<&Participant> {
        self.participants.get(&bic)
    }

    pub fn accounts_of(&self, owner: Bic) -> impl Iterator<Item = &AccountInfo> {
        self.accounts.values().filter(move |a| a.owner == owner)
    }

    pub fn all_accounts(&self) -> impl Iterator<Item = &AccountInfo> {
        self.accounts.values()
    }

    pub fn account(&self, id: AccountId) -> Option<&AccountInfo> {
        self.accounts.get(&id)
    }

    pub fn settlement_account(&self, owner: Bic, currency: CurrencyCode) -> Option<AccountId> {
        self.settlement_accounts.get(&(owner, currency)).copied()
    }

    pub fn payment(&self, id: u64) -> Option<&Payment> {
        id.checked_sub(1)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.payments.get(i))
    }

    pub fn payment_count(&self) -> usize {
        self.payments.len()
    }

    pub fn payment_by_uetr(&self, uetr: Uetr) -> Option<&Payment> {
        self.uetrs.get(&uetr).and_then(|id| self.payment(*id))
    }

    pub fn outbox(&self, participant: Bic) -> Option<&Outbox> {
        self.outboxes.get(&participant)
    }

    /// Registered bearer tokens: (SHA-256 hex, subject).
    pub fn tokens(&self) -> impl Iterator<Item = (&str, &str)> {
        self.tokens.iter().map(|(d, s)| (d.as_str(), s.as_str()))
    }

    pub fn currency_agent(&self, code: CurrencyCode) -> Option<&CurrencyAgent> {
        self.currencies.get(&code)
    }

    /// Pre-sizes the idempotency indexes for `payments` more payments: growing a large
    /// table rehashes all of it at once, a stall every payment in flight would wait for.
    pub fn reserve_payments(&mut self, payments: usize) {
        self.instructions.reserve(payments);
        self.uetrs.reserve(payments);
    }

    pub fn queue_depth(&self) -> usize {
        self.deadlines.len()
    }

    /// The earliest time a queued payment times out, so the node knows when to tick.
    pub fn next_deadline(&self) -> Option<Timestamp> {
        self.deadlines.first().map(|(at, _)| *at)
    }

    /// Payments `participant` sent or received, newest last, narrowed by `filter`.
    pub fn search(&self, participant: Bic, filter: &PaymentFilter) -> Vec<&Payment> {
        let Some(ids) = self.by_participant.get(&participant) else {
            return Vec::new();
        };
        let start = filter
            .after
            .map_or(0, |after| ids.partition_point(|id| *id <= after));
        ids[start..]
            .iter()
            .filter_map(|id| self.payment(*id))
            .filter(|p| filter.status.is_none_or(|s| p.status == s))
            .filter(|p| {
                filter.counterparty.is_none_or(|c| {
                    let other = if p.sender == participant {
                        p.receiver()
                    } else {
                        p.sender
                    };
                    other == c
                })
            })
            .filter(|p| filter.from.is_none_or(|t| p.received_at >= t))
            .filter(|p| filter.to.is_none_or(|t| p.received_at < t))
            .filter(|p| filter.currency.is_none_or(|c| p.currency() == c))
            .filter(|p| filter.min_amount.is_none_or(|a| p.amount >= a))
            .filter(|p| filter.max_amount.is_none_or(|a| p.amount <= a))
            .take(filter.limit)
            .collect()
    }

    /// The statement of `account` for `[from, to)`.
    pub fn statement(
        &self,
        account: AccountId,
        from: Timestamp,
        to: Timestamp,
        limit: usize,
    ) -> Option<Statement> {
        let info = self.accounts.get(&account)?.clone();
        let entries = self.entries.get(&account).map_or(&[][..], Vec::as_slice);
        let start = entries.partition_point(|e| e.at < from);
        let mut end = entries.partition_point(|e| e.at < to).max(start);
        let mut to = to;
        let mut next_from = None;
        // Entries of one account have distinct timestamps (one per transfer), so cutting the
        // period at an entry's instant splits it cleanly between two pages.
        if end - start > limit {
            end = start + limit;
            to = entries[end].at;
            next_from = Some(to);
        }
        let totals = |i: usize| {
            i.checked_sub(1).map_or((0, 0), |i| {
                (entries[i].credits_after, entries[i].debits_after)
            })
        };
        let (opening_credits, opening_debits) = totals(start);
        let (closing_credits, closing_debits) = totals(end);
        Some(Statement {
            account: info,
            from,
            to,
            opening_credits,
            opening_debits,
            closing_credits,
            closing_debits,
            entries: entries[start..end].to_vec(),
            next_from,
        })
    }

    // ---- participants and accounts -----------------------------------------------------

    fn designate_agent(
        &mut self,
        code: CurrencyCode,
        exponent: u8,
        agent: Bic,
        time_zone: &str,
        now: Timestamp,
    ) -> HubOutcome {
        let participant = self
            .participants
            .get(&agent)
            .ok_or_else(|| Rejection::new("RC01", format!("{agent} is not a participant")))?;
        if !participant.has_role(ParticipantRole::SettlementAgent) {
            return Err(Rejection::forbidden(format!(
                "{agent} does not have the settlement agent role"
            )));
        }
        if exponent > 18 {
            return Err(Rejection::format(format!(
                "exponent {exponent} is above 18"
            )));
        }
        if let Some(existing) = self.currencies.get(&code) {
            if existing.agent == agent && existing.currency.exponent == exponent {
                let account = self.accounts[&existing.funding_account].clone();
                return Ok(Answer::Account(account));
            }
            return Err(Rejection::new(
                "DUPL",
                format!("{code} already has settlement agent {}", existing.agent),
            ));
        }
        let currency = Currency { code, exponent };
        let account = self.open_ledger_account(
            agent,
            code,
            AccountPurpose::Funding,
            AccountKind::Funding,
            BalanceRule::Unrestricted,
            now,
        )?;
        self.currencies.insert(
            code,
            CurrencyAgent {
                currency,
                agent,
                time_zone: time_zone.to_string(),
                funding_account: account.id,
            },
        );
        Ok(Answer::Account(account))
    }

    fn admit(
        &mut self,
        bic: Bic,
        name: &str,
        country: &str,
        roles: &[ParticipantRole],
        now: Timestamp,
    ) -> HubOutcome {
        if name.trim().is_empty()
            || name.chars().count() > 140
            || name.chars().any(corridor_core::is_hidden)
        {
            return Err(Rejection::format(
                "name must be 1 to 140 printable characters",
            ));
        }
        if !corridor_core::is_country_code(country) {
            return Err(Rejection::format(format!(
                "country {country:?} is not an ISO 3166 alpha-2 code"
            )));
        }
        if roles.is_empty() {
            return Err(Rejection::format("a participant needs at least one role"));
        }
        let mut roles = roles.to_vec();
        roles.sort();
        roles.dedup();
        if let Some(existing) = self.participants.get(&bic) {
            if existing.name == name && existing.country == country && existing.roles == roles {
                return Ok(Answer::Participant(existing.clone()));
            }
            return Err(Rejection::new(
                "DUPL",
                format!("{bic} is already admitted with other details"),
            ));
        }
        let participant = Participant {
            bic,
            name: name.to_string(),
            country: country.to_string(),
            roles,
            status: ParticipantStatus::Active,
            admitted_at: now,
        };
        self.participants.insert(bic, participant.clone());
        Ok(Answer::Participant(participant))
    }

    fn set_status(&mut self, bic: Bic, status: ParticipantStatus, now: Timestamp) -> HubOutcome {
        let participant = self
            .participants
            .get_mut(&bic)
            .ok_or_else(|| Rejection::not_found(format!("{bic} is not a participant")))?;
        participant.status = status;
        let participant = participant.clone();
        // Reinstated: its own queue and every queue holding payments to it may move again.
        // Suspended: payments to it are now passed over, so those behind them may move.
        let accounts: Vec<AccountId> = self.queues.keys().copied().collect();
        self.drain(accounts, now);
        Ok(Answer::Participant(participant))
    }

    fn open_account(
        &mut self,
        owner: Bic,
        currency: CurrencyCode,
        purpose: AccountPurpose,
        net_debit_cap: u128,
        now: Timestamp,
    ) -> HubOutcome {
        let participant = self
            .participants
            .get(&owner)
            .ok_or_else(|| Rejection::not_found(format!("{owner} is not a participant")))?;
        if purpose == AccountPurpose::Funding {
            return Err(Rejection::forbidden(
                "a funding account is opened only by designating a settlement agent",
            ));
        }
        if purpose == AccountPurpose::FxInventory
            && !participant.has_role(ParticipantRole::FxProvider)
        {
            return Err(Rejection::forbidden(format!(
                "{owner} is not an FX provider"
            )));
        }
        if !self.currencies.contains_key(&currency) {
            return Err(Rejection::new(
                "AM03",
                format!("{currency} has no settlement agent in this scheme"),
            ));
        }
        let existing = match purpose {
            AccountPurpose::Settlement => self.settlement_accounts.get(&(owner, currency)),
            AccountPurpose::FxInventory => self.inventory_accounts.get(&(owner, currency)),
            _ => None,
        };
        if let Some(existing) = existing {
            return Ok(Answer::Account(self.accounts[existing].clone()));
        }
        let kind = match purpose {
            AccountPurpose::Settlement => AccountKind::Settlement,
            AccountPurpose::FxInventory => AccountKind::FxInventory,
            AccountPurpose::Fees => AccountKind::Fees,
            AccountPurpose::Funding => AccountKind::Funding,
        };
        let rule = BalanceRule::DebitsMustNotExceedCredits {
            limit: net_debit_cap,
        };
        let account = self.open_ledger_account(owner, currency, purpose, kind, rule, now)?;
        Ok(Answer::Account(account))
    }

    fn open_ledger_account(
        &mut self,
        owner: Bic,
        currency: CurrencyCode,
        purpose: AccountPurpose,
        kind: AccountKind,
        rule: BalanceRule,
        now: Timestamp,
    ) -> Result<AccountInfo, Rejection> {
        let id = AccountId::try_from(self.next_account + 1)
            .map_err(|_| Rejection::new("AC10", "account ids are exhausted"))?;
        let new = NewAccount {
            id,
            owner,
            currency,
            kind,
            rule,
            code: purpose as u16,
            user_ref: 0,
            linked: false,
        };
        let outcome = self.ledger.apply(&[Command::CreateAccount(new)], now);
        let code = outcome.results[0];
        if !code.is_success() {
            return Err(ledger_rejection(code));
        }
        self.next_account += 1;
        let info = AccountInfo {
            id,
            owner,
            currency,
            purpose,
            opened_at: outcome.first_timestamp,
        };
        self.accounts.insert(id, info.clone());
        match purpose {
            AccountPurpose::Settlement => {
                self.settlement_accounts.insert((owner, currency), id);
            }
            AccountPurpose::FxInventory => {
                self.inventory_accounts.insert((owner, currency), id);
            }
            _ => {}
        }
        Ok(info)
    }

    fn set_net_debit_cap(&mut self, account: AccountId, cap: u128, now: Timestamp) -> HubOutcome {
        let info = self
            .accounts
            .get(&account)
            .cloned()
            .ok_or_else(|| Rejection::not_found(format!("account {account} does not exist")))?;
        if info.purpose != AccountPurpose::Settlement {
            return Err(Rejection::forbidden(
                "only settlement accounts have a net debit cap",
            ));
        }
        let command = Command::SetBalanceRule(RuleChange {
            account,
            rule: BalanceRule::DebitsMustNotExceedCredits { limit: cap },
            linked: false,
        });
        let code = self.ledger.apply(&[command], now).results[0];
        if !code.is_success() {
            return Err(ledger_rejection(code));
        }
        self.drain(vec![account], now);
        Ok(Answer::Account(info))
    }

    fn register_token(&mut self, token_sha256: &str, subject: &str) -> HubOutcome {
        let well_formed = token_sha256.len() == 64
            && token_sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !well_formed {
            return Err(Rejection::format(
                "token_sha256 must be 64 lowercase hex digits",
            ));
        }
        if subject.is_empty() || subject.len() > 64 {
            return Err(Rejection::format("subject must be 1 to 64 characters"));
        }
        match self.tokens.get(token_sha256) {
            Some(existing) if existing != subject => Err(Rejection::new(
                "DUPL",
                "token already registered for another subject",
            )),
            _ => {
                self.tokens
                    .insert(token_sha256.to_string(), subject.to_string());
                Ok(Answer::Done)
            }
        }
    }

    // ---- liquidity ---------------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn move_liquidity(
        &mut self,
        agent: Bic,
        reference: &str,
        (participant, purpose): (Bic, AccountPurpose),
        code: CurrencyCode,
        amount: &str,
        direction: LiquidityDirection,
        now: Timestamp,
    ) -> HubOutcome {
        if reference.trim().is_empty() || reference.chars().count() > 35 {
            return Err(Rejection::format("reference must be 1 to 35 characters"));
        }
        let key = (agent, reference.to_string());
        let currency_agent = self
            .currencies
            .get(&code)
            .ok_or_else(|| Rejection::new("AM03", format!("{code} has no settlement agent")))?;
        if currency_agent.agent != agent {
            return Err(Rejection::forbidden(format!(
                "{agent} is not the settlement agent of {code}"
            )));
        }
        let scale = currency_agent.currency;
        let amount = parse_amount(amount, scale)?;
        let funding = currency_agent.funding_account;
        let account = match purpose {
            AccountPurpose::Settlement => self.settlement_account(participant, code),
            AccountPurpose::FxInventory => self.inventory_account(participant, code),
            AccountPurpose::Fees | AccountPurpose::Funding => {
                return Err(Rejection::forbidden(
                    "liquidity moves to and from settlement and FX inventory accounts only",
                ));
            }
        };
        let account = account.ok_or_else(|| {
            Rejection::new(
                "AC01",
                format!(
                    "{participant} has no {code} {} account",
                    if purpose == AccountPurpose::Settlement {
                        "settlement"
                    } else {
                        "FX inventory"
                    }
                ),
            )
        })?;
        if let Some(existing) = self.liquidity.get(&key) {
            let same = existing.participant == participant
                && existing.currency == code
                && existing.amount == amount
                && existing.direction == direction
                && existing.account == account;
            if same {
                return Ok(Answer::Liquidity(existing.clone()));
            }
            return Err(Rejection::new(
                "DUPL",
                format!("reference {reference} was already used for another liquidity transfer"),
            ));
        }
        // A net debit cap is credit for settling payments, not money to take out: only what
        // the participant holds (posted credits less posted and pending debits) may leave.
        if direction == LiquidityDirection::Defund {
            let held = self.ledger.account(account).map_or(0, |a| {
                a.credits_posted
                    .saturating_sub(a.debits_posted.saturating_add(a.debits_pending))
            });
            if amount > held {
                return Err(Rejection::new(
                    "AM04",
                    format!(
                        "{participant} holds {} {code}, less than {}",
                        Amount::from_minor(held).format(scale),
                        Amount::from_minor(amount).format(scale)
                    ),
                ));
            }
        }
        let (debit, credit, code_used) = match direction {
            LiquidityDirection::Fund => (funding, account, CODE_FUND),
            LiquidityDirection::Defund => (account, funding, CODE_DEFUND),
        };
        let (transfer, at) = self
            .post(debit, credit, code, amount, code_used, None, now)
            .map_err(ledger_rejection)?;
        let record = LiquidityRecord {
            agent,
            reference: reference.to_string(),
            participant,
            account,
            currency: code,
            amount,
            direction,
            transfer,
            at,
        };
        self.liquidity.insert(key, record.clone());
        self.outboxes.entry(participant).or_default().push(
            at,
            OutboxEvent::Liquidity {
                account,
                currency: code,
                direction,
                amount,
                reference: reference.to_string(),
            },
        );
        if direction == LiquidityDirection::Fund {
            self.drain(vec![account], now);
        }
        Ok(Answer::Liquidity(record))
    }

    /// Posts one transfer and records it on both accounts' statements. A refusal by the
    /// ledger changes nothing.
    #[allow(clippy::too_many_arguments)]
    fn post(
        &mut self,
        debit: AccountId,
        credit: AccountId,
        currency: CurrencyCode,
        amount: u128,
        code: u16,
        payment: Option<u64>,
        now: Timestamp,
    ) -> Result<(TransferId, Timestamp), ResultCode> {
        let id = TransferId::try_from(self.next_transfer + 1)
            .map_err(|_| ResultCode::AccountLimitReached)?;
        let transfer = Transfer {
            id,
            action: TransferAction::Post(Movement {
                debit_account: debit,
                credit_account: credit,
                currency,
                amount: Amount::from_minor(amount),
            }),
            code,
            user_ref: u128::from(payment.unwrap_or(0)),
            linked: false,
        };
        let outcome = self.ledger.apply(&[Command::CreateTransfer(transfer)], now);
        let result = outcome.results[0];
        if result != ResultCode::Ok {
            return Err(result);
        }
        self.next_transfer += 1;
        let at = outcome.first_timestamp;
        self.record_posting(id, debit, credit, amount, code, payment, at);
        Ok((id, at))
    }

    /// Adds a posted transfer to both accounts' statements.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn record_posting(
        &mut self,
        id: TransferId,
        debit: AccountId,
        credit: AccountId,
        amount: u128,
        code: u16,
        payment: Option<u64>,
        at: Timestamp,
    ) {
        for (account, credit_side) in [(debit, false), (credit, true)] {
            let totals = self
                .ledger
                .account(account)
                .map_or((0, 0), |a| (a.credits_posted, a.debits_posted));
            self.entries
                .entry(account)
                .or_default()
                .push(StatementEntry {
                    at,
                    transfer: id,
                    payment,
                    code,
                    credit: credit_side,
                    amount,
                    credits_after: totals.0,
                    debits_after: totals.1,
                });
        }
    }

    // ---- payments ----------------------------------------------------------------------

    fn submit_payments(
        &mut self,
        sender: Bic,
        payments: &[PaymentInstruction],
        screening: &[Screening],
        now: Timestamp,
    ) -> HubOutcome {
        if payments.is_empty() || payments.len() > MAX_BATCH {
            return Err(Rejection::format(format!(
                "a batch holds 1 to {MAX_BATCH} payments, not {}",
                payments.len()
            )));
        }
        self.check_sender(sender)?;
        let receipts = payments
            .iter()
            .enumerate()
            .map(|(i, instruction)| {
                self.submit_one(sender, instruction, Some(screening.get(i)), None, now)
            })
            .collect();
        Ok(Answer::Payments(receipts))
    }

    pub(crate) fn check_sender(&self, sender: Bic) -> Result<&Participant, Rejection> {
        let participant = self
            .participants
            .get(&sender)
            .ok_or_else(|| Rejection::forbidden(format!("{sender} is not a participant")))?;
        if !participant.is_active() {
            return Err(Rejection::forbidden(format!("{sender} is suspended")));
        }
        if !participant.has_role(ParticipantRole::DirectParticipant)
            && !participant.has_role(ParticipantRole::SettlementAgent)
        {
            return Err(Rejection::forbidden(format!(
                "{sender} may not send payments"
            )));
        }
        Ok(participant)
    }

    /// `screening` is `None` for a return, which goes back to parties already screened, and
    /// `Some(None)` for a payment the gateway did not screen.
    fn submit_one(
        &mut self,
        sender: Bic,
        instruction: &PaymentInstruction,
        screening: Option<Option<&Screening>>,
        return_of: Option<(u64, Rejection)>,
        now: Timestamp,
    ) -> Result<PaymentReceipt, Rejection> {
        let key = (sender, instruction.instruction_id.clone());
        if let Some(&id) = self.instructions.get(&key) {
            return self.duplicate(id, instruction);
        }
        instruction.check()?;
        if let Some(&other) = self.uetrs.get(&instruction.uetr) {
            return Err(Rejection::new(
                "DUPL",
                format!(
                    "UETR {} is already used by payment {other}",
                    instruction.uetr
                ),
            ));
        }
        let check = screening.map(|s| self.compliance.screening_check(sender, s));
        let receipt = match check.as_ref().and_then(|c| c.hold.clone()) {
            Some(why) => self.hold(sender, instruction, screening.flatten(), why, now),
            None => self.settle_new(sender, instruction, return_of, now),
        }?;
        if let Some(check) = check {
            self.compliance
                .log_suppressed(receipt.payment, check.suppressed, now);
        }
        Ok(receipt)
    }

    fn settle_new(
        &mut self,
        sender: Bic,
        instruction: &PaymentInstruction,
        return_of: Option<(u64, Rejection)>,
        now: Timestamp,
    ) -> Result<PaymentReceipt, Rejection> {
        if let Some(quote) = instruction.quote {
            return self.submit_fx(sender, instruction, quote, now);
        }
        let (payer, payee, amount) = self.route(sender, instruction)?;
        let id = self.new_payment(sender, instruction, amount, return_of, now);
        self.settle_or_queue(id, payer, payee, now);
        Ok(self.receipt(id, false))
    }

    /// Records a screened payment as held: checked as far as it can be now, so one that
    /// would be refused is refused at once rather than after a person's review.
    fn hold(
        &mut self,
        sender: Bic,
        instruction: &PaymentInstruction,
        screening: Option<&Screening>,
        why: String,
        now: Timestamp,
    ) -> Result<PaymentReceipt, Rejection> {
        let id = match instruction.quote {
            Some(quote_id) => {
                let (amount, quote) = self.quoted_amount(sender, instruction, quote_id, now)?;
                let id = self.new_payment(sender, instruction, amount, None, now);
                self.attach_quote(id, quote);
                id
            }
            None => {
                let (_, _, amount) = self.route(sender, instruction)?;
                self.new_payment(sender, instruction, amount, None, now)
            }
        };
        let screening = screening.cloned().unwrap_or_default();
        self.compliance
            .open_hold(id, sender, why.clone(), screening, now);
        self.payments[(id - 1) as usize].record(
            now,
            PaymentStatus::Held,
            Some(Rejection::new(
                "RR04",
                format!("held for compliance review: {why}"),
            )),
        );
        self.notify_sender(id, now);
        Ok(self.receipt(id, false))
    }

    fn decide_hold(
        &mut self,
        officer: &Officer,
        payment: u64,
        decision: HoldDecision,
        reason: &str,
        now: Timestamp,
    ) -> HubOutcome {
        match self
            .compliance
            .decide(officer, payment, decision, reason, now)?
        {
            HoldState::Open => {}
            HoldState::Released => self.resume(payment, now),
            HoldState::Rejected => self.finish(
                payment,
                PaymentStatus::Rejected,
                Some(Rejection::new(
                    "RR04",
                    format!("rejected by compliance: {reason}"),
                )),
                now,
            ),
        }
        let hold = self
            .compliance
            .hold(payment)
            .cloned()
            .ok_or_else(|| Rejection::not_found(format!("no held payment {payment}")))?;
        Ok(Answer::Hold(Box::new(hold)))
    }

    /// A released payment goes on exactly as if it had just arrived, checked again against
    /// what may have changed while it was held (a suspended receiver, an expired quote).
    fn resume(&mut self, id: u64, now: Timestamp) {
        let p = &self.payments[(id - 1) as usize];
        debug_assert_eq!(p.status, PaymentStatus::Held);
        if p.fx.is_some() {
            self.settle_fx(id, now);
            return;
        }
        let (sender, instruction) = (p.sender, p.instruction.clone());
        match self.route(sender, &instruction) {
            Ok((payer, payee, _)) => self.settle_or_queue(id, payer, payee, now),
            Err(reason) => self.finish(id, PaymentStatus::Rejected, Some(reason), now),
        }
    }

    /// Settles payment `id` now, or queues it behind the payer's earlier payments.
    fn settle_or_queue(&mut self, id: u64, payer: AccountId, payee: AccountId, now: Timestamp) {
        let priority = self.payments[(id - 1) as usize].instruction.priority;
        let key = QueueKey {
            urgency: std::cmp::Reverse(priority),
            payment: id,
        };
        // No overtaking: a payment waits behind the payer's queued payments of the same or
        // higher priority.
        let blocked = self
            .queues
            .get(&payer)
            .and_then(|q| q.first())
            .is_some_and(|head| head.urgency <= key.urgency);
        if blocked {
            self.enqueue(id, payer, now);
            // What blocks it may be only payments to suspended receivers, which are passed
            // over: let the queue decide.
            self.drain(vec![payer], now);
        } else {
            match self.attempt(id, payer, payee, now) {
                Attempt::Settled => self.drain(vec![payee], now),
                Attempt::NoLiquidity => self.enqueue(id, payer, now),
                Attempt::Failed(reason) => {
                    self.finish(id, PaymentStatus::Rejected, Some(reason), now)
                }
            }
        }
    }

    /// Records a new payment, status queued until something decides it, and indexes it.
    fn new_payment(
        &mut self,
        sender: Bic,
        instruction: &PaymentInstruction,
        amount: u128,
        return_of: Option<(u64, Rejection)>,
        now: Timestamp,
    ) -> u64 {
        let id = self.payments.len() as u64 + 1;
        self.payments.push(Payment {
            id,
            sender,
            instruction: instruction.clone(),
            amount,
            received_at: now,
            status: PaymentStatus::Queued,
            history: Vec::new(),
            transfer: None,
            settled_at: None,
            queue_deadline: None,
            return_of: return_of.as_ref().map(|(original, _)| *original),
            returns: Vec::new(),
            returned_amount: 0,
            return_reason: return_of.map(|(_, reason)| reason),
            fx: None,
        });
        if let Some(original) = self.payments[(id - 1) as usize].return_of {
            self.payments[(original - 1) as usize].returns.push(id);
        }
        self.index_payment(id);
        id
    }

    /// A cross-currency payment: settled at once against its quote, payment versus payment,
    /// or rejected. It never queues, because its quote locks the rate only until expiry; one
    /// that would have to wait behind the payer's queued payments (which it may not
    /// overtake) is rejected AM04 like one without liquidity.
    fn submit_fx(
        &mut self,
        sender: Bic,
        instruction: &PaymentInstruction,
        quote_id: u64,
        now: Timestamp,
    ) -> Result<PaymentReceipt, Rejection> {
        let (amount, quote) = self.quoted_amount(sender, instruction, quote_id, now)?;
        let id = self.new_payment(sender, instruction, amount, None, now);
        self.attach_quote(id, quote);
        self.settle_fx(id, now);
        Ok(self.receipt(id, false))
    }

    fn quoted_amount(
        &self,
        sender: Bic,
        instruction: &PaymentInstruction,
        quote_id: u64,
        now: Timestamp,
    ) -> Result<(u128, Quote), Rejection> {
        let amount = parse_amount(
            &instruction.amount,
            self.scheme_currency(instruction.currency)?,
        )?;
        let quote = self.usable_quote(sender, instruction, quote_id, amount, now)?;
        Ok((amount, quote))
    }

    /// Marks the quote used by payment `id`, so no other payment can take its amounts.
    fn attach_quote(&mut self, id: u64, quote: Quote) {
        if let Some(q) = self.quotes.get_mut(&quote.id) {
            q.used_by = Some(id);
        }
        self.payments[(id - 1) as usize].fx = Some(FxSettlement {
            quote,
            legs: Vec::new(),
        });
    }

    /// Settles quoted payment `id` in all its legs at once, or rejects it.
    fn settle_fx(&mut self, id: u64, now: Timestamp) {
        let p = &self.payments[(id - 1) as usize];
        let Some(quote) = p.fx.as_ref().map(|fx| fx.quote.clone()) else {
            return;
        };
        let (sender, receiver, priority) = (
            p.sender,
            p.instruction.instructed_agent,
            p.instruction.priority,
        );
        if quote.expires_at <= now {
            let reason = Rejection::new(
                "QEXP",
                format!("quote {} expired while the payment was held", quote.id),
            );
            self.finish(id, PaymentStatus::Rejected, Some(reason), now);
            return;
        }
        let accounts = self
            .sender_account(sender, quote.source())
            .and_then(|payer| {
                let payee = self.check_receiver(sender, receiver, quote.destination())?;
                Ok((payer, payee))
            });
        let outcome = accounts.and_then(|(payer, payee)| {
            let blocked = self
                .queues
                .get(&payer)
                .and_then(|q| q.first())
                .is_some_and(|head| head.urgency <= std::cmp::Reverse(priority));
            if blocked {
                return Err(Rejection::new(
                    "AM04",
                    "earlier payments wait in the payer's queue and may not be overtaken",
                ));
            }
            self.settle_pvp(id, payer, payee, &quote, now)
                .map(|legs| (payee, legs))
        });
        match outcome {
            Ok((payee, legs)) => {
                let first = legs[0].posted;
                self.count_fx(&quote);
                let p = &mut self.payments[(id - 1) as usize];
                if let Some(fx) = p.fx.as_mut() {
                    fx.legs = legs;
                }
                self.settled(id, first, now);
                self.drain(vec![payee], now);
            }
            Err(reason) => self.finish(id, PaymentStatus::Rejected, Some(reason), now),
        }
    }

    fn count_fx(&mut self, quote: &Quote) {
        let volume = self
            .fx_volume
            .entry((quote.source(), quote.destination()))
            .or_default();
        volume.payments += 1;
        volume.source_minor = volume.source_minor.saturating_add(quote.priced.debtor_pays);
        volume.destination_minor = volume
            .destination_minor
            .saturating_add(quote.priced.creditor_receives);
    }

    pub fn fx_volume(&self) -> &BTreeMap<(CurrencyCode, CurrencyCode), PairVolume> {
        &self.fx_volume
    }

    /// The sender's settlement account in `code`: the account its payments debit.
    pub(crate) fn sender_account(
        &self,
        sender: Bic,
        code: CurrencyCode,
    ) -> Result<AccountId, Rejection> {
        self.settlement_account(sender, code).ok_or_else(|| {
            Rejection::new("AC01", format!("{sender} has no {code} settlement account"))
        })
    }

    fn duplicate(
        &self,
        id: u64,
        instruction: &PaymentInstruction,
    ) -> Result<PaymentReceipt, Rejection> {
        let Some(existing) = self.payment(id) else {
            return Err(Rejection::not_found(format!("payment {id} is missing")));
        };
        if existing.instruction != *instruction {
            return Err(Rejection::new(
                "DUPL",
                format!(
                    "instruction id {} was already used for a different payment ({id})",
                    instruction.instruction_id
                ),
            ));
        }
        Ok(self.receipt(id, true))
    }

    /// The payer's and payee's settlement accounts and the amount in minor units.
    fn route(
        &self,
        sender: Bic,
        instruction: &PaymentInstruction,
    ) -> Result<(AccountId, AccountId, u128), Rejection> {
        let code = instruction.currency;
        let amount = parse_amount(&instruction.amount, self.scheme_currency(code)?)?;
        let payee = self.check_receiver(sender, instruction.instructed_agent, code)?;
        Ok((self.sender_account(sender, code)?, payee, amount))
    }

    fn index_payment(&mut self, id: u64) {
        let Some(p) = self.payment(id) else { return };
        let (sender, receiver, instruction_id, uetr) = (
            p.sender,
            p.receiver(),
            p.instruction.instruction_id.clone(),
            p.instruction.uetr,
        );
        self.instructions.insert((sender, instruction_id), id);
        self.uetrs.insert(uetr, id);
        self.by_participant.entry(sender).or_default().push(id);
        self.by_participant.entry(receiver).or_default().push(id);
    }

    fn receipt(&self, id: u64, duplicate: bool) -> PaymentReceipt {
        let p = &self.payments[(id - 1) as usize];
        PaymentReceipt {
            payment: id,
            instruction_id: p.instruction.instruction_id.clone(),
            uetr: p.instruction.uetr,
            status: p.status,
            reason: p.history.last().and_then(|e| e.reason.clone()),
            duplicate,
        }
    }

    /// Tries to settle payment `id` now.
    fn attempt(&mut self, id: u64, payer: AccountId, payee: AccountId, now: Timestamp) -> Attempt {
        let p = &self.payments[(id - 1) as usize];
        let (currency, amount) = (p.currency(), p.amount);
        let code = if p.return_of.is_some() {
            CODE_RETURN
        } else {
            CODE_PAYMENT
        };
        match self.post(payer, payee, currency, amount, code, Some(id), now) {
            Ok((transfer, at)) => {
                self.settled(id, transfer, at);
                Attempt::Settled
            }
            Err(ResultCode::ExceedsCredits) => Attempt::NoLiquidity,
            Err(code) => Attempt::Failed(ledger_rejection(code)),
        }
    }

    fn settled(&mut self, id: u64, transfer: TransferId, at: Timestamp) {
        let p = &mut self.payments[(id - 1) as usize];
        p.transfer = Some(transfer);
        p.settled_at = Some(at);
        p.record(at, PaymentStatus::Settled, None);
        let (receiver, uetr, return_of, amount) =
            (p.receiver(), p.instruction.uetr, p.return_of, p.amount);
        self.notify_sender(id, at);
        self.outboxes
            .entry(receiver)
            .or_default()
            .push(at, OutboxEvent::IncomingPayment { payment: id, uetr });
        self.monitoring
            .observe(&self.payments[(id - 1) as usize], at, &mut self.compliance);
        if let Some(original) = return_of {
            self.returned(original, amount, id, at);
        }
    }

    fn returned(&mut self, original: u64, amount: u128, by: u64, at: Timestamp) {
        let p = &mut self.payments[(original - 1) as usize];
        p.returned_amount += amount;
        debug_assert!(p.returned_amount <= p.amount);
        if p.returned_amount == p.amount {
            let reason = self.payments[(by - 1) as usize].return_reason.clone();
            let p = &mut self.payments[(original - 1) as usize];
            p.record(at, PaymentStatus::Returned, reason);
            self.notify_sender(original, at);
        }
    }

    fn notify_sender(&mut self, id: u64, at: Timestamp) {
        let p = &self.payments[(id - 1) as usize];
        let event = OutboxEvent::PaymentStatus {
            payment: id,
            instruction_id: p.instruction.instruction_id.clone(),
            uetr: p.instruction.uetr,
            status: p.status,
            reason: p.history.last().and_then(|e| e.reason.clone()),
        };
        self.outboxes.entry(p.sender).or_default().push(at, event);
    }

    fn enqueue(&mut self, id: u64, payer: AccountId, now: Timestamp) {
        let deadline = now.plus_seconds(self.config.queue_timeout_seconds);
        let p = &mut self.payments[(id - 1) as usize];
        p.queue_deadline = Some(deadline);
        p.record(
            now,
            PaymentStatus::Queued,
            Some(Rejection::new(
                "AM04",
                "waiting for liquidity in the payer's queue",
            )),
        );
        let key = QueueKey {
            urgency: std::cmp::Reverse(p.instruction.priority),
            payment: id,
        };
        self.queues.entry(payer).or_default().insert(key);
        self.deadlines.insert((deadline, id));
        self.notify_sender(id, now);
    }

    fn dequeue(&mut self, id: u64) {
        let p = &mut self.payments[(id - 1) as usize];
        let key = QueueKey {
            urgency: std::cmp::Reverse(p.instruction.priority),
            payment: id,
        };
        let (sender, currency) = (p.sender, p.instruction.currency);
        if let Some(deadline) = p.queue_deadline.take() {
            self.deadlines.remove(&(deadline, id));
        }
        let payer = self.settlement_account(sender, currency);
        if let Some(payer) = payer
            && let Some(queue) = self.queues.get_mut(&payer)
        {
            queue.remove(&key);
            if queue.is_empty() {
                self.queues.remove(&payer);
            }
        }
    }

    /// A final status other than settled: rejected or cancelled.
    fn finish(
        &mut self,
        id: u64,
        status: PaymentStatus,
        reason: Option<Rejection>,
        now: Timestamp,
    ) {
        self.dequeue(id);
        self.payments[(id - 1) as usize].record(now, status, reason);
        self.notify_sender(id, now);
    }

    /// Retries the queues of `accounts` (whose liquidity grew), and of every account a
    /// settlement credits in turn, until nothing more fits. Within a queue, payments go in
    /// order; the first one that does not fit stops that queue (no overtaking). A payment
    /// whose receiver is suspended is passed over, not rejected.
    fn drain(&mut self, mut work: Vec<AccountId>, now: Timestamp) {
        while let Some(payer) = work.pop() {
            let mut cursor: Option<QueueKey> = None;
            loop {
                let next = self.queues.get(&payer).and_then(|q| match cursor {
                    None => q.first().copied(),
                    Some(c) => q
                        .range((std::ops::Bound::Excluded(c), std::ops::Bound::Unbounded))
                        .next()
                        .copied(),
                });
                let Some(key) = next else { break };
                cursor = Some(key);
                let p = &self.payments[(key.payment - 1) as usize];
                let (sender, receiver, currency) = (p.sender, p.receiver(), p.currency());
                if !self.is_active(sender) {
                    break;
                }
                if !self.is_active(receiver) {
                    continue;
                }
                let Some(payee) = self.settlement_account(receiver, currency) else {
                    continue;
                };
                match self.attempt(key.payment, payer, payee, now) {
                    Attempt::Settled => {
                        self.dequeue(key.payment);
                        work.push(payee);
                    }
                    Attempt::NoLiquidity => break,
                    Attempt::Failed(reason) => {
                        self.finish(key.payment, PaymentStatus::Rejected, Some(reason), now)
                    }
                }
            }
        }
    }

    fn is_active(&self, bic: Bic) -> bool {
        self.participants
            .get(&bic)
            .is_some_and(Participant::is_active)
    }

    /// Rejects every queued payment whose deadline is at or before `now`.
    fn expire_queued(&mut self, now: Timestamp) {
        let mut payers = Vec::new();
        while let Some(&(deadline, id)) = self.deadlines.first() {
            if deadline > now {
                break;
            }
            let reason = Rejection::new(
                "AM04",
                "insufficient liquidity: still queued when the queue timeout passed",
            );
            if let Some(p) = self.payment(id) {
                payers.extend(self.settlement_account(p.sender, p.currency()));
            }
            self.finish(id, PaymentStatus::Rejected, Some(reason), now);
        }
        // The payments that waited behind a timed-out one may fit now.
        if !payers.is_empty() {
            payers.sort_unstable();
            payers.dedup();
            self.drain(payers, now);
        }
    }

    pub(crate) fn cancel(
        &mut self,
        sender: Bic,
        id: u64,
        reason: &str,
        now: Timestamp,
    ) -> HubOutcome {
        let p = self
            .payment(id)
            .filter(|p| p.sender == sender)
            .ok_or_else(|| Rejection::not_found(format!("{sender} sent no payment {id}")))?;
        if p.status == PaymentStatus::Cancelled {
            return Ok(Answer::Payment(self.receipt(id, true)));
        }
        if p.status != PaymentStatus::Queued {
            return Err(Rejection::new(
                "NOCN",
                format!(
                    "payment {id} is {}: only a queued payment can be cancelled",
                    p.status.name()
                ),
            ));
        }
        let reason = parse_reason(reason)?;
        let payer = self.settlement_account(sender, p.currency());
        self.finish(id, PaymentStatus::Cancelled, Some(reason), now);
        // The payments that waited behind it may fit now.
        self.drain(payer.into_iter().collect(), now);
        Ok(Answer::Payment(self.receipt(id, false)))
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn return_payment(
        &mut self,
        sender: Bic,
        original: u64,
        return_id: &str,
        uetr: Uetr,
        amount: Option<&str>,
        reason: &str,
        now: Timestamp,
    ) -> HubOutcome {
        self.check_sender(sender)?;
        let reason = parse_reason(reason)?;
        let p = self
            .payment(original)
            .filter(|p| p.receiver() == sender)
            .ok_or_else(|| {
                Rejection::not_found(format!("{sender} received no payment {original}"))
            })?;
        if let Some(&existing) = self.instructions.get(&(sender, return_id.to_string())) {
            let same = self
                .payment(existing)
                .is_some_and(|r| r.return_of == Some(original));
            if same {
                return Ok(Answer::Payment(self.receipt(existing, true)));
            }
        }
        refuse_fx_return(p)?;
        if p.status != PaymentStatus::Settled {
            return Err(Rejection::new(
                "AG01",
                format!(
                    "payment {original} is {:?}: only a settled payment can be returned",
                    p.status
                ),
            ));
        }
        let currency = self
            .currency(p.currency())
            .ok_or_else(|| Rejection::new("AM03", "currency no longer settled"))?;
        let in_flight: u128 = p
            .returns
            .iter()
            .filter_map(|r| self.payment(*r))
            .filter(|r| r.status == PaymentStatus::Queued)
            .map(|r| r.amount)
            .sum();
        let available = p.amount - p.returned_amount - in_flight.min(p.amount - p.returned_amount);
        let amount = match amount {
            Some(text) => parse_amount(text, currency)?,
            None => available,
        };
        if amount == 0 || amount > available {
            return Err(Rejection::new(
                "AM09",
                format!(
                    "return amount must be more than 0 and at most the {} {} not yet returned",
                    Amount::from_minor(available).format(currency),
                    currency.code
                ),
            ));
        }
        let instruction = PaymentInstruction {
            instruction_id: return_id.to_string(),
            uetr,
            amount: Amount::from_minor(amount).format(currency),
            instructed_agent: p.sender,
            debtor: p.instruction.creditor.clone(),
            debtor_account: p.instruction.creditor_account.clone(),
            debtor_agent: p.instruction.creditor_agent,
            creditor: p.instruction.debtor.clone(),
            creditor_account: p.instruction.debtor_account.clone(),
            creditor_agent: p.instruction.debtor_agent,
            ultimate_debtor: p.instruction.ultimate_creditor.clone(),
            ultimate_creditor: p.instruction.ultimate_debtor.clone(),
            ..p.instruction.clone()
        };

        let receipt = self.submit_one(sender, &instruction, None, Some((original, reason)), now)?;
        Ok(Answer::Payment(receipt))
    }

    /// Every queued payment is in exactly one queue, with a deadline, and nothing else is.
    fn queues_consistent(&self) -> bool {
        let queued: usize = self.queues.values().map(BTreeSet::len).sum();
        queued == self.deadlines.len()
            && self.deadlines.iter().all(|(_, id)| {
                self.payment(*id)
                    .is_some_and(|p| p.status == PaymentStatus::Queued)
            })
    }

    pub(crate) fn rebuild_indexes(&mut self) {
        self.settlement_accounts = self
            .accounts
            .values()
            .filter(|a| a.purpose == AccountPurpose::Settlement)
            .map(|a| ((a.owner, a.currency), a.id))
            .collect();
        self.inventory_accounts = self
            .accounts
            .values()
            .filter(|a| a.purpose == AccountPurpose::FxInventory)
            .map(|a| ((a.owner, a.currency), a.id))
            .collect();
        self.current_sheets = self
            .sheets
            .iter()
            .enumerate()
            .map(|(i, sheet)| (sheet.provider, i))
            .collect();
        self.quote_deadlines = self
            .quotes
            .values()
            .map(|q| (crate::pvp::forget_at(q), q.id))
            .collect();
        self.fx_volume.clear();
        for id in 1..=self.recalls.len() as u64 {
            self.index_recall(id);
        }
        for id in 1..=self.payments.len() as u64 {
            self.index_payment(id);
            if let Some(fx) = &self.payments[(id - 1) as usize].fx
                && !fx.legs.is_empty()
            {
                let quote = fx.quote.clone();
                self.count_fx(&quote);
            }
            let p = &self.payments[(id - 1) as usize];
            if p.status != PaymentStatus::Queued {
                continue;
            }
            let key = QueueKey {
                urgency: std::cmp::Reverse(p.instruction.priority),
                payment: id,
            };
            let deadline = p.queue_deadline.unwrap_or(Timestamp::ZERO);
            if let Some(payer) = self.settlement_account(p.sender, p.currency()) {
                self.queues.entry(payer).or_default().insert(key);
            }
            self.deadlines.insert((deadline, id));
        }
    }

    /// The hub's own invariants on top of the ledger's: every settled payment has exactly one
    /// ledger transfer and every queued one is queued.
    pub fn check_invariants(&self) -> Result<(), String> {
        self.ledger.check_invariants().map_err(|e| e.to_string())?;
        self.check_pvp()?;
        if !self.queues_consistent() {
            return Err("queued payments and queues disagree".into());
        }
        for p in &self.payments {
            let settled = matches!(p.status, PaymentStatus::Settled | PaymentStatus::Returned);
            if settled != p.transfer.is_some() {
                return Err(format!(
                    "payment {} is {:?} with transfer {:?}",
                    p.id, p.status, p.transfer
                ));
            }
            if let Some(t) = p.transfer
                && self.ledger.transfer_state(t).is_none()
            {
                return Err(format!(
                    "payment {}'s transfer {t} is not in the ledger",
                    p.id
                ));
            }
            let held = p.status == PaymentStatus::Held;
            let open_hold = self
                .compliance
                .hold(p.id)
                .is_some_and(|h| h.state == HoldState::Open);
            if held != open_hold {
                return Err(format!(
                    "payment {} is {:?} but its hold is {:?}",
                    p.id,
                    p.status,
                    self.compliance.hold(p.id).map(|h| h.state)
                ));
            }
        }
        self.check_recalls()?;
        self.compliance.check_invariants()
    }
}

/// A cross-currency payment is not sent back as such: its rate was locked only until the
/// quote expired.
pub(crate) fn refuse_fx_return(p: &Payment) -> Result<(), Rejection> {
    if p.fx.is_none() {
        return Ok(());
    }
    Err(Rejection::new(
        "AG01",
        format!(
            "payment {} was cross-currency: send the money back as a new payment with its own quote",
            p.id
        ),
    ))
}

pub(crate) fn parse_amount(text: &str, currency: Currency) -> Result<u128, Rejection> {
    let amount = Amount::parse(text, currency)
        .map_err(|e| Rejection::new(e.reason_code(), e.to_string()))?;
    if amount.is_zero() {
        return Err(Rejection::new("AM01", "amount must not be zero"));
    }
    Ok(amount.minor())
}

/// A cancellation or return reason: its first word is the ISO 20022 reason code (four
/// uppercase letters or digits, like CUST, DUPL, AC04), the rest is free text.
pub(crate) fn parse_reason(reason: &str) -> Result<Rejection, Rejection> {
    let code = reason.split_whitespace().next().unwrap_or("");
    let ok = code.len() == 4
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !ok || reason.chars().count() > 105 || reason.chars().any(char::is_control) {
        return Err(Rejection::format(
            "reason must start with a four-character ISO 20022 reason code (e.g. \"CUST\", \"AC04 account closed\"), at most 105 characters",
        ));
    }
    let text = reason[code.len()..].trim();
    Ok(Rejection::new(
        code,
        if text.is_empty() { code } else { text },
    ))
}

pub(crate) fn ledger_rejection(code: ResultCode) -> Rejection {
    Rejection::new(
        code.iso_reason().unwrap_or("NARR"),
        format!("ledger refused: {}", code.as_str()),
    )
}
