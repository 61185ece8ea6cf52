// Pins the JSON Schema → Rust mapping: this file only compiles if every generated item has
// exactly the type written here.
use std::collections::BTreeMap;

arazzo::arazzo_workflow!("./type_mappings.yml");

use funnels_and_insights as w;
// The named schemas of source `queryApi`: one type each, shared by every step and workflow.
use query_api as q;

#[allow(dead_code)]
fn types(out: w::Outputs, step: w::ListFunnelsOutputs, insights: w::InsightsOutputs, segment: w::SegmentOutputs) {
    // Inputs: required → T, optional → Option<T>, enum → enum, nested object → struct,
    // array → Vec, additionalProperties → BTreeMap, keyword → trailing underscore.
    let inputs = w::Inputs {
        project_id: 1_i64,
        unit: w::InputsUnit::Week,
        filter: w::InputsFilter {
            event: String::from("Signup"),
            where_: Some(String::from("properties.plan == 'pro'")),
            limit: None::<i64>,
        },
        bookmark: None::<i64>,
        ratio: Some(0.5_f64),
        verbose: Some(true),
        tags: Some(Vec::<String>::new()),
        labels: Some(BTreeMap::<String, String>::new()),
        type_: Some(String::new()),
        aggregation: None::<w::InputsAggregation>, // default `unique` applied when sent
        max_segments: None::<i64>,                 // default 10 applied when sent
        shade: None::<w::InputsShade>,             // `null` among the enum values: nullable
        window: Some(w::InputsWindow { to: Some(String::from("2026-11-29")) }), // optional object
    };
    assert_eq!(inputs.unit.as_str(), "week");
    assert_eq!(inputs.unit.to_string(), "week");

    // Outputs: arrays of generated structs, optional properties, status and headers.
    // The whole body of the success response is always there: not an Option.
    let funnels: Vec<q::FunnelSummary> = step.funnels; // items: $ref FunnelSummary
    if let Some(first) = funnels.into_iter().next() {
        let _: Option<i64> = first.funnel_id;
        let _: Option<String> = first.name;
    }
    let _: Option<String> = step.first_name;
    let _: u16 = step.status;
    let _: String = step.content_type;
    let range: Option<q::InsightsResponseDateRange> = insights.range; // a part of InsightsResponse
    if let Some(range) = range {
        let _: Option<String> = range.from_date;
    }
    let _: Option<BTreeMap<String, BTreeMap<String, arazzo::__private::serde_json::Value>>> = insights.series;
    let _: Vec<String> = segment.series;
    let _: Option<i64> = segment.legend;
    let _: Vec<q::FunnelSummary> = out.funnels;
    let _: Option<q::InsightsResponseDateRange> = out.range;
    let _: Vec<String> = out.series;
}

fn main() {}
