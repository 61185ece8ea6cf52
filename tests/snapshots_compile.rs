//! The generated-code snapshots of `arazzo-compiler/tests/snapshots/` must compile against this
//! crate: each is included as a module here.

#![allow(dead_code)]

mod mixpanel {
    include!("../arazzo-compiler/tests/snapshots/mixpanel.rs");
}

mod type_mappings {
    include!("../arazzo-compiler/tests/snapshots/type_mappings.rs");
}

mod track_then_segment {
    include!("../arazzo-compiler/tests/snapshots/track_then_segment.rs");
}

mod cross_file_refs {
    include!("../arazzo-compiler/tests/snapshots/cross_file_refs.rs");
}

mod oauth {
    include!("../arazzo-compiler/tests/snapshots/oauth.rs");
}

#[test]
fn snapshots_compile() {
    let _ = mixpanel::Client::builder();
    let _ = type_mappings::Client::builder();
    let _ = track_then_segment::Client::builder();
    let _ = cross_file_refs::Client::builder();
    let _ = oauth::Client::builder();
}
