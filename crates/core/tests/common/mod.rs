//! Inputs shared by the core's integration tests: the golden corpus's values files.

use std::path::PathBuf;

pub fn corpus() -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&root)
        .expect("the golden corpus exists")
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with("error-"))
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path().join("values.yaml")).ok()?;
            Some((e.file_name().to_string_lossy().to_string(), text))
        })
        .collect();
    out.sort();
    out
}
