// Pins the type mapping of the seed workflow: this file only compiles if every generated
// field has exactly the type the OpenAPI schemas call for.
use std::collections::BTreeMap;

arazzo::arazzo_workflow!("../../workflows/mixpanel.yml");

#[allow(dead_code)]
fn types(out: identity_resolve_and_track::Outputs) {
    let _: i64 = out.identity_status;
    let _: i64 = out.track_status;
    let _: BTreeMap<String, BTreeMap<String, f64>> = out.values;
    let _ = identity_resolve_and_track::Inputs {
        project_token: String::new(),
        project_id: 1_i64,
        identified_id: String::new(),
        anon_id: String::new(),
        event_name: String::new(),
        from_date: String::new(),
        to_date: String::new(),
    };
    let _: ClientBuilder = Client::builder()
        .base_url_identity_api("http://127.0.0.1:1")
        .base_url_ingestion_api("http://127.0.0.1:1")
        .base_url_query_api("http://127.0.0.1:1/api/2.0")
        .identity_api_basic_auth("user", "secret")
        .query_api_basic_auth("user", "secret")
        .request_timeout(std::time::Duration::from_secs(5));
}

fn main() {}
