//! A full inbox refuses async callers at once with `EngineError::Busy` instead of blocking the
//! runtime thread they run on; blocking callers still wait, and the engine carries on.

use std::future::Future;
use std::pin::pin;
use std::sync::mpsc;
use std::task::{Context, Poll, Waker};

use corridor_engine::{Engine, EngineConfig, EngineError};
use corridor_ledger::{Command, Ledger};

/// Polls `future` once: a refusal is ready at once, an accepted request is not (the engine
/// is held up).
fn poll_once<T>(future: impl Future<Output = T>) -> Poll<T> {
    pin!(future).poll(&mut Context::from_waker(Waker::noop()))
}

#[test]
fn a_full_inbox_refuses_async_callers_with_busy_and_the_engine_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = EngineConfig::new(dir.path());
    config.inbox_capacity = 1;
    let engine = Engine::<Ledger>::open(config).unwrap();
    let handle = engine.handle();

    // Hold the engine thread inside a query so nothing leaves the inbox.
    let (started, running) = mpsc::channel();
    let (release, go) = mpsc::channel::<()>();
    let holder = {
        let handle = handle.clone();
        std::thread::spawn(move || {
            handle.query(move |_: &Ledger| {
                started.send(()).unwrap();
                go.recv().unwrap();
            })
        })
    };
    running.recv().unwrap();

    let waiting = handle.query_async(|_: &Ledger| 1);
    let refused_query = poll_once(handle.query_async(|_: &Ledger| 2));
    assert!(
        matches!(
            refused_query,
            Poll::Ready(Err(EngineError::Busy { capacity: 1 }))
        ),
        "{refused_query:?}"
    );
    let refused_submit = poll_once(handle.submit_async(vec![Command::CreateAccount(
        corridor_ledger::NewAccount {
            id: corridor_core::AccountId::new(1).unwrap(),
            owner: "BMJIIRTH".parse().unwrap(),
            currency: "IRR".parse().unwrap(),
            kind: corridor_ledger::AccountKind::Settlement,
            rule: corridor_ledger::BalanceRule::Unrestricted,
            code: 0,
            user_ref: 0,
            linked: false,
        },
    )]));
    assert!(
        matches!(
            refused_submit,
            Poll::Ready(Err(EngineError::Busy { capacity: 1 }))
        ),
        "a refused submission is neither applied nor journaled"
    );
    assert!(
        EngineError::Busy { capacity: 1 }
            .to_string()
            .contains("retry")
    );

    release.send(()).unwrap();
    holder.join().unwrap().unwrap();
    drop(waiting);
    let refused_account = corridor_core::AccountId::new(1).unwrap();
    let applied = handle
        .query(move |ledger: &Ledger| ledger.account(refused_account).is_some())
        .unwrap();
    assert!(
        !applied,
        "the engine answers again, without the refused submission"
    );
    engine.shutdown();
}
