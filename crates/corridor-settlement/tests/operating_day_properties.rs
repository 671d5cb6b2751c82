//! Random calendars, schedules and instants: no payment ever settles on a day that is not
//! a business day of its currency or outside that day's opening and close, none settles
//! twice, and none is lost (a warehoused payment always comes out).

mod support;

use corridor_calendar::{Calendar, DayTimes, Schedule, parse, parse_local_time};
use corridor_core::{CurrencyCode, Timestamp};
use corridor_settlement::{
    DaySchedule, EndOfDayRule, HubCommand, HubConfig, LiquidityDirection, PaymentStatus, WhenClosed,
};
use proptest::prelude::*;
use support::*;

/// 2026-01-01T00:00:00Z.
const YEAR_START_S: u64 = 1_767_225_600;
const DAY_S: u64 = 86_400;
const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
const ZONES: [&str; 3] = ["Europe/Moscow", "Asia/Tehran", "UTC"];

#[derive(Debug, Clone)]
struct CurrencySetup {
    weekend: Vec<usize>,
    holidays: Vec<u16>,
    zone: usize,
    /// Minutes after midnight: opens, customer, institution, liquidity, closes.
    minutes: [u16; 5],
    carry: bool,
}

#[derive(Debug, Clone)]
enum Op {
    Pay {
        rub: bool,
        days_ahead: Option<u8>,
        move_on: bool,
        amount: u16,
    },
    Fund {
        rub: bool,
    },
    Advance {
        minutes: u16,
    },
}

fn setup() -> impl Strategy<Value = CurrencySetup> {
    (
        prop::collection::btree_set(0..7usize, 0..=2),
        prop::collection::btree_set(0..365u16, 0..30),
        0..ZONES.len(),
        prop::collection::btree_set(0..1_440u16, 5),
        any::<bool>(),
    )
        .prop_map(|(weekend, holidays, zone, minutes, carry)| {
            let m: Vec<u16> = minutes.into_iter().collect();
            CurrencySetup {
                weekend: weekend.into_iter().collect(),
                holidays: holidays.into_iter().collect(),
                zone,
                // Opening first, close last; the three cut-offs in between in any order.
                minutes: [m[0], m[2], m[1], m[3], m[4]],
                carry,
            }
        })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (any::<bool>(), prop::option::of(0..6u8), any::<bool>(), 1..2_000u16)
            .prop_map(|(rub, days_ahead, move_on, amount)| Op::Pay { rub, days_ahead, move_on, amount }),
        1 => any::<bool>().prop_map(|rub| Op::Fund { rub }),
        3 => (1..2_000u16).prop_map(|minutes| Op::Advance { minutes }),
    ]
}

fn date_text(day_of_year: u64) -> String {
    let date = time::Date::from_julian_day(2_461_042 + i32::try_from(day_of_year).unwrap())
        .expect("a date");
    date.to_string()
}

fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn calendar_text(code: &str, s: &CurrencySetup) -> String {
    let mut text = format!("currency,{code}\nversion,random\nspan,2026-01-01,2026-12-31\n");
    let weekend: Vec<&str> = s.weekend.iter().map(|d| WEEKDAYS[*d]).collect();
    text.push_str(&format!("weekend,{}\n", weekend.join(",")));
    for day in &s.holidays {
        text.push_str(&format!(
            "holiday,{},Holiday {day},Random\n",
            date_text(u64::from(*day))
        ));
    }
    text
}

fn day_schedule(s: &CurrencySetup) -> DaySchedule {
    DaySchedule {
        time_zone: ZONES[s.zone].into(),
        opens: hhmm(s.minutes[0]),
        customer_cutoff: hhmm(s.minutes[1]),
        institution_cutoff: hhmm(s.minutes[2]),
        liquidity_cutoff: hhmm(s.minutes[3]),
        closes: hhmm(s.minutes[4]),
        end_of_day: if s.carry {
            EndOfDayRule::CarryQueued
        } else {
            EndOfDayRule::RejectQueued
        },
        horizon_days: 10,
    }
}

/// The calendar and schedule as the test reads them itself, to judge the hub.
struct Oracle {
    calendar: Calendar,
    schedule: Schedule,
}

impl Oracle {
    fn new(code: &str, s: &CurrencySetup) -> Oracle {
        let times = |i: usize| parse_local_time(&hhmm(s.minutes[i])).unwrap();
        Oracle {
            calendar: parse(&calendar_text(code, s)).unwrap(),
            schedule: Schedule::new(
                ZONES[s.zone],
                DayTimes {
                    opens: times(0),
                    customer_cutoff: times(1),
                    institution_cutoff: times(2),
                    liquidity_cutoff: times(3),
                    closes: times(4),
                },
            )
            .unwrap(),
        }
    }

    /// Whether money may move at `at`.
    fn open_at(&self, at: Timestamp) -> bool {
        let date = self.schedule.local_date(at.0).unwrap();
        self.calendar.is_business_day(date)
            && self.schedule.opens_ns(date).unwrap() <= at.0
            && at.0 < self.schedule.closes_ns(date).unwrap()
    }
}

fn check(b: &Bench, oracles: &[(CurrencyCode, Oracle)], accepted: &[u64]) {
    b.hub.check_invariants().expect("the hub's invariants hold");
    let mut transfers = std::collections::BTreeSet::new();
    for id in accepted {
        let p = b
            .hub
            .payment(*id)
            .expect("an accepted payment is never lost");
        let settled: Vec<_> = p
            .history
            .iter()
            .filter(|e| e.status == PaymentStatus::Settled)
            .collect();
        assert!(settled.len() <= 1, "payment {id} settled twice");
        if let Some(event) = settled.first() {
            let (_, oracle) = oracles
                .iter()
                .find(|(c, _)| *c == p.currency())
                .expect("an oracle");
            assert!(
                oracle.open_at(event.at),
                "payment {id} settled at {} while {} was closed",
                event.at,
                p.currency()
            );
            assert!(transfers.insert(p.transfer), "a transfer used twice");
        }
        if p.status == PaymentStatus::Warehoused {
            assert!(
                p.warehoused_until.is_some_and(|t| t > b.now),
                "payment {id} overdue in the warehouse"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn nothing_settles_outside_its_currencys_open_window_and_nothing_is_lost(
        rub_setup in setup(),
        irr_setup in setup(),
        start_day in 20..260u64,
        start_minute in 0..1_440u64,
        ops in prop::collection::vec(op(), 1..40),
    ) {
        let mut b = Bench::standard();
        b.ok(HubCommand::Configure(HubConfig {
            queue_timeout_seconds: 3 * 86_400,
            quote_validity_seconds: 60,
        }));
        b.now = Timestamp((YEAR_START_S + start_day * DAY_S + start_minute * 60) * SECOND);
        let oracles = [
            (rub(), Oracle::new("RUB", &rub_setup)),
            (irr(), Oracle::new("IRR", &irr_setup)),
        ];
        for (code, setup) in [(rub(), &rub_setup), (irr(), &irr_setup)] {
            b.ok(HubCommand::LoadCalendar {
                currency: code,
                text: calendar_text(code.as_str(), setup),
            });
            b.ok(HubCommand::ConfigureOperatingDay {
                currency: code,
                schedule: day_schedule(setup),
            });
        }
        let mut accepted = Vec::new();
        for (n, op) in ops.into_iter().enumerate() {
            match op {
                Op::Pay { rub: is_rub, days_ahead, move_on, amount } => {
                    let (sender, receiver, currency) = if is_rub {
                        (bank_a(), bank_b(), rub())
                    } else {
                        (bank_b(), bank_a(), irr())
                    };
                    let mut i = instruction(&format!("P{n}"), receiver, &amount.to_string(), currency);
                    let today = b.hub.currency_phase(currency, b.now).date;
                    i.settlement_date = days_ahead.and_then(|d| today.plus_days(i64::from(d)));
                    i.when_closed = move_on.then_some(WhenClosed::NextBusinessDay);
                    if let Ok(receipt) = b.pay(sender, i) {
                        accepted.push(receipt.payment);
                    }
                }
                Op::Fund { rub: is_rub } => {
                    let (bank, currency) = if is_rub { (bank_a(), rub()) } else { (bank_b(), irr()) };
                    let command = b.liquidity_command(bank, currency, "5000", LiquidityDirection::Fund);
                    let _ = b.run(command);
                }
                Op::Advance { minutes } => {
                    b.advance(u64::from(minutes) * 60);
                    b.ok(HubCommand::Tick);
                }
            }
            check(&b, &oracles, &accepted);
        }
        // Long after every settlement date: nothing is left in the warehouse.
        b.advance(40 * DAY_S);
        b.ok(HubCommand::Tick);
        check(&b, &oracles, &accepted);
        for id in &accepted {
            prop_assert_ne!(b.hub.payment(*id).unwrap().status, PaymentStatus::Warehoused);
        }
    }
}
