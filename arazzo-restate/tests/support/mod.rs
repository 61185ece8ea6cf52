//! What the durable tests start: a real `restate-server`, and the test service in a process
//! of its own.

pub mod process;
pub mod restate;

pub use process::{Service, Targets, proc_status_kib};
pub use restate::{Restate, free_port, restate_server_binary, wait_until};
