//! Driving an engine as a node's connections would: several callers submitting at once, each
//! sending its next request as soon as its last is answered, so the engine applies one batch
//! while the journal syncs the previous one. Shared by the ledger's and the hub's durable runs.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use corridor_engine::Engine;
use corridor_ledger::StateMachine;

/// Submits `requests` to `engine` from `clients` threads at once, each taking the next
/// request as soon as its last is answered, as a node's connections would. Returns the time
/// from the first request to the last answer, every request's latency, and the sum of
/// `tally` over the outcomes.
pub(super) fn submit_concurrently<S: StateMachine>(
    engine: &Engine<S>,
    requests: Vec<S::Request>,
    clients: usize,
    tally: fn(&S::Outcome) -> usize,
) -> anyhow::Result<(Duration, Vec<Duration>, usize)> {
    let queue = Arc::new(Mutex::new(requests.into_iter()));
    let tallied = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..clients.max(1))
        .map(|_| {
            let (handle, queue, tallied) = (engine.handle(), queue.clone(), tallied.clone());
            std::thread::spawn(move || -> anyhow::Result<Vec<Duration>> {
                let mut latencies = Vec::new();
                loop {
                    let next = queue
                        .lock()
                        .map_err(|_| anyhow::anyhow!("poisoned"))?
                        .next();
                    let Some(request) = next else {
                        return Ok(latencies);
                    };
                    let t = Instant::now();
                    let outcome = handle.submit(request)?;
                    latencies.push(t.elapsed());
                    tallied.fetch_add(tally(&outcome), Ordering::Relaxed);
                }
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for worker in workers {
        latencies.extend(
            worker
                .join()
                .map_err(|_| anyhow::anyhow!("bench client panicked"))??,
        );
    }
    Ok((
        started.elapsed(),
        latencies,
        tallied.load(Ordering::Relaxed),
    ))
}
