//! The hub: one deterministic state machine holding every part of the scheme's state (the
//! registry of participants and accounts, the books, liquidity, payments and their RTGS
//! queues, the FX desk, recalls, outboxes, compliance, monitoring, closed days). It
//! dispatches each `HubCommand` to the workflow that handles it; the files of this module
//! are those workflows, each across the parts it needs.

mod accounts;
mod audit;
mod controls;
mod day;
mod fx;
mod holds;
mod invariants;
mod liquidity;
mod lsm;
mod net;
mod operating;
mod payments;
mod recalls;
mod returns;
mod snapshot;

use std::collections::BTreeMap;

use corridor_core::{AccountId, Bic, Currency, CurrencyCode, Timestamp, Uetr};
use corridor_ledger::Ledger;

use crate::audit::AuditLog;
use crate::books::{Books, Statement};
use crate::business_day::{ClosedDay, ClosedDays};
use crate::command::{HubCommand, HubConfig};
use crate::compliance::{Compliance, Hold};
use crate::fx::sheet::{RateSheet, ReferenceRate};
use crate::fx_desk::{FxDesk, PairVolume};
use crate::identities::{Credential, Identities, LEGACY_TOKEN_TTL_NS, TokenGrant};
use crate::liquidity::{Liquidity, LiquidityRecord};
use crate::liquidity_controls::{ControlStore, LiquidityControls};
use crate::liquidity_saving::{LiquiditySaving, LiquiditySavingConfig, Settled, SettledBy};
use crate::model::Participant;
use crate::monitoring::Monitoring;
use crate::net_settlement::{NetSettlement, NetSettlementConfig, NetWindow};
use crate::operating_days::{CurrencyPhase, OperatingDays, OperatingSetup};
use crate::outbox::{Outbox, Outboxes};
use crate::payment::{Payment, PaymentFilter, PaymentReceipt};
use crate::payments::{Payments, SearchPage};
use crate::pvp::Quote;
use crate::recall::{Recall, Recalls};
use crate::registry::{AccountInfo, CurrencyAgent, Registry};
use crate::rejection::Rejection;
use crate::rtgs::Queues;
use crate::timers::Timers;

pub use lsm::QueueSummary;

/// Largest payment batch one command may carry.
pub const MAX_BATCH: usize = 10_000;

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
    Credential(Credential),
    /// `duplicate`: this very calendar text was already loaded.
    CalendarLoaded {
        duplicate: bool,
    },
    LiquidityControls(Box<LiquidityControls>),
}

pub type HubOutcome = Result<Answer, Rejection>;

/// The hub. Every change goes through [`Hub::execute`].
#[derive(Debug, Default)]
pub struct Hub {
    config: HubConfig,
    registry: Registry,
    books: Books,
    liquidity: Liquidity,
    payments: Payments,
    queues: Queues,
    fx: FxDesk,
    recalls: Recalls,
    outboxes: Outboxes,
    compliance: Compliance,
    monitoring: Monitoring,
    days: ClosedDays,
    operating: OperatingDays,
    timers: Timers,
    lsm: LiquiditySaving,
    controls: ControlStore,
    net: NetSettlement,
    audit: AuditLog,
    identities: Identities,
}

impl Hub {
    pub fn new() -> Hub {
        Hub::default()
    }

    /// Applies one command at engine time `now`. Deterministic.
    pub fn execute(&mut self, command: &HubCommand, now: Timestamp) -> HubOutcome {
        self.advance(now);
        self.expire_queued(now);
        self.fx.expire_quotes(now);
        let outcome = self.dispatch(command, now);
        self.optimise_due(now);
        self.settle_windows(now);
        if let Ok(answer) = &outcome {
            self.audit_command(command, answer, now);
        }
        debug_assert!(self.queues_consistent());
        outcome
    }

    fn dispatch(&mut self, command: &HubCommand, now: Timestamp) -> HubOutcome {
        self.check_acting_parties(command)?;
        match command {
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
            } => Ok(Answer::Participant(
                self.registry.admit(*bic, name, country, roles, now)?,
            )),
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
                (*currency, amount),
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
                (*sender, *original),
                (return_id, *uetr),
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
                self.outboxes.acknowledge(*participant, *up_to);
                Ok(Answer::Done)
            }
            HubCommand::RegisterToken {
                token_sha256,
                subject,
            } => {
                let expires_at = Timestamp(now.0.saturating_add(LEGACY_TOKEN_TTL_NS));
                self.identities
                    .register_token(token_sha256, subject, expires_at, now)?;
                Ok(Answer::Done)
            }
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
                self.compliance.configure(config);
                Ok(Answer::Done)
            }
            HubCommand::RecordWatchlist { version, .. } => {
                self.compliance.record_list(version);
                Ok(Answer::Done)
            }
            HubCommand::DecideHold {
                officer,
                payment,
                decision,
                reason,
            } => self.decide_hold(officer, *payment, *decision, reason, now),
            HubCommand::ConfigureMonitoring(config) => {
                let registry = &self.registry;
                self.monitoring
                    .configure(config, |code| registry.currency(code))?;
                Ok(Answer::Done)
            }
            HubCommand::WorkCase {
                officer,
                case,
                action,
            } => {
                self.monitoring
                    .act(officer, *case, action, now, &mut self.audit)?;
                Ok(Answer::Done)
            }
            HubCommand::CloseBusinessDay { date, at } => self.close_business_day(date, *at, now),
            HubCommand::IssueToken {
                token_sha256,
                subject,
                expires_at,
            } => {
                self.identities
                    .register_token(token_sha256, subject, *expires_at, now)?;
                Ok(Answer::Done)
            }
            HubCommand::RevokeToken { token_sha256 } => {
                self.identities.revoke_token(token_sha256)?;
                Ok(Answer::Done)
            }
            HubCommand::RegisterCredential {
                subject,
                fingerprint_sha256,
            } => self.register_credential(subject, fingerprint_sha256, now),
            HubCommand::RevokeCredential {
                subject,
                fingerprint_sha256,
            } => Ok(Answer::Credential(
                self.identities
                    .revoke_credential(subject, fingerprint_sha256)?,
            )),
            HubCommand::ConfigureOperatingDay { currency, schedule } => {
                self.configure_operating_day(*currency, schedule, now)
            }
            HubCommand::LoadCalendar { currency, text } => self.load_calendar(*currency, text, now),
            HubCommand::AmendCalendar(amendment) => self.amend_calendar(amendment, now),
            HubCommand::ConfigureLiquiditySaving(config) => {
                self.lsm.configure(config);
                // The queues as they stand are worth a first run.
                for payer in self.queues.payers() {
                    if let Some(account) = self.registry.account(payer) {
                        self.lsm.queue_changed(account.currency);
                    }
                }
                Ok(Answer::Done)
            }
            HubCommand::ExtendCutOff {
                currency,
                date,
                cut_off,
                until,
            } => self.extend_cut_off(*currency, (*date, *cut_off), until, now),
            HubCommand::RunOptimisation {
                currency,
                algorithm,
            } => self.run_optimisation(*currency, *algorithm, now),
            HubCommand::ConfigureNetSettlement { currency, settings } => {
                self.configure_net_settlement(*currency, settings, now)
            }
            HubCommand::NetWindow { currency, action } => {
                self.net_window_action(*currency, action, now)
            }
            HubCommand::SetLiquidityControls {
                participant,
                currency,
                controls,
                requested_by,
            } => {
                self.set_liquidity_controls((*participant, *currency), controls, *requested_by, now)
            }
        }
    }

    // ---- reads -------------------------------------------------------------------------

    pub fn ledger(&self) -> &Ledger {
        self.books.ledger()
    }

    pub fn compliance(&self) -> &Compliance {
        &self.compliance
    }

    /// The audit chain: every command carried out and every compliance step.
    pub fn audit(&self) -> &AuditLog {
        &self.audit
    }

    /// Tells the hub which journal record the commands it applies next came in, so the
    /// audit chain can name it.
    pub fn begin_record(&mut self, journal_seq: u64) {
        self.audit.begin_record(journal_seq);
    }

    pub fn monitoring(&self) -> &Monitoring {
        &self.monitoring
    }

    pub fn config(&self) -> &HubConfig {
        &self.config
    }

    pub fn currencies(&self) -> impl Iterator<Item = &CurrencyAgent> {
        self.registry.currency_map().values()
    }

    pub fn currency(&self, code: CurrencyCode) -> Option<Currency> {
        self.registry.currency(code)
    }

    pub fn currency_agent(&self, code: CurrencyCode) -> Option<&CurrencyAgent> {
        self.registry.currency_agent(code)
    }

    pub fn participants(&self) -> impl Iterator<Item = &Participant> {
        self.registry.participant_map().values()
    }

    pub fn participant(&self, bic: Bic) -> Option<&Participant> {
        self.registry.participant(bic)
    }

    pub fn accounts_of(&self, owner: Bic) -> impl Iterator<Item = &AccountInfo> {
        self.all_accounts().filter(move |a| a.owner == owner)
    }

    pub fn all_accounts(&self) -> impl Iterator<Item = &AccountInfo> {
        self.registry.account_map().values()
    }

    pub fn account(&self, id: AccountId) -> Option<&AccountInfo> {
        self.registry.account(id)
    }

    pub fn settlement_account(&self, owner: Bic, currency: CurrencyCode) -> Option<AccountId> {
        self.registry.settlement_account(owner, currency)
    }

    /// Registered bearer tokens: (SHA-256 hex, grant).
    pub fn tokens(&self) -> impl Iterator<Item = (&str, &TokenGrant)> {
        self.identities
            .token_map()
            .iter()
            .map(|(d, g)| (d.as_str(), g))
    }

    /// Registered client certificates, by fingerprint.
    pub fn credentials(&self) -> impl Iterator<Item = &Credential> {
        self.identities.credential_map().values()
    }

    pub fn payment(&self, id: u64) -> Option<&Payment> {
        self.payments.get(id)
    }

    pub fn payment_count(&self) -> usize {
        self.payments.count()
    }

    pub fn payment_by_uetr(&self, uetr: Uetr) -> Option<&Payment> {
        self.payments.by_uetr(uetr)
    }

    /// Payments `participant` sent or received, newest last, narrowed by `filter`, one
    /// bounded page at a time (see [`SearchPage`]).
    pub fn search(&self, participant: Bic, filter: &PaymentFilter) -> SearchPage<'_> {
        self.payments.search(participant, filter)
    }

    /// Pre-sizes the idempotency indexes for `payments` more payments: growing a large
    /// table rehashes all of it at once, a stall every payment in flight would wait for.
    pub fn reserve_payments(&mut self, payments: usize) {
        self.payments.reserve(payments);
    }

    pub fn queue_depth(&self) -> usize {
        self.queues.depth()
    }

    /// The earliest time something happens on its own (a queued payment times out, a
    /// warehoused one comes out, a currency opens or closes, a queue optimisation is due),
    /// so the node knows when to tick.
    pub fn next_deadline(&self) -> Option<Timestamp> {
        [
            self.queues.next_deadline(),
            self.timers.next(),
            self.operating.next_boundary(),
            self.lsm.next_due(),
            self.net.next_deadline(),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// `currency`'s net settlement, if it has one.
    pub fn net_settlement_config(&self, currency: CurrencyCode) -> Option<&NetSettlementConfig> {
        self.net.config(currency)
    }

    /// `currency`'s net windows, the newest (the open one) first, at most `limit`.
    pub fn net_windows(&self, currency: CurrencyCode, limit: usize) -> Vec<&NetWindow> {
        self.net.windows(currency, limit)
    }

    pub fn net_window(&self, id: u64) -> Option<&NetWindow> {
        self.net.window(id)
    }

    pub fn liquidity_saving_config(&self) -> &LiquiditySavingConfig {
        self.lsm.config()
    }

    /// Value settled by each way (gross, offsetting, each algorithm), per currency; for one
    /// currency and one participant (the sender) when given.
    pub fn settled_by(
        &self,
        currency: Option<CurrencyCode>,
        sender: Option<Bic>,
    ) -> BTreeMap<(CurrencyCode, SettledBy), Settled> {
        self.lsm.settled(currency, sender)
    }

    /// Since `currency`'s business day began: (value settled, liquidity used), where the
    /// liquidity used is the sum over accounts of the largest net debit their payments
    /// reached; of `participant` only when given.
    pub fn settled_today(&self, currency: CurrencyCode, participant: Option<Bic>) -> (u128, u128) {
        let own = participant.and_then(|p| self.registry.settlement_account(p, currency));
        self.lsm.today(currency, participant, |a| {
            participant.is_none() || Some(a) == own
        })
    }

    /// How many optimisation runs of `currency` found nothing to settle with payments queued.
    pub fn gridlocks(&self, currency: CurrencyCode) -> u64 {
        self.lsm.gridlocks(currency)
    }

    /// Payments waiting for a later settlement date or time.
    pub fn warehoused_count(&self) -> usize {
        self.timers.count(crate::timers::Due::Release)
    }

    /// Where `currency`'s day stands at `now`.
    pub fn currency_phase(&self, currency: CurrencyCode, now: Timestamp) -> CurrencyPhase {
        self.operating.phase(currency, now)
    }

    /// Each date of `currency` from `from` to `to` (at most a year of them): business day
    /// or not and why, and its times.
    pub fn calendar_days(
        &self,
        currency: CurrencyCode,
        from: crate::BusinessDate,
        to: crate::BusinessDate,
    ) -> Vec<corridor_calendar::DayDescription> {
        self.operating.describe_days(currency, from, to)
    }

    /// `currency`'s schedule, its loaded calendar versions and the operator's amendments.
    pub fn operating_setup(&self, currency: CurrencyCode) -> OperatingSetup {
        self.operating.setup(currency)
    }

    pub fn outbox(&self, participant: Bic) -> Option<&Outbox> {
        self.outboxes.get(participant)
    }

    /// The statement of `account` for `[from, to)`.
    pub fn statement(
        &self,
        account: AccountId,
        from: Timestamp,
        to: Timestamp,
        limit: usize,
    ) -> Option<Statement> {
        let info = self.registry.account(account)?.clone();
        Some(self.books.statement(info, from, to, limit))
    }

    pub fn quote(&self, id: u64) -> Option<&Quote> {
        self.fx.quote(id)
    }

    pub fn rate_sheets(&self) -> &[RateSheet] {
        self.fx.sheets()
    }

    /// The sheet a provider last published, whether still valid or not.
    pub fn current_sheet(&self, provider: Bic) -> Option<&RateSheet> {
        self.fx.current_sheet(provider)
    }

    pub fn reference_rates(&self) -> &[ReferenceRate] {
        self.fx.reference_rates()
    }

    /// The latest reference rate published for `base`/`quote`, in either orientation.
    pub fn reference_rate(&self, a: CurrencyCode, b: CurrencyCode) -> Option<&ReferenceRate> {
        self.fx.reference_rate(a, b)
    }

    pub fn fx_volume(&self) -> &BTreeMap<(CurrencyCode, CurrencyCode), PairVolume> {
        self.fx.volume()
    }

    pub fn recall(&self, id: u64) -> Option<&Recall> {
        self.recalls.get(id)
    }

    pub fn recalls(&self) -> impl Iterator<Item = &Recall> {
        self.recalls.all().iter()
    }

    /// The most recent recall of `payment`: the open one if there is one.
    pub fn latest_recall(&self, payment: u64) -> Option<&Recall> {
        self.recalls.latest(payment)
    }

    /// Every closed business day, oldest first.
    pub fn closed_days(&self) -> &[ClosedDay] {
        self.days.all()
    }
}
