//! Share links: the plan comes back the same, secrets never travel, and bad links are refused
//! with a reason.

use planner::share::{link, read_link, ShareError};
use planner::{plan, Choices, ImplementationId, TlsModel};

const SECRETS: &str = include_str!("fixtures/values-with-secrets.yaml");

fn choices() -> Choices {
    let mut c = Choices::new(ImplementationId::EnvoyGateway);
    c.tls = Some(TlsModel::CertManager);
    c.namespace = Some("zenml".into());
    c
}

/// Every file but the two full values files, which are the user's own file.
fn shared_files(p: &planner::Plan) -> Vec<(planner::FileName, String)> {
    p.files.iter().filter(|f| !f.name.is_whole_values_file()).map(|f| (f.name, f.content.clone())).collect()
}

#[test]
fn a_link_reproduces_the_plan_with_the_same_finding_lines() {
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/golden");
    let mut cases = 0;
    for entry in std::fs::read_dir(corpus).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(values) = std::fs::read_to_string(dir.join("values.yaml")) else { continue };
        for implementation in [ImplementationId::EnvoyGateway, ImplementationId::Gke] {
            let c = Choices::new(implementation);
            let Ok(original) = plan(&values, &c) else { continue };
            let (fragment, made) = link(&values, &c).unwrap();
            let shared = read_link(&format!("#{fragment}")).unwrap();
            assert_eq!(shared.choices, c);
            let again = plan(&shared.values, &shared.choices).unwrap();
            if made.left_out.iter().any(|l| l.contains("REDACTED")) {
                // Snippet values are not shared: the plans differ only where they are quoted.
                for ((name, sent), (_, received)) in shared_files(&original).iter().zip(&shared_files(&again)) {
                    assert_eq!(sent.lines().count(), received.lines().count(), "{name}");
                    for (a, b) in sent.lines().zip(received.lines()) {
                        assert!(a == b || b.contains("REDACTED"), "{}: {name}: {b}", dir.display());
                    }
                }
            } else if made.same_lines {
                assert_eq!(shared_files(&original), shared_files(&again), "{}", dir.display());
            } else {
                // A rewritten layout (flow style, merge keys) moves the settings to other lines:
                // the plan is the same but for the lines its findings point at.
                let unplaced = |p: &planner::Plan| {
                    let mut p = p.clone();
                    for f in &mut p.findings {
                        (f.line, f.column) = (None, None);
                    }
                    (
                        shared_files(&p)
                            .into_iter()
                            .filter(|(n, _)| !matches!(n, planner::FileName::Findings | planner::FileName::Runbook))
                            .collect::<Vec<_>>(),
                        p.findings,
                    )
                };
                assert_eq!(unplaced(&original), unplaced(&again), "{}", dir.display());
            }
            // Only flow style (`{...}`) and merge keys (`<<`) need the settings rewritten.
            assert!(made.same_lines || values.contains('{') || values.contains("<<"), "{}: lines kept", dir.display());
            cases += 1;
        }
    }
    assert!(cases >= 80, "{cases} cases");
}

#[test]
fn secrets_never_enter_the_link_the_runbook_or_the_findings() {
    let (fragment, made) = link(SECRETS, &choices()).unwrap();
    let shared = read_link(&fragment).unwrap();
    assert!(!shared.values.contains("TOPSECRET") && !shared.values.contains("AKIA"), "{}", shared.values);
    assert!(!fragment.contains("TOPSECRET") && !made.text.contains("TOPSECRET"));
    assert!(!made.left_out.is_empty());
    // What the link holds, line for line where it holds anything.
    let kept: Vec<&str> = shared.values.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(
        kept,
        [
            "# Shared from Gateway Planner: only the settings the plan reads; blank lines keep line numbers.",
            "zenml:",
            "  serverURL: https://zenml.prod.example.com",
            "  ingress:",
            "    enabled: true",
            "    className: nginx",
            "    annotations:",
            "      cert-manager.io/cluster-issuer: letsencrypt-prod",
            "      nginx.ingress.kubernetes.io/proxy-body-size: 64m",
            "    host: zenml.prod.example.com",
            "    tls:",
            "      enabled: true",
            "      secretName: zenml-prod-tls",
            "  service:",
            "    port: 80",
        ]
    );
    // Each kept line sits on its original line number; the file ends after the last one.
    let original: Vec<&str> = SECRETS.lines().collect();
    for (i, line) in shared.values.lines().enumerate().skip(1).filter(|(_, l)| !l.is_empty()) {
        assert!(original[i].starts_with(line), "line {}: {line:?} vs {:?}", i + 1, original[i]);
    }
    assert_eq!(shared.values.lines().last(), Some("    port: 80"));
    for expected in [
        "`zenml.auth`",
        "`zenml.database`",
        "`zenml.secretEnvironment`",
        "`zenml.service.type`",
        "`serviceAccount`",
        "comments",
    ] {
        assert!(shared.left_out.iter().any(|l| l == expected), "{expected} in {:?}", shared.left_out);
    }
    // The plan itself never repeats a secret either, from the full file or the link.
    for p in [plan(SECRETS, &choices()).unwrap(), plan(&shared.values, &shared.choices).unwrap()] {
        for file in p.files.iter().filter(|f| !f.name.is_whole_values_file()) {
            assert!(!file.content.contains("TOPSECRET"), "{} repeats a secret", file.name);
        }
        assert_eq!(shared_files(&p), shared_files(&plan(SECRETS, &choices()).unwrap()));
    }
}

#[test]
fn flow_style_is_rewritten_and_said_so() {
    let values = "zenml: {database: {url: 'mysql://u:TOPSECRET@db/z'}, ingress: {host: zenml.example.com, annotations: {nginx.ingress.kubernetes.io/proxy-body-size: 10m}}}\n";
    let (fragment, made) = link(values, &choices()).unwrap();
    let shared = read_link(&fragment).unwrap();
    assert!(!shared.values.contains("TOPSECRET"), "{}", shared.values);
    assert!(!made.same_lines);
    let original = plan(values, &choices()).unwrap();
    let again = plan(&shared.values, &shared.choices).unwrap();
    for name in ["gateway.yaml", "tls.yaml", "overlay-parallel.yaml", "overlay-final.yaml", "policies.yaml"] {
        assert_eq!(original.file(name), again.file(name), "{name}");
    }
}

#[test]
fn a_password_in_a_shared_url_is_redacted() {
    let values =
        "server:\n  serverURL: https://admin:TOPSECRET@zenml.example.com\n  ingress:\n    host: zenml.example.com\n";
    let (fragment, made) = link(values, &choices()).unwrap();
    let shared = read_link(&fragment).unwrap();
    assert!(shared.values.contains("https://REDACTED@zenml.example.com"), "{}", shared.values);
    assert!(!made.text.contains("TOPSECRET"));
    assert!(shared.left_out.iter().any(|l| l.contains("credentials written into URLs")));
}

#[test]
fn bad_links_are_refused_with_a_reason() {
    let made = link(SECRETS, &choices()).unwrap().0;
    assert_eq!(read_link("#section-2"), Err(ShareError::NotALink));
    assert_eq!(read_link(&made.replacen("plan=1.", "plan=2.", 1)), Err(ShareError::NewerFormat(2)));
    let message = read_link(&made.replacen("plan=1.", "plan=2.", 1)).unwrap_err().to_string();
    assert!(message.contains("newer Gateway Planner"), "{message}");
    for broken in [
        made[..made.len() / 2].to_string(),
        made[..made.len() - 1].to_string(),
        format!("{made}A"),
        made.replacen("plan=1.", "plan=1", 1),
        made.replacen("plan=1.", "plan=0.", 1),
        made.replacen("plan=1.", "plan=x.", 1),
        format!("{}*{}", &made[..20], &made[21..]),
        "plan=1.".to_string(),
    ] {
        let err = read_link(&broken).unwrap_err();
        assert!(matches!(err, ShareError::Damaged(_)), "{broken}: {err:?}");
        assert!(err.to_string().contains("damaged or incomplete"), "{err}");
    }
    // Flipping any one character in the data is caught (checksum or structure).
    let data_start = "plan=1.".len();
    for at in (data_start..made.len()).step_by(7) {
        let mut bytes = made.clone().into_bytes();
        bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(bytes).unwrap();
        if let Ok(shared) = read_link(&tampered) {
            panic!("a changed link was read: {:?}", shared.choices);
        }
    }
}

#[test]
fn snippets_and_url_credentials_stay_out_and_lines_stay_put() {
    let values = concat!(
        "zenml:\n",
        "  serverURL: https://ghp_TOPSECRETTOKEN@zenml.example.com/?token=TOPSECRET2&region=eu\n",
        "  ingress:\n",
        "    host: zenml.example.com\n",
        "    annotations:\n",
        "      nginx.ingress.kubernetes.io/configuration-snippet: |\n",
        "        proxy_set_header Authorization \"Basic TOPSECRET3\";\n",
        "        more_set_headers \"X: y\";\n",
        "      nginx.ingress.kubernetes.io/auth-url: https://user:pa/ss@auth.example.com/check\n",
        "      nginx.ingress.kubernetes.io/proxy-body-size: 64m\n",
    );
    let (fragment, made) = link(values, &choices()).unwrap();
    let shared = read_link(&fragment).unwrap();
    for secret in ["TOPSECRET", "ghp_", "pa/ss"] {
        assert!(!shared.values.contains(secret), "{secret} in {}", shared.values);
    }
    assert!(made.same_lines, "{}", shared.values);
    assert_eq!(shared.values.lines().count(), values.lines().count(), "{}", shared.values);
    assert!(shared.values.contains("configuration-snippet: |\n        REDACTED\n"), "{}", shared.values);
    assert!(shared.values.contains("?token=REDACTED&region=eu"), "{}", shared.values);
    assert!(made.left_out.iter().any(|l| l.contains("configuration-snippet")));
    let again = plan(&shared.values, &shared.choices).unwrap();
    assert_eq!(again.file("gateway.yaml"), plan(values, &choices()).unwrap().file("gateway.yaml"));
}

#[test]
fn a_merged_block_is_rewritten_from_the_keys_the_plan_reads() {
    let values =
        "common: &c {password: TOPSECRET, host: zenml.example.com}\nserver: {ingress: {<<: *c, enabled: true}}\n";
    let (fragment, made) = link(values, &choices()).unwrap();
    let shared = read_link(&fragment).unwrap();
    assert!(!made.same_lines);
    assert!(!shared.values.contains("TOPSECRET") && !shared.values.contains("password"), "{}", shared.values);
    let again = plan(&shared.values, &shared.choices).unwrap();
    assert_eq!(again.resolved.host.as_deref(), Some("zenml.example.com"));
}

/// The link for `values`, read back: what it holds and the plan it makes, checked against the
/// sender's (the two may differ only on lines that show REDACTED).
fn shared_values(values: &str) -> String {
    let (fragment, made) = link(values, &choices()).unwrap();
    let shared = read_link(&fragment).unwrap();
    assert_eq!(made.text.split_once("\n\n").unwrap().1, shared.values);
    let sent = plan(values, &choices()).unwrap();
    let received = plan(&shared.values, &shared.choices).unwrap();
    for ((name, a), (_, b)) in shared_files(&sent).iter().zip(&shared_files(&received)) {
        assert_eq!(a.lines().count(), b.lines().count(), "{name}");
        for (a, b) in a.lines().zip(b.lines()) {
            assert!(a == b || b.contains("REDACTED"), "{name}: {b}");
        }
    }
    shared.values
}

fn url_values(server_url: &str) -> String {
    format!("server:\n  serverURL: {server_url}\n  ingress:\n    enabled: true\n    host: zenml.example.com\n")
}

#[test]
fn a_token_in_a_url_fragment_is_redacted() {
    let shared = shared_values(&url_values("https://zenml.example.com/login#access_token=TOPSECRET&state=x"));
    assert!(!shared.contains("TOPSECRET"), "{shared}");
    assert!(shared.contains("serverURL: \"https://zenml.example.com/login#REDACTED\""), "{shared}");
}

#[test]
fn a_password_with_spaces_or_quotes_in_user_info_is_redacted_to_the_last_at() {
    for (url, secret) in [
        ("'https://admin:top secret pass@zenml.example.com'", "secret pass"),
        (r#""https://admin:top \"secret\" pass@zenml.example.com""#, "secret"),
        ("'https://admin:it''s@secret@zenml.example.com'", "secret"),
        ("https://admin:pa/ss#wo?rd@zenml.example.com/x", "wo?rd"),
    ] {
        let shared = shared_values(&url_values(url));
        assert!(!shared.contains(secret) && !shared.contains("admin"), "{url}: {shared}");
        assert!(shared.contains("https://REDACTED@zenml.example.com"), "{url}: {shared}");
    }
    // Inside other text a URL ends at white space, unless its user info is still open there.
    assert_eq!(
        planner::share::redact_secrets("curl https://u:pa ss@auth.example.com/x -o out").as_deref(),
        Some("curl https://REDACTED@auth.example.com/x -o out")
    );
    // An `@` in a path is no user info.
    assert_eq!(planner::share::redact_secrets("https://zenml.example.com/users/@me"), None);
}

#[test]
fn bearer_tokens_and_authorization_headers_are_redacted() {
    // In annotation values the planner reads, and in the values it keeps.
    let values = concat!(
        "server:\n",
        "  ingress:\n",
        "    enabled: true\n",
        "    host: zenml.example.com\n",
        "    annotations:\n",
        "      nginx.ingress.kubernetes.io/rewrite-target: \"/ Authorization: Bearer eyJTOPSECRET1\"\n",
        "      example.com/upstream-auth: \"Authorization: Basic dXNlcjpTOPSECRET2\"\n",
        "      example.com/token: Bearer eyJhbGciOiJTOPSECRET3\n",
        "  dashboardURL: \"https://zenml.example.com/?x=1 Authorization: Bearer eyJTOPSECRET4\"\n",
    );
    let shared = shared_values(values);
    assert!(!shared.contains("TOPSECRET"), "{shared}");
    // The keys stay, so findings still name every annotation.
    for key in ["rewrite-target", "example.com/upstream-auth", "example.com/token"] {
        assert!(shared.contains(key), "{key}: {shared}");
    }
    assert_eq!(
        planner::share::redact_secrets("Authorization: Bearer abc.def.ghi1").as_deref(),
        Some("Authorization: REDACTED")
    );
    assert_eq!(planner::share::redact_secrets("token Zm9vYmFyYmF6MTIz").as_deref(), Some("token REDACTED"));
    assert_eq!(planner::share::redact_secrets("Basic auth for everyone"), None);
}

#[test]
fn secrets_in_webhook_url_paths_are_redacted() {
    let webhook = "https://hooks.slack.com/services/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h";
    let shared = shared_values(&format!(
        "server:\n  dashboardURL: {webhook}\n  ingress:\n    enabled: true\n    host: zenml.example.com\n    annotations:\n      example.com/alert-webhook: {webhook}\n"
    ));
    assert!(!shared.contains("TOPSECRET"), "{shared}");
    assert!(
        shared.contains("dashboardURL: \"https://hooks.slack.com/services/T0AB12CD3/B0EF45GH6/REDACTED\""),
        "{shared}"
    );
    assert!(shared.contains("example.com/alert-webhook: REDACTED"), "{shared}");
    // Names, versions and words in paths stay.
    assert_eq!(planner::share::redact_secrets("https://zenml.example.com/zenml-server/v0.94.3/dashboard"), None);
}

#[test]
fn only_the_annotation_values_the_planner_reads_travel() {
    let values = concat!(
        "server:\n",
        "  ingress:\n",
        "    enabled: true\n",
        "    className: nginx\n",
        "    host: zenml.example.com\n",
        "    annotations:\n",
        "      nginx.ingress.kubernetes.io/proxy-body-size: 64m\n",
        "      nginx.ingress.kubernetes.io/proxy-read-timeout: \"300\"\n",
        "      nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8\n",
        "      cert-manager.io/cluster-issuer: letsencrypt-prod\n",
        "      nginx.ingress.kubernetes.io/auth-url: https://auth.example.com/check?team=TOPSECRET1\n",
        "      nginx.ingress.kubernetes.io/cors-allow-origin: https://TOPSECRET2.example.com\n",
        "      example.com/anything: TOPSECRET3\n",
        "      nginx.ingress.kubernetes.io/server-snippet: |\n",
        "        set $TOPSECRET4 1;\n",
    );
    let (fragment, made) = link(values, &choices()).unwrap();
    let shared = shared_values(values);
    assert!(!shared.contains("TOPSECRET"), "{shared}");
    for kept in [
        "proxy-body-size: 64m",
        "proxy-read-timeout: \"300\"",
        "whitelist-source-range: 10.0.0.0/8",
        "cluster-issuer: letsencrypt-prod",
        "auth-url: REDACTED",
        "cors-allow-origin: REDACTED",
        "example.com/anything: REDACTED",
        "server-snippet: |\n        REDACTED\n",
    ] {
        assert!(shared.contains(kept), "{kept}: {shared}");
    }
    assert!(made.same_lines);
    let note =
        read_link(&fragment).unwrap().left_out.into_iter().find(|l| l.contains("annotations the plan does not read"));
    let note = note.expect("the left-out list names the annotations whose values stay behind");
    assert!(
        note.contains("`nginx.ingress.kubernetes.io/auth-url`") && note.contains("`example.com/anything`"),
        "{note}"
    );
    // The receiver's findings still name each annotation, with the value shown as REDACTED.
    let received = plan(&shared, &choices()).unwrap();
    let findings = received.file("findings.json").unwrap();
    assert!(findings.contains("nginx.ingress.kubernetes.io/cors-allow-origin: REDACTED"), "{findings}");
}

#[test]
fn a_rewritten_link_redacts_the_same_way() {
    let values = "server: {serverURL: 'https://u:p w@zenml.example.com/#access_token=TOPSECRET1', ingress: {host: zenml.example.com, annotations: {example.com/hook: TOPSECRET2, nginx.ingress.kubernetes.io/proxy-body-size: 8m}}}\n";
    let (fragment, made) = link(values, &choices()).unwrap();
    assert!(!made.same_lines);
    let shared = read_link(&fragment).unwrap();
    assert!(!shared.values.contains("TOPSECRET") && !shared.values.contains("p w"), "{}", shared.values);
    assert!(shared.values.contains("8m"), "{}", shared.values);
    assert!(shared.left_out.iter().any(|l| l.contains("credentials written into URLs")), "{:?}", shared.left_out);
}

#[test]
fn a_zlib_bomb_is_refused_without_unpacking_it() {
    // 64 MiB of zeros pack into about 64 KB; unpacking stops at the limit (8 MiB and a bit).
    let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![0u8; 64 << 20], 1);
    assert!(bomb.len() < 512 << 10, "{}", bomb.len());
    let fragment = planner::share::fragment(&bomb);
    let err = read_link(&fragment).unwrap_err();
    assert!(err.to_string().contains("unpacks to more than a values file can be"), "{err}");
}

/// external-dns is Auto (absent from the text), On or Off, and each comes back as it went;
/// links made before Off existed never wrote `false`, so absent still means Auto.
#[test]
fn external_dns_auto_on_and_off_survive_a_link() {
    use planner::share::{choices_from_text, choices_to_text};
    for setting in [None, Some(true), Some(false)] {
        let mut choices = choices();
        choices.external_dns = setting;
        let text = choices_to_text(&choices);
        assert_eq!(text.contains("externalDns"), setting.is_some(), "{text}");
        assert_eq!(choices_from_text(&text).unwrap().external_dns, setting, "{text}");
    }
    assert_eq!(choices_from_text("implementation=istio\n").unwrap().external_dns, None);
    assert!(choices_from_text("implementation=istio\nexternalDns=maybe\n").is_err());
}

/// Off wins over the Ingress's external-dns annotations: the runbook edits the record instead of
/// moving its ownership, and the plan says which it did and why.
#[test]
fn external_dns_off_overrides_the_annotations() {
    let values = "server:\n  ingress:\n    enabled: true\n    host: zenml.example.com\n    annotations:\n      external-dns.alpha.kubernetes.io/hostname: zenml.example.com\n";
    let mut choices = choices();
    let auto = planner::plan(values, &choices).unwrap();
    assert!(auto.resolved.external_dns && auto.resolved.external_dns_in_values);
    assert!(auto.file("runbook.md").unwrap().contains("--source=gateway-httproute"));
    choices.external_dns = Some(false);
    let off = planner::plan(values, &choices).unwrap();
    assert!(!off.resolved.external_dns && off.resolved.external_dns_in_values);
    let runbook = off.file("runbook.md").unwrap();
    assert!(!runbook.contains("--source=gateway-httproute"), "no ownership move when the user says Off");
    assert!(runbook.contains("TTL"));
}
