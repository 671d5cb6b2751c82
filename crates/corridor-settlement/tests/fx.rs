//! Cross-currency payments: rate sheets, quotes, payment-versus-payment settlement, routing
//! through a third currency, and a randomized run with failures, expiries and crashes.

mod support;

use corridor_core::{Bic, CurrencyCode, Timestamp};
use corridor_ledger::StateMachine;
use corridor_settlement::fx::quote::{BorneBy, Fixed};
use corridor_settlement::fx::sheet::{
    PairRequest, RateSheetRequest, ReferenceRateRequest, TierRequest,
};
use corridor_settlement::{
    AccountPurpose, Answer, ChargeBearer, Hub, HubCommand, LiquidityDirection, ParticipantRole,
    ParticipantStatus, PaymentInstruction, PaymentStatus, Quote, QuoteRequest, SettledBy,
};
use proptest::prelude::*;
use support::*;

fn provider_x() -> Bic {
    bic("FXPXRUMM")
}

fn provider_y() -> Bic {
    bic("FXPYIRTH")
}

fn cny() -> CurrencyCode {
    ccy("CNY")
}

fn pair(base: CurrencyCode, quote: CurrencyCode, bid: &str, ask: &str) -> PairRequest {
    PairRequest {
        base,
        quote,
        bid: bid.parse::<String>().unwrap().try_into().unwrap(),
        ask: ask.parse::<String>().unwrap().try_into().unwrap(),
        tiers: Vec::new(),
        fee_in_base: None,
        fee_in_quote: None,
    }
}

fn sheet(pairs: Vec<PairRequest>) -> RateSheetRequest {
    RateSheetRequest {
        valid_for_seconds: 3_600,
        pairs,
    }
}

trait FxBench {
    fn add_provider(&mut self, provider: Bic, currencies: &[CurrencyCode], inventory: &[&str]);
    fn publish(&mut self, provider: Bic, sheet: RateSheetRequest);
    fn quote(&mut self, requester: Bic, request: QuoteRequest) -> Quote;
    fn inventory(&self, provider: Bic, currency: CurrencyCode) -> i128;
    fn pay_fx(
        &mut self,
        sender: Bic,
        id: &str,
        quote: &Quote,
    ) -> corridor_settlement::PaymentReceipt;
}

impl FxBench for Bench {
    fn add_provider(&mut self, provider: Bic, currencies: &[CurrencyCode], inventory: &[&str]) {
        self.admit(provider, "FX house", "RU", &[ParticipantRole::FxProvider]);
        for (currency, amount) in currencies.iter().zip(inventory) {
            self.ok(HubCommand::OpenAccount {
                owner: provider,
                currency: *currency,
                purpose: AccountPurpose::FxInventory,
                net_debit_cap: 0,
            });
            let mut command =
                self.liquidity_command(provider, *currency, amount, LiquidityDirection::Fund);
            if let HubCommand::Liquidity { account, .. } = &mut command {
                *account = AccountPurpose::FxInventory;
            }
            self.ok(command);
        }
    }

    fn publish(&mut self, provider: Bic, sheet: RateSheetRequest) {
        self.ok(HubCommand::PublishRateSheet { provider, sheet });
    }

    fn quote(&mut self, requester: Bic, request: QuoteRequest) -> Quote {
        match self.ok(HubCommand::RequestQuote { requester, request }) {
            Answer::Quote(q) => *q,
            other => panic!("expected a quote, got {other:?}"),
        }
    }

    fn inventory(&self, provider: Bic, currency: CurrencyCode) -> i128 {
        let id = self
            .hub
            .accounts_of(provider)
            .find(|a| a.currency == currency && a.purpose == AccountPurpose::FxInventory)
            .expect("an inventory account")
            .id;
        let a = self.hub.ledger().account(id).expect("in the ledger");
        a.credits_posted as i128 - a.debits_posted as i128
    }

    fn pay_fx(
        &mut self,
        sender: Bic,
        id: &str,
        quote: &Quote,
    ) -> corridor_settlement::PaymentReceipt {
        self.pay_ok(sender, quoted(id, quote))
    }
}

/// The instruction that settles `quote`, as its requester would send it.
fn quoted(id: &str, quote: &Quote) -> PaymentInstruction {
    let currency = quote.source();
    let exponent = if currency == irr() { 0 } else { 2 };
    let mut i = instruction(
        id,
        quote.creditor_agent,
        &decimal(quote.priced.instructed, exponent),
        currency,
    );
    i.charge_bearer = quote.charge_bearer;
    i.quote = Some(quote.id);
    i
}

fn decimal(minor: u128, exponent: u32) -> String {
    if exponent == 0 {
        return minor.to_string();
    }
    let unit = 10u128.pow(exponent);
    format!(
        "{}.{:0width$}",
        minor / unit,
        minor % unit,
        width = exponent as usize
    )
}

fn rub_to_irr(
    instructed: Option<&str>,
    creditor: Option<&str>,
    bearer: ChargeBearer,
) -> QuoteRequest {
    QuoteRequest {
        source_currency: rub(),
        destination_currency: irr(),
        creditor_agent: bank_b(),
        instructed_amount: instructed.map(str::to_string),
        creditor_amount: creditor.map(str::to_string),
        charge_bearer: bearer,
    }
}

/// Bank A funded with 1,000,000.00 RUB; provider X quoting RUB/IRR 512.5 / 515, a fee of
/// 10.00 RUB or 5,000 IRR, with 1,000,000.00 RUB and 10^12 IRR of inventory.
fn corridor() -> Bench {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "1000000.00");
    b.add_provider(
        provider_x(),
        &[rub(), irr()],
        &["1000000.00", "1000000000000"],
    );
    let mut p = pair(rub(), irr(), "512.5", "515");
    p.fee_in_base = Some("10.00".into());
    p.fee_in_quote = Some("5000".into());
    b.publish(provider_x(), sheet(vec![p]));
    b
}

/// Bank A's quote for 1,000.00 RUB to bank B in IRR, fees borne by the debtor.
fn debt_quote(b: &mut Bench) -> Quote {
    b.quote(
        bank_a(),
        rub_to_irr(Some("1000.00"), None, ChargeBearer::Debtor),
    )
}

fn assert_balanced(b: &Bench) {
    b.hub
        .check_invariants()
        .expect("hub invariants, PvP included");
}

#[test]
fn an_instructed_amount_quote_settles_both_legs_at_its_locked_amounts() {
    let mut b = corridor();
    let q = debt_quote(&mut b);
    assert_eq!(q.route(), vec![rub(), irr()]);
    assert_eq!(q.priced.hops[0].provider, provider_x());
    assert_eq!(q.priced.hops[0].rate.to_string(), "512.5");
    assert_eq!(q.priced.instructed, 100_000);
    assert_eq!(q.priced.debtor_pays, 101_000, "DEBT: the fee comes on top");
    assert_eq!(q.priced.creditor_receives, 512_500);
    assert_eq!(q.priced.fees.len(), 1);
    let r = b.pay_fx(bank_a(), "FX-1", &q);
    assert_eq!(r.status, PaymentStatus::Settled);
    assert_eq!(b.balance(bank_a(), rub()), 100_000_000 - 101_000);
    assert_eq!(b.balance(bank_b(), irr()), 512_500);
    assert_eq!(b.inventory(provider_x(), rub()), 100_000_000 + 101_000);
    assert_eq!(
        b.inventory(provider_x(), irr()),
        1_000_000_000_000 - 512_500
    );
    let p = b.hub.payment(r.payment).unwrap();
    let fx = p.fx.as_ref().unwrap();
    assert_eq!(fx.legs.len(), 2);
    assert_eq!((fx.legs[0].currency, fx.legs[0].amount), (rub(), 101_000));
    assert_eq!((fx.legs[1].currency, fx.legs[1].amount), (irr(), 512_500));
    // Each leg is on the statements of both its accounts.
    let statement = b
        .hub
        .statement(
            b.account(bank_b(), irr()),
            START,
            Timestamp(b.now.0 + SECOND),
            10,
        )
        .unwrap();
    assert_eq!(statement.entries.len(), 1);
    assert_eq!(statement.entries[0].payment, Some(r.payment));
    assert_balanced(&b);
}

#[test]
fn charge_bearer_decides_who_pays_the_fee() {
    let mut b = corridor();
    let cred = b.quote(
        bank_a(),
        rub_to_irr(Some("1000.00"), None, ChargeBearer::Creditor),
    );
    assert_eq!(cred.priced.debtor_pays, 100_000);
    assert_eq!(
        cred.priced.creditor_receives, 507_375,
        "990.00 RUB converted"
    );
    // SHAR splits 10.00 RUB: 5.00 each.
    let shar = b.quote(
        bank_a(),
        rub_to_irr(Some("1000.00"), None, ChargeBearer::Shared),
    );
    assert_eq!(shar.priced.debtor_pays, 100_500);
    assert_eq!(
        shar.priced.creditor_receives, 509_938,
        "995.00 * 512.5 = 509937.5 -> even"
    );
    // An odd fee: the odd minor unit goes to the debtor (5.01 + 5.00).
    let mut p = pair(rub(), irr(), "512.5", "515");
    p.fee_in_base = Some("10.01".into());
    b.publish(provider_x(), sheet(vec![p]));
    let odd = b.quote(
        bank_a(),
        rub_to_irr(Some("1000.00"), None, ChargeBearer::Shared),
    );
    assert_eq!(odd.priced.debtor_pays, 100_501);
    // 995.00 * 512.5 = 509,937.5 -> 509,938 (ties to even)
    assert_eq!(odd.priced.creditor_receives, 509_938);
    let fees: Vec<_> = odd
        .priced
        .fees
        .iter()
        .map(|f| (f.amount, f.borne_by))
        .collect();
    assert_eq!(fees, vec![(501, BorneBy::Debtor), (500, BorneBy::Creditor)]);
    // SLEV follows the scheme rule, which is SHAR.
    let slev = b.quote(
        bank_a(),
        rub_to_irr(Some("1000.00"), None, ChargeBearer::ServiceLevel),
    );
    assert_eq!(slev.priced, odd.priced);
}

#[test]
fn a_creditor_amount_quote_is_computed_backwards_and_credits_exactly_that() {
    let mut b = corridor();
    let q = b.quote(
        bank_a(),
        rub_to_irr(None, Some("1000000"), ChargeBearer::Creditor),
    );
    // 1,000,000 IRR / 512.5 = 1951.2195... RUB -> 1951.22; plus the 10.00 fee.
    assert_eq!(q.priced.hops[0].received, 196_122);
    assert_eq!(q.priced.instructed, 196_122);
    assert_eq!(q.priced.creditor_receives, 1_000_000);
    assert_eq!(q.fixed, Fixed::CreditorReceives(1_000_000));
    let r = b.pay_fx(bank_a(), "FX-B", &q);
    assert_eq!(r.status, PaymentStatus::Settled);
    assert_eq!(b.balance(bank_b(), irr()), 1_000_000);
    assert_balanced(&b);
}

#[test]
fn irr_to_rub_uses_the_ask_and_the_quote_currency_fee() {
    let mut b = corridor();
    b.fund(bank_b(), irr(), "100000000");
    let q = b.quote(
        bank_b(),
        QuoteRequest {
            source_currency: irr(),
            destination_currency: rub(),
            creditor_agent: bank_a(),
            instructed_amount: Some("1035000".into()),
            creditor_amount: None,
            charge_bearer: ChargeBearer::Creditor,
        },
    );
    // (1,035,000 - 5,000) / 515 = 2000.00 RUB exactly.
    assert_eq!(q.priced.creditor_receives, 200_000);
    assert_eq!(q.priced.hops[0].rate.to_string(), "515");
}

#[test]
fn the_best_rate_for_the_payer_wins_and_the_others_are_listed() {
    let mut b = corridor();
    b.add_provider(provider_y(), &[rub(), irr()], &["1000.00", "1000000"]);
    b.publish(provider_y(), sheet(vec![pair(rub(), irr(), "513", "514")]));
    let q = debt_quote(&mut b);
    assert_eq!(
        q.priced.hops[0].provider,
        provider_y(),
        "513 without fee beats 512.5"
    );
    assert_eq!(q.priced.creditor_receives, 513_000);
    assert_eq!(q.considered.len(), 2);
    let other = q
        .considered
        .iter()
        .find(|c| c.providers == vec![provider_x()])
        .unwrap();
    assert_eq!(other.priced, Some((101_000, 512_500)));
    // A provider that cannot deliver is considered but not chosen.
    let big = b.quote(
        bank_a(),
        rub_to_irr(Some("5000.00"), None, ChargeBearer::Debtor),
    );
    assert_eq!(big.priced.hops[0].provider, provider_x());
    let short = big
        .considered
        .iter()
        .find(|c| c.providers == vec![provider_y()])
        .unwrap();
    assert!(
        short
            .excluded
            .as_deref()
            .unwrap()
            .contains("lacks IRR liquidity")
    );
}

#[test]
fn tiers_apply_from_their_base_amount() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "10000000.00");
    b.add_provider(provider_x(), &[rub(), irr()], &["1.00", "100000000000000"]);
    let mut p = pair(rub(), irr(), "500", "520");
    p.tiers = vec![TierRequest {
        from_base_amount: "100000.00".into(),
        bid: "510.123456789".to_string().try_into().unwrap(),
        ask: "515".to_string().try_into().unwrap(),
    }];
    b.publish(provider_x(), sheet(vec![p]));
    let small = b.quote(
        bank_a(),
        rub_to_irr(Some("99999.99"), None, ChargeBearer::Debtor),
    );
    assert_eq!(small.priced.hops[0].rate.to_string(), "500");
    let large = b.quote(
        bank_a(),
        rub_to_irr(Some("100000.00"), None, ChargeBearer::Debtor),
    );
    assert_eq!(large.priced.hops[0].rate.to_string(), "510.123456789");
    // 100,000 * 510.123456789 = 51,012,345.6789 -> 51,012,346
    assert_eq!(large.priced.creditor_receives, 51_012_346);
}

#[test]
fn very_large_rial_amounts_convert_exactly() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "10000000000000.00");
    b.add_provider(
        provider_x(),
        &[rub(), irr()],
        &["1.00", "100000000000000000000"],
    );
    b.publish(
        provider_x(),
        sheet(vec![pair(rub(), irr(), "512.123456789012345678", "513")]),
    );
    // 2 * 10^15 rials: 2e15 / 512.123456789012345678 = 3,905,308,326,511.5297... RUB
    let q = b.quote(
        bank_a(),
        rub_to_irr(None, Some("2000000000000000"), ChargeBearer::Debtor),
    );
    assert_eq!(q.priced.creditor_receives, 2_000_000_000_000_000);
    assert_eq!(q.priced.instructed, 390_530_832_651_153);
    let r = b.pay_fx(bank_a(), "BIG", &q);
    assert_eq!(r.status, PaymentStatus::Settled);
    assert_eq!(b.balance(bank_b(), irr()), 2_000_000_000_000_000);
    // And forwards: 10^9 RUB at the same rate = 512,123,456,789.012... IRR -> ...789
    let q = b.quote(
        bank_a(),
        rub_to_irr(Some("1000000000.00"), None, ChargeBearer::Debtor),
    );
    assert_eq!(q.priced.creditor_receives, 512_123_456_789);
    assert_balanced(&b);
}

#[test]
fn an_expired_quote_settles_nothing() {
    let mut b = corridor();
    let q = debt_quote(&mut b);
    assert_eq!(
        q.expires_at.0 - q.created_at.0,
        60 * SECOND,
        "60 s by default"
    );
    b.advance(61);
    let e = b.pay(bank_a(), quoted("LATE", &q)).unwrap_err();
    assert_eq!(e.code, "QEXP");
    assert_eq!(b.balance(bank_b(), irr()), 0);
    assert_eq!(b.balance(bank_a(), rub()), 100_000_000);
    b.advance(2 * 24 * 3_600);
    let e = b.pay(bank_a(), quoted("LATER", &q)).unwrap_err();
    assert_eq!(e.code, "NOTF", "forgotten a day after expiry");
    assert_balanced(&b);
}

fn fund_inventory(b: &mut Bench, provider: Bic, currency: CurrencyCode, amount: &str) {
    let mut command = b.liquidity_command(provider, currency, amount, LiquidityDirection::Fund);
    if let HubCommand::Liquidity { account, .. } = &mut command {
        *account = AccountPurpose::FxInventory;
    }
    b.ok(command);
}

fn legs(b: &Bench, payment: u64) -> Vec<corridor_settlement::Leg> {
    b.hub
        .payment(payment)
        .unwrap()
        .fx
        .as_ref()
        .unwrap()
        .legs
        .clone()
}

#[test]
fn a_provider_out_of_liquidity_holds_the_payment_whole_until_it_has_some() {
    let mut b = corridor();
    let q = debt_quote(&mut b);
    let mut drain = b.liquidity_command(
        provider_x(),
        irr(),
        "999999600000",
        LiquidityDirection::Defund,
    );
    if let HubCommand::Liquidity { account, .. } = &mut drain {
        *account = AccountPurpose::FxInventory;
    }
    b.ok(drain);
    let r = b.pay_fx(bank_a(), "DRY", &q);
    assert_eq!(r.status, PaymentStatus::Queued);
    assert_eq!(
        b.balance(bank_a(), rub()),
        100_000_000,
        "the RUB leg did not move"
    );
    assert_eq!(b.inventory(provider_x(), irr()), 400_000);
    assert!(legs(&b, r.payment).is_empty());
    assert_balanced(&b);

    // The provider's new inventory lets the payer's queue go, both legs at once.
    fund_inventory(&mut b, provider_x(), irr(), "1000000");
    let p = b.hub.payment(r.payment).unwrap();
    assert_eq!(p.status, PaymentStatus::Settled);
    assert_eq!(legs(&b, r.payment).len(), 2);
    assert!(legs(&b, r.payment).iter().all(|l| l.reserved.is_some()));
    assert_eq!(b.balance(bank_b(), irr()), 512_500);
    assert_eq!(b.balance(bank_a(), rub()), 100_000_000 - 101_000);
    assert_balanced(&b);
}

#[test]
fn a_debtor_without_liquidity_waits_until_its_quote_expires_then_is_rejected_am04() {
    let mut b = corridor();
    b.fund(bank_c(), rub(), "5.00");
    let q = b.quote(
        bank_c(),
        rub_to_irr(Some("1000.00"), None, ChargeBearer::Debtor),
    );
    let r = b.pay_fx(bank_c(), "POOR", &q);
    assert_eq!(r.status, PaymentStatus::Queued);
    let p = b.hub.payment(r.payment).unwrap();
    assert_eq!(
        p.queue_deadline,
        Some(q.expires_at),
        "it waits no longer than its quote"
    );
    b.now = q.expires_at;
    b.ok(HubCommand::Tick);
    let p = b.hub.payment(r.payment).unwrap();
    assert_eq!(p.status, PaymentStatus::Rejected);
    let reason = p.last_reason().unwrap();
    assert_eq!(reason.code, "AM04");
    assert!(reason.message.contains("quote"), "{}", reason.message);
    assert_eq!(b.inventory(provider_x(), irr()), 1_000_000_000_000);
    assert_eq!(b.balance(bank_c(), rub()), 500);
    assert_balanced(&b);
}

/// Provider X quoting RUB/IRR at 500 both ways without fees, with inventory for one
/// payment of 1,000.00 RUB each way (it quotes only what it holds); no bank funded.
fn thin_corridor() -> Bench {
    let mut b = Bench::standard();
    b.add_provider(provider_x(), &[rub(), irr()], &["1000.01", "500001"]);
    b.publish(provider_x(), sheet(vec![pair(rub(), irr(), "500", "500")]));
    b
}

/// X takes out all its inventory but one kopeck and one rial, after quoting.
fn thin_out(b: &mut Bench) {
    for (currency, amount) in [(rub(), "1000.00"), (irr(), "500000")] {
        let mut command =
            b.liquidity_command(provider_x(), currency, amount, LiquidityDirection::Defund);
        if let HubCommand::Liquidity { account, .. } = &mut command {
            *account = AccountPurpose::FxInventory;
        }
        b.ok(command);
    }
}

/// Bank B's quote to pay bank A 1,000.00 RUB out of its rials.
fn back_quote(b: &mut Bench) -> Quote {
    b.quote(
        bank_b(),
        QuoteRequest {
            source_currency: irr(),
            destination_currency: rub(),
            creditor_agent: bank_a(),
            instructed_amount: None,
            creditor_amount: Some("1000.00".into()),
            charge_bearer: ChargeBearer::Debtor,
        },
    )
}

fn optimise(b: &mut Bench, currency: CurrencyCode) {
    b.ok(HubCommand::RunOptimisation {
        currency,
        algorithm: None,
    });
}

fn settled_by(b: &Bench, currency: CurrencyCode, by: SettledBy) -> u128 {
    b.hub
        .settled_by(Some(currency), None)
        .get(&(currency, by))
        .map_or(0, |s| s.value)
}

#[test]
fn cross_currency_payments_in_both_directions_resolve_their_gridlock_together() {
    let mut b = thin_corridor();
    let ab = b.quote(
        bank_a(),
        rub_to_irr(Some("1000.00"), None, ChargeBearer::Debtor),
    );
    let ba = back_quote(&mut b);
    thin_out(&mut b);
    assert_eq!(
        (ab.priced.debtor_pays, ba.priced.debtor_pays),
        (100_000, 500_000)
    );
    let ra = b.pay_fx(bank_a(), "AB", &ab);
    let rb = b.pay_fx(bank_b(), "BA", &ba);
    assert_eq!(
        (ra.status, rb.status),
        (PaymentStatus::Queued, PaymentStatus::Queued)
    );

    // One run over the rouble queues reaches the rial queue through the waiting payment.
    optimise(&mut b, rub());
    for id in [ra.payment, rb.payment] {
        assert_eq!(b.hub.payment(id).unwrap().status, PaymentStatus::Settled);
        let legs = legs(&b, id);
        assert_eq!(legs.len(), 2);
        assert!(
            legs.iter().all(|l| l.reserved.is_none()),
            "posted in the group"
        );
    }
    assert_eq!(
        (b.balance(bank_a(), rub()), b.balance(bank_b(), irr())),
        (0, 0)
    );
    assert_eq!(
        (
            b.inventory(provider_x(), rub()),
            b.inventory(provider_x(), irr())
        ),
        (1, 1),
        "no liquidity was needed on either side"
    );
    assert_eq!(settled_by(&b, rub(), SettledBy::AllOrNothing), 100_000);
    assert_eq!(settled_by(&b, irr(), SettledBy::AllOrNothing), 500_000);
    assert_balanced(&b);

    // Plain RTGS: the same two payments wait for each other until their quotes expire.
    let mut plain = thin_corridor();
    let ab = plain.quote(
        bank_a(),
        rub_to_irr(Some("1000.00"), None, ChargeBearer::Debtor),
    );
    let ba = back_quote(&mut plain);
    thin_out(&mut plain);
    let ra = plain.pay_fx(bank_a(), "AB", &ab);
    let rb = plain.pay_fx(bank_b(), "BA", &ba);
    plain.now = ab.expires_at.max(ba.expires_at);
    plain.ok(HubCommand::Tick);
    for id in [ra.payment, rb.payment] {
        assert_eq!(
            plain.hub.payment(id).unwrap().status,
            PaymentStatus::Rejected
        );
        assert!(legs(&plain, id).is_empty());
    }
    assert_balanced(&plain);
}

#[test]
fn a_cross_currency_payment_its_provider_cannot_cover_is_taken_out_with_all_its_legs() {
    let mut b = thin_corridor();
    b.fund(bank_c(), rub(), "1000.00");
    let ab = b.quote(
        bank_a(),
        rub_to_irr(Some("1000.00"), None, ChargeBearer::Debtor),
    );
    let ba = back_quote(&mut b);
    let cb = b.quote(
        bank_c(),
        rub_to_irr(Some("1000.00"), None, ChargeBearer::Debtor),
    );
    thin_out(&mut b);
    let ra = b.pay_fx(bank_a(), "AB", &ab);
    let rb = b.pay_fx(bank_b(), "BA", &ba);
    let rc = b.pay_fx(bank_c(), "CB", &cb);
    assert_eq!(rc.status, PaymentStatus::Queued, "X lacks the rials");

    // All or nothing fails on X's rials; partial takes out the latest payment that X's
    // rial inventory pays, C's, whole, and settles the rest.
    optimise(&mut b, irr());
    for id in [ra.payment, rb.payment] {
        assert_eq!(b.hub.payment(id).unwrap().status, PaymentStatus::Settled);
    }
    assert_eq!(
        b.hub.payment(rc.payment).unwrap().status,
        PaymentStatus::Queued
    );
    assert!(legs(&b, rc.payment).is_empty());
    assert_eq!(
        b.balance(bank_c(), rub()),
        100_000,
        "C's rouble leg did not move alone"
    );
    assert_eq!(settled_by(&b, rub(), SettledBy::Partial), 100_000);
    assert_balanced(&b);

    fund_inventory(&mut b, provider_x(), irr(), "500000");
    assert_eq!(
        b.hub.payment(rc.payment).unwrap().status,
        PaymentStatus::Settled
    );
    assert_eq!(b.balance(bank_b(), irr()), 500_000);
    assert_balanced(&b);
}

#[test]
fn a_bank_cannot_use_another_banks_quote_nor_one_quote_twice() {
    let mut b = corridor();
    b.fund(bank_c(), rub(), "5000.00");
    let q = debt_quote(&mut b);
    let e = b.pay(bank_c(), quoted("THEFT", &q)).unwrap_err();
    assert_eq!(e.code, "NOTF");
    b.pay_fx(bank_a(), "ONCE", &q);
    let e = b.pay(bank_a(), quoted("TWICE", &q)).unwrap_err();
    assert_eq!(e.code, "DUPL");
    // A retry of the same instruction is the idempotent answer, not a second payment.
    let again = b.pay_ok(bank_a(), quoted("ONCE", &q));
    assert!(again.duplicate);
    assert_eq!(b.balance(bank_b(), irr()), 512_500);
}

#[test]
fn an_instruction_must_match_its_quote() {
    let mut b = corridor();
    let q = debt_quote(&mut b);
    let mut other_amount = quoted("AMT", &q);
    other_amount.amount = "999.00".into();
    assert_eq!(b.pay(bank_a(), other_amount).unwrap_err().code, "AM12");
    let mut other_receiver = quoted("RCV", &q);
    other_receiver.instructed_agent = bank_d();
    assert_eq!(b.pay(bank_a(), other_receiver).unwrap_err().code, "AG01");
    let mut other_currency = quoted("CCY", &q);
    other_currency.currency = irr();
    other_currency.amount = "100000".into();
    assert_eq!(b.pay(bank_a(), other_currency).unwrap_err().code, "CURR");
    assert_balanced(&b);
}

#[test]
fn suspended_providers_and_creditors_stop_settlement() {
    let mut b = corridor();
    let q = debt_quote(&mut b);
    b.ok(HubCommand::SetParticipantStatus {
        bic: provider_x(),
        status: ParticipantStatus::Suspended,
    });
    let r = b.pay_fx(bank_a(), "SUSP-P", &q);
    assert_eq!(r.status, PaymentStatus::Rejected);
    assert_eq!(r.reason.unwrap().code, "AG01");
    assert_eq!(
        b.err(HubCommand::RequestQuote {
            requester: bank_a(),
            request: rub_to_irr(Some("1.00"), None, ChargeBearer::Debtor),
        })
        .code,
        "FXNR",
        "a suspended provider quotes nothing"
    );
    b.ok(HubCommand::SetParticipantStatus {
        bic: provider_x(),
        status: ParticipantStatus::Active,
    });
    let q = debt_quote(&mut b);
    b.ok(HubCommand::SetParticipantStatus {
        bic: bank_b(),
        status: ParticipantStatus::Suspended,
    });
    let r = b.pay_fx(bank_a(), "SUSP-C", &q);
    assert_eq!(r.status, PaymentStatus::Rejected);
    assert_eq!(b.balance(bank_a(), rub()), 100_000_000);
    assert_balanced(&b);
}

/// A third country joins with CNY; provider X quotes RUB/IRR, provider Y quotes CNY/IRR.
fn three_currencies() -> Bench {
    let mut b = corridor();
    let (pboc, icbc) = (bic("PBOCCNBJ"), bic("ICBKCNBJ"));
    b.admit(
        pboc,
        "People's Bank of China",
        "CN",
        &[ParticipantRole::SettlementAgent],
    );
    b.ok(HubCommand::DesignateAgent {
        currency: cny(),
        exponent: 2,
        agent: pboc,
        time_zone: "Asia/Shanghai".into(),
    });
    b.admit(icbc, "ICBC", "CN", &[ParticipantRole::DirectParticipant]);
    b.ok(HubCommand::OpenAccount {
        owner: icbc,
        currency: cny(),
        purpose: AccountPurpose::Settlement,
        net_debit_cap: 0,
    });
    b.add_provider(
        provider_y(),
        &[cny(), irr()],
        &["1000000.00", "1000000000000"],
    );
    let mut p = pair(cny(), irr(), "5900", "6000");
    p.fee_in_quote = Some("3000".into());
    b.publish(provider_y(), sheet(vec![p]));
    b
}

/// Bank A's quote in RUB for the CNY bank, fees borne by the debtor.
fn rub_to_cny(instructed: Option<&str>, creditor: Option<&str>) -> QuoteRequest {
    QuoteRequest {
        source_currency: rub(),
        destination_currency: cny(),
        creditor_agent: bic("ICBKCNBJ"),
        instructed_amount: instructed.map(str::to_string),
        creditor_amount: creditor.map(str::to_string),
        charge_bearer: ChargeBearer::Debtor,
    }
}

#[test]
fn without_a_direct_provider_the_quote_routes_through_a_third_currency() {
    let mut b = three_currencies();
    let icbc = bic("ICBKCNBJ");
    let q = b.quote(bank_a(), rub_to_cny(Some("1000.00"), None));
    assert_eq!(q.route(), vec![rub(), irr(), cny()]);
    // RUB 1000.00 -> 512,500 IRR (X's bid); Y keeps 3,000 IRR in transit; 509,500 / 6000
    // = 84.9166... CNY -> 84.92.
    assert_eq!(q.priced.hops[0].delivered, 512_500);
    assert_eq!(q.priced.hops[1].received, 512_500);
    assert_eq!(q.priced.creditor_receives, 8_492);
    assert_eq!(q.priced.fees.len(), 2);
    let r = b.pay_fx(bank_a(), "ROUTED", &q);
    assert_eq!(r.status, PaymentStatus::Settled);
    let fx = b.hub.payment(r.payment).unwrap().fx.clone().unwrap();
    assert_eq!(
        fx.legs
            .iter()
            .map(|l| (l.currency, l.amount))
            .collect::<Vec<_>>(),
        vec![(rub(), 101_000), (irr(), 512_500), (cny(), 8_492)]
    );
    assert_eq!(b.balance(icbc, cny()), 8_492);
    assert_eq!(
        b.inventory(provider_y(), irr()),
        1_000_000_000_000 + 512_500
    );
    assert_balanced(&b);
}

#[test]
fn a_routed_creditor_amount_is_computed_backwards_through_both_hops() {
    let mut b = three_currencies();
    let icbc = bic("ICBKCNBJ");
    let q = b.quote(bank_a(), rub_to_cny(None, Some("100.00")));
    // 100.00 CNY at Y's ask 6000 = 600,000 IRR, plus Y's 3,000 IRR fee in transit; then
    // 603,000 IRR / 512.5 = 1176.5853... RUB -> 1176.59, plus X's 10.00 RUB fee (DEBT).
    assert_eq!(q.priced.hops[1].delivered, 10_000);
    assert_eq!(q.priced.hops[1].received, 603_000);
    assert_eq!(q.priced.hops[0].delivered, 603_000);
    assert_eq!(q.priced.instructed, 117_659);
    assert_eq!(q.priced.debtor_pays, 118_659);
    let r = b.pay_fx(bank_a(), "ROUTED-BACK", &q);
    assert_eq!(r.status, PaymentStatus::Settled);
    assert_eq!(b.balance(icbc, cny()), 10_000);
    assert_balanced(&b);
}

#[test]
fn with_no_provider_at_all_there_is_no_quote() {
    let mut b = Bench::standard();
    b.fund(bank_a(), rub(), "100.00");
    let e = b.err(HubCommand::RequestQuote {
        requester: bank_a(),
        request: rub_to_irr(Some("1.00"), None, ChargeBearer::Debtor),
    });
    assert_eq!(e.code, "FXNR");
}

#[test]
fn rate_sheets_are_validated_and_kept_with_every_version() {
    let mut b = corridor();
    let e = b.err(HubCommand::PublishRateSheet {
        provider: provider_x(),
        sheet: sheet(vec![pair(rub(), irr(), "516", "515")]),
    });
    assert_eq!(e.code, "FF01", "bid above ask");
    let e = b.err(HubCommand::PublishRateSheet {
        provider: bank_a(),
        sheet: sheet(vec![pair(rub(), irr(), "1", "2")]),
    });
    assert_eq!(e.code, "AG01", "not a provider");
    let e = b.err(HubCommand::PublishRateSheet {
        provider: provider_x(),
        sheet: sheet(vec![pair(rub(), ccy("CNY"), "1", "2")]),
    });
    assert_eq!(e.code, "CURR", "not a scheme currency");
    let q1 = b.quote(
        bank_a(),
        rub_to_irr(Some("10.00"), None, ChargeBearer::Debtor),
    );
    b.publish(provider_x(), sheet(vec![pair(rub(), irr(), "600", "601")]));
    let q2 = b.quote(
        bank_a(),
        rub_to_irr(Some("10.00"), None, ChargeBearer::Debtor),
    );
    assert!(q2.priced.hops[0].sheet_version > q1.priced.hops[0].sheet_version);
    // The old sheet stays provable.
    let old = b
        .hub
        .rate_sheets()
        .iter()
        .find(|s| s.version == q1.priced.hops[0].sheet_version)
        .unwrap();
    assert_eq!(old.pairs[0].bid.to_string(), "512.5");
}

#[test]
fn agents_publish_reference_rates_that_quotes_show() {
    let mut b = corridor();
    let rate = |r: &str| ReferenceRateRequest {
        base: rub(),
        quote: irr(),
        rate: r.to_string().try_into().unwrap(),
    };
    assert_eq!(
        b.err(HubCommand::PublishReferenceRates {
            agent: bank_a(),
            rates: vec![rate("514")],
        })
        .code,
        "AG01"
    );
    b.ok(HubCommand::PublishReferenceRates {
        agent: cbi(),
        rates: vec![rate("514.25")],
    });
    let q = b.quote(
        bank_a(),
        rub_to_irr(Some("10.00"), None, ChargeBearer::Debtor),
    );
    assert_eq!(q.reference_rate.unwrap().rate.to_string(), "514.25");
}

#[test]
fn a_cross_currency_payment_is_not_returned_as_such() {
    let mut b = corridor();
    let q = b.quote(
        bank_a(),
        rub_to_irr(Some("10.00"), None, ChargeBearer::Debtor),
    );
    let r = b.pay_fx(bank_a(), "RET", &q);
    let e = b.err(HubCommand::ReturnPayment {
        sender: bank_b(),
        original: r.payment,
        return_id: "R1".into(),
        uetr: uetr_for("R1"),
        amount: None,
        reason: "AC04 closed".into(),
    });
    assert_eq!(e.code, "AG01");
}

#[test]
fn quotes_and_sheets_survive_a_snapshot() {
    let mut b = three_currencies();
    let q = b.quote(
        bank_a(),
        rub_to_irr(Some("10.00"), None, ChargeBearer::Debtor),
    );
    let restored =
        Hub::decode_snapshot(&b.hub.encode_snapshot().expect("the state encodes")).unwrap();
    assert_eq!(restored.state_hash(), b.hub.state_hash());
    b.hub = restored;
    let r = b.pay_fx(bank_a(), "AFTER", &q);
    assert_eq!(r.status, PaymentStatus::Settled);
}

// ---- randomized ----------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Op {
    Quote {
        bank: usize,
        amount: u64,
        creditor_fixed: bool,
        bearer: u8,
        to_cny: bool,
    },
    Pay {
        quote: usize,
        thief: bool,
    },
    Advance {
        seconds: u64,
    },
    DrainProvider {
        provider: usize,
        fraction: u8,
    },
    Suspend {
        who: usize,
        active: bool,
    },
    Refill {
        provider: usize,
    },
    Fund {
        bank: usize,
    },
    Optimise {
        currency: usize,
    },
    Crash,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..2usize, 1..5_000_000u64, any::<bool>(), 0..4u8, any::<bool>()).prop_map(
            |(bank, amount, creditor_fixed, bearer, to_cny)| Op::Quote { bank, amount, creditor_fixed, bearer, to_cny }
        ),
        4 => (0..64usize, prop::bool::weighted(0.1)).prop_map(|(quote, thief)| Op::Pay { quote, thief }),
        1 => (0..90u64).prop_map(|seconds| Op::Advance { seconds }),
        1 => (0..2usize, 1..100u8).prop_map(|(provider, fraction)| Op::DrainProvider { provider, fraction }),
        1 => (0..3usize, any::<bool>()).prop_map(|(who, active)| Op::Suspend { who, active }),
        1 => (0..2usize).prop_map(|provider| Op::Refill { provider }),
        1 => (0..2usize).prop_map(|bank| Op::Fund { bank }),
        2 => (0..3usize).prop_map(|currency| Op::Optimise { currency }),
        1 => Just(Op::Crash),
    ]
}

fn bearer(n: u8) -> ChargeBearer {
    [
        ChargeBearer::Debtor,
        ChargeBearer::Creditor,
        ChargeBearer::Shared,
        ChargeBearer::ServiceLevel,
    ][usize::from(n % 4)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Random quotes and payments with drained and refilled providers, funded debtors,
    /// queues, optimisation runs, suspensions, expiries and crashes (the hub rebuilt from a
    /// snapshot and the commands after it, as recovery does): every currency stays balanced
    /// after every command, no payment ever has one leg without the others, and the run
    /// replayed from the start ends in the same state.
    #[test]
    fn pvp_never_settles_one_leg_alone(ops in prop::collection::vec(op(), 1..60)) {
        let mut b = three_currencies();
        b.fund(bank_c(), rub(), "20000.00");
        let genesis = b.hub.encode_snapshot().expect("the state encodes");
        let mut log: Vec<(corridor_core::Timestamp, HubCommand)> = Vec::new();
        let mut snapshot = (0usize, genesis.clone());
        let mut quotes: Vec<Quote> = Vec::new();
        let banks = [bank_a(), bank_c()];
        let providers = [provider_x(), provider_y()];
        for (n, op) in ops.iter().enumerate() {
            let command = match op {
                Op::Quote { bank, amount, creditor_fixed, bearer: br, to_cny } => {
                    let (destination, agent) = if *to_cny { (cny(), bic("ICBKCNBJ")) } else { (irr(), bank_b()) };
                    let text = decimal(u128::from(*amount), 2);
                    let irr_text = (u128::from(*amount) * 3).to_string();
                    let creditor_amount = if *to_cny { text.clone() } else { irr_text };
                    Some(HubCommand::RequestQuote {
                        requester: banks[*bank],
                        request: QuoteRequest {
                            source_currency: rub(),
                            destination_currency: destination,
                            creditor_agent: agent,
                            instructed_amount: (!creditor_fixed).then(|| text.clone()),
                            creditor_amount: creditor_fixed.then_some(creditor_amount),
                            charge_bearer: bearer(*br),
                        },
                    })
                }
                Op::Pay { quote, thief } => quotes.get(quote % quotes.len().max(1)).map(|q| {
                    let sender = if *thief { bank_c() } else { q.requester };
                    HubCommand::SubmitPayments { sender, payments: vec![quoted(&format!("P{n}"), q)], screening: Vec::new() }
                }),
                Op::Advance { seconds } => { b.advance(*seconds); Some(HubCommand::Tick) }
                Op::DrainProvider { provider, fraction } => {
                    let currency = if *provider == 0 { irr() } else { cny() };
                    let held = b.inventory(providers[*provider], currency).max(0) as u128;
                    let amount = held * u128::from(*fraction) / 100;
                    (amount > 0).then(|| {
                        let exponent = if currency == irr() { 0 } else { 2 };
                        let mut c = b.liquidity_command(providers[*provider], currency, &decimal(amount, exponent), LiquidityDirection::Defund);
                        if let HubCommand::Liquidity { account, .. } = &mut c { *account = AccountPurpose::FxInventory; }
                        c
                    })
                }
                Op::Suspend { who, active } => {
                    let bic = [provider_x(), provider_y(), bank_b()][*who];
                    let status = if *active { ParticipantStatus::Active } else { ParticipantStatus::Suspended };
                    Some(HubCommand::SetParticipantStatus { bic, status })
                }
                Op::Refill { provider } => {
                    let (currency, amount) = if *provider == 0 { (irr(), "2000000000") } else { (cny(), "20000.00") };
                    let mut c = b.liquidity_command(providers[*provider], currency, amount, LiquidityDirection::Fund);
                    if let HubCommand::Liquidity { account, .. } = &mut c { *account = AccountPurpose::FxInventory; }
                    Some(c)
                }
                Op::Fund { bank } => Some(b.liquidity_command(banks[*bank], rub(), "20000.00", LiquidityDirection::Fund)),
                Op::Optimise { currency } => Some(HubCommand::RunOptimisation { currency: [rub(), irr(), cny()][*currency], algorithm: None }),
                Op::Crash => {
                    // Recovery: the last snapshot plus every command journaled after it.
                    let mut hub = Hub::decode_snapshot(&snapshot.1).unwrap();
                    for (at, c) in &log[snapshot.0..] {
                        let _ = hub.execute(c, *at);
                    }
                    prop_assert_eq!(hub.state_hash(), b.hub.state_hash());
                    b.hub = hub;
                    snapshot = (log.len(), b.hub.encode_snapshot().expect("the state encodes"));
                    None
                }
            };
            let Some(command) = command else { continue };
            let outcome = b.run(command.clone());
            log.push((b.now, command));
            if let Ok(Answer::Quote(q)) = outcome {
                quotes.push(*q);
            }
            if let Err(e) = b.hub.check_invariants() {
                return Err(TestCaseError::fail(format!("after {op:?}: {e}")));
            }
        }
        let mut replayed = Hub::decode_snapshot(&genesis).unwrap();
        for (at, c) in &log {
            let _ = replayed.execute(c, *at);
        }
        prop_assert_eq!(replayed.state_hash(), b.hub.state_hash());
        for p in (1..=b.hub.payment_count() as u64).filter_map(|id| b.hub.payment(id)) {
            if let Some(fx) = &p.fx {
                let legs = fx.legs.len();
                prop_assert!(legs == 0 || legs == fx.quote.priced.hops.len() + 1);
                prop_assert_eq!(legs > 0, p.status == PaymentStatus::Settled);
            }
        }
    }
}

/// The latest reference rate of a pair, in either orientation, by scanning all of them.
fn latest_by_scan(hub: &Hub, a: CurrencyCode, b: CurrencyCode) -> Option<String> {
    hub.reference_rates()
        .iter()
        .rev()
        .find(|r| (r.base, r.quote) == (a, b) || (r.base, r.quote) == (b, a))
        .map(|r| format!("{} {}/{} {}", r.version, r.base, r.quote, r.rate))
}

#[test]
fn the_latest_reference_rate_is_found_by_its_index_and_the_index_survives_a_snapshot() {
    let mut b = three_currencies();
    let pairs = [
        (cbi(), rub(), irr(), "514.25"),
        (cbr(), cny(), rub(), "12.5"),
        (cbi(), irr(), rub(), "0.00194"),
        (cbr(), rub(), irr(), "515"),
        (bic("PBOCCNBJ"), cny(), irr(), "5950"),
        (cbr(), rub(), cny(), "0.08"),
    ];
    let currencies = [rub(), irr(), cny()];
    let agree = |hub: &Hub| {
        for a in currencies {
            for c in currencies {
                let indexed = hub
                    .reference_rate(a, c)
                    .map(|r| format!("{} {}/{} {}", r.version, r.base, r.quote, r.rate));
                assert_eq!(indexed, latest_by_scan(hub, a, c), "{a}/{c}");
            }
        }
    };
    agree(&b.hub);
    for (agent, base, quote, rate) in pairs {
        b.ok(HubCommand::PublishReferenceRates {
            agent,
            rates: vec![ReferenceRateRequest {
                base,
                quote,
                rate: rate.to_string().try_into().unwrap(),
            }],
        });
        agree(&b.hub);
    }
    assert_eq!(
        b.hub.reference_rate(irr(), rub()).unwrap().rate.to_string(),
        "515",
        "the newest of either orientation"
    );
    let restored = Hub::decode_snapshot(&b.hub.encode_snapshot().expect("the state encodes"))
        .expect("the snapshot decodes");
    agree(&restored);
    assert_eq!(
        restored.reference_rate(rub(), irr()),
        b.hub.reference_rate(rub(), irr())
    );
}
