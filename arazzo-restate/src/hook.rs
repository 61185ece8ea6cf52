//! TEMPORARY stand-in for the runtime hook until it lands on main.
#![allow(missing_docs, dead_code)]
use serde::{Serialize, de::DeserializeOwned};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
pub type Effect<'a, T> = Pin<Box<dyn Future<Output = Result<T, EffectError>> + Send + 'a>>;
#[derive(Debug)]
pub struct EffectError {
    pub message: String,
    pub retryable: bool,
}
pub trait Journal: Send + Sync {
    fn effect<'a>(&'a self, name: &'a str, effect: Effect<'a, Vec<u8>>) -> Effect<'a, Vec<u8>>;
    fn sleep<'a>(&'a self, duration: Duration) -> Effect<'a, ()>;
    fn step_completed(
        &self,
        _workflow: &'static str,
        _step: &'static str,
        _outputs: &serde_json::Value,
    ) {
    }
}
pub trait Workflow: 'static {
    type Client: Clone + Send + Sync + 'static;
    type Inputs: Serialize + DeserializeOwned + Send + 'static;
    type Outputs: Serialize + DeserializeOwned + Send + 'static;
    const ID: &'static str;
    fn run_journaled<'a>(
        client: &'a Self::Client,
        inputs: Self::Inputs,
        journal: &'a dyn Journal,
    ) -> Pin<Box<dyn Future<Output = Result<Self::Outputs, arazzo::Error>> + Send + 'a>>;
}
