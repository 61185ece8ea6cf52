//! `GET /api/2.0/segmentation`.

use std::time::Duration;

use mixpanel_emulator::{Config, EmulatorHandle};
use serde_json::{Value, json};

use crate::common::{client, event, identify, segmentation, send, start, start_with, track};

/// 2026-11-02 (a Monday) 12:00:00 UTC.
const NOON: i64 = 1_793_620_800;
const DAY: i64 = 86_400;

fn query(event: &str, from: &str, to: &str, extra: &str) -> String {
    format!("project_id=1&event={event}&from_date={from}&to_date={to}{extra}")
}

async fn values(emulator: &EmulatorHandle, query: &str) -> Value {
    let reply = segmentation(emulator, query).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

fn answer(event: &str, series: &[&str], values: Value) -> Value {
    json!({"data": {"series": series, "values": {event: values}}, "legend_size": 1})
}

fn query_error(query: &str, message: &str) -> Value {
    json!({"request": format!("/api/2.0/segmentation?{query}"), "error": message})
}

#[tokio::test]
async fn unique_counts_follow_identity_merge() {
    let emulator = start().await;
    let day = "2026-11-02";
    let unique = query("Signup", day, day, "&type=unique");
    let general = query("Signup", day, day, "&type=general");

    assert_eq!(
        track(&emulator, event("Signup", "device-a", NOON))
            .await
            .status,
        200
    );
    assert_eq!(
        track(&emulator, event("Signup", "user-1", NOON + 60))
            .await
            .status,
        200
    );
    assert_eq!(
        values(&emulator, &unique).await,
        answer("Signup", &[day], json!({day: 2}))
    );

    // Linking after the events: resolution happens at query time.
    assert_eq!(identify(&emulator, "device-a", "user-1").await.status, 200);
    assert_eq!(
        values(&emulator, &unique).await,
        answer("Signup", &[day], json!({day: 1}))
    );
    assert_eq!(
        values(&emulator, &general).await,
        answer("Signup", &[day], json!({day: 2}))
    );

    // A second device of the same user keeps the unique count at 1.
    assert_eq!(identify(&emulator, "device-b", "user-1").await.status, 200);
    assert_eq!(
        track(&emulator, event("Signup", "device-b", NOON + 120))
            .await
            .status,
        200
    );
    assert_eq!(
        values(&emulator, &unique).await,
        answer("Signup", &[day], json!({day: 1}))
    );
    assert_eq!(
        values(&emulator, &general).await,
        answer("Signup", &[day], json!({day: 3}))
    );
    let average = query("Signup", day, day, "&type=average");
    assert_eq!(
        values(&emulator, &average).await,
        answer("Signup", &[day], json!({day: 3.0}))
    );
}

#[tokio::test]
async fn series_covers_every_day_of_the_range_with_zeros() {
    let emulator = start().await;
    let events = json!([
        event("Signup", "a", NOON),
        event("Signup", "a", NOON + 3600),
        event("Signup", "b", NOON - 12 * 3600), // 2026-11-02T00:00:00Z, still the 2nd
        event("Login", "a", NOON + DAY),
        event("Signup", "c", NOON + 2 * DAY),
        event("Signup", "c", NOON + 4 * DAY), // 2026-11-06, after to_date
        event("Signup", "c", NOON - DAY - 12 * 3600 - 1), // 2026-10-31T23:59:59Z, before from_date
    ]);
    assert_eq!(track(&emulator, events).await.status, 200);
    let series = [
        "2026-11-01",
        "2026-11-02",
        "2026-11-03",
        "2026-11-04",
        "2026-11-05",
    ];

    let general = query("Signup", "2026-11-01", "2026-11-05", "");
    assert_eq!(
        values(&emulator, &general).await,
        answer(
            "Signup",
            &series,
            json!({"2026-11-01": 0, "2026-11-02": 3, "2026-11-03": 0, "2026-11-04": 1, "2026-11-05": 0})
        )
    );
    let unique = query(
        "Signup",
        "2026-11-01",
        "2026-11-05",
        "&type=unique&unit=day",
    );
    assert_eq!(
        values(&emulator, &unique).await,
        answer(
            "Signup",
            &series,
            json!({"2026-11-01": 0, "2026-11-02": 2, "2026-11-03": 0, "2026-11-04": 1, "2026-11-05": 0})
        )
    );
    let average = query("Signup", "2026-11-01", "2026-11-05", "&type=average");
    assert_eq!(
        values(&emulator, &average).await,
        answer(
            "Signup",
            &series,
            json!({"2026-11-01": 0.0, "2026-11-02": 1.5, "2026-11-03": 0.0, "2026-11-04": 1.0, "2026-11-05": 0.0})
        )
    );
    // An event nobody tracked still gets its series of zeros; on/where/limit are ignored.
    let other = query(
        "Nothing",
        "2026-11-01",
        "2026-11-02",
        "&on=properties%5B%22plan%22%5D&where=1&limit=5",
    );
    assert_eq!(
        values(&emulator, &other).await,
        answer(
            "Nothing",
            &series[..2],
            json!({"2026-11-01": 0, "2026-11-02": 0})
        )
    );
    let recorded = emulator.requests().pop().expect("recorded");
    assert_eq!(recorded.query_param("on"), Some("properties[\"plan\"]"));
    assert_eq!(recorded.query_param("limit"), Some("5"));
}

#[tokio::test]
async fn week_and_month_units_bucket_by_period_start() {
    let emulator = start().await;
    let events = json!([
        event("Signup", "a", NOON),           // Mon 2026-11-02, before from_date
        event("Signup", "a", NOON + 6 * DAY), // Sun 2026-11-08
        event("Signup", "a", NOON + 7 * DAY), // Mon 2026-11-09
        event("Signup", "b", NOON + 7 * DAY + 60), // Mon 2026-11-09
        event("Signup", "b", NOON + 29 * DAY), // Tue 2026-12-01
        event("Signup", "b", NOON + 30 * DAY), // Wed 2026-12-02, after to_date
    ]);
    assert_eq!(track(&emulator, events).await.status, 200);

    let weekly = query("Signup", "2026-11-04", "2026-12-01", "&unit=week");
    assert_eq!(
        values(&emulator, &weekly).await,
        answer(
            "Signup",
            &[
                "2026-11-02",
                "2026-11-09",
                "2026-11-16",
                "2026-11-23",
                "2026-11-30"
            ],
            json!({"2026-11-02": 1, "2026-11-09": 2, "2026-11-16": 0, "2026-11-23": 0, "2026-11-30": 1})
        )
    );
    let monthly = query("Signup", "2026-11-04", "2026-12-01", "&unit=month");
    assert_eq!(
        values(&emulator, &monthly).await,
        answer(
            "Signup",
            &["2026-11-01", "2026-12-01"],
            json!({"2026-11-01": 3, "2026-12-01": 1})
        )
    );
    let monthly_unique = query(
        "Signup",
        "2026-11-04",
        "2026-12-01",
        "&unit=month&type=unique",
    );
    assert_eq!(
        values(&emulator, &monthly_unique).await,
        answer(
            "Signup",
            &["2026-11-01", "2026-12-01"],
            json!({"2026-11-01": 2, "2026-12-01": 1})
        )
    );
}

#[tokio::test]
async fn bad_parameters_are_400() {
    let emulator = start().await;
    let cases = [
        (
            query("Signup", "2026/11/01", "2026-11-02", ""),
            "from_date: '2026/11/01' is not a date in the format YYYY-MM-DD",
        ),
        (
            query("Signup", "2026-11-01", "2026-11-2", ""),
            "to_date: '2026-11-2' is not a date in the format YYYY-MM-DD",
        ),
        (
            query("Signup", "2026-02-30", "2026-03-01", ""),
            "from_date: '2026-02-30' is not a valid date: February 2026 has no day 30",
        ),
        (
            query("Signup", "2026-13-01", "2026-13-02", ""),
            "from_date: '2026-13-01' is not a valid date: no month 13",
        ),
        (
            query("Signup", "2026-11-05", "2026-11-01", ""),
            "from_date 2026-11-05 is after to_date 2026-11-01",
        ),
        (
            "project_id=1&event=Signup&from_date=2026-11-01".to_owned(),
            "missing required parameter to_date",
        ),
        (
            "project_id=1&from_date=2026-11-01&to_date=2026-11-01".to_owned(),
            "missing required parameter event",
        ),
        (
            query("Signup", "2026-11-01", "2026-11-01", "&type=total"),
            "type must be general, unique or average, got 'total'",
        ),
        (
            query("Signup", "2026-11-01", "2026-11-01", "&unit=hour"),
            "unit=hour is not supported by the emulator (use day, week or month)",
        ),
        (
            query("Signup", "2026-11-01", "2026-11-01", "&unit=minute"),
            "unit=minute is not supported by the emulator (use day, week or month)",
        ),
        (
            query("Signup", "2026-11-01", "2026-11-01", "&unit=year"),
            "unit must be minute, hour, day, week or month, got 'year'",
        ),
        (
            query("Signup", "0001-01-01", "9999-12-31", ""),
            "the date range is longer than the emulator's limit of 36600 days",
        ),
        (
            "project_id=one&event=Signup&from_date=2026-11-01&to_date=2026-11-01".to_owned(),
            "project_id must be an integer, got 'one'",
        ),
        (
            "event=Signup&from_date=2026-11-01&to_date=2026-11-01".to_owned(),
            "missing required parameter project_id",
        ),
    ];
    for (query, message) in cases {
        let reply = segmentation(&emulator, &query).await;
        assert_eq!(
            (reply.status, reply.json()),
            (400, query_error(&query, message)),
            "{query}"
        );
    }
}

#[tokio::test]
async fn missing_or_wrong_basic_auth_is_401() {
    let emulator = start().await;
    let query = query("Signup", "2026-11-01", "2026-11-01", "");
    let url = format!("{}/segmentation?{query}", emulator.query_base_url());

    let reply = send(client().get(&url)).await;
    assert_eq!(
        (reply.status, reply.json()),
        (
            401,
            query_error(
                &query,
                "missing service account credentials (HTTP basic auth)"
            )
        )
    );
    let wrong_secret = client()
        .get(&url)
        .basic_auth("emulator-service-account", Some("nope"));
    let wrong_user = client()
        .get(&url)
        .basic_auth("someone", Some("emulator-secret"));
    let not_basic = client()
        .get(&url)
        .header("authorization", "Bearer emulator-secret");
    for request in [wrong_secret, wrong_user, not_basic] {
        let reply = send(request).await;
        assert_eq!(
            (reply.status, reply.json()),
            (
                401,
                query_error(&query, "invalid service account credentials")
            )
        );
    }
}

#[tokio::test]
async fn another_project_is_403() {
    let emulator = start_with(Config {
        project_id: 42,
        ..Config::default()
    })
    .await;
    let query = "project_id=1&event=Signup&from_date=2026-11-01&to_date=2026-11-01";
    let reply = segmentation(&emulator, query).await;
    assert_eq!(
        (reply.status, reply.json()),
        (
            403,
            query_error(query, "the service account has no access to project 1")
        )
    );
    let ok = "project_id=42&event=Signup&from_date=2026-11-01&to_date=2026-11-01";
    assert_eq!(segmentation(&emulator, ok).await.status, 200);
}

#[tokio::test]
async fn hourly_rate_limit_is_429() {
    let emulator = start_with(Config {
        query_rate_limit_per_hour: Some(2),
        ..Config::default()
    })
    .await;
    let query = query("Signup", "2026-11-01", "2026-11-01", "");
    // Refused credentials use no quota.
    let url = format!("{}/segmentation?{query}", emulator.query_base_url());
    assert_eq!(send(client().get(&url)).await.status, 401);

    assert_eq!(segmentation(&emulator, &query).await.status, 200);
    assert_eq!(segmentation(&emulator, &query).await.status, 200);
    let reply = segmentation(&emulator, &query).await;
    assert_eq!(
        (reply.status, reply.json()),
        (
            429,
            query_error(
                &query,
                "Query rate limit exceeded: at most 2 queries per hour are allowed for this project"
            )
        )
    );
}

#[tokio::test]
async fn concurrency_limit_is_429() {
    let emulator = start_with(Config {
        query_concurrency_limit: Some(1),
        query_rate_limit_per_hour: None,
        query_latency: Duration::from_millis(1500),
        ..Config::default()
    })
    .await;
    let query = query("Signup", "2026-11-01", "2026-11-01", "");
    let (first, second) = tokio::join!(
        segmentation(&emulator, &query),
        segmentation(&emulator, &query)
    );
    let mut statuses = [first.status, second.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 429]);
    let refused = if first.status == 429 { first } else { second };
    assert_eq!(
        refused.json(),
        query_error(
            &query,
            "Too many concurrent queries: at most 1 queries may run at the same time for this project"
        )
    );
    // The slot is free again once the first query is done.
    assert_eq!(segmentation(&emulator, &query).await.status, 200);
}
