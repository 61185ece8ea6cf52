//! Schema `default`s of optional inputs are applied when the caller leaves them `None`.

arazzo::arazzo_workflow!("tests/fixtures/segment_with_defaults.yml");

async fn sent_query(
    aggregation: Option<segment::InputsAggregation>,
    unit: Option<&str>,
) -> Vec<(String, String)> {
    let (_addr, emulator) = mixpanel_emulator::start().await.expect("emulator starts");
    let config = emulator.config().clone();
    let client = Client::builder()
        .base_url_query_api(emulator.query_base_url())
        .query_api_basic_auth(
            &config.service_account_username,
            &config.service_account_secret,
        )
        .build()
        .expect("client builds");
    let today = mixpanel_emulator::today_utc();
    let out = segment::run(
        &client,
        segment::Inputs {
            project_id: config.project_id,
            event_name: "Signup".to_owned(),
            from_date: today.clone(),
            to_date: today.clone(),
            aggregation,
            unit: unit.map(str::to_owned),
        },
    )
    .await
    .expect("workflow succeeds");
    // One bucket: the day itself, or the Monday of its week with `unit=week`.
    assert_eq!(out.series.len(), 1, "{:?}", out.series);
    let requests = emulator.requests();
    assert_eq!(requests.len(), 1);
    requests[0].query.clone()
}

fn value<'q>(query: &'q [(String, String)], name: &str) -> Option<&'q str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn defaults_are_sent_when_inputs_are_none() {
    let query = sent_query(None, None).await;
    assert_eq!(value(&query, "type"), Some("unique"));
    assert_eq!(value(&query, "unit"), Some("day"));
}

#[tokio::test]
async fn given_values_win_over_defaults() {
    let query = sent_query(Some(segment::InputsAggregation::General), Some("week")).await;
    assert_eq!(value(&query, "type"), Some("general"));
    assert_eq!(value(&query, "unit"), Some("week"));
}
