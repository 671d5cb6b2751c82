//! `corridor bench ...`: benchmarks that measure what they name, each against a baseline
//! measured in the same run.

pub mod api;
mod cpu;
mod engine_load;
pub mod fx;
mod http;
mod hub;
pub mod iso;
pub mod ledger;
pub mod lsm;
pub mod memory;
mod payments;
pub mod screen;
pub mod soak;
mod takeover;

/// The machine a result was measured on, recorded next to every figure.
#[derive(Debug, serde::Serialize)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    pub memory_gib: u64,
}

impl Machine {
    pub fn detect() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|l| {
                l.strip_prefix("model name")?
                    .split_once(':')
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_else(|| "unknown".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_kib: u64 = meminfo
            .lines()
            .find_map(|l| {
                l.strip_prefix("MemTotal:")?
                    .trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse()
                    .ok()
            })
            .unwrap_or(0);
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        Machine {
            cpus,
            cpu_model,
            memory_gib: memory_kib.div_ceil(1024 * 1024),
        }
    }
}

/// The median of rates measured in rounds: one round slowed by the machine (another
/// process, a virtual CPU descheduled) does not move it.
pub fn median(mut rates: Vec<f64>) -> f64 {
    rates.sort_by(f64::total_cmp);
    rates.get(rates.len() / 2).copied().unwrap_or(0.0)
}

/// Latency percentile of sorted samples, in microseconds.
pub fn percentile_us(sorted: &[std::time::Duration], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[rank].as_micros() as u64
}

/// How a target is reported.
pub fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT met" }
}
