//! Replays every input a fuzz campaign found to crash (saved under `tests/fuzz-regressions/<target>/`)
//! through the same harness the fuzz targets run, so a fixed crash stays fixed without nightly.

mod harness;

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions").join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        let data = std::fs::read(&path).expect("readable input");
        // A panic names the input that caused it.
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{target}: {} panics again", path.display());
        count += 1;
    }
    assert!(count > 0, "no saved inputs under {}", dir.display());
}

#[test]
fn values_parser_and_editor_inputs() {
    replay("values", harness::values);
}

#[test]
fn whole_plan_inputs() {
    replay("plan", harness::whole_plan);
}

#[test]
fn share_link_inputs() {
    replay("share", harness::share);
}
