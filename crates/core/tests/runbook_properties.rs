//! Properties of every runbook a user relies on, over the golden inputs × implementations × TLS
//! models × ways of deploying: each section can be run on its own in a new shell (phases run days
//! apart), GitOps runbooks never call Helm on the release, and tests reach the Gateway in a way
//! that works when its address is a DNS name.

mod common;

use planner::plan::TlsModel;
use planner::{plan, ChoiceField, Choices, DeployedWith, FindingCode, ImplementationId};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::BTreeSet;

/// Every implementation in the registry.
fn implementations() -> impl Iterator<Item = ImplementationId> + Clone {
    planner::IMPLEMENTATIONS.iter().map(|i| i.id)
}

/// The runbook's `##` sections, each with its bash blocks, continuation lines joined (so each
/// command is one line, as the checks below read them).
fn sections(runbook: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let (mut heading, mut block): (Option<String>, Option<String>) = (None, None);
    for event in Parser::new_ext(runbook, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { level: HeadingLevel::H2, .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => out.push((heading.take().unwrap_or_default(), Vec::new())),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info == "bash" => {
                block = Some(String::new())
            }
            Event::Text(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t)
                } else if let Some(b) = block.as_mut() {
                    b.push_str(&t)
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let (Some(b), Some(last)) = (block.take(), out.last_mut()) {
                    last.1.push(common::join_continuations(&b));
                }
            }
            _ => {}
        }
    }
    out
}

/// Shell variables a script reads and sets, outside single quotes, comments and quoted
/// here-documents (which the shell does not expand).
fn variables(script: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut used, mut set) = (BTreeSet::new(), BTreeSet::new());
    let mut heredoc_end: Option<String> = None;
    for line in script.lines() {
        if let Some(end) = &heredoc_end {
            if line == end {
                heredoc_end = None;
            }
            continue;
        }
        if let Some(i) = line.find("<<'") {
            heredoc_end = line[i + 3..].split('\'').next().map(str::to_string);
        }
        let chars: Vec<char> = line.chars().collect();
        let (mut i, mut single, mut word_start) = (0, false, true);
        while i < chars.len() {
            let c = chars[i];
            if single {
                single = c != '\'';
            } else if c == '\'' {
                single = true;
            } else if c == '#' && word_start {
                break;
            } else if c == '$' {
                let rest: String = chars[i + 1..].iter().collect();
                let name: String = rest
                    .trim_start_matches('{')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                    used.insert(name);
                }
            } else if word_start && (c.is_ascii_uppercase()) {
                let name: String = chars[i..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '_').collect();
                if chars.get(i + name.len()) == Some(&'=') {
                    set.insert(name.clone());
                }
            }
            word_start = c.is_whitespace() || c == ';' || c == '(' || c == '|' || c == '&';
            i += 1;
        }
    }
    (used, set)
}

fn every_runbook(mut check: impl FnMut(&str, &str)) {
    for (name, values) in common::corpus() {
        for implementation in implementations() {
            for tls in TlsModel::ALL {
                for deployed_with in DeployedWith::ALL {
                    let mut choices = Choices::new(implementation);
                    choices.tls = Some(tls);
                    choices.deployed_with = deployed_with;
                    if let Ok(p) = plan(&values, &choices) {
                        let label = format!("{name} {implementation:?} {tls:?} {deployed_with:?}");
                        check(&label, p.file("runbook.md").unwrap());
                    }
                }
            }
        }
    }
}

#[test]
fn each_section_sets_every_variable_it_uses() {
    let mut checked = 0;
    every_runbook(|label, runbook| {
        for (heading, blocks) in sections(runbook) {
            let mut set = BTreeSet::new();
            for block in &blocks {
                let (used, sets) = variables(block);
                set.extend(sets);
                let missing: Vec<_> = used.difference(&set).collect();
                assert!(
                    missing.is_empty(),
                    "{label}: section {heading:?} uses {missing:?} before setting it:\n{block}"
                );
            }
        }
        checked += 1;
    });
    assert!(checked > 1000, "{checked}");
}

#[test]
fn gitops_runbooks_never_run_helm_on_the_release() {
    every_runbook(|label, runbook| {
        let commands: String = sections(runbook).into_iter().flat_map(|(_, b)| b).collect();
        let gitops = !commands.contains("helm upgrade zenml") && !commands.contains("helm upgrade '");
        if label.ends_with("ArgoCd") || label.ends_with("Flux") {
            for line in commands.lines().filter(|l| !l.trim_start().starts_with('#')) {
                let helm_on_release = line.starts_with("helm upgrade")
                    && !line.starts_with("helm upgrade cert-manager")
                    || line.starts_with("helm rollback");
                assert!(!helm_on_release, "{label}: {line}");
            }
            assert!(gitops);
            let sync = if label.ends_with("ArgoCd") { "argocd app sync" } else { "flux reconcile helmrelease" };
            // Phase 1 and its rollback at least (a plan waiting for a new name stops after phase 1).
            assert!(commands.matches(sync).count() >= 2, "{label}: every values change syncs");
        } else {
            assert!(commands.contains("helm upgrade"), "{label}");
        }
        if label.ends_with("ArgoCd") {
            // The command, not its comment (which may point at another install's release).
            let on_release = |l: &&str| {
                let command = l.split("   #").next().unwrap_or_default();
                (command.contains("helm list") || command.contains("helm get values"))
                    && !command.contains("cert-manager")
            };
            assert!(!commands.lines().any(|l| on_release(&l)), "{label}: Argo CD has no Helm release");
        }
    });
}

#[test]
fn tests_reach_the_gateway_by_ip_or_by_name() {
    every_runbook(|label, runbook| {
        let commands: String = sections(runbook).into_iter().flat_map(|(_, b)| b).collect();
        // `--resolve` takes an IP address only; EKS gives the Gateway a DNS name.
        assert!(!commands.contains("--resolve"), "{label}");
        for line in commands.lines().filter(|l| l.contains("/etc/hosts")) {
            assert!(line.contains("$GATEWAY_IP"), "{label}: /etc/hosts holds IP addresses only: {line}");
        }
    });
}

#[test]
fn an_issuer_the_values_name_is_never_redefined_or_edited() {
    every_runbook(|label, runbook| {
        let commands: String = sections(runbook).into_iter().flat_map(|(_, b)| b).collect();
        for line in commands.lines().filter(|l| l.contains("issuers.cert-manager.io")) {
            assert!(!line.contains("kubectl edit") && !line.contains("kubectl apply"), "{label}: {line}");
        }
    });
    for (name, values) in common::corpus() {
        for implementation in implementations() {
            let mut choices = Choices::new(implementation);
            choices.tls = Some(TlsModel::CertManager);
            let Ok(p) = plan(&values, &choices) else { continue };
            let Some(named) = ["cert-manager.io/cluster-issuer", "cert-manager.io/issuer"].iter().find_map(|k| {
                values.lines().find_map(|l| {
                    l.trim().strip_prefix(&format!("{k}:")).map(|v| v.trim().trim_matches('"').to_string())
                })
            }) else {
                continue;
            };
            if let Some(tls) = p.file("tls.yaml") {
                assert!(!tls.contains(&format!("name: {named}\n")), "{name}: tls.yaml redefines {named}:\n{tls}");
            }
            let gateway = p.file("gateway.yaml").unwrap();
            // Without a hostname cert-manager issues nothing, and the Gateway names no issuer.
            assert!(
                // A host that cannot be moved gets an explicit Certificate instead of gateway-shim.
                p.resolved.host.is_none()
                    || p.resolved.host_moves
                    || gateway.contains(&format!("issuer: {named}-gateway")),
                "{name}: the Gateway gets its own issuer:\n{gateway}"
            );
        }
    }
}

/// Hosts whose record nobody can point at the Gateway, in the forms operators' files use.
const UNMOVABLE_HOSTS: &[&str] = &[
    "zenml.192.168.10.20.nip.io",
    "zenml-10-0-0-7.sslip.io",
    "34.120.1.2.nip.io",
    "a1b2c3d4e5f6-1234567890.eu-west-1.elb.amazonaws.com",
    "zenml-demo.westeurope.cloudapp.azure.com",
];

fn unmovable(host: &str, tls: bool) -> String {
    let tls = if tls { "    tls:\n      enabled: true\n      secretName: zenml-tls\n" } else { "" };
    format!("server:\n  serverURL: https://{host}\n  ingress:\n    host: {host}\n    annotations:\n      cert-manager.io/cluster-issuer: letsencrypt-prod\n{tls}")
}

#[test]
fn no_listener_route_or_dns_record_for_a_name_nobody_can_move() {
    for host in UNMOVABLE_HOSTS {
        for implementation in implementations() {
            for tls in TlsModel::ALL {
                for address in [None, Some("203.0.113.10"), Some("k8s-gateway-abc.elb.eu-west-1.amazonaws.com")] {
                    let mut choices = Choices::new(implementation);
                    choices.tls = Some(tls);
                    choices.gateway_address = address.map(str::to_string);
                    let label = format!("{host} {implementation:?} {tls:?} {address:?}");
                    let p = match plan(&unmovable(host, true), &choices) {
                        Ok(p) => p,
                        // A TLS model the implementation cannot serve is refused outright.
                        Err(planner::PlanError::Choice { option, .. })
                            if option == ChoiceField::Tls
                                && planner::Implementation::get(implementation).refusal(tls).is_some() =>
                        {
                            continue;
                        }
                        // A load balancer's own name and an IP address give no name: the choice says so.
                        Err(planner::PlanError::Choice { option, .. }) => {
                            assert_eq!(option, ChoiceField::GatewayAddress, "{label}");
                            assert!(host.contains(".elb.") || host.contains("cloudapp"), "{label}");
                            continue;
                        }
                        Err(e) => panic!("{label}: {e}"),
                    };
                    let gateway = p.file("gateway.yaml").unwrap();
                    assert!(
                        !gateway.contains(&format!("hostname: {host}")),
                        "{label}: a listener on {host}:\n{gateway}"
                    );
                    assert!(!gateway.contains(&format!("- {host}")), "{label}: a redirect route on {host}:\n{gateway}");
                    let runbook = &common::join_continuations(p.file("runbook.md").unwrap());
                    assert!(!runbook.contains("Lower the TTL"), "{label}: a DNS record nobody owns");
                    assert!(!runbook.contains(&format!("Point `{host}`")), "{label}");
                    assert!(p.findings.iter().any(|f| f.code == FindingCode::HostCannotMove), "{label}");
                    if let Some(address) = address {
                        let new = p.resolved.host.clone().unwrap();
                        assert_ne!(&new, host);
                        if address.parse::<std::net::Ipv4Addr>().is_ok() {
                            assert!(new.contains(address), "{label}: {new}");
                        } else {
                            assert_eq!(new, address);
                        }
                        let parallel = p.file("values-parallel.yaml").unwrap();
                        assert!(parallel.contains(&format!("host: {new}")), "{label}:\n{parallel}");
                        assert!(
                            parallel.contains(&format!(
                                "serverURL: {}://{new}",
                                if tls == TlsModel::None { "http" } else { "https" }
                            )),
                            "{label}:\n{parallel}"
                        );
                        if tls == TlsModel::CertManager {
                            let tls_yaml = p.file("tls.yaml").unwrap();
                            assert!(
                                tls_yaml.contains("kind: Certificate") && tls_yaml.contains(&format!("- {new}")),
                                "{label}:\n{tls_yaml}"
                            );
                        }
                    } else {
                        assert!(runbook.contains("NEW_HOST="), "{label}: the runbook derives the new name");
                    }
                }
            }
        }
    }
}

#[test]
fn new_names_keep_the_wildcard_form() {
    use planner::plan::{host_kind, new_host, HostKind};
    let k = host_kind("zenml.192.168.10.20.nip.io");
    assert_eq!(k, HostKind::WildcardDns { prefix: "zenml".into(), service: "nip.io".into() });
    assert_eq!(new_host(&k, "203.0.113.10").unwrap(), "zenml.203.0.113.10.nip.io");
    assert_eq!(new_host(&host_kind("34.120.1.2.nip.io"), "203.0.113.10").unwrap(), "203.0.113.10.nip.io");
    assert_eq!(new_host(&host_kind("zenml-10-0-0-7.sslip.io"), "203.0.113.10").unwrap(), "zenml.203.0.113.10.sslip.io");
    assert_eq!(host_kind("zenml.example.com"), HostKind::Owned);
    assert_eq!(host_kind("nip.io.example.com"), HostKind::Owned);
    assert_eq!(host_kind("a-1.elb.amazonaws.com"), HostKind::LoadBalancer);
    assert!(new_host(&HostKind::LoadBalancer, "203.0.113.10").is_err());
    assert_eq!(
        new_host(&HostKind::LoadBalancer, "k8s-gw.elb.eu-west-1.amazonaws.com").unwrap(),
        "k8s-gw.elb.eu-west-1.amazonaws.com"
    );
    assert!(new_host(&k, "2001:db8::1").is_err());
    assert!(new_host(&k, "not a name").is_err());
}

#[test]
fn the_gateway_never_takes_the_ingress_reserved_address() {
    let mut checked = 0;
    for (name, values) in common::corpus() {
        let Some(reserved) = values.lines().find_map(|l| {
            l.trim()
                .strip_prefix("kubernetes.io/ingress.global-static-ip-name:")
                .map(|v| v.trim().trim_matches('"').to_string())
        }) else {
            continue;
        };
        for tls in TlsModel::ALL {
            for deployed_with in DeployedWith::ALL {
                let mut choices = Choices::new(ImplementationId::Gke);
                choices.tls = Some(tls);
                choices.deployed_with = deployed_with;
                let Ok(p) = plan(&values, &choices) else { continue };
                let gateway = p.file("gateway.yaml").unwrap();
                assert!(
                    !gateway.contains(&format!("value: {reserved}\n")),
                    "{name}: the Gateway takes {reserved}:\n{gateway}"
                );
                assert!(gateway.contains("type: NamedAddress"), "{name}: a reserved address of its own");
                let runbook = common::join_continuations(p.file("runbook.md").unwrap());
                let reserve = runbook.find("gcloud compute addresses create").expect("the runbook reserves it");
                assert!(
                    reserve < runbook.find("kubectl create -f gateway.yaml").unwrap(),
                    "{name}: reserved before the Gateway"
                );
                // The old address moves only after phase 3, when the Ingress has let it go.
                let phase3 = runbook.find("## 6. Phase 3").unwrap();
                let patch = runbook.find("\"addresses\"").expect("the optional move");
                assert!(patch > phase3, "{name}");
                checked += 1;
            }
        }
    }
    assert!(checked > 0);
}
