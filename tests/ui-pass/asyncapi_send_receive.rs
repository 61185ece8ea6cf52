// The specification's pet-order send/receive pair generates: a broker method per AsyncAPI
// server (URL and credentials) and a typed output read from the received message.
arazzo::arazzo_workflow!("./asyncapi_send_receive.yml");

fn order_id(outputs: &order::Outputs) -> i64 {
    outputs.order_id
}

fn main() {
    let _ = Client::builder()
        .broker_orders_local_kafka("kafka://127.0.0.1:9092")
        .broker_orders_local_kafka_credentials(arazzo::message::Credentials::user_password(
            "user", "password",
        ));
    let _ = order_id;
}
