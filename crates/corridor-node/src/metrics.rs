//! Prometheus metrics: payments by status, queue depth, settlement latency, journal fsync
//! latency, HTTP requests, cross-currency payments and volume by currency pair.

use std::time::Duration;

use corridor_settlement::CurrencyPhase;
use corridor_settlement::Hub;
use corridor_settlement::PaymentReceipt;
use prometheus::{Histogram, HistogramOpts, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry};

#[derive(Debug, Clone)]
pub struct Metrics {
    registry: Registry,
    pub payments: IntCounterVec,
    pub queue_depth: IntGauge,
    pub settlement_latency: Histogram,
    pub fsync_latency: Histogram,
    pub requests: IntCounterVec,
    pub fx_payments: IntGaugeVec,
    pub warehoused: IntGauge,
    pub settled_by: IntGaugeVec,
    pub queue_value: IntGaugeVec,
    pub gridlocks: IntGaugeVec,
    pub liquidity_used: IntGaugeVec,
    pub currency_phase: IntGaugeVec,
    pub fx_volume: IntGaugeVec,
}

/// One pair's settled FX figures, read from the hub at scrape time.
#[derive(Debug, Clone)]
pub struct PairFigures {
    pub pair: String,
    pub source: String,
    pub destination: String,
    pub payments: u64,
    /// In whole major units (the fraction cut off, saturating at `i64::MAX`): monitoring
    /// figures; the exact minor-unit totals stay in the hub.
    pub source_volume: i64,
    pub destination_volume: i64,
}

/// One currency's liquidity-saving figures, in whole major units, read at scrape time.
#[derive(Debug)]
pub struct LiquidityFigures {
    pub currency: String,
    pub settled: Vec<(&'static str, i64)>,
    pub queue_value: i64,
    pub gridlocks: i64,
    pub liquidity_used: i64,
}

pub fn liquidity(hub: &Hub) -> Vec<LiquidityFigures> {
    hub.currencies()
        .map(|c| {
            let code = c.currency.code;
            let major = |minor: u128| {
                let whole = minor / 10u128.pow(u32::from(c.currency.exponent));
                i64::try_from(whole).unwrap_or(i64::MAX)
            };
            LiquidityFigures {
                currency: code.to_string(),
                settled: hub
                    .settled_by(Some(code), None)
                    .iter()
                    .map(|((_, by), s)| (settled_by_name(*by), major(s.value)))
                    .collect(),
                queue_value: major(hub.queue_summary(code, None).value),
                gridlocks: i64::try_from(hub.gridlocks(code)).unwrap_or(i64::MAX),
                liquidity_used: major(hub.settled_today(code, None).1),
            }
        })
        .collect()
}

fn settled_by_name(by: corridor_settlement::SettledBy) -> &'static str {
    use corridor_settlement::SettledBy;
    match by {
        SettledBy::Gross => "gross",
        SettledBy::Offsetting => "offsetting",
        SettledBy::AllOrNothing => "all_or_nothing",
        SettledBy::Partial => "partial",
        SettledBy::Bilateral => "bilateral",
        SettledBy::Net => "net",
    }
}

pub fn fx_volume(hub: &Hub) -> Vec<PairFigures> {
    let major = |code, minor: u128| {
        let exponent = hub.currency(code).map_or(0, |c| c.exponent);
        let whole = minor / 10u128.pow(u32::from(exponent));
        i64::try_from(whole).unwrap_or(i64::MAX)
    };
    hub.fx_volume()
        .iter()
        .map(|(&(source, destination), v)| PairFigures {
            pair: format!("{source}/{destination}"),
            source: source.to_string(),
            destination: destination.to_string(),
            payments: v.payments,
            source_volume: major(source, v.source_minor),
            destination_volume: major(destination, v.destination_minor),
        })
        .collect()
}

const PHASES: [&str; 5] = [
    "always_open",
    "closed",
    "before_opening",
    "open",
    "end_of_day",
];

const LATENCY_BUCKETS: &[f64] = &[
    0.000_25, 0.000_5, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

impl Metrics {
    pub fn new() -> Result<Metrics, prometheus::Error> {
        let registry = Registry::new();
        let payments = IntCounterVec::new(
            Opts::new(
                "corridor_payments_total",
                "Payments answered, by status at the time of the answer",
            ),
            &["status"],
        )?;
        let queue_depth = IntGauge::new(
            "corridor_queue_depth",
            "Payments waiting in RTGS queues for liquidity",
        )?;
        let settlement_latency = Histogram::with_opts(
            HistogramOpts::new(
                "corridor_settlement_latency_seconds",
                "From request received to durable answer, for payments settled at once",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
        )?;
        let fsync_latency = Histogram::with_opts(
            HistogramOpts::new(
                "corridor_journal_fsync_seconds",
                "Duration of each group commit's fdatasync",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
        )?;
        let requests = IntCounterVec::new(
            Opts::new(
                "corridor_http_requests_total",
                "HTTP requests by status class",
            ),
            &["class"],
        )?;
        let fx_payments = IntGaugeVec::new(
            Opts::new(
                "corridor_fx_payments_settled",
                "Cross-currency payments settled since genesis, by source/destination pair",
            ),
            &["pair"],
        )?;
        let fx_volume = IntGaugeVec::new(
            Opts::new(
                "corridor_fx_volume_settled",
                "Cross-currency volume settled since genesis, in whole major units of `currency`: \
                 the source side (debited) and the destination side (credited) of each pair",
            ),
            &["pair", "currency", "side"],
        )?;
        let warehoused = IntGauge::new(
            "corridor_warehoused_payments",
            "Payments waiting for a later settlement date or time",
        )?;
        let currency_phase = IntGaugeVec::new(
            Opts::new(
                "corridor_currency_phase",
                "1 for each currency's phase of its operating day now (always_open, closed, \
                 before_opening, open, end_of_day), 0 for the others",
            ),
            &["currency", "phase"],
        )?;
        let settled_by = IntGaugeVec::new(
            Opts::new(
                "corridor_settled_value",
                "Value settled since genesis in whole major units, by currency and by how: \
                 gross, offsetting, all_or_nothing, partial, bilateral, net",
            ),
            &["currency", "by"],
        )?;
        let queue_value = IntGaugeVec::new(
            Opts::new(
                "corridor_queue_value",
                "Value waiting in the RTGS queues, in whole major units",
            ),
            &["currency"],
        )?;
        let gridlocks = IntGaugeVec::new(
            Opts::new(
                "corridor_gridlocks",
                "Queue optimisation runs that found nothing to settle while payments waited",
            ),
            &["currency"],
        )?;
        let liquidity_used = IntGaugeVec::new(
            Opts::new(
                "corridor_liquidity_used",
                "Since the business day began, the sum over accounts of the largest net debit \
                 their payments reached, in whole major units",
            ),
            &["currency"],
        )?;
        registry.register(Box::new(settled_by.clone()))?;
        registry.register(Box::new(liquidity_used.clone()))?;
        registry.register(Box::new(queue_value.clone()))?;
        registry.register(Box::new(gridlocks.clone()))?;
        registry.register(Box::new(warehoused.clone()))?;
        registry.register(Box::new(currency_phase.clone()))?;
        registry.register(Box::new(fx_payments.clone()))?;
        registry.register(Box::new(fx_volume.clone()))?;
        registry.register(Box::new(payments.clone()))?;
        registry.register(Box::new(queue_depth.clone()))?;
        registry.register(Box::new(settlement_latency.clone()))?;
        registry.register(Box::new(fsync_latency.clone()))?;
        registry.register(Box::new(requests.clone()))?;
        Ok(Metrics {
            registry,
            payments,
            queue_depth,
            settlement_latency,
            fsync_latency,
            requests,
            fx_payments,
            fx_volume,
            warehoused,
            settled_by,
            queue_value,
            gridlocks,
            liquidity_used,
            currency_phase,
        })
    }

    pub fn set_fx_volume(&self, figures: &[PairFigures]) {
        for f in figures {
            self.fx_payments
                .with_label_values(&[&f.pair])
                .set(f.payments as i64);
            self.fx_volume
                .with_label_values(&[&f.pair, &f.source, "source"])
                .set(f.source_volume);
            self.fx_volume
                .with_label_values(&[&f.pair, &f.destination, "destination"])
                .set(f.destination_volume);
        }
    }

    /// Sets the liquidity-saving gauges from the hub's figures.
    pub fn set_liquidity(&self, figures: &[LiquidityFigures]) {
        for f in figures {
            for (by, value) in &f.settled {
                self.settled_by
                    .with_label_values(&[f.currency.as_str(), by])
                    .set(*value);
            }
            self.queue_value
                .with_label_values(&[&f.currency])
                .set(f.queue_value);
            self.gridlocks
                .with_label_values(&[&f.currency])
                .set(f.gridlocks);
            self.liquidity_used
                .with_label_values(&[&f.currency])
                .set(f.liquidity_used);
        }
    }

    /// Sets each currency's phase gauge: 1 for the phase it is in, 0 for the others.
    pub fn set_phases(&self, phases: &[CurrencyPhase]) {
        for p in phases {
            let currency = p.currency.to_string();
            for phase in PHASES {
                self.currency_phase
                    .with_label_values(&[&currency, phase])
                    .set(i64::from(p.phase == phase));
            }
        }
    }

    pub fn observe_receipt(&self, receipt: &PaymentReceipt, elapsed: Duration) {
        if receipt.duplicate {
            return;
        }
        let status = serde_json::to_value(receipt.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        self.payments.with_label_values(&[&status]).inc();
        if receipt.status == corridor_settlement::PaymentStatus::Settled {
            self.settlement_latency.observe(elapsed.as_secs_f64());
        }
    }

    /// The Prometheus text exposition of every metric, as `/metrics` serves it.
    pub fn exposition(&self) -> Result<String, prometheus::Error> {
        let mut out = String::new();
        prometheus::TextEncoder::new().encode_utf8(&self.registry.gather(), &mut out)?;
        Ok(out)
    }
}
