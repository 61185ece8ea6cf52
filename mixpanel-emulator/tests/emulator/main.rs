//! Black-box tests of the Mixpanel emulator over real HTTP on 127.0.0.1.

mod common;
mod http;
mod identity;
mod segmentation;
mod track;
