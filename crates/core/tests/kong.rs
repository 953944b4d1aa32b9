//! What a Kong plan's users rely on, for every corpus input, TLS model and way of deploying:
//! ZenML's Service carries valid Kong timeouts before phase 1 creates the route (otherwise the
//! chart's event-stream rule gives Kong 0 ms, which it refuses, freezing the Gateway's
//! configuration), every Kong object an annotation names exists before that too, the rollback
//! keeps the timeouts while a route exists, and listener certificates carry the label Kong
//! Operator reads Secrets by.

mod common;

use planner::shell::quote;
use planner::values::Document;
use planner::{plan, Choices, DeployedWith, FindingCode, ImplementationId, Plan, TlsModel};
use serde_json::Value;

fn kong_plans() -> Vec<(String, String, Plan)> {
    let mut out = Vec::new();
    for (case, text) in common::corpus() {
        for tls in TlsModel::ALL {
            for deployed_with in DeployedWith::ALL {
                let mut choices = Choices::new(ImplementationId::Kong);
                choices.tls = Some(tls);
                choices.deployed_with = deployed_with;
                let Ok(plan) = plan(&text, &choices) else { continue };
                out.push((format!("{case} {} {}", tls.slug(), deployed_with.slug()), text.clone(), plan));
            }
        }
    }
    assert!(out.len() > 100, "only {} Kong plans", out.len());
    out
}

fn yaml_objects(text: &str) -> Vec<Value> {
    text.split("\n---\n")
        .filter_map(|doc| Document::parse(doc).ok()?.root?.to_json(&mut 1_000_000))
        .filter(|o| o.is_object())
        .collect()
}

/// The runbook's text from `heading` to the next `## ` heading.
fn section<'a>(runbook: &'a str, heading: &str) -> &'a str {
    let start = runbook.find(heading).unwrap_or_else(|| panic!("no {heading}"));
    let rest = &runbook[start + heading.len()..];
    &runbook[start..start + heading.len() + rest.find("\n## ").unwrap_or(rest.len())]
}

fn annotate_command(plan: &Plan) -> String {
    format!(
        "kubectl annotate service {} -n {} --overwrite ",
        quote(&plan.resolved.fullname),
        quote(&plan.resolved.namespace)
    )
}

#[test]
fn the_service_timeouts_and_named_objects_are_in_place_before_the_route_exists() {
    for (label, _, plan) in kong_plans() {
        let runbook = &common::join_continuations(plan.file("runbook.md").unwrap());
        let phase1 = section(runbook, "## 4. Phase 1");
        let route_created = ["values-parallel.yaml", "overlay-parallel.yaml"]
            .iter()
            .filter_map(|f| phase1.find(f))
            .min()
            .unwrap_or_else(|| panic!("{label}: phase 1 applies the parallel values"));
        let annotate = phase1.find(&annotate_command(&plan)).unwrap_or_else(|| panic!("{label}: no annotate"));
        assert!(annotate < route_created, "{label}: the Service is annotated before the route exists");
        let line = phase1[annotate..].lines().next().unwrap();
        for key in ["konghq.com/connect-timeout", "konghq.com/read-timeout", "konghq.com/write-timeout"] {
            let value = line
                .split(' ')
                .find_map(|w| w.strip_prefix(&format!("{key}=")))
                .unwrap_or_else(|| panic!("{label}: {key} in {line}"));
            let ms: u64 = value.parse().unwrap_or_else(|_| panic!("{label}: {key}={value} is whole milliseconds"));
            assert!((1..=(1 << 31) - 2).contains(&ms), "{label}: Kong takes 1 ms to 2^31 - 2 ms, not {ms}");
        }
        let webhook = phase1.find("validatingwebhookconfigurations").expect("the webhook check");
        assert!(webhook < route_created, "{label}: the webhook is checked before the upgrade it would refuse");

        let policies = plan.file("policies.yaml").map(yaml_objects).unwrap_or_default();
        if !policies.is_empty() {
            let applied = phase1.find("kubectl apply -f policies.yaml").expect("policies applied");
            assert!(applied < route_created, "{label}: the policies exist before the route names them");
        }
        let defined = |kind: &str, name: &str| {
            policies.iter().any(|p| {
                p["kind"] == kind
                    && p["metadata"]["name"] == name
                    && p["metadata"]["namespace"] == plan.resolved.namespace
            })
        };
        // The Service's policy annotation names an object of policies.yaml.
        if let Some(name) = line.split(' ').find_map(|w| w.strip_prefix("konghq.com/upstream-policy=")) {
            assert!(defined("KongUpstreamPolicy", name), "{label}: {name} is defined");
        }
        // The route's plugin annotation, written into the values, names one too.
        let values = Document::parse(plan.file("values-parallel.yaml").unwrap()).unwrap();
        let annotations = values.root.as_ref().and_then(|r| {
            r.get_path(&[plan.resolved.values_key.as_str(), "gateway", "annotations"])?.to_json(&mut 100_000)
        });
        let annotations = annotations.unwrap_or_else(|| panic!("{label}: the route gets annotations"));
        if let Some(Value::String(name)) = annotations.get("konghq.com/plugins") {
            assert!(defined("KongPlugin", name), "{label}: {name} is defined");
        }
        assert_eq!(
            policies.iter().any(|p| p["kind"] == "KongPlugin"),
            annotations.get("konghq.com/plugins").is_some(),
            "{label}"
        );
        assert_eq!(annotations["konghq.com/response-buffering"], "false", "{label}");
    }
}

#[test]
fn the_rollback_removes_the_timeouts_only_once_no_route_needs_them() {
    for (label, text, plan) in kong_plans() {
        let runbook = common::join_continuations(plan.file("runbook.md").unwrap());
        let rollback = section(&runbook, "## 7. Rollback");
        let removal = rollback.find("konghq.com/read-timeout-");
        let model = planner::plan::build_model(&text, &Choices::new(ImplementationId::Kong), &mut Vec::new()).unwrap();
        if model.release.gateway.enabled.value {
            assert!(removal.is_none(), "{label}: the original values keep the route, so its timeouts stay");
        } else {
            let removal = removal.unwrap_or_else(|| panic!("{label}: the annotations go with the route"));
            let platform = rollback.find("To remove the platform side").expect("the platform's removal");
            assert!(platform < removal, "{label}: after the phase 1 rollback took the route away");
        }
    }
}

#[test]
fn listener_certificates_carry_the_label_kong_operator_reads_secrets_by() {
    for (label, _, plan) in kong_plans() {
        let runbook = common::join_continuations(plan.file("runbook.md").unwrap());
        let gateway = yaml_objects(plan.file("gateway.yaml").unwrap())
            .into_iter()
            .find(|o| o["kind"] == "Gateway")
            .expect("a Gateway");
        let secret_template = gateway["metadata"]["annotations"]["cert-manager.io/secret-template"].as_str();
        let issues_for_listener = gateway["metadata"]["annotations"]
            .as_object()
            .is_some_and(|a| a.keys().any(|k| k == "cert-manager.io/cluster-issuer" || k == "cert-manager.io/issuer"));
        if issues_for_listener {
            let template: Value = serde_json::from_str(secret_template.expect("a secret template")).unwrap();
            assert_eq!(template["labels"]["konghq.com/secret"], "true", "{label}");
        }
        match plan.resolved.tls {
            TlsModel::ExistingSecret => assert!(
                runbook.contains("kubectl label secret ") && runbook.contains(" konghq.com/secret=true"),
                "{label}"
            ),
            TlsModel::CertManager => {
                for copy in runbook.lines().filter(|l| l.contains("\"cert-manager.io/certificate-name\"")) {
                    assert!(copy.contains("labels: {\"konghq.com/secret\": \"true\"}"), "{label}: {copy}");
                }
                for certificate in plan.file("tls.yaml").map(yaml_objects).unwrap_or_default() {
                    if certificate["kind"] == "Certificate" {
                        assert_eq!(
                            certificate["spec"]["secretTemplate"]["labels"]["konghq.com/secret"], "true",
                            "{label}"
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

/// A Kong plugin Kong refuses would stop every later configuration change on the Gateway: an
/// allow list with an entry that is no address or CIDR gets no plugin, and a finding says so.
#[test]
fn an_allow_list_kong_would_refuse_makes_no_plugin() {
    let text = "server:\n  ingress:\n    host: zenml.example.com\n    annotations:\n      nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8, office\n";
    let mut choices = Choices::new(ImplementationId::Kong);
    choices.tls = Some(TlsModel::None);
    let plan = plan(text, &choices).unwrap();
    assert!(plan.file("policies.yaml").is_none_or(|p| !p.contains("KongPlugin")));
    let lost = plan.findings.iter().find(|f| f.code == FindingCode::ClientNetworksLost).expect("a finding");
    assert!(lost.message.contains("not an IP address or CIDR"), "{}", lost.message);
    assert!(!plan.file("values-parallel.yaml").unwrap().contains("konghq.com/plugins"));
}
