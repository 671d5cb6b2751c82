//! ISO 20022 over HTTP, end to end: a pacs.008 in, the settled payment's pacs.002 and the
//! creditor agent's pacs.008 out, both valid against the official XSDs; envelopes,
//! refusals with paths and reason codes, cancellation (camt.056 -> camt.029), recall of a
//! settled payment (camt.056 forwarded, camt.029 answered, pacs.004 back), return
//! (pacs.004), statements (camt.053) and liquidity notifications (camt.054).

mod support;

#[path = "../../corridor-iso20022/tests/common/mod.rs"]
mod iso_common;

use iso_common::assert_valid;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::Digest;
use support::{TestNode, payment};

/// Today in UTC: the hub's business date.
fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

fn uetr() -> String {
    corridor_core::Uetr::generate().to_string()
}

/// A pacs.008 from `from` to `to` with its AppHdr, as a bank's core system writes one; an
/// AppHdr and its Document travel in an envelope (see [`envelope`]).
fn pacs008(
    from: &str,
    to: &str,
    id: &str,
    uetr: &str,
    amount: &str,
    creditor_account: &str,
) -> String {
    let date = today();
    format!(
        r#"<AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02">
  <Fr><FIId><FinInstnId><BICFI>{from}</BICFI></FinInstnId></FIId></Fr>
  <To><FIId><FinInstnId><BICFI>CRDRRUMMXXX</BICFI></FinInstnId></FIId></To>
  <BizMsgIdr>{id}</BizMsgIdr>
  <MsgDefIdr>pacs.008.001.08</MsgDefIdr>
  <CreDt>{date}T09:30:00Z</CreDt>
</AppHdr>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">
  <FIToFICstmrCdtTrf>
    <GrpHdr>
      <MsgId>{id}</MsgId>
      <CreDtTm>{date}T09:30:00Z</CreDtTm>
      <NbOfTxs>1</NbOfTxs>
      <SttlmInf><SttlmMtd>CLRG</SttlmMtd></SttlmInf>
    </GrpHdr>
    <CdtTrfTxInf>
      <PmtId><InstrId>{id}</InstrId><EndToEndId>E2E-{id}</EndToEndId><UETR>{uetr}</UETR></PmtId>
      <IntrBkSttlmAmt Ccy="RUB">{amount}</IntrBkSttlmAmt>
      <IntrBkSttlmDt>{date}</IntrBkSttlmDt>
      <ChrgBr>SHAR</ChrgBr>
      <InstgAgt><FinInstnId><BICFI>{from}</BICFI></FinInstnId></InstgAgt>
      <InstdAgt><FinInstnId><BICFI>{to}</BICFI></FinInstnId></InstdAgt>
      <Dbtr><Nm>ООО «Волга Энергия»</Nm><PstlAdr><TwnNm>Москва</TwnNm><Ctry>RU</Ctry></PstlAdr></Dbtr>
      <DbtrAcct><Id><Othr><Id>40702810000000000001</Id></Othr></Id></DbtrAcct>
      <DbtrAgt><FinInstnId><BICFI>{from}</BICFI></FinInstnId></DbtrAgt>
      <CdtrAgt><FinInstnId><BICFI>{to}</BICFI></FinInstnId></CdtrAgt>
      <Cdtr><Nm>Anna Smirnova</Nm><CtryOfRes>RU</CtryOfRes></Cdtr>
      <CdtrAcct><Id>{creditor_account}</Id></CdtrAcct>
      <Purp><Cd>GDDS</Cd></Purp>
      <RmtInf><Ustrd>Invoice 7</Ustrd></RmtInf>
    </CdtTrfTxInf>
  </FIToFICstmrCdtTrf>
</Document>
"#
    )
}

const OTHER_ACCOUNT: &str = "<Othr><Id>40817810000000000002</Id></Othr>";

fn envelope(messages: &[String]) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Envelope>\n{}</Envelope>\n",
        messages.concat()
    )
}

/// Sends `body` (XML) as `subject` and returns the status and the body as text.
async fn send(
    node: &TestNode,
    subject: Option<&str>,
    method: Method,
    path: &str,
    body: Option<String>,
) -> (StatusCode, String) {
    send_as(
        node,
        subject,
        method,
        path,
        body.map(|b| ("application/xml", b)),
    )
    .await
}

/// Sends `body` of its content type as `subject`: the status and the body as text.
async fn send_as(
    node: &TestNode,
    subject: Option<&str>,
    method: Method,
    path: &str,
    body: Option<(&str, String)>,
) -> (StatusCode, String) {
    let client = reqwest::Client::new();
    let mut request = client.request(method, format!("{}{path}", node.base));
    if let Some(subject) = subject {
        request = request.bearer_auth(node.token(subject).unwrap_or("not-a-token"));
    }
    if let Some((content_type, body)) = body {
        request = request.header("content-type", content_type).body(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

async fn submit_xml(node: &TestNode, bank: &str, xml: String) -> (StatusCode, Value) {
    let (status, text) = send(node, Some(bank), Method::POST, "/v1/iso20022", Some(xml)).await;

    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn outbox_xml(node: &TestNode, bank: &str) -> String {
    let (status, xml) = send(
        node,
        Some(bank),
        Method::GET,
        "/v1/outbox?format=xml&limit=1000",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{xml}");
    xml
}

/// Every element `root` (`Document` or `AppHdr`) in `xml`, each standing alone: the node
/// declares the namespace on each.
fn elements(xml: &str, root: &str) -> Vec<String> {
    let open = format!("<{root} xmlns=");
    let close = format!("</{root}>");
    xml.match_indices(&open)
        .map(|(start, _)| {
            let end = xml[start..].find(&close).expect("closed") + start + close.len();
            xml[start..end].to_owned()
        })
        .collect()
}

/// The documents of `message` (such as `pacs.002.001.10`) in `xml`, each checked against
/// its XSD, and every AppHdr checked against head.001.001.02.
fn valid_documents(xml: &str, message: &str) -> Vec<String> {
    for header in elements(xml, "AppHdr") {
        assert_valid(&header, "head.001.001.02.xsd");
    }
    let namespace = format!("urn:iso:std:iso:20022:tech:xsd:{message}\"");
    let documents: Vec<String> = elements(xml, "Document")
        .into_iter()
        .filter(|d| d.contains(&namespace))
        .collect();
    for document in &documents {
        assert_valid(document, &format!("{message}.xsd"));
    }
    documents
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pacs008_in_settles_and_comes_out_as_pacs002_and_pacs008() {
    let node = TestNode::start().await;
    let uetr = uetr();
    let xml = pacs008(
        "VOLGRUMM",
        "NEVARUMM",
        "ISO-E2E-1",
        &uetr,
        "1250.50",
        OTHER_ACCOUNT,
    );
    let (status, report) = submit_xml(&node, "VOLGRUMM", envelope(&[xml])).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["accepted"], 1, "{report}");
    let result = &report["messages"][0];
    assert_eq!(result["message_type"], "pacs.008.001.08");
    assert_eq!(result["transactions"][0]["status"], "settled", "{report}");
    assert_eq!(result["transactions"][0]["uetr"], uetr.as_str());

    let (_, payment) = node.get("VOLGRUMM", &format!("/v1/payments/{uetr}")).await;
    assert_eq!(payment["amount"], "1250.50", "{payment}");
    assert_eq!(
        payment["instruction"]["debtor"]["name"],
        "ООО «Волга Энергия»"
    );

    let sent = outbox_xml(&node, "VOLGRUMM").await;
    let reports = valid_documents(&sent, "pacs.002.001.10");
    let report = reports
        .iter()
        .find(|d| d.contains(&uetr))
        .expect("a pacs.002 for the payment");
    assert!(report.contains("<TxSts>ACSC</TxSts>"), "{report}");
    assert!(
        report.contains("<OrgnlInstrId>ISO-E2E-1</OrgnlInstrId>"),
        "{report}"
    );

    let received = outbox_xml(&node, "NEVARUMM").await;
    let transfers = valid_documents(&received, "pacs.008.001.08");
    let transfer = transfers
        .iter()
        .find(|d| d.contains(&uetr))
        .expect("the payment delivered as pacs.008");
    assert!(transfer.contains(r#"<IntrBkSttlmAmt Ccy="RUB">1250.50</IntrBkSttlmAmt>"#));
    assert!(
        transfer.contains("<Nm>ООО «Волга Энергия»</Nm>"),
        "{transfer}"
    );
    assert!(transfer.contains("<BICFI>VOLGRUMM</BICFI>"));
    node.stop().await;
}

fn fsyncs(metrics: &str) -> u64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix("corridor_journal_fsync_seconds_count "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// An envelope's payment messages reach the engine together: one journal write for all of
/// them, while each is still accepted or refused on its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_envelopes_payments_go_to_the_engine_together_each_decided_on_its_own() {
    let node = TestNode::start().await;
    let mut messages: Vec<String> = (0..20)
        .map(|n| {
            pacs008(
                "VOLGRUMM",
                "NEVARUMM",
                &format!("ISO-BATCH-{n}"),
                &uetr(),
                "1.00",
                OTHER_ACCOUNT,
            )
        })
        .collect();
    // One refused by the hub (an unknown receiver), one by the door (no InstdAgt).
    messages[7] = messages[7].replace(
        "<BICFI>NEVARUMM</BICFI></FinInstnId></InstdAgt>",
        "<BICFI>NOSUCHRU</BICFI></FinInstnId></InstdAgt>",
    );
    messages[12] = messages[12].replacen(
        "      <InstdAgt><FinInstnId><BICFI>NEVARUMM</BICFI></FinInstnId></InstdAgt>\n",
        "",
        1,
    );
    // What one payment message costs the journal, background syncs included.
    let before = fsyncs(&node.metrics().await);
    let one = pacs008(
        "VOLGRUMM",
        "NEVARUMM",
        "ISO-BATCH-ONE",
        &uetr(),
        "1.00",
        OTHER_ACCOUNT,
    );
    submit_xml(&node, "VOLGRUMM", envelope(&[one])).await;
    let one_message = fsyncs(&node.metrics().await) - before;

    let before = fsyncs(&node.metrics().await);
    let (status, report) = submit_xml(&node, "VOLGRUMM", envelope(&messages)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(
        (report["accepted"].as_u64(), report["refused"].as_u64()),
        (Some(18), Some(2)),
        "{report}"
    );
    let results = report["messages"].as_array().unwrap();
    for (n, result) in results.iter().enumerate() {
        assert_eq!(result["index"], n + 1);
        match n {
            7 => assert!(result["transactions"][0]["error"].is_object(), "{result}"),
            12 => assert!(result["problems"].to_string().contains("CH21"), "{result}"),
            _ => assert_eq!(result["transactions"][0]["status"], "settled", "{result}"),
        }
    }
    let writes = fsyncs(&node.metrics().await) - before;
    assert!(
        writes <= one_message + 2,
        "{writes} journal syncs for 20 messages, {one_message} for one"
    );
    node.stop().await;
}

/// The schema lets a pacs.008 name its instructing and instructed agents once, in the group
/// header, for every transaction; published generators write them there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_named_once_in_the_group_header_apply_to_the_transaction() {
    let node = TestNode::start().await;
    let uetr = uetr();
    let xml = pacs008(
        "VOLGRUMM",
        "NEVARUMM",
        "ISO-GH-1",
        &uetr,
        "12.00",
        OTHER_ACCOUNT,
    );
    let agents = "      <InstgAgt><FinInstnId><BICFI>VOLGRUMM</BICFI></FinInstnId></InstgAgt>\n      <InstdAgt><FinInstnId><BICFI>NEVARUMM</BICFI></FinInstnId></InstdAgt>\n";
    let moved =
        xml.replacen(agents, "", 1)
            .replacen("</SttlmInf>\n", &format!("</SttlmInf>\n{agents}"), 1);
    assert!(
        moved.find("<InstdAgt>") < moved.find("</GrpHdr>"),
        "{moved}"
    );
    let document = elements(&moved, "Document").remove(0);
    assert_valid(&document, "pacs.008.001.08.xsd");
    let (status, report) =
        submit_xml(&node, "VOLGRUMM", envelope(std::slice::from_ref(&moved))).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(
        report["messages"][0]["transactions"][0]["status"], "settled",
        "{report}"
    );
    let (_, payment) = node.get("NEVARUMM", &format!("/v1/payments/{uetr}")).await;
    assert_eq!(payment["amount"], "12.00", "{payment}");

    // An instructing agent in the header that is not the sender moves nothing.
    let other = moved
        .replace("ISO-GH-1", "ISO-GH-2")
        .replace(&uetr, &self::uetr())
        .replacen(
            "<InstgAgt><FinInstnId><BICFI>VOLGRUMM</BICFI>",
            "<InstgAgt><FinInstnId><BICFI>URALRUMM</BICFI>",
            1,
        );
    let (_, report) = submit_xml(&node, "VOLGRUMM", envelope(&[other])).await;
    assert_eq!(report["accepted"], 0, "{report}");
    assert!(report.to_string().contains("AG01"), "{report}");
    node.stop().await;
}

/// A pacs.008 names the quote it settles against as an instruction for the next agent, the
/// hub, and settles payment versus payment as `pay --quote` does; the creditor's agent is
/// told the amount it was credited, in its currency, with the instructed amount beside it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pacs008_naming_a_quote_settles_payment_versus_payment() {
    let node = TestNode::start().await;
    let request = json!({
        "source_currency": "RUB",
        "destination_currency": "IRR",
        "creditor_agent": "ZAGRIRTH",
        "instructed_amount": "10.00",
        "charge_bearer": "SHAR",
    });
    let (status, quote) = node.post("VOLGRUMM", "/v1/fx/quotes", &request).await;
    assert_eq!(status, StatusCode::CREATED, "{quote}");
    let uetr = uetr();
    let named = |instruction: &str| {
        pacs008("VOLGRUMM", "ZAGRIRTH", "ISO-FX-1", &uetr, "10.00", OTHER_ACCOUNT).replacen(
            "      <Purp>",
            &format!(
                "      <InstrForNxtAgt><InstrInf>{instruction}</InstrInf></InstrForNxtAgt>\n      <Purp>"
            ),
            1,
        )
    };
    let xml = named(&format!("/FXQT/{}", quote["id"]));
    assert_valid(&elements(&xml, "Document")[0], "pacs.008.001.08.xsd");

    // A quote that is not a number names nothing: refused, nothing moves.
    let (_, report) = submit_xml(&node, "VOLGRUMM", envelope(&[named("/FXQT/ten")])).await;
    assert!(
        report.to_string().contains("InstrForNxtAgt[1]/InstrInf"),
        "{report}"
    );
    assert_eq!(report["accepted"], 0, "{report}");

    let before = node.balance("ZAGRIRTH", "IRR").await;
    let (status, report) = submit_xml(&node, "VOLGRUMM", envelope(&[xml])).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(
        report["messages"][0]["transactions"][0]["status"], "settled",
        "{report}"
    );
    let (_, payment) = node.get("VOLGRUMM", &format!("/v1/payments/{uetr}")).await;
    assert_eq!(
        payment["fx"]["legs"].as_array().map(Vec::len),
        Some(2),
        "{payment}"
    );
    let after = node.balance("ZAGRIRTH", "IRR").await;
    let credited = after.parse::<u128>().unwrap() - before.parse::<u128>().unwrap();
    assert_eq!(
        credited.to_string(),
        quote["creditor_receives"].as_str().unwrap()
    );

    let received = outbox_xml(&node, "ZAGRIRTH").await;
    let transfer = valid_documents(&received, "pacs.008.001.08")
        .into_iter()
        .find(|d| d.contains(&uetr))
        .expect("the payment delivered as pacs.008");
    assert!(
        transfer.contains(&format!(
            r#"<IntrBkSttlmAmt Ccy="IRR">{credited}</IntrBkSttlmAmt>"#
        )) && transfer.contains(r#"<InstdAmt Ccy="RUB">10.00</InstdAmt>"#),
        "{transfer}"
    );
    node.stop().await;
}

/// An MT103 as a bank's FIN interface writes it, sent by `from` to `to` today.
fn mt103(from: &str, to: &str, reference: &str, uetr: &str) -> String {
    let date = time::OffsetDateTime::now_utc().date();
    let yymmdd = format!(
        "{:02}{:02}{:02}",
        date.year() % 100,
        u8::from(date.month()),
        date.day()
    );
    format!(
        "{{1:F01{from}AXXX0000000000}}{{2:I103{to}XXXXN}}{{3:{{121:{uetr}}}}}{{4:\r
:20:{reference}\r
:23B:CRED\r
:32A:{yymmdd}RUB150,50\r
:33B:RUB150,50\r
:50K:/40702810900000012345\r
VOLGA ENERGY LLC\r
MOSCOW\r
:59:/40817810000000000002\r
ANNA SMIRNOVA\r
:70:INVOICE 7\r
:71A:SHA\r
-}}"
    )
}

async fn send_mt(node: &TestNode, bank: &str, fin: String) -> (StatusCode, Value) {
    let (status, text) = send_as(
        node,
        Some(bank),
        Method::POST,
        "/v1/mt",
        Some(("text/plain", fin)),
    )
    .await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_mt103_through_the_mt_door_settles_and_reaches_the_creditor_agent_as_pacs008() {
    let node = TestNode::start().await;
    let uetr = uetr();
    let (status, report) = send_mt(
        &node,
        "VOLGRUMM",
        // An ordering customer in option F, with a date of birth (line 4/) the pacs.008
        // party has no place for.
        mt103("VOLGRUMM", "NEVARUMM", "MT-1", &uetr).replace(
            ":50K:/40702810900000012345\r\nVOLGA ENERGY LLC\r\nMOSCOW\r\n",
            ":50F:/40702810900000012345\r\n1/IVANOV IVAN\r\n3/RU/MOSCOW\r\n4/19800101\r\n",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["message_type"], "pacs.008.001.08", "{report}");
    assert_eq!(report["transactions"][0]["status"], "settled", "{report}");
    assert_eq!(
        report["notes"],
        json!([{"kind": "dropped", "field": "50F lines 4/ to 8/"}]),
        "what did not fit is reported, and 33B is carried as InstdAmt: {report}"
    );
    let (_, payment) = node.get("NEVARUMM", &format!("/v1/payments/{uetr}")).await;
    assert_eq!(payment["amount"], "150.50", "{payment}");
    let received = outbox_xml(&node, "NEVARUMM").await;
    let transfers = valid_documents(&received, "pacs.008.001.08");
    assert!(transfers.iter().any(|d| d.contains(&uetr)), "{received}");

    // Block 1 names another bank: nothing moves.
    let (status, report) = send_mt(
        &node,
        "VOLGRUMM",
        mt103("URALRUMM", "NEVARUMM", "MT-2", &self::uetr()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert!(report["problems"].to_string().contains("AG01"), "{report}");
    assert!(report["transactions"].is_null(), "{report}");

    // Not an MT Corridor reads: refused with a reason, nothing changed.
    let count = node.payment_count().await;
    for (fin, code) in [
        ("not a FIN message".to_owned(), "FF01"),
        (
            mt103("VOLGRUMM", "NEVARUMM", "MT-3", &self::uetr()).replace("{2:I103", "{2:I999"),
            "FF01",
        ),
        (
            mt103("VOLGRUMM", "NEVARUMM", "MT-4", &self::uetr()).replace(":20:MT-4\r\n", ""),
            "CH21",
        ),
    ] {
        let (status, body) = send_mt(&node, "VOLGRUMM", fin).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], code, "{body}");
    }
    assert_eq!(node.payment_count().await, count);
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_envelope_settles_its_sound_messages_and_names_every_problem_of_the_others() {
    let node = TestNode::start().await;
    let before = node.payment_count().await;
    let bad_iban = "<IBAN>DE89370400440532013001</IBAN>";
    let sound = pacs008(
        "VOLGRUMM",
        "NEVARUMM",
        "ISO-ENV-1",
        &uetr(),
        "10.00",
        OTHER_ACCOUNT,
    );
    let broken = pacs008(
        "VOLGRUMM",
        "NEVARUMM",
        "ISO-ENV-2",
        &uetr(),
        "10.001",
        bad_iban,
    );
    let (status, report) = submit_xml(&node, "VOLGRUMM", envelope(&[sound, broken])).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["accepted"], 1, "{report}");
    assert_eq!(report["refused"], 1, "{report}");
    assert_eq!(
        report["messages"][0]["transactions"][0]["status"],
        "settled"
    );
    let problems = report["messages"][1]["problems"].as_array().unwrap();
    let found: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p["path"].as_str().unwrap(), p["code"].as_str().unwrap()))
        .collect();
    let tx = "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]";
    assert!(
        found.contains(&(&format!("{tx}/IntrBkSttlmAmt"), "CH20")),
        "{found:?}"
    );
    assert!(
        found.contains(&(&format!("{tx}/CdtrAcct/Id/IBAN"), "AC01")),
        "{found:?}"
    );
    // Sender and receiver each list the one settled payment.
    assert_eq!(node.payment_count().await, before + 2);
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_with_a_reason_and_changes_nothing() {
    let node = TestNode::start().await;
    let before = node.payment_count().await;
    let (status, body) = submit_xml(&node, "VOLGRUMM", "<Document><unclosed>".into()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "FF02", "{body}");

    let unknown = r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.99"/>"#;
    let (status, body) = submit_xml(&node, "VOLGRUMM", unknown.into()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "FF01", "{body}");

    let (status, _) = send(
        &node,
        None,
        Method::POST,
        "/v1/iso20022",
        Some(String::new()),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(node.payment_count().await, before);
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bank_moves_only_its_own_payments() {
    let node = TestNode::start().await;
    let before = node.payment_count().await;
    let as_neva = pacs008(
        "NEVARUMM",
        "URALRUMM",
        "ISO-SPOOF-1",
        &uetr(),
        "5.00",
        OTHER_ACCOUNT,
    );
    let (status, report) = submit_xml(&node, "VOLGRUMM", envelope(&[as_neva])).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["refused"], 1, "{report}");
    let problem = &report["messages"][0]["problems"][0];
    assert_eq!(problem["code"], "AG01", "{report}");
    assert_eq!(problem["path"], "/AppHdr/Fr/FIId/FinInstnId/BICFI");
    assert_eq!(node.payment_count().await, before);

    let uetr = uetr();
    let own = pacs008(
        "VOLGRUMM",
        "NEVARUMM",
        "ISO-OWN-1",
        &uetr,
        "5.00",
        OTHER_ACCOUNT,
    );
    submit_xml(&node, "VOLGRUMM", envelope(&[own])).await;
    let recall = camt056("URALRUMM", "URAL-CASE-1", &uetr);
    let (_, report) = submit_xml(&node, "URALRUMM", recall).await;
    assert_eq!(
        report["messages"][0]["transactions"][0]["error"]["code"], "NOTF",
        "{report}"
    );
    node.stop().await;
}

fn camt056(from: &str, case: &str, original_uetr: &str) -> String {
    let date = today();
    format!(
        r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.056.001.08">
  <FIToFIPmtCxlReq>
    <Assgnmt>
      <Id>{case}</Id>
      <Assgnr><Agt><FinInstnId><BICFI>{from}</BICFI></FinInstnId></Agt></Assgnr>
      <Assgne><Agt><FinInstnId><BICFI>CRDRRUMMXXX</BICFI></FinInstnId></Agt></Assgne>
      <CreDtTm>{date}T10:00:00Z</CreDtTm>
    </Assgnmt>
    <Undrlyg>
      <TxInf>
        <CxlId>{case}-1</CxlId>
        <OrgnlUETR>{original_uetr}</OrgnlUETR>
        <CxlRsnInf><Rsn><Cd>DUPL</Cd></Rsn></CxlRsnInf>
      </TxInf>
    </Undrlyg>
  </FIToFIPmtCxlReq>
</Document>
"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn camt056_cancels_a_queued_payment_and_is_answered_by_camt029() {
    let node = TestNode::start().await;
    let queued = uetr();
    let too_big = pacs008(
        "VOLGRUMM",
        "NEVARUMM",
        "ISO-Q-1",
        &queued,
        "90000000000.00",
        OTHER_ACCOUNT,
    );
    let (_, report) = submit_xml(&node, "VOLGRUMM", envelope(&[too_big])).await;
    assert_eq!(
        report["messages"][0]["transactions"][0]["status"], "queued",
        "{report}"
    );

    let (status, report) =
        submit_xml(&node, "VOLGRUMM", camt056("VOLGRUMM", "CASE-Q-1", &queued)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(
        report["messages"][0]["transactions"][0]["status"], "cancelled",
        "{report}"
    );
    let answer = report["messages"][0]["answer_xml"].as_str().unwrap();
    let answers = valid_documents(answer, "camt.029.001.09");
    assert!(answers[0].contains("<Conf>CNCL</Conf>"), "{answer}");
    assert!(answers[0].contains("<TxCxlSts>ACCR</TxCxlSts>"), "{answer}");

    let settled = uetr();
    let small = pacs008(
        "VOLGRUMM",
        "NEVARUMM",
        "ISO-S-1",
        &settled,
        "1.00",
        OTHER_ACCOUNT,
    );
    submit_xml(&node, "VOLGRUMM", envelope(&[small])).await;
    // Settled: no longer the hub's to cancel; forwarded, pending at the creditor's agent.
    let (_, report) =
        submit_xml(&node, "VOLGRUMM", camt056("VOLGRUMM", "CASE-S-1", &settled)).await;
    let recall = &report["messages"][0]["transactions"][0]["recall"];
    assert_eq!(recall["status"], "open", "{report}");
    let answer = report["messages"][0]["answer_xml"].as_str().unwrap();
    let answers = valid_documents(answer, "camt.029.001.09");
    assert!(answers[0].contains("<Conf>PDCR</Conf>"), "{answer}");
    assert!(answers[0].contains("<TxCxlSts>PDCR</TxCxlSts>"), "{answer}");
    // Already cancelled: the same cancellation again.
    let (_, report) = submit_xml(&node, "VOLGRUMM", camt056("VOLGRUMM", "CASE-Q-2", &queued)).await;
    assert_eq!(
        report["messages"][0]["transactions"][0]["status"], "cancelled",
        "a repeated cancellation is the same cancellation: {report}"
    );

    let outbox = outbox_xml(&node, "VOLGRUMM").await;
    let statuses = valid_documents(&outbox, "pacs.002.001.10");
    assert!(
        statuses
            .iter()
            .any(|d| d.contains(&queued) && d.contains("<TxSts>CANC</TxSts>"))
    );
    assert!(!valid_documents(&outbox, "camt.029.001.09").is_empty());
    node.stop().await;
}

/// The creditor agent's camt.029 answering a recall of `original_uetr`: `ACCR` or `RJCR`.
fn camt029(from: &str, case: &str, original_uetr: &str, status: &str, reason: &str) -> String {
    let date = today();
    let confirmation = if status == "ACCR" { "CNCL" } else { "RJCR" };
    format!(
        r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.029.001.09">
  <RsltnOfInvstgtn>
    <Assgnmt>
      <Id>{case}</Id>
      <Assgnr><Agt><FinInstnId><BICFI>{from}</BICFI></FinInstnId></Agt></Assgnr>
      <Assgne><Agt><FinInstnId><BICFI>CRDRRUMMXXX</BICFI></FinInstnId></Agt></Assgne>
      <CreDtTm>{date}T12:00:00Z</CreDtTm>
    </Assgnmt>
    <Sts><Conf>{confirmation}</Conf></Sts>
    <CxlDtls>
      <TxInfAndSts>
        <CxlStsId>{case}-1</CxlStsId>
        <OrgnlUETR>{original_uetr}</OrgnlUETR>
        <TxCxlSts>{status}</TxCxlSts>
        <CxlStsRsnInf><Rsn><Cd>{reason}</Cd></Rsn></CxlStsRsnInf>
      </TxInfAndSts>
    </CxlDtls>
  </RsltnOfInvstgtn>
</Document>
"#
    )
}

/// VOLGRUMM pays NEVARUMM `amount` by pacs.008, settled at once, then recalls it by
/// camt.056; NEVARUMM's outbox then holds the forwarded camt.056.
async fn settle_and_recall(node: &TestNode, id: &str, amount: &str) -> String {
    let original = uetr();
    let xml = pacs008("VOLGRUMM", "NEVARUMM", id, &original, amount, OTHER_ACCOUNT);
    let (_, report) = submit_xml(node, "VOLGRUMM", envelope(&[xml])).await;
    assert_eq!(
        report["messages"][0]["transactions"][0]["status"], "settled",
        "{report}"
    );
    let case = format!("CASE-{id}");
    let (_, report) = submit_xml(node, "VOLGRUMM", camt056("VOLGRUMM", &case, &original)).await;
    let recall = &report["messages"][0]["transactions"][0]["recall"];
    assert_eq!(recall["status"], "open", "{report}");
    assert_eq!(recall["responder"], "NEVARUMM");
    assert_eq!(recall["cancellation_id"], format!("{case}-1"));

    let received = outbox_xml(node, "NEVARUMM").await;
    let requests = valid_documents(&received, "camt.056.001.08");
    let request = requests
        .iter()
        .find(|d| d.contains(&original))
        .expect("the recall forwarded to the creditor's agent as camt.056");
    assert!(request.contains("<Cd>DUPL</Cd>"), "{request}");
    assert!(
        request.contains(&format!(
            r#"<OrgnlIntrBkSttlmAmt Ccy="RUB">{amount}</OrgnlIntrBkSttlmAmt>"#
        )),
        "{request}"
    );
    original
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recall_accepted_by_camt029_sends_the_money_back_as_pacs004() {
    let node = TestNode::start().await;
    let before = (
        node.balance("VOLGRUMM", "RUB").await,
        node.balance("NEVARUMM", "RUB").await,
    );
    let original = settle_and_recall(&node, "ISO-RCL-1", "300.00").await;
    assert_ne!(node.balance("VOLGRUMM", "RUB").await, before.0);

    let accept = camt029("NEVARUMM", "NEVA-RCL-1", &original, "ACCR", "CUST");
    let (status, report) = submit_xml(&node, "NEVARUMM", accept.clone()).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let recall = &report["messages"][0]["transactions"][0]["recall"];
    assert_eq!(recall["status"], "accepted", "{report}");
    assert_eq!(recall["return_id"], "NEVA-RCL-1-1");
    assert!(recall["return_payment"].as_u64().is_some());

    let back = outbox_xml(&node, "VOLGRUMM").await;
    let answers = valid_documents(&back, "camt.029.001.09");
    let answer = answers
        .iter()
        .find(|d| d.contains(&original) && d.contains("<Conf>CNCL</Conf>"))
        .expect("the requester's camt.029");
    assert!(answer.contains("<TxCxlSts>ACCR</TxCxlSts>"), "{answer}");
    let returns = valid_documents(&back, "pacs.004.001.09");
    let pacs004 = returns
        .iter()
        .find(|d| d.contains(&original))
        .expect("the money back as pacs.004");
    assert!(pacs004.contains(r#"<RtrdIntrBkSttlmAmt Ccy="RUB">300.00</RtrdIntrBkSttlmAmt>"#));
    assert!(pacs004.contains("<Cd>FOCR</Cd>"), "{pacs004}");
    let (_, payment) = node
        .get("VOLGRUMM", &format!("/v1/payments/{original}"))
        .await;
    assert_eq!(payment["status"], "returned", "{payment}");
    let after = (
        node.balance("VOLGRUMM", "RUB").await,
        node.balance("NEVARUMM", "RUB").await,
    );
    assert_eq!(after, before, "the money moved there and back, once each");

    // Sent again, the same answer: nothing moves twice.
    let (_, again) = submit_xml(&node, "NEVARUMM", accept).await;
    let retried = &again["messages"][0]["transactions"][0];
    assert_eq!(
        retried["recall"]["return_payment"], recall["return_payment"],
        "{again}"
    );
    assert_eq!(
        (
            node.balance("VOLGRUMM", "RUB").await,
            node.balance("NEVARUMM", "RUB").await,
        ),
        before
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recall_rejected_by_camt029_keeps_the_money_and_says_why() {
    let node = TestNode::start().await;
    let original = settle_and_recall(&node, "ISO-RCL-2", "45.00").await;
    let balances = (
        node.balance("VOLGRUMM", "RUB").await,
        node.balance("NEVARUMM", "RUB").await,
    );
    // Only the creditor's agent answers: a third bank finds no recall of its own.
    let (_, report) = submit_xml(
        &node,
        "URALRUMM",
        camt029("URALRUMM", "URAL-RCL-2", &original, "ACCR", "CUST"),
    )
    .await;
    assert_eq!(
        report["messages"][0]["transactions"][0]["error"]["code"], "NOTF",
        "{report}"
    );
    // An answer assigned by another bank than the sender is refused before the hub.
    let (_, report) = submit_xml(
        &node,
        "NEVARUMM",
        camt029("URALRUMM", "NEVA-SPOOF", &original, "ACCR", "CUST"),
    )
    .await;
    assert_eq!(
        report["messages"][0]["problems"][0]["code"], "AG01",
        "{report}"
    );

    let reject = camt029("NEVARUMM", "NEVA-RCL-2", &original, "RJCR", "LEGL");
    let (_, report) = submit_xml(&node, "NEVARUMM", reject).await;
    let recall = &report["messages"][0]["transactions"][0]["recall"];
    assert_eq!(recall["status"], "rejected", "{report}");
    assert_eq!(recall["rejection"]["code"], "LEGL");

    let back = outbox_xml(&node, "VOLGRUMM").await;
    let answers = valid_documents(&back, "camt.029.001.09");
    let answer = answers
        .iter()
        .find(|d| d.contains(&original) && d.contains("<Conf>RJCR</Conf>"))
        .expect("the requester's camt.029");
    assert!(answer.contains("<TxCxlSts>RJCR</TxCxlSts>"), "{answer}");
    assert!(answer.contains("<Cd>LEGL</Cd>"), "{answer}");
    assert!(valid_documents(&back, "pacs.004.001.09").is_empty());
    // Answered once: a later acceptance is refused and moves nothing.
    let (_, report) = submit_xml(
        &node,
        "NEVARUMM",
        camt029("NEVARUMM", "NEVA-RCL-3", &original, "ACCR", "CUST"),
    )
    .await;
    assert_eq!(
        report["messages"][0]["transactions"][0]["error"]["code"], "DUPL",
        "{report}"
    );
    assert_eq!(
        (
            node.balance("VOLGRUMM", "RUB").await,
            node.balance("NEVARUMM", "RUB").await,
        ),
        balances
    );
    let (_, payment) = node
        .get("VOLGRUMM", &format!("/v1/payments/{original}"))
        .await;
    assert_eq!(payment["status"], "settled", "{payment}");
    node.stop().await;
}

/// A pacs.004 sending back the whole 300.00 RUB of the payment `original`, as return `id`.
fn pacs004(id: &str, original: &str) -> String {
    let date = today();
    format!(
        r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.004.001.09">
  <PmtRtr>
    <GrpHdr><MsgId>{id}</MsgId><CreDtTm>{date}T11:00:00Z</CreDtTm><NbOfTxs>1</NbOfTxs><SttlmInf><SttlmMtd>CLRG</SttlmMtd></SttlmInf></GrpHdr>
    <TxInf>
      <RtrId>{id}</RtrId>
      <OrgnlUETR>{original}</OrgnlUETR>
      <RtrdIntrBkSttlmAmt Ccy="RUB">300.00</RtrdIntrBkSttlmAmt>
      <IntrBkSttlmDt>{date}</IntrBkSttlmDt>
      <RtrRsnInf><Rsn><Cd>AC04</Cd></Rsn></RtrRsnInf>
    </TxInf>
  </PmtRtr>
</Document>
"#
    )
}

/// Return UETRs used to be SHA-256("pacs.004/{BIC}/{RtrId}"): another bank could compute one
/// and claim it first with a payment of its own, so that the return failed as a duplicate.
/// The hub now gives each return a random UETR; and a UETR taken by another bank's payment
/// is refused without naming that payment.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_squatted_uetr_neither_blocks_a_return_nor_names_the_payment_holding_it() {
    let node = TestNode::start().await;
    let original = uetr();
    let xml = pacs008(
        "VOLGRUMM",
        "NEVARUMM",
        "ISO-SQ-1",
        &original,
        "300.00",
        OTHER_ACCOUNT,
    );
    submit_xml(&node, "VOLGRUMM", envelope(&[xml])).await;

    let digest = sha2::Sha256::digest(b"pacs.004/NEVARUMM/NEVA-RTR-SQ");
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    let predicted = corridor_core::Uetr::from_random_bytes(bytes).to_string();
    let mut squat = support::payment("SQUAT-1", "NEVARUMM", "1.00", "RUB");
    squat["uetr"] = json!(predicted);
    let (status, body) = node.post("VOLGRUMM", "/v1/payments", &squat).await;
    assert!(status.is_success(), "{body}");
    let squatter = body["payment"]
        .as_u64()
        .expect("the squatting payment's id");

    let (status, report) = submit_xml(&node, "NEVARUMM", pacs004("NEVA-RTR-SQ", &original)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let returned = &report["messages"][0]["transactions"][0];
    assert_eq!(returned["status"], "settled", "{report}");
    assert_ne!(returned["uetr"], json!(predicted));

    let mut probe = support::payment("PROBE-1", "VOLGRUMM", "1.00", "RUB");
    probe["uetr"] = json!(predicted);
    let (status, body) = node.post("NEVARUMM", "/v1/payments", &probe).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "DUPL", "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("already in use"), "{message}");
    assert!(
        !message.contains(&format!("payment {squatter}")),
        "names no payment of another bank: {message}"
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pacs004_sends_a_settled_payment_back() {
    let node = TestNode::start().await;
    let original = uetr();
    let xml = pacs008(
        "VOLGRUMM",
        "NEVARUMM",
        "ISO-R-1",
        &original,
        "300.00",
        OTHER_ACCOUNT,
    );
    submit_xml(&node, "VOLGRUMM", envelope(&[xml])).await;
    let pacs004 = pacs004("NEVA-RTR-1", &original);
    let (status, report) = submit_xml(&node, "NEVARUMM", pacs004.clone()).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let returned = &report["messages"][0]["transactions"][0];
    assert_eq!(returned["status"], "settled", "{report}");
    let (_, payment) = node
        .get("VOLGRUMM", &format!("/v1/payments/{original}"))
        .await;
    assert_eq!(payment["status"], "returned", "{payment}");

    let (_, again) = submit_xml(&node, "NEVARUMM", pacs004).await;
    let retried = &again["messages"][0]["transactions"][0];
    assert_eq!(
        retried["uetr"], returned["uetr"],
        "a resent return is the same return"
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statements_come_as_camt053_and_liquidity_as_camt054() {
    let node = TestNode::start().await;
    let xml = pacs008(
        "VOLGRUMM",
        "NEVARUMM",
        "ISO-ST-1",
        &uetr(),
        "42.00",
        OTHER_ACCOUNT,
    );
    submit_xml(&node, "VOLGRUMM", envelope(&[xml])).await;
    let account = node.account("VOLGRUMM", "RUB").await;
    let path = format!("/v1/accounts/{account}/statement");
    let (status, statement) = send(
        &node,
        Some("VOLGRUMM"),
        Method::GET,
        &format!("{path}?format=xml"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{statement}");
    let statements = valid_documents(&statement, "camt.053.001.08");
    assert!(statements[0].contains("<Cd>OPBD</Cd>") && statements[0].contains("<Cd>CLBD</Cd>"));
    assert!(
        statements[0].contains(r#"<Amt Ccy="RUB">42.00</Amt>"#),
        "{statement}"
    );

    let (status, _) = send(
        &node,
        Some("NEVARUMM"),
        Method::GET,
        &format!("{path}?format=xml"),
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another bank's statement stays hidden"
    );

    let funding = json!({
        "reference": "TOPUP-ISO-1",
        "participant": "VOLGRUMM",
        "currency": "RUB",
        "amount": "777.00",
        "direction": "fund",
    });
    let (status, body) = node.post("CBRFRUMM", "/v1/liquidity", &funding).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let outbox = outbox_xml(&node, "VOLGRUMM").await;
    let notifications = valid_documents(&outbox, "camt.054.001.08");
    assert!(
        notifications
            .iter()
            .any(|n| n.contains(r#"<Amt Ccy="RUB">777.00</Amt>"#)
                && n.contains("<CdtDbtInd>CRDT</CdtDbtInd>")),
        "{outbox}"
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_net_windows_positions_come_as_camt054_debit_and_credit() {
    let node = TestNode::start().await;
    let settings = json!({
        "up_to_amount": "100.00",
        "default_after_seconds": 600,
        "net_debit_caps": [
            {"participant": "VOLGRUMM", "cap": "1000.00"},
            {"participant": "NEVARUMM", "cap": "1000.00"}
        ]
    });
    let (status, body) = node
        .call(
            Some("operator"),
            Method::PUT,
            "/v1/net-settlement/RUB",
            Some(&settings),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, receipt) = node
        .post(
            "VOLGRUMM",
            "/v1/payments",
            &payment("NET-ISO-1", "NEVARUMM", "60.00", "RUB"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    assert_eq!(receipt["status"], "netting", "{receipt}");
    let (status, body) = node
        .post(
            "operator",
            "/v1/net-settlement/RUB/windows",
            &json!({"action": "close"}),
        )
        .await;
    assert!(status.is_success(), "{body}");

    for (bank, sign) in [("VOLGRUMM", "DBIT"), ("NEVARUMM", "CRDT")] {
        let outbox = outbox_xml(&node, bank).await;
        let notifications = valid_documents(&outbox, "camt.054.001.08");
        assert!(
            notifications
                .iter()
                .any(|n| n.contains(r#"<Amt Ccy="RUB">60.00</Amt>"#)
                    && n.contains(&format!("<CdtDbtInd>{sign}</CdtDbtInd>"))
                    && n.contains("<SubFmlyCd>NETT</SubFmlyCd>")
                    && n.contains("NET-")),
            "{bank}: {outbox}"
        );
        let (status, events) = node.get(bank, "/v1/outbox?limit=1000").await;
        assert_eq!(status, StatusCode::OK, "{events}");
        let net: Vec<&Value> = events["messages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["type"] == "net_settlement")
            .collect();
        assert_eq!(net.len(), 1, "{bank}: {events}");
        assert_eq!(net[0]["amount"], "60.00");
    }
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_end_of_the_business_day_pushes_each_bank_its_camt053() {
    let node = TestNode::start().await;
    let xml = pacs008(
        "VOLGRUMM",
        "NEVARUMM",
        "ISO-EOD-1",
        &uetr(),
        "42.00",
        OTHER_ACCOUNT,
    );
    submit_xml(&node, "VOLGRUMM", envelope(&[xml])).await;
    let close = json!({"business_date": today()});
    let (status, closed) = node
        .post("operator", "/v1/operator/end-of-day", &close)
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["duplicate"], false, "{closed}");
    let (_, again) = node
        .post("operator", "/v1/operator/end-of-day", &close)
        .await;
    assert_eq!(again["duplicate"], true, "{again}");
    assert_eq!(again["day"], closed["day"]);
    let yesterday = json!({"business_date": "2000-01-01"});
    let (status, refused) = node
        .post("operator", "/v1/operator/end-of-day", &yesterday)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["error"]["code"], "DT01", "{refused}");

    let volg = node.account("VOLGRUMM", "RUB").await;
    let outbox = outbox_xml(&node, "VOLGRUMM").await;
    let statements = valid_documents(&outbox, "camt.053.001.08");
    let own = statements
        .iter()
        .find(|s| s.contains(&format!("<Id>{volg}</Id>")))
        .unwrap_or_else(|| panic!("no statement of {volg}: {outbox}"));
    assert!(own.contains("<Cd>OPBD</Cd>") && own.contains("<Cd>CLBD</Cd>"));
    assert!(own.contains(r#"<Amt Ccy="RUB">42.00</Amt>"#), "{own}");
    assert!(own.contains("<CdtDbtInd>DBIT</CdtDbtInd>"), "{own}");

    let (status, page) = node.get("VOLGRUMM", "/v1/outbox?limit=1000").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let pushed: Vec<&Value> = page["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["type"] == "statement")
        .collect();
    assert!(!pushed.is_empty(), "{page}");
    assert!(pushed.iter().all(|m| m["statement"]["owner"] == "VOLGRUMM"));
    let own = pushed
        .iter()
        .find(|m| m["account"] == volg)
        .unwrap_or_else(|| panic!("no statement of {volg}: {page}"));
    let entries = own["statement"]["entries"].as_array().unwrap();
    assert!(entries.iter().any(|e| e["amount"] == "42.00"), "{own}");

    let neva = outbox_xml(&node, "NEVARUMM").await;
    assert!(
        !neva.contains(&format!("<Id>{volg}</Id>")),
        "another bank's statement stays hidden: {neva}"
    );
    node.stop().await;
}

fn camt050(id: &str, creditor: &str, debtor: &str, amount: &str) -> String {
    let date = today();
    format!(
        r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.050.001.05">
  <LqdtyCdtTrf>
    <MsgHdr><MsgId>{id}</MsgId><CreDtTm>{date}T08:00:00Z</CreDtTm></MsgHdr>
    <LqdtyCdtTrf>
      <LqdtyTrfId><InstrId>{id}</InstrId><EndToEndId>{id}</EndToEndId></LqdtyTrfId>
      <Cdtr><FinInstnId><BICFI>{creditor}</BICFI></FinInstnId></Cdtr>
      <TrfdAmt><AmtWthCcy Ccy="RUB">{amount}</AmtWthCcy></TrfdAmt>
      <Dbtr><FinInstnId><BICFI>{debtor}</BICFI></FinInstnId></Dbtr>
      <SttlmDt>{date}</SttlmDt>
    </LqdtyCdtTrf>
  </LqdtyCdtTrf>
</Document>
"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn camt050_from_the_settlement_agent_moves_liquidity_and_from_a_bank_is_refused() {
    let node = TestNode::start().await;
    let before = node.balance("VOLGRUMM", "RUB").await;
    let fund = camt050("CBR-LQ-1", "VOLGRUMM", "CBRFRUMM", "1000.00");
    let (status, report) = submit_xml(&node, "CBRFRUMM", fund.clone()).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let moved = &report["messages"][0]["transactions"][0]["liquidity"];
    assert_eq!(moved["amount"], "1000.00", "{report}");
    assert_eq!(moved["direction"], "fund", "{report}");
    let after = node.balance("VOLGRUMM", "RUB").await;
    assert_ne!(before, after);

    let (_, again) = submit_xml(&node, "CBRFRUMM", fund).await;
    assert_eq!(
        again["messages"][0]["transactions"][0]["liquidity"], *moved,
        "a resent camt.050 moves nothing twice"
    );
    assert_eq!(node.balance("VOLGRUMM", "RUB").await, after);

    let defund = camt050("CBR-LQ-2", "CBRFRUMM", "VOLGRUMM", "400.00");
    let (_, report) = submit_xml(&node, "CBRFRUMM", defund).await;
    assert_eq!(
        report["messages"][0]["transactions"][0]["liquidity"]["direction"], "defund",
        "{report}"
    );

    let by_a_bank = camt050("VOLG-LQ-1", "NEVARUMM", "VOLGRUMM", "5.00");
    let (_, report) = submit_xml(&node, "VOLGRUMM", by_a_bank).await;
    assert_eq!(report["refused"], 1, "{report}");
    assert_eq!(
        report["messages"][0]["transactions"][0]["error"]["code"], "AG01",
        "{report}"
    );
    node.stop().await;
}

/// Screening does not depend on the door: a pacs.008 to a listed name is held like its JSON
/// equivalent, and its pacs.002 says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pacs008_to_a_listed_name_is_held_and_its_pacs002_says_pending() {
    let node = TestNode::start().await;
    let xml = pacs008(
        "VOLGRUMM",
        "NEVARUMM",
        "ISO-HOLD-1",
        &uetr(),
        "100.00",
        OTHER_ACCOUNT,
    )
    .replace("Anna Smirnova", "Борис Санкционов");
    let (status, body) = submit_xml(&node, "VOLGRUMM", envelope(&[xml])).await;
    assert!(status.is_success(), "{body}");
    let (_, holds) = node
        .get("officer:VOLGRUMM:olga", "/v1/compliance/holds")
        .await;
    assert_eq!(holds.as_array().map(Vec::len), Some(1), "{holds}");
    assert_eq!(holds[0]["payment"]["status"], "held");
    let out = outbox_xml(&node, "VOLGRUMM").await;
    let statuses = valid_documents(&out, "pacs.002.001.10");
    assert!(
        statuses
            .iter()
            .any(|d| d.contains("<TxSts>PDNG</TxSts>") && d.contains("RR04")),
        "{out}"
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pacs008_for_tomorrow_is_warehoused_with_its_settlement_times() {
    let node = TestNode::start().await;
    let uetr = uetr();
    let tomorrow = (time::OffsetDateTime::now_utc().date() + time::Duration::days(1)).to_string();
    let xml = pacs008("VOLGRUMM", "NEVARUMM", "ISO-DATED-1", &uetr, "10.00", OTHER_ACCOUNT)
        .replace(
            &format!("<IntrBkSttlmDt>{}</IntrBkSttlmDt>", today()),
            &format!(
                "<IntrBkSttlmDt>{tomorrow}</IntrBkSttlmDt>\n      <SttlmTmReq><CLSTm>16:00:00+03:00</CLSTm><FrTm>09:00:00+03:00</FrTm><RjctTm>17:00:00+03:00</RjctTm></SttlmTmReq>"
            ),
        );
    let (status, report) = submit_xml(&node, "VOLGRUMM", envelope(&[xml])).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(
        report["messages"][0]["transactions"][0]["status"], "warehoused",
        "{report}"
    );
    let (_, payment) = node.get("VOLGRUMM", &format!("/v1/payments/{uetr}")).await;
    assert_eq!(payment["value_date"], tomorrow.as_str(), "{payment}");
    let times = &payment["instruction"]["settlement_time"];
    assert_eq!(times["from_time"], "09:00:00+03:00");
    assert_eq!(
        times["till_time"], "16:00:00+03:00",
        "CLSTm counts as the till time"
    );
    assert_eq!(times["reject_time"], "17:00:00+03:00");
    // Its pacs.002 says pending; nothing reaches the receiver yet.
    let sent = outbox_xml(&node, "VOLGRUMM").await;
    let reports = valid_documents(&sent, "pacs.002.001.10");
    let report = reports
        .iter()
        .find(|d| d.contains(&uetr))
        .expect("a pacs.002");
    assert!(report.contains("<TxSts>PDNG</TxSts>"), "{report}");
    assert!(!outbox_xml(&node, "NEVARUMM").await.contains(&uetr));
    node.stop().await;
}
