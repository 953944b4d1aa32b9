//! Inputs shared by the core's integration tests: the golden corpus's values files.

use std::path::PathBuf;

#[allow(dead_code)]
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

/// `text` (a runbook, or one of its bash blocks) with every continuation line joined to the line
/// it continues: a line ending in `\` loses the `\`, the line break and the next line's
/// indentation, as bash reads it. Tests that read commands a line at a time read the runbook
/// through this, so they see each command whole, the way it was before long commands were broken
/// (no other line of a runbook ends in `\`: runbook_layout checks it).
#[allow(dead_code)]
pub fn join_continuations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut continued = false;
    let mut lines = text.split('\n').peekable();
    while let Some(mut line) = lines.next() {
        if continued {
            line = line.trim_start_matches([' ', '\t']);
        }
        let last = lines.peek().is_none();
        continued = !last && line.ends_with('\\');
        out.push_str(if continued { &line[..line.len() - 1] } else { line });
        if !continued && !last {
            out.push('\n');
        }
    }
    out
}
