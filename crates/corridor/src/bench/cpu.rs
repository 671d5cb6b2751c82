//! Where a benchmark's CPU time goes: its runtimes' threads are named by what they run,
//! and the CPU time of each thread (`/proc/self/task/*/schedstat`) and the machine's steal
//! and idle time (`/proc/stat`) are read before and after a run.

use std::collections::HashMap;

/// Names of the process's threads, by what they run.
pub(super) const NODE_THREAD: &str = "corridor-node";
pub(super) const CLIENT_THREAD: &str = "bench-client";

/// CPU time of each of this process's threads (from `/proc/self/task/*/schedstat`, in
/// nanoseconds), with its name.
fn thread_cpu() -> HashMap<String, (String, u64)> {
    let mut out = HashMap::new();
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return out;
    };
    for task in tasks.flatten() {
        let path = task.path();
        let comm = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        let ns = std::fs::read_to_string(path.join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse().ok())
            .unwrap_or(0);
        out.insert(
            task.file_name().to_string_lossy().into_owned(),
            (comm.trim().to_string(), ns),
        );
    }
    out
}

/// CPU seconds spent by each part of the process during a run.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub(super) struct Cpu {
    /// The node's HTTP side: connections, parsing, JSON, auth, answers.
    pub(super) node_s: f64,
    /// The engine thread: applying commands to the hub.
    pub(super) engine_s: f64,
    /// The journal thread: encoding, writing, `fdatasync`.
    pub(super) journal_s: f64,
    /// The bench's own clients.
    pub(super) client_s: f64,
    pub(super) other_s: f64,
    /// Machine-wide, all CPUs: time the hypervisor gave to others (steal) and idle time.
    pub(super) steal_s: f64,
    pub(super) idle_s: f64,
}

/// Machine-wide (steal, idle + iowait) CPU time so far, in seconds (`/proc/stat` counts in
/// USER_HZ, 100 per second on Linux).
fn machine_cpu() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let fields: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    let field = |i: usize| fields.get(i).copied().unwrap_or(0.0) / 100.0;
    (field(7), field(3) + field(4))
}

/// A snapshot of the CPU counters a run is measured between.
pub(super) struct CpuSnapshot {
    threads: HashMap<String, (String, u64)>,
    machine: (f64, f64),
}

impl CpuSnapshot {
    pub(super) fn take() -> CpuSnapshot {
        CpuSnapshot {
            threads: thread_cpu(),
            machine: machine_cpu(),
        }
    }
}

impl Cpu {
    pub(super) fn between(before: &CpuSnapshot, after: &CpuSnapshot) -> Cpu {
        let mut cpu = Cpu {
            steal_s: after.machine.0 - before.machine.0,
            idle_s: after.machine.1 - before.machine.1,
            ..Cpu::default()
        };
        for (tid, (comm, ns)) in &after.threads {
            let earlier = before.threads.get(tid).map_or(0, |(_, ns)| *ns);
            let s = ns.saturating_sub(earlier) as f64 / 1e9;
            let slot = if comm.starts_with(NODE_THREAD) {
                &mut cpu.node_s
            } else if comm.starts_with("corridor-engine") {
                &mut cpu.engine_s
            } else if comm.starts_with("corridor-journa") {
                &mut cpu.journal_s
            } else if comm.starts_with(CLIENT_THREAD) {
                &mut cpu.client_s
            } else {
                &mut cpu.other_s
            };
            *slot += s;
        }
        cpu
    }

    pub(super) fn server_s(&self) -> f64 {
        self.node_s + self.engine_s + self.journal_s
    }
}

pub(super) fn runtime(
    name: &str,
    threads: Option<usize>,
) -> anyhow::Result<tokio::runtime::Runtime> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.thread_name(name).enable_all();
    if let Some(threads) = threads {
        builder.worker_threads(threads.max(1));
    }
    Ok(builder.build()?)
}
