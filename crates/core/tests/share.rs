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
fn shared_files(p: &planner::Plan) -> Vec<(String, String)> {
    p.files.iter().filter(|f| !f.name.starts_with("values-")).map(|f| (f.name.clone(), f.content.clone())).collect()
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
            } else {
                assert_eq!(shared_files(&original), shared_files(&again), "{}", dir.display());
            }
            // Only flow style (`{...}`) needs the settings rewritten.
            assert!(made.same_lines || values.contains('{'), "{}: lines kept", dir.display());
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
        for file in p.files.iter().filter(|f| !f.name.starts_with("values-")) {
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
