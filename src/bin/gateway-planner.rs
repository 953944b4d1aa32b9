//! `gateway-planner plan VALUES_FILE --implementation IMPL ... --out DIR`: argument parsing and
//! file writing around the planning core.

use planner::implementations::Implementation;
use planner::{plan, Choices, DeployedWith, PlanError, TlsModel};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The usage text; `{implementations}` stands for the registry's slugs.
const USAGE: &str =
    "usage: gateway-planner plan VALUES_FILE --implementation IMPL [--gateway-name N] [--gateway-namespace NS]
                             [--namespace RELEASE_NS] [--release RELEASE] [--tls MODEL] [--issuer KIND/NAME]
                             [--certificate-arn ARN] [--host HOST] [--chart-version V]
                             [--external-dns | --no-external-dns]
                             [--deployed-with helm|argocd|flux] [--gateway-address ADDRESS]
                             (--out DIR | --json)

  IMPL   {implementations}
  MODEL  cert-manager | existing-secret | cloud-lb | none   (default: what the ingress implies)
  --external-dns   external-dns manages the hostname (the default when the ingress has its
                   annotations); --no-external-dns: it does not, whatever the annotations say
  --deployed-with  how the release is deployed: helm (default), argocd or flux; under GitOps each
                   phase is a commit and a sync instead of a helm upgrade
  --gateway-address  the Gateway's address once it exists (an IP, or a DNS name on EKS): a host
                   that cannot be moved (nip.io, a load balancer's own name) becomes a new name

Writes values-parallel.yaml, values-final.yaml, overlay-parallel.yaml, overlay-final.yaml,
gateway.yaml, tls.yaml (when TLS needs objects), findings.json and runbook.md into DIR,
or prints the whole plan as one JSON object with --json. The two full values files hold your
whole values (database URLs, keys): they are written readable by you alone (mode 0600).";

struct Args {
    values: PathBuf,
    choices: Choices,
    out: Option<PathBuf>,
    json: bool,
}

fn usage() -> String {
    USAGE.replace("{implementations}", &Implementation::slugs().join(" | "))
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("gateway-planner: {message}\n\n{}", usage());
    ExitCode::from(2)
}

fn parse_args(raw: Vec<String>) -> Result<Args, String> {
    let mut it = raw.into_iter();
    match it.next().as_deref() {
        Some("plan") => {}
        Some("-h") | Some("--help") | None => return Err(String::new()),
        Some(other) => return Err(format!("unknown command {other:?} (the command is `plan`)")),
    }
    let mut values = None;
    let mut implementation = None;
    let mut opts: Vec<(String, String)> = Vec::new();
    let mut out = None;
    let mut json = false;
    let mut external_dns = None;
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "--json" => json = true,
            "--external-dns" => external_dns = Some(true),
            "--no-external-dns" => external_dns = Some(false),
            "-h" | "--help" => return Err(String::new()),
            f if f.starts_with("--") => {
                let value = match inline {
                    Some(v) => v,
                    None => it.next().ok_or_else(|| format!("{f} needs a value"))?,
                };
                match f {
                    "--implementation" => implementation = Some(value),
                    "--out" => out = Some(PathBuf::from(value)),
                    "--gateway-name"
                    | "--gateway-namespace"
                    | "--namespace"
                    | "--release"
                    | "--tls"
                    | "--issuer"
                    | "--certificate-arn"
                    | "--host"
                    | "--chart-version"
                    | "--deployed-with"
                    | "--gateway-address" => opts.push((f.to_string(), value)),
                    other => return Err(format!("unknown option {other}")),
                }
            }
            _ if values.is_none() => values = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    let values = values.ok_or("VALUES_FILE is missing")?;
    let implementation = implementation
        .ok_or_else(|| format!("--implementation is required ({})", Implementation::slugs().join(", ")))?;
    let implementation = Implementation::from_slug(&implementation).ok_or_else(|| {
        format!("--implementation: unknown {implementation:?}; choose one of {}", Implementation::slugs().join(", "))
    })?;
    let mut choices = Choices::new(implementation.id);
    choices.external_dns = external_dns;
    for (flag, value) in opts {
        match flag.as_str() {
            "--gateway-name" => choices.gateway_name = Some(value),
            "--gateway-namespace" => choices.gateway_namespace = Some(value),
            "--namespace" => choices.namespace = Some(value),
            "--release" => choices.release = Some(value),
            "--tls" => {
                choices.tls = Some(TlsModel::from_slug(&value).ok_or_else(|| {
                    format!("--tls: unknown {value:?}; choose one of cert-manager, existing-secret, cloud-lb, none")
                })?)
            }
            "--issuer" => choices.issuer = Some(value),
            "--certificate-arn" => choices.certificate_arn = Some(value),
            "--host" => choices.host = Some(value),
            "--chart-version" => choices.chart_version = Some(value),
            "--gateway-address" => choices.gateway_address = Some(value),
            "--deployed-with" => {
                choices.deployed_with = DeployedWith::from_slug(&value)
                    .ok_or_else(|| format!("--deployed-with: unknown {value:?}; choose one of helm, argocd, flux"))?
            }
            _ => unreachable!("listed above"),
        }
    }
    if out.is_none() && !json {
        return Err("give --out DIR or --json".into());
    }
    Ok(Args { values, choices, out, json })
}

/// Writes `content` readable by the owner alone, also over an existing file with a wider mode.
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        // An existing file keeps its old mode on open: narrow it before anything is written.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        let mut file = file;
        file.write_all(content.as_bytes())
    }
    #[cfg(not(unix))]
    {
        options.open(path)?.write_all(content.as_bytes())
    }
}

fn write_plan(dir: &Path, files: &[planner::PlanFile]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for f in files {
        let path = dir.join(f.name.as_str());
        // The whole values file holds the user's secrets.
        if f.name.is_whole_values_file() {
            write_private(&path, &f.content)?;
        } else {
            std::fs::write(path, &f.content)?;
        }
    }
    // A tls.yaml from an earlier run with another TLS model would contradict this plan.
    if !files.iter().any(|f| f.name == planner::FileName::Tls) {
        let stale = dir.join(planner::FileName::Tls.as_str());
        if stale.exists() {
            std::fs::remove_file(stale)?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1).collect()) {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            println!("{}", usage());
            return ExitCode::SUCCESS;
        }
        Err(e) => return usage_error(&e),
    };
    let shown = args.values.display().to_string();
    let bytes = match std::fs::read(&args.values) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{shown}:1:1: cannot read the file: {e}");
            return ExitCode::from(2);
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let column = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
            eprintln!("{shown}:{line}:{column}: the file is not UTF-8 text");
            return ExitCode::from(2);
        }
    };
    let plan = match plan(&text, &args.choices) {
        Ok(p) => p,
        Err(PlanError::Values(e)) => {
            eprintln!("{shown}:{}:{}: {}", e.line, e.column, e.message);
            return ExitCode::from(2);
        }
        Err(e @ PlanError::Choice { .. }) => {
            eprintln!("gateway-planner: {e}");
            return ExitCode::from(2);
        }
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&plan).expect("the plan serialises"));
    }
    if let Some(dir) = &args.out {
        if let Err(e) = write_plan(dir, &plan.files) {
            eprintln!("gateway-planner: cannot write {}: {e}", dir.display());
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}
