//! The compliance endpoints: held payments and officers' decisions on them, the banks'
//! false-positive memory, the audit chain, and the operator's compliance settings. A bank's
//! officer sees and decides only its own bank's holds; the operator's officers all of them.

use std::fmt;
use std::str::FromStr;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use corridor_core::Bic;
use corridor_settlement::{
    AuditHash, AuditHead, AuditRecord, ComplianceConfig, FalsePositive, Hold, HoldDecision,
    HoldState, HubCommand, ListVersionRef, Rejection, ScreeningPolicy, verify_audit_page,
};
use corridor_watchlist::ListFormat;
use serde::{Deserialize, Serialize};

use crate::admission::OperatorOnly;
use crate::auth::Caller;
use crate::endpoint::{ApiJson, ApiQuery, Refusals, St, answer_json};
use crate::error::{ApiError, AppResult, ErrorBody};
use crate::page::{ListQuery, Page};
use crate::screening::version_ref;
use crate::submit::submit;
use crate::views::{self, PaymentView};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HoldView {
    pub hold: Hold,
    /// The payment as it waits, with its parties.
    pub payment: PaymentView,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct HoldQuery {
    /// Only holds in this state; all when absent.
    pub state: Option<HoldState>,
    /// Holds of payments numbered above this: the previous page's `next-cursor`.
    pub after: Option<u64>,
    /// At most this many (100 by default, 1,000 at most).
    pub limit: Option<usize>,
}

fn in_scope(scope: Option<Bic>, bank: Bic) -> bool {
    scope.is_none_or(|own| own == bank)
}

#[utoipa::path(get, path = "/v1/compliance/holds", tag = "compliance", params(HoldQuery), responses((status = 200, body = [HoldView]), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn list_holds(
    State(state): St,
    caller: Caller,
    Query(q): Query<HoldQuery>,
) -> AppResult<Response> {
    let scope = caller.compliance_scope()?;
    let page = Page::new(q.after, q.limit);
    let holds = state
        .engine
        .query_async(move |hub| {
            page.of(
                hub.compliance().holds(),
                |h| h.payment,
                |h| {
                    let wanted = in_scope(scope, h.sender) && q.state.is_none_or(|s| s == h.state);
                    wanted.then(|| hold_view(hub, h)).flatten()
                },
            )
        })
        .await?;
    Ok(holds.into_response())
}

fn hold_view(hub: &corridor_settlement::Hub, hold: &Hold) -> Option<HoldView> {
    let payment = hub.payment(hold.payment)?;
    Some(HoldView {
        hold: hold.clone(),
        payment: views::payment(hub, payment),
    })
}

#[utoipa::path(get, path = "/v1/compliance/holds/{payment}", tag = "compliance", params(("payment" = u64, Path, description = "The held payment's number")), responses((status = 200, body = HoldView), (status = 404, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn get_hold(
    State(state): St,
    caller: Caller,
    Path(payment): Path<u64>,
) -> AppResult<Response> {
    let scope = caller.compliance_scope()?;
    let view = state
        .engine
        .query_async(move |hub| {
            hub.compliance()
                .hold(payment)
                .filter(|h| in_scope(scope, h.sender))
                .and_then(|h| hold_view(hub, h))
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no hold of payment {payment} you may see")))?;
    Ok(ApiJson(view).into_response())
}

#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    Release,
    Reject,
    /// Recommend a release to the officers who decide (a bank's officers, when the scheme
    /// has the operator's officers decide sanctions holds).
    RecommendRelease,
    /// Recommend a rejection to the officers who decide.
    RecommendReject,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    pub decision: DecisionKind,
    /// Why, in the officer's words; it goes into the hold and the audit log, never to the
    /// banks (their pacs.002 says RR04 only).
    pub reason: String,
    /// On a release: remember each hit's (party, list entry) pair as a false positive of
    /// this bank, so it is not raised again while the entry is unchanged.
    #[serde(default)]
    pub false_positive: bool,
}

#[utoipa::path(post, path = "/v1/compliance/holds/{payment}/decision", tag = "compliance", params(("payment" = u64, Path, description = "The held payment's number")), request_body = DecisionRequest, responses((status = 200, description = "The hold after the decision: released or rejected, or still open while a four-eyes release waits for its second officer", body = Hold), (status = 404, body = ErrorBody), (status = 409, description = "Already decided (NOCN)", body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn decide(
    State(state): St,
    caller: Caller,
    Path(payment): Path<u64>,
    ApiJson(req): ApiJson<DecisionRequest>,
) -> AppResult<Response> {
    let officer = caller.officer()?.clone();
    let decision = match (req.decision, req.false_positive) {
        (DecisionKind::Release, false_positive) => HoldDecision::Release { false_positive },
        (DecisionKind::Reject, false) => HoldDecision::Reject,
        (DecisionKind::RecommendRelease, false) => HoldDecision::Recommend { release: true },
        (DecisionKind::RecommendReject, false) => HoldDecision::Recommend { release: false },
        (_, true) => {
            return Err(ApiError::from(Rejection::format(
                "false_positive goes with a release, not a rejection",
            )));
        }
    };
    let answer = submit(
        &state,
        HubCommand::DecideHold {
            officer,
            payment,
            decision,
            reason: req.reason,
        },
    )
    .await?;
    Ok(ApiJson(answer_json(answer)?).into_response())
}

/// The false positives the caller may see, in the memory's order (bank, party, list,
/// entry), a page at a time.
#[utoipa::path(get, path = "/v1/compliance/false-positives", tag = "compliance", params(ListQuery), responses((status = 200, body = [FalsePositive]), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn false_positives(
    State(state): St,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> AppResult<Response> {
    let scope = caller.compliance_scope()?;
    let page = q.page::<FalsePositiveKey>()?;
    let list = state
        .engine
        .query_async(move |hub| {
            page.of(
                hub.compliance().false_positives(),
                FalsePositiveKey::of,
                |fp| in_scope(scope, fp.bank).then(|| fp.clone()),
            )
        })
        .await?;
    Ok(list.into_response())
}

/// A false positive's key in the memory, as a page cursor: the bank's BIC and the party,
/// list and entry in hex (a party's name may hold any character; a header may not).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct FalsePositiveKey(Bic, String, String, String);

impl FalsePositiveKey {
    fn of(fp: &&FalsePositive) -> FalsePositiveKey {
        FalsePositiveKey(
            fp.bank,
            fp.party_key.clone(),
            fp.list.clone(),
            fp.entry_id.clone(),
        )
    }
}

impl fmt::Display for FalsePositiveKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let FalsePositiveKey(bank, party, list, entry) = self;
        let (party, list, entry) = (hex::encode(party), hex::encode(list), hex::encode(entry));
        write!(f, "{bank}.{party}.{list}.{entry}")
    }
}

impl FromStr for FalsePositiveKey {
    type Err = String;

    fn from_str(text: &str) -> Result<FalsePositiveKey, String> {
        let unreadable = || format!("{text} is not a false-positive cursor");
        let parts: Vec<&str> = text.split('.').collect();
        let [bank, party, list, entry] = parts[..] else {
            return Err(unreadable());
        };
        let utf8 = |hex_text: &str| {
            hex::decode(hex_text)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(unreadable)
        };
        Ok(FalsePositiveKey(
            bank.parse().map_err(|_| unreadable())?,
            utf8(party)?,
            utf8(list)?,
            utf8(entry)?,
        ))
    }
}

/// Largest audit page one request returns.
const MAX_AUDIT_PAGE: usize = 10_000;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Records after this number (the cursor: the last record of the previous page); 0,
    /// the default, starts at the first record.
    #[serde(default)]
    pub after: u64,
    /// The hash of record `after`, as verified before: the page must link to it. Without
    /// it, the page is checked against the link its first record names.
    pub after_hash: Option<AuditHash>,
    /// At most this many records (default and maximum 10,000).
    pub limit: Option<usize>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditView {
    /// Whether every record of the page links to the one before it (the first to
    /// `after_hash`, or to the genesis from the start) and its hash matches its content.
    pub verified: bool,
    /// Where the page breaks, when it does.
    pub broken_at: Option<String>,
    /// The chain's head now: publish it, and any later change to the chain shows.
    pub head: AuditHead,
    /// The cursor of the next page (`after=`), absent once the page reaches the head.
    pub next_after: Option<u64>,
    pub records: Vec<AuditRecord>,
}

#[utoipa::path(get, path = "/v1/compliance/audit", tag = "compliance", params(AuditQuery), responses((status = 200, body = AuditView), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn audit(
    State(state): St,
    caller: Caller,
    Query(q): Query<AuditQuery>,
) -> AppResult<Response> {
    if caller.compliance_scope()?.is_some() {
        return Err(ApiError::forbidden(
            "the audit log covers every bank: the operator, its auditors and its officers read it",
        ));
    }
    let limit = q.limit.unwrap_or(MAX_AUDIT_PAGE).clamp(1, MAX_AUDIT_PAGE);
    let after = q.after;
    // The engine thread only copies the page; hashing it happens here, off that thread.
    let (records, head) = state
        .engine
        .query_async(move |hub| {
            let audit = hub.audit();
            (audit.page(after.saturating_add(1), limit), audit.head())
        })
        .await?;
    let view = tokio::task::spawn_blocking(move || audit_view(after, q.after_hash, records, head))
        .await
        .map_err(|e| ApiError::unwritable("the audit page", e))?;
    Ok(ApiJson(view).into_response())
}

fn audit_view(
    after: u64,
    after_hash: Option<AuditHash>,
    records: Vec<AuditRecord>,
    head: AuditHead,
) -> AuditView {
    let link = match (after, after_hash) {
        (0, _) => AuditHash::GENESIS,
        (_, Some(hash)) => hash,
        (_, None) => records.first().map_or(head.hash, |r| r.prev),
    };
    let check = verify_audit_page(
        AuditHead {
            seq: after,
            hash: link,
        },
        &records,
    );
    let last = records.last().map_or(after, |r| r.seq);
    AuditView {
        verified: check.is_ok(),
        broken_at: check.err().map(|e| e.to_string()),
        head,
        next_after: (last < head.seq).then_some(last),
        records,
    }
}

#[utoipa::path(get, path = "/v1/compliance/config", tag = "compliance", responses((status = 200, body = ComplianceConfig), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn get_config(State(state): St, caller: Caller) -> AppResult<Response> {
    caller.compliance_scope()?;
    let config = state
        .engine
        .query_async(|hub| hub.compliance().config().clone())
        .await?;
    Ok(ApiJson(config).into_response())
}

#[utoipa::path(put, path = "/v1/compliance/config", tag = "compliance", request_body = ComplianceConfig, responses((status = 200, body = ComplianceConfig), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn set_config(
    State(state): St,
    caller: Caller,
    ApiJson(config): ApiJson<ComplianceConfig>,
) -> AppResult<Response> {
    caller.require_operator()?;
    if config.hit_threshold == 0 || config.hit_threshold > 1000 {
        return Err(ApiError::from(Rejection::format(
            "hit_threshold is per mille: 1 to 1000",
        )));
    }
    submit(&state, HubCommand::ConfigureCompliance(config.clone())).await?;
    if config.screening == ScreeningPolicy::Disabled {
        tracing::warn!(
            "the operator disabled screening: while no watchlist is on record, payments settle unscreened"
        );
    }
    state
        .hit_threshold
        .store(config.hit_threshold, std::sync::atomic::Ordering::Relaxed);
    Ok(ApiJson(config).into_response())
}

/// A watchlist file is at most this large (OFAC's full SDN XML is well under it).
pub const LIST_BODY_LIMIT: usize = 256 * 1024 * 1024;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ListsView {
    /// What this node screens against.
    pub loaded: Vec<LoadedListView>,
    /// What the hub has on record: every payment must be screened against these.
    pub recorded: Vec<ListVersionRef>,
    /// Whether the cross-script name dictionary is loaded.
    pub name_dictionary: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LoadedListView {
    pub list: String,
    pub date: String,
    pub sha256: String,
    pub entries: usize,
    /// How many values of entries could not be read (a date of birth, a country ...) and
    /// were left out, each entry kept without them.
    pub skipped_values: usize,
    /// The first of them, in the order of the file (at most
    /// `corridor_watchlist::MAX_SKIPPED_DETAILS`; `skipped_values` counts them all).
    pub skipped: Vec<SkippedValueView>,
}

/// One value left out of an entry that was kept.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SkippedValueView {
    /// The entry's id in its list: the UN's reference number, OFAC's uid, the operator's id.
    pub entry: String,
    /// Where the value stands, named as the list names it (`INDIVIDUAL_DATE_OF_BIRTH/DATE`).
    pub field: String,
    /// The value as the list writes it.
    pub value: String,
    /// Why it could not be read.
    pub reason: String,
}

fn loaded_view(v: &corridor_watchlist::ListVersion) -> LoadedListView {
    LoadedListView {
        list: v.list.clone(),
        date: v.date.clone(),
        sha256: v.sha256.clone(),
        entries: v.entries,
        skipped_values: v.skipped_values,
        skipped: v
            .skipped
            .iter()
            .map(|s| SkippedValueView {
                entry: s.entry.clone(),
                field: s.field.clone(),
                value: s.value.clone(),
                reason: s.reason.clone(),
            })
            .collect(),
    }
}

/// Not paged: one version per sanctions list the operator loads (UN, OFAC, a few national
/// lists), a handful of entries whatever the traffic.
#[utoipa::path(get, path = "/v1/lists", tag = "compliance", responses((status = 200, body = ListsView), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn list_versions(State(state): St, caller: Caller) -> AppResult<Response> {
    caller.compliance_scope()?;
    let recorded = state
        .engine
        .query_async(|hub| hub.compliance().lists().cloned().collect::<Vec<_>>())
        .await?;
    Ok(ApiJson(ListsView {
        loaded: state.screening.versions().iter().map(loaded_view).collect(),
        recorded,
        name_dictionary: state.screening.has_dictionary(),
    })
    .into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LoadQuery {
    /// `un`, `ofac`, `csv` or `json`.
    pub format: String,
    /// The list's own date (YYYY-MM-DD), needed for `csv` and `json`; the UN and OFAC files
    /// carry theirs.
    pub date: Option<String>,
}

#[utoipa::path(put, path = "/v1/lists/{name}", tag = "compliance", params(("name" = String, Path, description = "The list's name: un, ofac or the operator's own"), LoadQuery), request_body(content = String, description = "The list file, as published", content_type = "application/octet-stream"), responses((status = 200, body = LoadedListView), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn load_list(
    State(state): St,
    _operator: OperatorOnly,
    Path(name): Path<String>,
    Query(q): Query<LoadQuery>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let format: ListFormat = q
        .format
        .parse()
        .map_err(|e: corridor_watchlist::LoadError| ApiError::bad_request(e.to_string()))?;
    // A standby must not store a list its hub cannot record.
    if let Some(refusal) = state.standby_refusal() {
        return Err(refusal);
    }
    let worker = state.clone();
    let version = tokio::task::spawn_blocking(move || {
        worker
            .screening
            .load(format, &name, &body, q.date.as_deref())
    })
    .await
    .map_err(|e| ApiError::bad_request(format!("the list could not be read: {e}")))?
    .map_err(|e| ApiError::bad_request(e.to_string()))?;
    submit(
        &state,
        HubCommand::RecordWatchlist {
            version: version_ref(&version),
            entries: version.entries as u64,
        },
    )
    .await?;
    Ok(ApiJson(loaded_view(&version)).into_response())
}

/// An AML case with its alerts written out, as an officer works it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CaseView {
    #[schema(value_type = Object)]
    pub case: corridor_aml::Case,
    #[schema(value_type = Vec<Object>)]
    pub alerts: Vec<corridor_aml::Alert>,
}

fn case_view(book: &corridor_aml::CaseBook, case: &corridor_aml::Case) -> CaseView {
    CaseView {
        case: case.clone(),
        alerts: case
            .alerts
            .iter()
            .filter_map(|id| book.alert(*id).cloned())
            .collect(),
    }
}

/// AML cases span every bank's flows: the operator, its auditors and its officers see them.
fn require_scheme_wide(caller: &Caller) -> AppResult<()> {
    if caller.compliance_scope()?.is_some() {
        return Err(ApiError::forbidden(
            "AML cases span every bank: the operator, its auditors and its officers see them",
        ));
    }
    Ok(())
}

#[utoipa::path(get, path = "/v1/compliance/cases", tag = "compliance", params(CaseQuery), responses((status = 200, body = [CaseView]), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn list_cases(
    State(state): St,
    caller: Caller,
    Query(q): Query<CaseQuery>,
) -> AppResult<Response> {
    require_scheme_wide(&caller)?;
    let page = Page::new(q.after, q.limit);
    let cases = state
        .engine
        .query_async(move |hub| {
            let book = hub.monitoring().cases();
            page.of(book.cases(), |c| c.id.0, |c| Some(case_view(book, c)))
        })
        .await?;
    Ok(cases.into_response())
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CaseQuery {
    /// Cases numbered above this: the previous page's `next-cursor`.
    pub after: Option<u64>,
    /// At most this many (100 by default, 1,000 at most).
    pub limit: Option<usize>,
}

#[utoipa::path(get, path = "/v1/compliance/cases/{case}", tag = "compliance", params(("case" = u64, Path, description = "The case's number")), responses((status = 200, body = CaseView), (status = 404, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn get_case(
    State(state): St,
    caller: Caller,
    Path(case): Path<u64>,
) -> AppResult<Response> {
    require_scheme_wide(&caller)?;
    let view = state
        .engine
        .query_async(move |hub| {
            let book = hub.monitoring().cases();
            book.case(corridor_aml::CaseId(case))
                .map(|c| case_view(book, c))
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no case {case}")))?;
    Ok(ApiJson(view).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseActionRequest {
    /// `"review"` takes the case; `{"close": {"reason": "false_positive" |
    /// "no_further_action" | {"reported": {"reference": "..."}}, "note": "..."}}` closes it.
    #[schema(value_type = Object)]
    pub action: corridor_settlement::CaseAction,
}

#[utoipa::path(post, path = "/v1/compliance/cases/{case}/action", tag = "compliance", params(("case" = u64, Path, description = "The case's number")), request_body = CaseActionRequest, responses((status = 200, body = CaseView), (status = 404, body = ErrorBody), (status = 409, description = "Closed, or not under review yet (NOCN)", body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn work_case(
    State(state): St,
    caller: Caller,
    Path(case): Path<u64>,
    ApiJson(req): ApiJson<CaseActionRequest>,
) -> AppResult<Response> {
    let officer = caller.officer()?.clone();
    submit(
        &state,
        HubCommand::WorkCase {
            officer,
            case,
            action: req.action,
        },
    )
    .await?;
    get_case(State(state), caller, Path(case)).await
}

#[utoipa::path(get, path = "/v1/compliance/monitoring", tag = "compliance", responses((status = 200, description = "The AML rules per currency; null until the operator sets them", body = Object), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn get_monitoring(State(state): St, caller: Caller) -> AppResult<Response> {
    caller.compliance_scope()?;
    let config = state
        .engine
        .query_async(|hub| hub.monitoring().config().cloned())
        .await?;
    Ok(ApiJson(config).into_response())
}

#[utoipa::path(put, path = "/v1/compliance/monitoring", tag = "compliance", request_body(content = Object, description = "The AML rules: {\"schemes\": {\"RUB\": {...}}}, amounts in the currency's minor units"), responses((status = 200, body = Object), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn set_monitoring(
    State(state): St,
    caller: Caller,
    ApiJson(config): ApiJson<corridor_aml::AmlConfig>,
) -> AppResult<Response> {
    caller.require_operator()?;
    submit(&state, HubCommand::ConfigureMonitoring(config.clone())).await?;
    Ok(ApiJson(config).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_false_positive_cursor_reads_back_as_the_key_it_was_written_from() {
        let key = FalsePositiveKey(
            "VOLGRUMM".parse().unwrap(),
            "boris sanktsionov. \u{0431}\u{043e}\u{0440}\u{0438}\u{0441}".into(),
            "un".into(),
            "QDi.001\n".into(),
        );
        let cursor = key.to_string();
        assert!(
            cursor
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.')
        );
        assert_eq!(cursor.parse::<FalsePositiveKey>(), Ok(key));
        assert!("VOLGRUMM.zz.00.00".parse::<FalsePositiveKey>().is_err());
        assert!("VOLGRUMM.00".parse::<FalsePositiveKey>().is_err());
    }
}
