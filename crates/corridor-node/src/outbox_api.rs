//! A participant's outbox over HTTP: a page by cursor (with an optional long poll), the
//! acknowledgement that lets the hub drop what was read, and server-sent events; each as
//! flat JSON or as ISO 20022 messages.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use corridor_core::Bic;
use corridor_settlement::{HubCommand, OutboxMessage};
use futures_util::Stream;
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::endpoint::{ApiJson, ApiQuery, Refusals, St, json_text, render_off_engine};
use crate::error::AppResult;
use crate::iso_api::{MessageFormat, outbox_message_xml, outbox_xml, xml_response};
use crate::iso_outbound::Outbound;
use crate::outbound_facts::OutboundFacts;
use crate::state::AppState;
use crate::submit::submit;
use crate::views;

/// How many messages the event stream reads and writes at a time.
const STREAM_BATCH: usize = 100;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OutboxQuery {
    /// Messages after this number; default: after the acknowledged cursor.
    pub after: Option<u64>,
    pub limit: Option<usize>,
    /// Long poll: wait up to this many seconds (max 60) for a message.
    pub wait: Option<u64>,
    /// `xml` for ISO 20022 messages (pacs.002, pacs.008, pacs.009, pacs.004, camt.054,
    /// camt.056, camt.029, camt.053); `Accept: application/xml` asks the same.
    #[param(inline)]
    pub format: Option<MessageFormat>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OutboxPage {
    pub messages: Vec<views::OutboxView>,
    pub last_seq: u64,
    pub acknowledged: u64,
}

/// The outbox page as flat JSON views, copied in one engine query and written off the
/// engine thread.
async fn read_outbox(
    state: &AppState,
    bic: Bic,
    after: Option<u64>,
    limit: usize,
) -> AppResult<OutboxPage> {
    let copy = copy_outbox(state, bic, after, limit, MessageFormat::Json).await?;
    render_off_engine("the outbox", move || OutboxPage {
        messages: copy
            .messages
            .iter()
            .map(|m| views::outbox_message(&copy.facts, m))
            .collect(),
        last_seq: copy.last_seq,
        acknowledged: copy.acknowledged,
    })
    .await
}

#[utoipa::path(get, path = "/v1/outbox", tag = "outbox", params(OutboxQuery), responses((status = 200, body = OutboxPage), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn outbox(
    State(state): St,
    caller: Caller,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<OutboxQuery>,
) -> AppResult<Response> {
    let bic = caller.participant()?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1_000);
    let format = MessageFormat::choose(q.format, &headers);
    let wait_seconds = q.wait.unwrap_or(0).min(60);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(wait_seconds);
    let mut waiter = match wait_seconds {
        0 => None,
        _ => Some(state.wait_for_outbox(bic)?),
    };
    loop {
        let page = read_outbox(&state, bic, q.after, limit).await?;
        let Some(waiter) = waiter.as_mut().filter(|_| page.messages.is_empty()) else {
            return outbox_page(&state, bic, &q, limit, format, page).await;
        };
        let woken = tokio::time::timeout_at(deadline, waiter.changed()).await;
        if !matches!(woken, Ok(true)) {
            let page = read_outbox(&state, bic, q.after, limit).await?;
            return outbox_page(&state, bic, &q, limit, format, page).await;
        }
    }
}

/// The outbox page as read, or as ISO 20022.
async fn outbox_page(
    state: &AppState,
    bic: Bic,
    q: &OutboxQuery,
    limit: usize,
    format: MessageFormat,
    page: OutboxPage,
) -> AppResult<Response> {
    match format {
        MessageFormat::Json => Ok(ApiJson(page).into_response()),
        MessageFormat::Xml => outbox_xml_page(state, bic, q.after, limit).await,
    }
}

/// The outbox page as ISO 20022, copied in one query so the numbers match the messages,
/// and written off the engine thread.
async fn outbox_xml_page(
    state: &AppState,
    bic: Bic,
    after: Option<u64>,
    limit: usize,
) -> AppResult<Response> {
    let hub_bic = state.hub_bic;
    let copy = copy_outbox(state, bic, after, limit, MessageFormat::Xml).await?;
    let xml = render_off_engine("the outbox", move || {
        outbox_xml(
            &copy.facts,
            hub_bic,
            bic,
            &copy.messages,
            copy.last_seq,
            copy.acknowledged,
        )
    })
    .await?;
    Ok(xml_response(xml))
}

/// An outbox page with owned copies of the records its ISO 20022 messages are written from.
#[derive(Debug, Default)]
struct OutboxCopy {
    messages: Vec<OutboxMessage>,
    facts: OutboundFacts,
    last_seq: u64,
    acknowledged: u64,
}

/// Copies the page, and what its messages in `format` are written from, inside the engine
/// query; nothing is written there.
async fn copy_outbox(
    state: &AppState,
    bic: Bic,
    after: Option<u64>,
    limit: usize,
    format: MessageFormat,
) -> AppResult<OutboxCopy> {
    Ok(state
        .engine
        .query_async(move |hub| {
            let Some(outbox) = hub.outbox(bic) else {
                return OutboxCopy::default();
            };
            let messages = outbox.read(after, limit);
            OutboxCopy {
                facts: match format {
                    MessageFormat::Json => OutboundFacts::gather_for_views(hub, &messages),
                    MessageFormat::Xml => OutboundFacts::gather(hub, &messages),
                },
                messages,
                last_seq: outbox.last_seq(),
                acknowledged: outbox.acknowledged(),
            }
        })
        .await?)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AckRequest {
    pub up_to: u64,
}

#[utoipa::path(post, path = "/v1/outbox/ack", tag = "outbox", request_body = AckRequest, responses((status = 200, body = OutboxPage), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn acknowledge(
    State(state): St,
    caller: Caller,
    ApiJson(req): ApiJson<AckRequest>,
) -> AppResult<Response> {
    let participant = caller.participant()?;
    submit(
        &state,
        HubCommand::AcknowledgeOutbox {
            participant,
            up_to: req.up_to,
        },
    )
    .await?;
    let page = read_outbox(&state, participant, None, 0).await?;
    Ok(ApiJson(page).into_response())
}

/// Server-sent events: every outbox message after `after` (default: the acknowledged
/// cursor), as it arrives. The event id is the message number, so a client reconnects with
/// `after=<last id>` and misses nothing. The first messages are written before the stream
/// opens, so a message that cannot be written is a 500; later, it ends the stream with an
/// `error` event carrying the error body.
#[utoipa::path(get, path = "/v1/outbox/stream", tag = "outbox", params(OutboxQuery), responses((status = 200, description = "text/event-stream: one event per outbox message, id = its number", content_type = "text/event-stream", body = String), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn outbox_stream(
    State(state): St,
    caller: Caller,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<OutboxQuery>,
) -> AppResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let bic = caller.participant()?;
    let format = MessageFormat::choose(q.format, &headers);
    let waiter = state.wait_for_outbox(bic)?;
    let first = read_outbox(&state, bic, q.after, 0).await?;
    let cursor = q.after.unwrap_or(first.acknowledged);
    let pending = rendered_outbox(&state, bic, cursor, format)
        .await?
        .into_iter();
    let stream = futures_util::stream::unfold(
        Some((state, cursor, pending, waiter)),
        move |streaming| async move {
            let (state, mut cursor, mut pending, mut waiter) = streaming?;
            loop {
                if let Some((seq, data)) = pending.next() {
                    cursor = seq;
                    let event = Event::default().id(seq.to_string()).data(data);
                    return Some((Ok(event), Some((state, cursor, pending, waiter))));
                }
                match rendered_outbox(&state, bic, cursor, format).await {
                    Ok(page) if !page.is_empty() => pending = page.into_iter(),
                    Ok(_) => {
                        if !waiter.changed().await {
                            return None;
                        }
                    }
                    Err(e) => {
                        let event = Event::default().event("error").data(e.body_json());
                        return Some((Ok(event), None));
                    }
                }
            }
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// The next outbox messages after `after`, each numbered and written in `format`: the
/// flat JSON view, or a `Message` element of ISO 20022 AppHdr + Document pairs. Either is
/// written off the engine thread.
async fn rendered_outbox(
    state: &AppState,
    bic: Bic,
    after: u64,
    format: MessageFormat,
) -> AppResult<Vec<(u64, String)>> {
    if format == MessageFormat::Json {
        let page = read_outbox(state, bic, Some(after), STREAM_BATCH).await?;
        return render_off_engine("the outbox", move || {
            page.messages
                .iter()
                .map(|m| Ok((m.seq, json_text(m)?)))
                .collect()
        })
        .await?;
    }
    let hub_bic = state.hub_bic;
    let copy = copy_outbox(state, bic, Some(after), STREAM_BATCH, format).await?;
    render_off_engine("the outbox", move || {
        let outbound = Outbound::new(&copy.facts, hub_bic);
        copy.messages
            .iter()
            .map(|m| (m.seq, outbox_message_xml(&outbound, bic, m)))
            .collect()
    })
    .await
}
