//! The operating day over HTTP: the calendars the demo loads, a currency put on its real
//! schedule, a payment dated by JSON `settlement_date` or ISO `IntrBkSttlmDt` warehoused
//! and shown with its value date, and bad calendars refused with the line and reason.

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::{TestNode, payment};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_loads_real_calendars_and_stays_always_open() {
    let node = TestNode::start().await;
    let (status, view) = node
        .get(
            "VOLGRUMM",
            "/v1/calendars/IRR?from=2026-03-20&to=2026-03-25",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["today"]["phase"], "always_open");
    let days = view["days"].as_array().unwrap();
    assert_eq!(days.len(), 6);
    assert_eq!(
        days[0]["reason"], "not in any loaded calendar",
        "1404 is not shipped"
    );
    assert_eq!(days[1]["date"], "2026-03-21");
    assert_eq!(days[1]["business_day"], false);
    assert!(days[1]["reason"].as_str().unwrap().starts_with("Nowruz"));
    assert_eq!(days[1]["solar_hijri"], "1405-01-01");
    assert_eq!(days[5]["business_day"], true);
    let (status, view) = node
        .get(
            "VOLGRUMM",
            "/v1/calendars/RUB?from=2026-11-04&to=2026-11-04",
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["days"][0]["reason"], "Unity Day");
    assert!(
        view["days"][0]
            .get("solar_hijri")
            .is_none_or(|v| v.is_null())
    );
    // Bad requests: an unknown currency, a reversed or too long range.
    let (status, body) = node.get("VOLGRUMM", "/v1/calendars/XXX").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["error"]["code"], "AM03");
    let (status, _) = node
        .get(
            "VOLGRUMM",
            "/v1/calendars/RUB?from=2026-02-01&to=2026-01-01",
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = node
        .get(
            "VOLGRUMM",
            "/v1/calendars/RUB?from=2026-01-01&to=2027-06-01",
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Payments settle whatever the day.
    let (status, receipt) = node
        .post(
            "VOLGRUMM",
            "/v1/payments",
            &payment("CAL-1", "NEVARUMM", "10.00", "RUB"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    assert_eq!(receipt["status"], "settled");
    let metrics = node.metrics().await;
    assert!(
        metrics.contains("corridor_currency_phase{currency=\"RUB\",phase=\"always_open\"} 1"),
        "{metrics}"
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dated_payment_is_warehoused_and_shows_its_value_date() {
    let node = TestNode::start().await;
    let (_, today) = node.get("VOLGRUMM", "/v1/operating-day").await;
    let today = today[0]["date"].as_str().unwrap().to_string();
    let date: time::Date =
        time::Date::parse(&today, &time::format_description::well_known::Iso8601::DATE).unwrap();
    let tomorrow = date.next_day().unwrap().to_string();
    let mut dated = payment("CAL-DATED", "NEVARUMM", "10.00", "RUB");
    dated["settlement_date"] = json!(tomorrow);
    let (status, receipt) = node.post("VOLGRUMM", "/v1/payments", &dated).await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    assert_eq!(receipt["status"], "warehoused");
    let id = receipt["payment"].as_u64().unwrap();
    let (_, view) = node.get("VOLGRUMM", &format!("/v1/payments/{id}")).await;
    assert_eq!(view["value_date"], json!(tomorrow));
    assert_eq!(view["iso_status"], "PDNG");
    assert!(view["warehoused_until"].as_u64().is_some());
    // The receiver's bank sees nothing of it yet; another bank never does.
    let (status, _) = node.get("URALRUMM", &format!("/v1/payments/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A date in the past is refused, naming why.
    let mut past = payment("CAL-PAST", "NEVARUMM", "10.00", "RUB");
    past["settlement_date"] = json!("2020-01-01");
    let (status, body) = node.post("VOLGRUMM", "/v1/payments", &past).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "DT01");
    // Cancelled while warehoused: it never settles.
    let (status, body) = node
        .post(
            "VOLGRUMM",
            &format!("/v1/payments/{id}/cancel"),
            &json!({"reason": "CUST"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "cancelled");
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_calendars_are_refused_with_the_line_and_reason() {
    let node = TestNode::start().await;
    let before = node.state_hash().await;
    for (text, code, needle) in [
        (
            "currency,RUB\nversion,x\nspan,2099-01-01,2099-12-31\nweekend,sunday\nholiday,2099-02-30,A,B\n",
            "FF01",
            "line 5",
        ),
        (
            "currency,RUB\nversion,x\nspan,2099-01-01,2099-12-31\nweekend,sunday\nholiday,2099-03-01,A,B\nholiday,2099-03-01,A,B\n",
            "FF01",
            "line 6",
        ),
        (
            "currency,RUB\nversion,x\nspan,2099-12-31,2099-01-01\nweekend,sunday\n",
            "FF01",
            "line 3",
        ),
        (
            "currency,IRR\nversion,x\nspan,2099-01-01,2099-12-31\nweekend,friday\n",
            "CURR",
            "IRR",
        ),
    ] {
        let (status, body) = node
            .post("operator", "/v1/calendars/RUB", &json!({"text": text}))
            .await;
        let expected = match code {
            "FF01" => StatusCode::BAD_REQUEST,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        assert_eq!(status, expected, "{body}");
        assert_eq!(body["error"]["code"], code, "{body}");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(needle),
            "{body}"
        );
    }
    // Amending a day already past is refused.
    let (status, body) = node
        .post(
            "operator",
            "/v1/calendars/RUB/amendments",
            &json!({"date": "2026-01-12", "closed": true, "name": "Too late", "source": "Test"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "DT01");
    assert_eq!(node.state_hash().await, before, "nothing changed");
    node.stop().await;
}
