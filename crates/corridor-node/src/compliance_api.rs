//! The compliance endpoints: held payments and officers' decisions on them, the banks'
//! false-positive memory, the audit chain, and the operator's compliance settings. A bank's
//! officer sees and decides only its own bank's holds; the operator's officers all of them.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use corridor_core::Bic;
use corridor_settlement::{
    AuditRecord, ComplianceConfig, FalsePositive, Hold, HoldDecision, HoldState, HubCommand,
    ListVersionRef, Rejection, verify_audit_chain,
};
use corridor_watchlist::ListFormat;
use serde::{Deserialize, Serialize};

use crate::admission::OperatorOnly;
use crate::auth::Caller;
use crate::endpoint::{ApiJson, Refusals, St, answer_json};
use crate::error::{ApiError, AppResult};
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
    let holds = state
        .engine
        .query_async(move |hub| {
            hub.compliance()
                .holds()
                .filter(|h| in_scope(scope, h.sender))
                .filter(|h| q.state.is_none_or(|s| s == h.state))
                .filter_map(|h| hold_view(hub, h))
                .collect::<Vec<_>>()
        })
        .await?;
    Ok(ApiJson(holds).into_response())
}

fn hold_view(hub: &corridor_settlement::Hub, hold: &Hold) -> Option<HoldView> {
    let payment = hub.payment(hold.payment)?;
    Some(HoldView {
        hold: hold.clone(),
        payment: views::payment(hub, payment),
    })
}

#[utoipa::path(get, path = "/v1/compliance/holds/{payment}", tag = "compliance", params(("payment" = u64, Path, description = "The held payment's number")), responses((status = 200, body = HoldView), (status = 404, body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
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
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    pub decision: DecisionKind,
    /// Why, in the officer's words; it goes into the audit log (and, for a rejection, into
    /// the pacs.002's reason).
    pub reason: String,
    /// On a release: remember each hit's (party, list entry) pair as a false positive of
    /// this bank, so it is not raised again while the entry is unchanged.
    #[serde(default)]
    pub false_positive: bool,
}

#[utoipa::path(post, path = "/v1/compliance/holds/{payment}/decision", tag = "compliance", params(("payment" = u64, Path, description = "The held payment's number")), request_body = DecisionRequest, responses((status = 200, description = "The hold after the decision: released or rejected, or still open while a four-eyes release waits for its second officer", body = Hold), (status = 404, body = Rejection), (status = 409, description = "Already decided (NOCN)", body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
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
        (DecisionKind::Reject, true) => {
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

#[utoipa::path(get, path = "/v1/compliance/false-positives", tag = "compliance", responses((status = 200, body = [FalsePositive]), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn false_positives(State(state): St, caller: Caller) -> AppResult<Response> {
    let scope = caller.compliance_scope()?;
    let list = state
        .engine
        .query_async(move |hub| {
            hub.compliance()
                .false_positives()
                .filter(|fp| in_scope(scope, fp.bank))
                .cloned()
                .collect::<Vec<_>>()
        })
        .await?;
    Ok(ApiJson(list).into_response())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditView {
    /// Whether every record links to the one before it and its hash matches its content.
    pub verified: bool,
    /// Where the chain breaks, when it does.
    pub broken_at: Option<String>,
    /// The hash of the last record: publish it, and any later change to the log shows.
    pub head: Option<String>,
    pub records: Vec<AuditRecord>,
}

#[utoipa::path(get, path = "/v1/compliance/audit", tag = "compliance", responses((status = 200, body = AuditView), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn audit(State(state): St, caller: Caller) -> AppResult<Response> {
    if caller.compliance_scope()?.is_some() {
        return Err(ApiError::forbidden(
            "the audit log covers every bank: the operator, its auditors and its officers read it",
        ));
    }
    let records = state
        .engine
        .query_async(|hub| hub.compliance().audit().to_vec())
        .await?;
    let check = verify_audit_chain(&records);
    Ok(ApiJson(AuditView {
        verified: check.is_ok(),
        broken_at: check.err().map(|e| e.to_string()),
        head: records.last().map(|r| r.hash.clone()),
        records,
    })
    .into_response())
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
}

fn loaded_view(v: &corridor_watchlist::ListVersion) -> LoadedListView {
    LoadedListView {
        list: v.list.clone(),
        date: v.date.clone(),
        sha256: v.sha256.clone(),
        entries: v.entries,
    }
}

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

#[utoipa::path(get, path = "/v1/compliance/cases", tag = "compliance", responses((status = 200, body = [CaseView]), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn list_cases(State(state): St, caller: Caller) -> AppResult<Response> {
    require_scheme_wide(&caller)?;
    let cases = state
        .engine
        .query_async(|hub| {
            let book = hub.monitoring().cases();
            book.cases().map(|c| case_view(book, c)).collect::<Vec<_>>()
        })
        .await?;
    Ok(ApiJson(cases).into_response())
}

#[utoipa::path(get, path = "/v1/compliance/cases/{case}", tag = "compliance", params(("case" = u64, Path, description = "The case's number")), responses((status = 200, body = CaseView), (status = 404, body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
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

#[utoipa::path(post, path = "/v1/compliance/cases/{case}/action", tag = "compliance", params(("case" = u64, Path, description = "The case's number")), request_body = CaseActionRequest, responses((status = 200, body = CaseView), (status = 404, body = Rejection), (status = 409, description = "Closed, or not under review yet (NOCN)", body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
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
