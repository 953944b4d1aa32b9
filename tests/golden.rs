//! The golden corpus: each folder under tests/golden holds `values.yaml`, `options` (the CLI
//! flags) and `expected/` (every file the CLI writes, or `stderr.txt` and `exit-code` for input
//! it refuses). This test runs the real CLI on each case and compares every byte.
//! `UPDATE_GOLDEN=1 cargo test --test golden` rewrites `expected/` (review the diff line by line).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn read_dir_files(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            out.insert(name, fs::read_to_string(e.path()).expect("golden files are text"));
        }
    }
    out
}

fn run_case(case: &Path, update: bool) -> Result<(), String> {
    let options = fs::read_to_string(case.join("options")).map_err(|e| format!("options: {e}"))?;
    let out_dir = std::env::temp_dir().join(format!(
        "gateway-planner-golden-{}-{}",
        std::process::id(),
        case.file_name().unwrap().to_string_lossy()
    ));
    let _ = fs::remove_dir_all(&out_dir);
    let output = Command::new(env!("CARGO_BIN_EXE_gateway-planner"))
        .current_dir(case)
        .arg("plan")
        .arg("values.yaml")
        .args(options.split_whitespace())
        .arg("--out")
        .arg(&out_dir)
        .output()
        .map_err(|e| format!("cannot run the CLI: {e}"))?;
    let mut actual = read_dir_files(&out_dir);
    let code = output.status.code().unwrap_or(-1);
    if code != 0 {
        if out_dir.exists() {
            return Err(format!("exit code {code}, but files were written to {}", out_dir.display()));
        }
        actual.insert("stderr.txt".into(), String::from_utf8_lossy(&output.stderr).to_string());
        actual.insert("exit-code".into(), format!("{code}\n"));
    }
    let _ = fs::remove_dir_all(&out_dir);
    let expected_dir = case.join("expected");
    if update {
        let _ = fs::remove_dir_all(&expected_dir);
        fs::create_dir_all(&expected_dir).unwrap();
        for (name, content) in &actual {
            fs::write(expected_dir.join(name), content).unwrap();
        }
        return Ok(());
    }
    let expected = read_dir_files(&expected_dir);
    let mut problems = Vec::new();
    for name in expected.keys().chain(actual.keys()).collect::<std::collections::BTreeSet<_>>() {
        match (expected.get(name), actual.get(name)) {
            (Some(e), Some(a)) if e == a => {}
            (Some(e), Some(a)) => {
                let line = e
                    .lines()
                    .zip(a.lines())
                    .position(|(x, y)| x != y)
                    .unwrap_or(e.lines().count().min(a.lines().count()));
                problems.push(format!(
                    "{name} differs at line {}:\n  expected: {:?}\n  actual:   {:?}",
                    line + 1,
                    e.lines().nth(line).unwrap_or("<end>"),
                    a.lines().nth(line).unwrap_or("<end>")
                ));
            }
            (Some(_), None) => problems.push(format!("{name} was not written")),
            (None, Some(_)) => problems.push(format!("{name} was written but is not in expected/")),
            (None, None) => unreachable!(),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[test]
fn golden_corpus() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut cases: Vec<PathBuf> =
        fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    assert!(cases.len() >= 16, "the corpus has {} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            run_case(case, update).err().map(|e| format!("== {}\n{e}", case.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} golden cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
