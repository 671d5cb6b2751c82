//! Shared fixtures for the hub's integration tests: a hub with a clock, two settlement agents
//! (RUB, exponent 2; IRR, exponent 0), four banks with settlement accounts in both, and
//! helpers to build instructions and read balances and outboxes.
#![allow(dead_code)]

pub mod traffic;

use corridor_core::{AccountId, Bic, CurrencyCode, Timestamp, Uetr};
use corridor_settlement::{
    AccountPurpose, Answer, ChargeBearer, ComplianceConfig, Hub, HubCommand, HubOutcome,
    LiquidityDirection, LiquidityRecord, OutboxEvent, ParticipantRole, Party, PaymentInstruction,
    PaymentKind, PaymentReceipt, Priority, Rejection, ScreeningPolicy,
};

pub const SECOND: u64 = 1_000_000_000;
/// Each command runs one millisecond after the previous one.
pub const STEP: u64 = 1_000_000;
/// 2023-11-14T22:13:20Z: any fixed start works; the hub never reads a clock.
pub const START: Timestamp = Timestamp(1_700_000_000 * SECOND);

pub fn bic(s: &str) -> Bic {
    s.parse().expect("a valid BIC")
}

pub fn ccy(s: &str) -> CurrencyCode {
    s.parse().expect("an ISO 4217 code")
}

pub fn rub() -> CurrencyCode {
    ccy("RUB")
}

pub fn irr() -> CurrencyCode {
    ccy("IRR")
}

/// The Bank of Russia: settlement agent for RUB.
pub fn cbr() -> Bic {
    bic("CBRFRUMM")
}

/// The Central Bank of Iran: settlement agent for IRR.
pub fn cbi() -> Bic {
    bic("CBIRIRTH")
}

pub fn bank_a() -> Bic {
    bic("SABRRUMM")
}

pub fn bank_b() -> Bic {
    bic("BMJIIRTH")
}

pub fn bank_c() -> Bic {
    bic("VTBRRUMM")
}

pub fn bank_d() -> Bic {
    bic("BKMTIRTH")
}

/// A deterministic version-4 UETR derived from `text` (FNV-1a, twice, with two seeds).
pub fn uetr_for(text: &str) -> Uetr {
    let fnv = |seed: u64| {
        text.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let hex = format!(
        "{:016x}{:016x}",
        fnv(0xcbf2_9ce4_8422_2325),
        fnv(0x84222325_cbf29ce4)
    );
    let h = hex.as_bytes();
    let s = |r: std::ops::Range<usize>| std::str::from_utf8(&h[r]).unwrap_or_default();
    let variant = ['8', '9', 'a', 'b'][usize::from(h[16] % 4)];
    format!(
        "{}-{}-4{}-{}{}-{}",
        s(0..8),
        s(8..12),
        s(13..16),
        variant,
        s(17..20),
        s(20..32)
    )
    .parse()
    .expect("a valid v4 UETR")
}

pub fn party(name: &str) -> Party {
    Party {
        name: name.to_string(),
        ..Party::default()
    }
}

/// A customer credit transfer of `amount` in `currency` to `to`, UETR derived from `id`.
pub fn instruction(id: &str, to: Bic, amount: &str, currency: CurrencyCode) -> PaymentInstruction {
    PaymentInstruction {
        kind: PaymentKind::CustomerCreditTransfer,
        instruction_id: id.to_string(),
        end_to_end_id: format!("E2E-{id}"),
        uetr: uetr_for(id),
        amount: amount.to_string(),
        currency,
        instructed_agent: to,
        debtor: party("Ivan Petrov"),
        debtor_account: None,
        debtor_agent: None,
        creditor: party("Ali Rezaei"),
        creditor_account: None,
        creditor_agent: None,
        ultimate_debtor: None,
        ultimate_creditor: None,
        charge_bearer: ChargeBearer::ServiceLevel,
        purpose: None,
        remittance_information: Some("invoice 42".to_string()),
        priority: Priority::Normal,
        quote: None,
        settlement_date: None,
        when_closed: None,
        settlement_time: None,
    }
}

pub fn with_priority(mut i: PaymentInstruction, priority: Priority) -> PaymentInstruction {
    i.priority = priority;
    i
}

pub fn receipts(answer: Answer) -> Vec<Result<PaymentReceipt, Rejection>> {
    match answer {
        Answer::Payments(r) => r,
        other => panic!("expected payment receipts, got {other:?}"),
    }
}

/// A hub and the engine time of its next command.
#[derive(Debug)]
pub struct Bench {
    pub hub: Hub,
    pub now: Timestamp,
    pub references: u64,
}

impl Default for Bench {
    fn default() -> Self {
        Bench::empty()
    }
}

impl Bench {
    /// A hub that settles unscreened payments, as most tests here are not about screening:
    /// the scheme's default holds them while no watchlist is on record.
    pub fn empty() -> Bench {
        let mut b = Bench {
            hub: Hub::new(),
            now: START,
            references: 0,
        };
        b.ok(HubCommand::ConfigureCompliance(ComplianceConfig {
            screening: ScreeningPolicy::Disabled,
            ..ComplianceConfig::default()
        }));
        b
    }

    /// Two agents and four banks (A and C Russian, B and D Iranian), each bank with a
    /// settlement account in RUB and in IRR, none funded.
    pub fn standard() -> Bench {
        let mut b = Bench::empty();
        b.admit(
            cbr(),
            "Bank of Russia",
            "RU",
            &[ParticipantRole::SettlementAgent],
        );
        b.admit(
            cbi(),
            "Central Bank of Iran",
            "IR",
            &[ParticipantRole::SettlementAgent],
        );
        b.ok(HubCommand::DesignateAgent {
            currency: rub(),
            exponent: 2,
            agent: cbr(),
            time_zone: "Europe/Moscow".into(),
        });
        b.ok(HubCommand::DesignateAgent {
            currency: irr(),
            exponent: 0,
            agent: cbi(),
            time_zone: "Asia/Tehran".into(),
        });
        for (bank, name, country) in [
            (bank_a(), "Sberbank", "RU"),
            (bank_b(), "Bank Melli Iran", "IR"),
            (bank_c(), "VTB Bank", "RU"),
            (bank_d(), "Bank Mellat", "IR"),
        ] {
            b.admit(bank, name, country, &[ParticipantRole::DirectParticipant]);
            for currency in [rub(), irr()] {
                b.ok(HubCommand::OpenAccount {
                    owner: bank,
                    currency,
                    purpose: AccountPurpose::Settlement,
                    net_debit_cap: 0,
                });
            }
        }
        b
    }

    /// Runs `command` one step after the previous one.
    pub fn run(&mut self, command: HubCommand) -> HubOutcome {
        self.now = Timestamp(self.now.0 + STEP);
        self.hub.execute(&command, self.now)
    }

    pub fn ok(&mut self, command: HubCommand) -> Answer {
        let text = format!("{command:?}");
        self.run(command)
            .unwrap_or_else(|e| panic!("{text} was refused: {e}"))
    }

    pub fn err(&mut self, command: HubCommand) -> Rejection {
        let text = format!("{command:?}");
        match self.run(command) {
            Ok(answer) => panic!("{text} should be refused, got {answer:?}"),
            Err(e) => e,
        }
    }

    pub fn advance(&mut self, seconds: u64) {
        self.now = Timestamp(self.now.0 + seconds * SECOND);
    }

    pub fn admit(&mut self, bic: Bic, name: &str, country: &str, roles: &[ParticipantRole]) {
        self.ok(HubCommand::AdmitParticipant {
            bic,
            name: name.into(),
            country: country.into(),
            roles: roles.to_vec(),
        });
    }

    pub fn agent_of(&self, currency: CurrencyCode) -> Bic {
        self.hub
            .currencies()
            .find(|c| c.currency.code == currency)
            .map(|c| c.agent)
            .expect("currency has an agent")
    }

    fn next_reference(&mut self) -> String {
        self.references += 1;
        format!("REF-{}", self.references)
    }

    pub fn liquidity_command(
        &mut self,
        bank: Bic,
        currency: CurrencyCode,
        amount: &str,
        direction: LiquidityDirection,
    ) -> HubCommand {
        HubCommand::Liquidity {
            agent: self.agent_of(currency),
            reference: self.next_reference(),
            participant: bank,
            currency,
            amount: amount.into(),
            direction,
            account: AccountPurpose::Settlement,
        }
    }

    pub fn fund(&mut self, bank: Bic, currency: CurrencyCode, amount: &str) -> LiquidityRecord {
        let command = self.liquidity_command(bank, currency, amount, LiquidityDirection::Fund);
        match self.ok(command) {
            Answer::Liquidity(record) => record,
            other => panic!("expected a liquidity record, got {other:?}"),
        }
    }

    /// Submits one payment and returns its receipt or the item's rejection.
    pub fn pay(&mut self, sender: Bic, i: PaymentInstruction) -> Result<PaymentReceipt, Rejection> {
        let answer = self.ok(HubCommand::SubmitPayments {
            sender,
            payments: vec![i],
            screening: Vec::new(),
        });
        let mut r = receipts(answer);
        assert_eq!(r.len(), 1);
        r.remove(0)
    }

    pub fn pay_ok(&mut self, sender: Bic, i: PaymentInstruction) -> PaymentReceipt {
        let id = i.instruction_id.clone();
        self.pay(sender, i)
            .unwrap_or_else(|e| panic!("payment {id} was refused: {e}"))
    }

    pub fn account(&self, bank: Bic, currency: CurrencyCode) -> AccountId {
        self.hub
            .settlement_account(bank, currency)
            .expect("a settlement account")
    }

    /// Posted credits minus posted debits of `bank`'s settlement account, in minor units.
    pub fn balance(&self, bank: Bic, currency: CurrencyCode) -> i128 {
        let a = self
            .hub
            .ledger()
            .account(self.account(bank, currency))
            .expect("the account is in the ledger");
        a.credits_posted as i128 - a.debits_posted as i128
    }

    /// The unacknowledged outbox events of `bank`, oldest first.
    pub fn outbox(&self, bank: Bic) -> Vec<OutboxEvent> {
        self.hub
            .outbox(bank)
            .map(|o| o.read(None, 100).into_iter().map(|m| m.event).collect())
            .unwrap_or_default()
    }
}
