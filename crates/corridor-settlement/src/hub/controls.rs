//! Limits and reservations at work: a participant sets them on its own settlement account
//! (the operator may set them for it), and every settlement, gross or in a group, is checked
//! against them before it posts. A payment they stop waits in its queue as one without
//! liquidity does, and is retried when its payer receives or its controls change.

use corridor_core::{AccountId, Amount, Bic, Currency, CurrencyCode, Timestamp};

use super::{Answer, Hub, HubOutcome};
use crate::liquidity_controls::{Flow, LiquidityControls, LiquidityControlsRequest};
use crate::model::{Priority, signed};
use crate::payment::parse_bound;
use crate::rejection::Rejection;

impl Hub {
    /// `requested_by` (a bank, or the operator when `None`) sets `participant`'s limits and
    /// reservations in `currency`, replacing the ones it had.
    pub(super) fn set_liquidity_controls(
        &mut self,
        (participant, currency): (Bic, CurrencyCode),
        request: &LiquidityControlsRequest,
        requested_by: Option<Bic>,
        now: Timestamp,
    ) -> HubOutcome {
        if requested_by.is_some_and(|bank| bank != participant) {
            return Err(Rejection::forbidden(format!(
                "a bank sets limits and reservations on its own account only, not on {participant}'s"
            )));
        }
        let scale = self.registry.scheme_currency(currency)?;
        let account = self
            .registry
            .settlement_account(participant, currency)
            .ok_or_else(|| {
                Rejection::not_found(format!(
                    "{participant} has no settlement account in {currency}"
                ))
            })?;
        let controls = self.controls_from(participant, request, scale, requested_by, now)?;
        let reserved = controls.reserved_from(Priority::Normal);
        let held = self.books.held(account);
        if reserved > held {
            return Err(Rejection::new(
                "AM04",
                format!(
                    "reservations of {} {currency} exceed the {} {currency} {participant} holds",
                    Amount::from_minor(reserved).format(scale),
                    Amount::from_minor(held).format(scale)
                ),
            ));
        }
        self.controls.set(account, controls.clone());
        // Looser controls may let queued payments go.
        self.lsm.queue_changed(currency);
        self.drain(vec![account], now);
        Ok(Answer::LiquidityControls(Box::new(controls)))
    }

    fn controls_from(
        &self,
        participant: Bic,
        request: &LiquidityControlsRequest,
        scale: Currency,
        requested_by: Option<Bic>,
        now: Timestamp,
    ) -> Result<LiquidityControls, Rejection> {
        let amount = |what: &str, text: &str| parse_bound(what, text, scale);
        let optional = |what: &str, text: &Option<String>| {
            text.as_deref().map(|t| amount(what, t)).transpose()
        };
        let mut controls = LiquidityControls {
            urgent_reserve: optional("urgent_reserve", &request.urgent_reserve)?.unwrap_or(0),
            high_reserve: optional("high_reserve", &request.high_reserve)?.unwrap_or(0),
            multilateral_limit: optional("multilateral_limit", &request.multilateral_limit)?,
            set_by: requested_by.map_or_else(
                || "operator".to_string(),
                |bank| format!("participant:{bank}"),
            ),
            set_at: Some(now),
            ..LiquidityControls::default()
        };
        for limit in &request.bilateral_limits {
            let counterparty = limit.counterparty;
            if counterparty == participant {
                return Err(Rejection::format(format!(
                    "{participant} cannot set a bilateral limit toward itself"
                )));
            }
            if self.registry.participant(counterparty).is_none() {
                return Err(Rejection::not_found(format!(
                    "bilateral limit toward {counterparty}, which is no participant"
                )));
            }
            let value = amount(
                &format!("bilateral limit toward {counterparty}"),
                &limit.limit,
            )?;
            if controls
                .bilateral_limits
                .insert(counterparty, value)
                .is_some()
            {
                return Err(Rejection::format(format!(
                    "two bilateral limits toward {counterparty}"
                )));
            }
        }
        Ok(controls)
    }

    /// Whether `flows` may settle together under their accounts' reservations and limits:
    /// each paying account keeps, after the group, what its least urgent payment in the group
    /// may not use; no position rises above its limit.
    pub(super) fn controls_allow(&self, flows: &[Flow]) -> Result<(), AccountId> {
        if self.controls.is_empty() {
            return Ok(());
        }
        let mut payers: Vec<AccountId> = flows.iter().map(|f| f.payer).collect();
        payers.sort_unstable();
        payers.dedup();
        for payer in payers {
            let Some(least) = flows
                .iter()
                .filter(|f| f.payer == payer)
                .map(|f| f.priority)
                .min()
            else {
                continue;
            };
            let reserved = self.controls.reserved_from(payer, least);
            if reserved == 0 {
                continue;
            }
            let net: i128 = flows
                .iter()
                .map(|f| match (f.payer == payer, f.payee == payer) {
                    (true, false) => -signed(f.amount),
                    (false, true) => signed(f.amount),
                    _ => 0,
                })
                .sum();
            if signed(self.books.available(payer)) + net < signed(reserved) {
                return Err(payer);
            }
        }
        self.controls.breach(flows).map_or(Ok(()), Err)
    }

    /// Settled `flows` move the positions of the accounts that keep them.
    pub(super) fn record_flows(&mut self, flows: &[Flow]) {
        if self.controls.is_empty() {
            return;
        }
        for f in flows {
            self.controls.record(f);
        }
    }

    /// `participant`'s limits and reservations in `currency`, with its positions, if it has any.
    pub fn liquidity_controls(
        &self,
        participant: Bic,
        currency: CurrencyCode,
    ) -> Option<(LiquidityControls, crate::Positions)> {
        let account = self.registry.settlement_account(participant, currency)?;
        let controls = self.controls.get(account)?.clone();
        let positions = self
            .controls
            .positions(account)
            .cloned()
            .unwrap_or_default();
        Some((controls, positions))
    }

    /// Every account of `currency` (of every currency, when `None`) starts a new business
    /// day: its positions start from zero.
    pub(super) fn reset_positions(&mut self, only: Option<CurrencyCode>) {
        for account in self.registry.account_map().values() {
            if only.is_none_or(|c| c == account.currency) {
                self.controls.new_day(account.id);
            }
        }
    }
}
