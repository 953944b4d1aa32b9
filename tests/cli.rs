//! The CLI's own promises around the files it writes and the options it takes.

use std::fs;
use std::process::Command;

const VALUES: &str = "server:\n  database:\n    url: mysql://zenml:s3cret@db.internal:3306/zenml\n  ingress:\n    host: zenml.example.com\n";

fn run(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    fs::write(dir.join("values.yaml"), VALUES).unwrap();
    Command::new(env!("CARGO_BIN_EXE_gateway-planner"))
        .current_dir(dir)
        .arg("plan")
        .arg("values.yaml")
        .args(args)
        .output()
        .unwrap()
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gateway-planner-cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[cfg(unix)]
#[test]
fn the_full_values_files_are_readable_by_their_owner_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("modes");
    let out = dir.join("out");
    fs::create_dir_all(&out).unwrap();
    // A file from an earlier run, readable by everyone, must not keep its mode.
    fs::write(out.join("values-final.yaml"), "old").unwrap();
    fs::set_permissions(out.join("values-final.yaml"), fs::Permissions::from_mode(0o644)).unwrap();
    let result = run(&["--implementation", "envoy-gateway", "--out", "out"], &dir);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let mode = |name: &str| fs::metadata(out.join(name)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode("values-parallel.yaml"), 0o600);
    assert_eq!(mode("values-final.yaml"), 0o600);
    assert!(fs::read_to_string(out.join("values-final.yaml")).unwrap().contains("s3cret"));
    // The other files hold no secret and keep the usual mode.
    assert_ne!(mode("runbook.md") & 0o044, 0, "runbook.md is shareable");
    let runbook = fs::read_to_string(out.join("runbook.md")).unwrap();
    assert!(runbook.contains("do not commit them in plain text"), "{runbook}");
}

#[test]
fn deployed_with_takes_three_values() {
    let dir = scratch("deployed-with");
    for (value, expect) in
        [("helm", "helm upgrade"), ("argocd", "argocd app sync"), ("flux", "flux reconcile helmrelease")]
    {
        let result = run(&["--implementation", "istio", "--deployed-with", value, "--out", value], &dir);
        assert!(result.status.success(), "{value}: {}", String::from_utf8_lossy(&result.stderr));
        assert!(fs::read_to_string(dir.join(value).join("runbook.md")).unwrap().contains(expect), "{value}");
    }
    let result = run(&["--implementation", "istio", "--deployed-with", "kustomize", "--out", "x"], &dir);
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr)
        .contains("--deployed-with: unknown \"kustomize\"; choose one of helm, argocd, flux"));
}
