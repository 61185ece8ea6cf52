// Message values of every type (enums of the payload and headers, an integer, an object)
// embedded with `{$…}` in `regex` and `jsonpath` criteria of a receive step, and as their
// context, compile: each is substituted as text or queried untyped.
arazzo::arazzo_workflow!("./asyncapi_embedded_conditions.yml");

fn main() {
    let _ = Client::builder().broker_status_local("mqtt://127.0.0.1:1883");
}
