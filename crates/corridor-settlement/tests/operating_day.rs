//! Operating days on real dates: the shipped RUB and IRR calendars, Moscow's and Tehran's
//! schedules, value dates refused (DT01, naming the next business day) or warehoused, cut-offs
//! to the microsecond, the 30 minutes between Tehran and Moscow, end of day per currency,
//! timed payments, and payment-versus-payment only when both currencies are open.

mod support;

use corridor_core::{CurrencyCode, Timestamp};
use corridor_ledger::StateMachine;
use corridor_settlement::fx::sheet::{PairRequest, RateSheetRequest};
use corridor_settlement::{
    AccountPurpose, Answer, CalendarAmendment, CutOff, DaySchedule, EndOfDayRule, Hub, HubCommand,
    HubConfig, LiquidityDirection, OutboxEvent, ParticipantRole, PaymentInstruction, PaymentStatus,
    QuoteRequest, SettlementTimeRequest, WhenClosed,
};
use support::*;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const MICROSECOND: u64 = 1_000;

fn utc(text: &str) -> Timestamp {
    let at = OffsetDateTime::parse(text, &Rfc3339).expect("an RFC 3339 instant");
    Timestamp(u64::try_from(at.unix_timestamp_nanos()).unwrap())
}

fn shipped(name: &str) -> &'static str {
    corridor_calendar::SHIPPED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .expect("a shipped calendar")
}

fn schedule(zone: &str, times: [&str; 5], end_of_day: EndOfDayRule) -> DaySchedule {
    DaySchedule {
        time_zone: zone.into(),
        opens: times[0].into(),
        customer_cutoff: times[1].into(),
        institution_cutoff: times[2].into(),
        liquidity_cutoff: times[3].into(),
        closes: times[4].into(),
        end_of_day,
        horizon_days: 30,
    }
}

/// Moscow: open 01:00, customer cut-off 14:00, institutions 14:30, liquidity 20:00, close
/// 21:00. Tehran: 07:00, 14:00, 14:30, 14:30, 15:00. Both cut customers off at 14:00 local,
/// Tehran 30 minutes earlier in absolute time.
fn rub_schedule() -> DaySchedule {
    schedule(
        "Europe/Moscow",
        ["01:00", "14:00", "14:30", "20:00", "21:00"],
        EndOfDayRule::RejectQueued,
    )
}

fn irr_schedule() -> DaySchedule {
    schedule(
        "Asia/Tehran",
        ["07:00", "14:00", "14:30", "14:30", "15:00"],
        EndOfDayRule::RejectQueued,
    )
}

fn provider() -> corridor_core::Bic {
    bic("FXPXRUMM")
}

/// The standard bench with an FX provider, everyone funded while no schedule applies, then
/// moved to `start` with both currencies on their real calendars and schedules.
fn operating_bench(start: &str) -> Bench {
    let mut b = Bench::standard();
    // Queued payments wait for the end of their currency's day, not a timeout.
    b.ok(HubCommand::Configure(HubConfig {
        queue_timeout_seconds: 7 * 86_400,
        quote_validity_seconds: 60,
    }));
    b.fund(bank_a(), rub(), "1000.00");
    b.fund(bank_b(), irr(), "1000000");
    b.admit(provider(), "FX house", "RU", &[ParticipantRole::FxProvider]);
    for (currency, amount) in [(rub(), "100000.00"), (irr(), "100000000")] {
        b.ok(HubCommand::OpenAccount {
            owner: provider(),
            currency,
            purpose: AccountPurpose::FxInventory,
            net_debit_cap: 0,
        });
        let mut command =
            b.liquidity_command(provider(), currency, amount, LiquidityDirection::Fund);
        if let HubCommand::Liquidity { account, .. } = &mut command {
            *account = AccountPurpose::FxInventory;
        }
        b.ok(command);
    }
    b.now = utc(start);
    for name in ["rub-2026.csv", "rub-2027.csv"] {
        b.ok(load(rub(), shipped(name)));
    }
    for name in ["irr-1405.csv", "irr-1406.csv"] {
        b.ok(load(irr(), shipped(name)));
    }
    b.ok(HubCommand::ConfigureOperatingDay {
        currency: rub(),
        schedule: rub_schedule(),
    });
    b.ok(HubCommand::ConfigureOperatingDay {
        currency: irr(),
        schedule: irr_schedule(),
    });
    b
}

fn load(currency: CurrencyCode, text: &str) -> HubCommand {
    HubCommand::LoadCalendar {
        currency,
        text: text.into(),
    }
}

/// Sets the bench's clock so that the next command runs exactly at `at`.
fn at(b: &mut Bench, instant: Timestamp) {
    b.now = Timestamp(instant.0 - STEP);
}

fn dated(mut i: PaymentInstruction, date: &str) -> PaymentInstruction {
    i.settlement_date = Some(date.parse().unwrap());
    i
}

fn rub_payment(id: &str) -> PaymentInstruction {
    instruction(id, bank_b(), "10.00", rub())
}

fn irr_payment(id: &str) -> PaymentInstruction {
    instruction(id, bank_a(), "1000", irr())
}

fn status(b: &Bench, payment: u64) -> PaymentStatus {
    b.hub.payment(payment).expect("the payment").status
}

fn tick_at(b: &mut Bench, instant: Timestamp) {
    at(b, instant);
    b.ok(HubCommand::Tick);
}

#[test]
fn nowruz_closes_the_rial_and_the_refusal_names_the_next_business_day() {
    // Saturday 21 March 2026, 1 Farvardin 1405, mid-morning in Tehran.
    let mut b = operating_bench("2026-03-21T06:00:00Z");
    let refused = b.pay(bank_b(), irr_payment("NOWRUZ")).unwrap_err();
    assert_eq!(refused.code, "DT01");
    assert!(refused.message.contains("Nowruz"), "{refused}");
    assert!(refused.message.contains("2026-03-25"), "{refused}");
    for day in ["2026-03-22", "2026-03-23", "2026-03-24"] {
        let refused = b.pay(bank_b(), dated(irr_payment(day), day)).unwrap_err();
        assert_eq!(refused.code, "DT01", "{day}");
    }
    // Wednesday 25 March opens at 07:00 Tehran, 03:30 UTC: warehoused until then.
    let r = b.pay_ok(bank_b(), dated(irr_payment("AFTER"), "2026-03-25"));
    assert_eq!(r.status, PaymentStatus::Warehoused);
    let p = b.hub.payment(r.payment).unwrap();
    assert_eq!(p.warehoused_until, Some(utc("2026-03-25T03:30:00Z")));
    // What happens next on its own: Moscow opens Monday 23 March at 01:00 (22:00 UTC).
    assert_eq!(b.hub.next_deadline(), Some(utc("2026-03-22T22:00:00Z")));
}

#[test]
fn russian_holidays_and_weekends_are_refused_with_the_next_working_day() {
    // Monday 5 January 2026: a holiday; 9 January too, and the next working day is the 12th.
    let mut b = operating_bench("2026-01-05T10:00:00Z");
    let refused = b.pay(bank_a(), rub_payment("TODAY")).unwrap_err();
    assert_eq!(refused.code, "DT01");
    assert!(refused.message.contains("2026-01-12"), "{refused}");
    let refused = b
        .pay(bank_a(), dated(rub_payment("JAN9"), "2026-01-09"))
        .unwrap_err();
    assert_eq!(refused.code, "DT01");
    assert!(refused.message.contains("2026-01-12"), "{refused}");
    // Asking to move on instead: warehoused to Monday 12 January, 01:00 Moscow.
    let mut moved = rub_payment("MOVED");
    moved.when_closed = Some(WhenClosed::NextBusinessDay);
    let r = b.pay_ok(bank_a(), moved);
    assert_eq!(r.status, PaymentStatus::Warehoused);
    let p = b.hub.payment(r.payment).unwrap();
    assert_eq!(
        p.value_date.map(|d| d.to_string()),
        Some("2026-01-12".into())
    );
    assert_eq!(p.warehoused_until, Some(utc("2026-01-11T22:00:00Z")));

    // Monday 2 November: Unity Day (Wednesday 4th) and Sunday 8th are closed.
    let mut b = operating_bench("2026-11-02T08:00:00Z");
    let refused = b
        .pay(bank_a(), dated(rub_payment("UNITY"), "2026-11-04"))
        .unwrap_err();
    assert_eq!(refused.code, "DT01");
    assert!(refused.message.contains("Unity Day"), "{refused}");
    assert!(refused.message.contains("2026-11-05"), "{refused}");
    let refused = b
        .pay(bank_a(), dated(rub_payment("SUNDAY"), "2026-11-08"))
        .unwrap_err();
    assert!(refused.message.contains("weekend"), "{refused}");
    // A Friday is a Russian business day, not an Iranian one; Thursday is both.
    assert!(
        b.pay(bank_a(), dated(rub_payment("FRI-RUB"), "2026-11-06"))
            .is_ok()
    );
    let refused = b
        .pay(bank_b(), dated(irr_payment("FRI-IRR"), "2026-11-06"))
        .unwrap_err();
    assert!(refused.message.contains("weekend"), "{refused}");
    for (sender, i) in [
        (bank_a(), dated(rub_payment("THU-RUB"), "2026-11-05")),
        (bank_b(), dated(irr_payment("THU-IRR"), "2026-11-05")),
    ] {
        assert_eq!(b.pay_ok(sender, i).status, PaymentStatus::Warehoused);
    }
    // A date in the past or beyond the horizon is refused.
    let refused = b
        .pay(bank_a(), dated(rub_payment("PAST"), "2026-10-30"))
        .unwrap_err();
    assert!(refused.message.contains("past"), "{refused}");
    let refused = b
        .pay(bank_a(), dated(rub_payment("FAR"), "2027-01-20"))
        .unwrap_err();
    assert!(refused.message.contains("beyond"), "{refused}");
}

#[test]
fn a_cut_off_holds_to_the_microsecond() {
    // Tuesday 8 December 2026: Moscow's customer cut-off 14:00 is 11:00 UTC.
    let mut b = operating_bench("2026-12-08T08:00:00Z");
    let cutoff = utc("2026-12-08T11:00:00Z");
    at(&mut b, Timestamp(cutoff.0 - MICROSECOND));
    assert_eq!(
        b.pay_ok(bank_a(), rub_payment("BEFORE")).status,
        PaymentStatus::Settled
    );
    at(&mut b, Timestamp(cutoff.0 + MICROSECOND));
    let refused = b.pay(bank_a(), rub_payment("AFTER")).unwrap_err();
    assert_eq!(refused.code, "TM01");
    assert!(refused.message.contains("2026-12-09"), "{refused}");
    // The institution cut-off is later: a pacs.009 still settles.
    let mut fi = rub_payment("FI");
    fi.kind = corridor_settlement::PaymentKind::FinancialInstitutionTransfer;
    for (party, bank) in [(&mut fi.debtor, bank_a()), (&mut fi.creditor, bank_b())] {
        party.identification = Some(corridor_settlement::PartyIdentification {
            any_bic: Some(bank),
            lei: None,
            other_id: None,
            other_scheme: None,
        });
    }
    assert_eq!(b.pay_ok(bank_a(), fi).status, PaymentStatus::Settled);
    // Asked to, a late customer payment moves to the next day's opening.
    let mut late = rub_payment("LATE");
    late.when_closed = Some(WhenClosed::NextBusinessDay);
    let r = b.pay_ok(bank_a(), late);
    assert_eq!(r.status, PaymentStatus::Warehoused);
    assert_eq!(
        b.hub.payment(r.payment).unwrap().warehoused_until,
        Some(utc("2026-12-08T22:00:00Z"))
    );
}

#[test]
fn tehran_cuts_off_thirty_minutes_before_moscow() {
    let mut b = operating_bench("2026-12-08T05:00:00Z");
    // 10:29:59 UTC: 13:59:59 in Tehran, 13:29:59 in Moscow: both open.
    at(&mut b, utc("2026-12-08T10:29:59Z"));
    assert_eq!(
        b.pay_ok(bank_b(), irr_payment("IRR-1")).status,
        PaymentStatus::Settled
    );
    assert_eq!(
        b.pay_ok(bank_a(), rub_payment("RUB-1")).status,
        PaymentStatus::Settled
    );
    // 10:30:00 UTC: Tehran's 14:00 has come, Moscow's has half an hour to go.
    at(&mut b, utc("2026-12-08T10:30:00Z"));
    assert_eq!(
        b.pay(bank_b(), irr_payment("IRR-2")).unwrap_err().code,
        "TM01"
    );
    assert_eq!(
        b.pay_ok(bank_a(), rub_payment("RUB-2")).status,
        PaymentStatus::Settled
    );
    at(&mut b, utc("2026-12-08T10:59:59Z"));
    assert_eq!(
        b.pay_ok(bank_a(), rub_payment("RUB-3")).status,
        PaymentStatus::Settled
    );
    at(&mut b, utc("2026-12-08T11:00:00Z"));
    assert_eq!(
        b.pay(bank_a(), rub_payment("RUB-4")).unwrap_err().code,
        "TM01"
    );
    let phase = |b: &Bench, c| b.hub.currency_phase(c, b.now).phase;
    assert_eq!(
        phase(&b, irr()),
        "open",
        "past its cut-off, before its close"
    );
    // Tehran closes at 15:00 (11:30 UTC), Moscow at 21:00 (18:00 UTC).
    tick_at(&mut b, utc("2026-12-08T11:30:00Z"));
    assert_eq!(phase(&b, irr()), "end_of_day");
    assert_eq!(phase(&b, rub()), "open");
}

#[test]
fn a_warehoused_payment_survives_a_restart_and_enters_the_queue_at_the_opening() {
    // Friday 11 December 2026 in Tehran; the payment is for Saturday 12th (a working day).
    let mut b = operating_bench("2026-12-11T09:00:00Z");
    let funded = b.pay_ok(bank_b(), dated(irr_payment("FUNDED"), "2026-12-12"));
    let unfunded = b.pay_ok(
        bank_b(),
        dated(
            instruction("TOO-BIG", bank_a(), "5000000", irr()),
            "2026-12-12",
        ),
    );
    assert_eq!(funded.status, PaymentStatus::Warehoused);
    let opening = utc("2026-12-12T03:30:00Z");
    assert!(b.hub.next_deadline() <= Some(opening));
    assert!(b.hub.warehoused_count() >= 2);

    // The node stops; a new one starts from the snapshot.
    let snapshot = b.hub.encode_snapshot().expect("encodes");
    b.hub = Hub::decode_snapshot(&snapshot).expect("decodes");
    assert_eq!(status(&b, funded.payment), PaymentStatus::Warehoused);

    tick_at(&mut b, Timestamp(opening.0 - SECOND));
    assert_eq!(status(&b, funded.payment), PaymentStatus::Warehoused);
    tick_at(&mut b, opening);
    let settled = b.hub.payment(funded.payment).unwrap();
    assert_eq!(settled.status, PaymentStatus::Settled);
    assert!(settled.settled_at.unwrap() >= opening);
    assert_eq!(status(&b, unfunded.payment), PaymentStatus::Queued);
    // Not funded by the close (15:00 Tehran): rejected at the rial's end of day.
    tick_at(&mut b, utc("2026-12-12T11:30:00Z"));
    let rejected = b.hub.payment(unfunded.payment).unwrap();
    assert_eq!(rejected.status, PaymentStatus::Rejected);
    assert!(
        rejected
            .last_reason()
            .unwrap()
            .message
            .contains("end of day")
    );
}

#[test]
fn each_currency_closes_its_own_day_with_its_own_statements() {
    let mut b = operating_bench("2026-12-08T05:00:00Z");
    b.pay_ok(bank_b(), irr_payment("IRR"));
    b.pay_ok(bank_a(), rub_payment("RUB"));
    tick_at(&mut b, utc("2026-12-08T11:30:00Z"));
    let days = b.hub.closed_days();
    let last = days.last().expect("the rial's day closed");
    assert_eq!(last.currency, Some(irr()));
    assert_eq!(last.to, utc("2026-12-08T11:30:00Z"));
    let irr_accounts = b.hub.all_accounts().filter(|a| a.currency == irr()).count() as u64;
    assert_eq!(last.statements, irr_accounts);
    let statements = |b: &Bench| {
        b.outbox(bank_a())
            .into_iter()
            .filter(|e| matches!(e, OutboxEvent::Statement { .. }))
            .count()
    };
    assert_eq!(statements(&b), 1, "bank A's rial account only");
    tick_at(&mut b, utc("2026-12-08T18:00:00Z"));
    assert_eq!(b.hub.closed_days().last().unwrap().currency, Some(rub()));
    assert_eq!(statements(&b), 2);
    // The operator's close of the date now finds both currencies closed.
    let answer = b.ok(HubCommand::CloseBusinessDay {
        date: "2026-12-08".into(),
        at: b.now,
    });
    let Answer::BusinessDay { day, .. } = answer else {
        panic!("a closed day")
    };
    assert_eq!(day.statements, 0);
}

#[test]
fn carried_payments_stay_queued_into_the_next_day() {
    let mut b = operating_bench("2026-12-08T05:00:00Z");
    let mut carry = irr_schedule();
    carry.end_of_day = EndOfDayRule::CarryQueued;
    b.ok(HubCommand::ConfigureOperatingDay {
        currency: irr(),
        schedule: carry,
    });
    let big = b.pay_ok(bank_b(), instruction("BIG", bank_a(), "5000000", irr()));
    assert_eq!(big.status, PaymentStatus::Queued);
    tick_at(&mut b, utc("2026-12-08T11:30:00Z"));
    assert_eq!(status(&b, big.payment), PaymentStatus::Queued);
    // Liquidity is refused while the rial is closed, taken once it opens.
    at(&mut b, utc("2026-12-08T20:00:00Z"));
    let command = b.liquidity_command(bank_b(), irr(), "5000000", LiquidityDirection::Fund);
    assert_eq!(b.err(command).code, "TM01");
    at(&mut b, utc("2026-12-09T03:30:00Z"));
    b.fund(bank_b(), irr(), "5000000");
    assert_eq!(status(&b, big.payment), PaymentStatus::Settled);
}

#[test]
fn the_operator_amends_only_days_that_have_not_opened() {
    let mut b = operating_bench("2026-12-08T05:00:00Z");
    let amend = |date: &str| {
        HubCommand::AmendCalendar(CalendarAmendment {
            currency: irr(),
            date: date.parse().unwrap(),
            closed: true,
            name: "Closure: heat in Tehran province".into(),
            source: "CBI notice".into(),
        })
    };
    let before = b.hub.state_hash();
    assert_eq!(b.err(amend("2026-12-08")).code, "DT01", "today has opened");
    assert_eq!(b.hub.state_hash(), before, "a refusal changes nothing");
    // A payment warehoused for tomorrow, then tomorrow is closed: it moves to the next day.
    let r = b.pay_ok(bank_b(), dated(irr_payment("TOMORROW"), "2026-12-09"));
    b.ok(amend("2026-12-09"));
    let refused = b
        .pay(bank_b(), dated(irr_payment("CLOSED"), "2026-12-09"))
        .unwrap_err();
    assert!(refused.message.contains("heat"), "{refused}");
    tick_at(&mut b, utc("2026-12-09T03:30:00Z"));
    let p = b.hub.payment(r.payment).unwrap();
    assert_eq!(p.status, PaymentStatus::Warehoused);
    assert_eq!(
        p.value_date.map(|d| d.to_string()),
        Some("2026-12-10".into())
    );
    tick_at(&mut b, utc("2026-12-10T03:30:00Z"));
    assert_eq!(status(&b, r.payment), PaymentStatus::Settled);
}

#[test]
fn an_extended_cut_off_takes_payments_until_the_new_time() {
    let mut b = operating_bench("2026-12-08T05:00:00Z");
    b.ok(HubCommand::ExtendCutOff {
        currency: irr(),
        date: "2026-12-08".parse().unwrap(),
        cut_off: CutOff::Customer,
        until: "14:45".into(),
    });
    at(&mut b, utc("2026-12-08T11:10:00Z"));
    assert_eq!(
        b.pay_ok(bank_b(), irr_payment("LATE")).status,
        PaymentStatus::Settled
    );
    at(&mut b, utc("2026-12-08T11:15:00Z"));
    assert_eq!(
        b.pay(bank_b(), irr_payment("LATER")).unwrap_err().code,
        "TM01"
    );
    // Past the close, or earlier than the time it extends: refused.
    let extend = |until: &str| HubCommand::ExtendCutOff {
        currency: irr(),
        date: "2026-12-09".parse().unwrap(),
        cut_off: CutOff::Customer,
        until: until.into(),
    };
    assert_eq!(b.err(extend("16:00")).code, "FF01");
    assert_eq!(b.err(extend("13:00")).code, "FF01");
    let days = b.hub.calendar_days(
        irr(),
        "2026-12-08".parse().unwrap(),
        "2026-12-08".parse().unwrap(),
    );
    let customer = days[0]
        .times
        .iter()
        .find(|t| t.name == "customer_cutoff")
        .unwrap();
    assert_eq!(
        (customer.local.as_str(), customer.extended),
        ("14:45", true)
    );
    assert_eq!(days[0].solar_hijri.as_deref(), Some("1405-09-17"));
}

#[test]
fn timed_payments_wait_for_their_from_time_warn_before_till_and_reject_at_reject_time() {
    let mut b = operating_bench("2026-12-08T05:00:00Z");
    let timed = |id: &str, amount: &str, times: SettlementTimeRequest| {
        let mut i = instruction(id, bank_b(), amount, rub());
        i.settlement_time = Some(times);
        i
    };
    // From 12:00 Moscow (09:00 UTC).
    let from = b.pay_ok(
        bank_a(),
        timed(
            "FROM",
            "1.00",
            SettlementTimeRequest {
                from_time: Some("12:00:00".into()),
                ..SettlementTimeRequest::default()
            },
        ),
    );
    assert_eq!(from.status, PaymentStatus::Warehoused);
    // Too big to settle: waits in the queue, warned 15 minutes before its till time, and
    // rejected at its reject time.
    let waiting = b.pay_ok(
        bank_a(),
        timed(
            "WAIT",
            "900000.00",
            SettlementTimeRequest {
                till_time: Some("10:00:00+03:00".into()),
                reject_time: Some("07:30:00Z".into()),
                ..SettlementTimeRequest::default()
            },
        ),
    );
    assert_eq!(waiting.status, PaymentStatus::Queued);
    tick_at(&mut b, utc("2026-12-08T06:45:00Z"));
    let warned = b.outbox(bank_a()).into_iter().any(|e| {
        matches!(e, OutboxEvent::SettlementTimeWarning { payment, till, .. }
            if payment == waiting.payment && till == utc("2026-12-08T07:00:00Z"))
    });
    assert!(warned, "a till-time warning");
    tick_at(&mut b, utc("2026-12-08T07:30:00Z"));
    assert_eq!(status(&b, waiting.payment), PaymentStatus::Rejected);
    tick_at(&mut b, utc("2026-12-08T09:00:00Z"));
    assert_eq!(status(&b, from.payment), PaymentStatus::Settled);
    // A reject time before the from time leaves no window.
    let refused = b
        .pay(
            bank_a(),
            timed(
                "EMPTY",
                "1.00",
                SettlementTimeRequest {
                    from_time: Some("13:00:00".into()),
                    reject_time: Some("12:00:00".into()),
                    ..SettlementTimeRequest::default()
                },
            ),
        )
        .unwrap_err();
    assert_eq!(refused.code, "TM01");
    let refused = b
        .pay(
            bank_a(),
            timed(
                "BAD",
                "1.00",
                SettlementTimeRequest {
                    from_time: Some("25:00:00".into()),
                    ..SettlementTimeRequest::default()
                },
            ),
        )
        .unwrap_err();
    assert_eq!(refused.code, "FF01");
}

fn rub_irr_sheet() -> RateSheetRequest {
    RateSheetRequest {
        valid_for_seconds: 3_600,
        pairs: vec![PairRequest {
            base: rub(),
            quote: irr(),
            bid: "500".parse::<String>().unwrap().try_into().unwrap(),
            ask: "510".parse::<String>().unwrap().try_into().unwrap(),
            tiers: Vec::new(),
            fee_in_base: None,
            fee_in_quote: None,
        }],
    }
}

#[test]
fn a_pvp_payment_is_warehoused_across_nowruz_to_the_next_common_business_day() {
    // Saturday 21 March 2026: Russia rests, Iran celebrates Nowruz until Tuesday 24th.
    let mut b = operating_bench("2026-03-21T08:00:00Z");
    b.ok(HubCommand::PublishRateSheet {
        provider: provider(),
        sheet: rub_irr_sheet(),
    });
    let request = QuoteRequest {
        source_currency: rub(),
        destination_currency: irr(),
        creditor_agent: bank_b(),
        instructed_amount: Some("100.00".into()),
        creditor_amount: None,
        charge_bearer: Default::default(),
    };
    let quote = |b: &mut Bench| match b.ok(HubCommand::RequestQuote {
        requester: bank_a(),
        request: request.clone(),
    }) {
        Answer::Quote(q) => *q,
        other => panic!("a quote, not {other:?}"),
    };
    let q = quote(&mut b);
    assert_eq!(
        q.value_date.map(|d| d.to_string()),
        Some("2026-03-25".into())
    );
    let pay = |q: &corridor_settlement::Quote, id: &str| {
        let mut i = instruction(id, bank_b(), "100.00", rub());
        i.quote = Some(q.id);
        i
    };
    // Asked for today only: refused.
    let mut same_day = pay(&q, "SAME-DAY");
    same_day.when_closed = Some(WhenClosed::Refuse);
    assert_eq!(b.pay(bank_a(), same_day).unwrap_err().code, "DT01");
    let second = quote(&mut b);
    let r = b.pay_ok(bank_a(), pay(&second, "PVP"));
    assert_eq!(r.status, PaymentStatus::Warehoused);
    // Both open on Wednesday 25th from 07:00 Tehran (03:30 UTC); Moscow opened at 22:00 UTC.
    let opening = utc("2026-03-25T03:30:00Z");
    assert_eq!(
        b.hub.payment(r.payment).unwrap().warehoused_until,
        Some(opening)
    );
    let rub_before = b.balance(bank_a(), rub());
    tick_at(&mut b, utc("2026-03-24T23:00:00Z"));
    assert_eq!(
        status(&b, r.payment),
        PaymentStatus::Warehoused,
        "Tehran still closed"
    );
    tick_at(&mut b, opening);
    let p = b.hub.payment(r.payment).unwrap();
    assert_eq!(p.status, PaymentStatus::Settled);
    assert_eq!(p.fx.as_ref().unwrap().legs.len(), 2);
    assert_eq!(b.balance(bank_a(), rub()), rub_before - 10_000);
}

#[test]
fn bad_calendars_are_refused_with_the_line_and_change_nothing() {
    let mut b = operating_bench("2026-12-08T05:00:00Z");
    let before = b.hub.state_hash();
    let duplicate = "currency,IRR\nversion,x\nspan,2027-03-21,2028-03-19\nweekend,friday\n\
                     holiday,2027-04-01,A,B\nholiday,2027-04-01,A again,B\n";
    let refused = b.err(load(irr(), duplicate));
    assert_eq!(refused.code, "FF01");
    assert!(refused.message.contains("line 6"), "{refused}");
    let impossible = "currency,IRR\nversion,x\nspan,2027-03-21,2028-03-19\nweekend,friday\nholiday,2027-02-30,A,B\n";
    assert!(b.err(load(irr(), impossible)).message.contains("line 5"));
    // A calendar for another currency, or for a currency the scheme does not settle.
    assert_eq!(b.err(load(rub(), shipped("irr-1405.csv"))).code, "CURR");
    let cny = "currency,CNY\nversion,1\nspan,2026-01-01,2026-12-31\nweekend,saturday,sunday\n";
    assert_ne!(b.err(load(ccy("CNY"), cny)).code, "");
    // A version that would change a day already passed.
    let rewritten = shipped("irr-1405.csv").replace("holiday,2026-11-12,", "holiday,2026-11-11,");
    assert_eq!(b.err(load(irr(), &rewritten)).code, "DT01");
    assert_eq!(b.hub.state_hash(), before);
    // The same text again is a duplicate; a version that changes only future days loads.
    assert_eq!(
        b.ok(load(irr(), shipped("irr-1405.csv"))),
        Answer::CalendarLoaded { duplicate: true }
    );
    let moved = shipped("irr-1405.csv")
        .replace("version,1405.1", "version,1405.2")
        .replace("holiday,2026-12-22,", "holiday,2026-12-23,");
    assert_eq!(
        b.ok(load(irr(), &moved)),
        Answer::CalendarLoaded { duplicate: false }
    );
    let days = b.hub.calendar_days(
        irr(),
        "2026-12-22".parse().unwrap(),
        "2026-12-23".parse().unwrap(),
    );
    assert_eq!((days[0].business_day, days[1].business_day), (true, false));
}
