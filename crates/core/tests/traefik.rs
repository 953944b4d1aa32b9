//! Traefik is configured through its install: these tests hold the values the runbook gives the
//! chart (traefik/traefik 41.3.0, `tests/helm-charts/traefik-41.3.0/`) against the chart itself,
//! merged over its defaults as Helm merges them, for every corpus input and TLS model:
//! - they pass the chart's values schema, as `helm install` checks them;
//! - every listener of gateway.yaml names the port of one of the chart's entry points, exposed on
//!   80 or 443, and a plain-HTTP listener only an entry point that does not end TLS itself
//!   (Traefik refuses other listeners with `PortUnavailable`);
//! - the runbook installs exactly these values;
//! - TLS at an AWS NLB puts the NLB's annotations on the install's one Service, not the Gateway.

mod common;

use planner::behaviour::Behaviour;
use planner::implementations::traefik::{helm_values, read_timeout, ENTRY_POINT_PORTS};
use planner::plan::{CloudLbTls, Tls};
use planner::values::Document;
use planner::{plan, Choices, ImplementationId, Model, Plan, TlsModel};
use serde_json::Value;
use std::path::PathBuf;

fn chart_file(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/helm-charts/traefik-41.3.0").join(name);
    std::fs::read_to_string(path).unwrap()
}

fn yaml_to_json(text: &str) -> Value {
    let doc = Document::parse(text).expect("YAML parses");
    doc.root.expect("a document").to_json(&mut 10_000_000).expect("small")
}

/// The chart's default values.
fn chart_defaults() -> Value {
    yaml_to_json(&chart_file("values.yaml"))
}

/// Helm's merge of user values over the chart's: maps merge key by key, anything else replaces.
fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => {
            for (key, value) in over {
                merge(base.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
        (base, over) => *base = over.clone(),
    }
}

/// Every plan for Traefik the corpus gives, with its model and the values of its install.
fn plans() -> Vec<(String, Model, Plan, Value)> {
    let mut out = Vec::new();
    for (case, text) in common::corpus() {
        for tls in TlsModel::ALL {
            let mut choices = Choices::new(ImplementationId::Traefik);
            choices.tls = Some(tls);
            let Ok(plan) = plan(&text, &choices) else { continue };
            let model = planner::plan::build_model(&text, &choices, &mut Vec::new()).expect("plans like plan()");
            let values = serde_json::to_value(helm_values(&model, &Behaviour::of(&model.release))).unwrap();
            out.push((format!("{case} {}", tls.slug()), model, plan, values));
        }
    }
    assert!(out.len() > 100, "only {} plans", out.len());
    out
}

fn gateway(plan: &Plan) -> Value {
    plan.file("gateway.yaml")
        .unwrap()
        .split("\n---\n")
        .map(yaml_to_json)
        .find(|o| o["kind"] == "Gateway")
        .expect("a Gateway")
}

#[test]
fn the_install_values_pass_the_charts_schema() {
    let schema: Value = serde_json::from_str(&chart_file("values.schema.json")).unwrap();
    let validator = jsonschema::draft202012::new(&schema).expect("the chart's schema compiles");
    let defaults = chart_defaults();
    assert!(validator.is_valid(&defaults), "the chart's own defaults pass");
    // The schema refuses what the chart does not know: a misspelt key fails.
    let mut misspelt = defaults.clone();
    merge(&mut misspelt, &serde_json::json!({"podDisruptionBudget": {"minAvailabel": 1}}));
    assert!(!validator.is_valid(&misspelt));
    for (what, _, _, values) in plans() {
        let mut merged = defaults.clone();
        merge(&mut merged, &values);
        let errors: Vec<String> =
            validator.iter_errors(&merged).map(|e| format!("{e} at {}", e.instance_path)).collect();
        assert!(errors.is_empty(), "{what}: {errors:?}\n{values:#}");
    }
}

#[test]
fn every_listener_port_is_an_entry_point_port_of_the_chart() {
    let defaults = chart_defaults();
    let ports = &defaults["ports"];
    assert_eq!(ports["web"]["port"], ENTRY_POINT_PORTS.http);
    assert_eq!(ports["websecure"]["port"], ENTRY_POINT_PORTS.https);
    for (what, _, plan, values) in plans() {
        let mut merged = defaults.clone();
        merge(&mut merged, &values);
        assert_eq!(merged["providers"]["kubernetesGateway"]["enabled"], true, "{what}");
        let entry_points = merged["ports"].as_object().unwrap();
        for listener in gateway(&plan)["spec"]["listeners"].as_array().unwrap() {
            let (name, port, protocol) = (&listener["name"], &listener["port"], &listener["protocol"]);
            let matching: Vec<(&String, &Value)> = entry_points.iter().filter(|(_, ep)| ep["port"] == *port).collect();
            assert_eq!(matching.len(), 1, "{what}: listener {name} on {port}: one entry point, got {matching:?}");
            let (entry_point, config) = matching[0];
            // Clients reach it through the Service on 80 or 443, as the runbook's tests do.
            assert_eq!(config["expose"]["default"], true, "{what}: {entry_point} is exposed");
            let exposed = if protocol == "HTTP" && *port == ENTRY_POINT_PORTS.http { 80 } else { 443 };
            assert_eq!(config["exposedPort"], exposed, "{what}: {entry_point}");
            let ends_tls = config["http"]["tls"]["enabled"] == true;
            match protocol.as_str().unwrap() {
                // Traefik passes over an entry point with HTTP TLS for a plain-HTTP listener.
                "HTTP" => assert!(!ends_tls, "{what}: plain-HTTP listener {name} on {entry_point}, which ends TLS"),
                "HTTPS" => assert!(ends_tls, "{what}: HTTPS listener {name} on {entry_point}"),
                other => panic!("{what}: listener protocol {other}"),
            }
        }
    }
}

#[test]
fn the_runbook_installs_exactly_these_values() {
    for (what, _, plan, values) in plans() {
        let runbook = common::join_continuations(plan.file("runbook.md").unwrap());
        let mut lines = runbook.lines().skip_while(|l| !l.starts_with("helm install traefik traefik/traefik "));
        let install = lines.next().unwrap_or_else(|| panic!("{what}: no helm install"));
        assert!(install.contains("--version 41.3.0 -n traefik-gateway --create-namespace -f - <<'EOF'"), "{install}");
        let body: Vec<&str> = lines.take_while(|l| *l != "EOF").collect();
        assert_eq!(yaml_to_json(&body.join("\n")), values, "{what}");
        // Checked right after the install: two replicas, the budget, the flags the values set.
        for check in [
            "kubectl wait --timeout=5m -n traefik-gateway deployment/traefik --for=condition=Available",
            "kubectl get deployment traefik -n traefik-gateway   # READY 2/2",
            "kubectl get pdb traefik -n traefik-gateway   # MIN AVAILABLE 1, ALLOWED DISRUPTIONS 1",
        ] {
            assert!(runbook.contains(check), "{what}: {check}");
        }
        // The rollback removes the install only once no Gateway of the class is left.
        let uninstall = runbook.find("helm uninstall traefik -n traefik-gateway").expect("uninstall");
        let last_gateway_check = runbook.find("gatewayClassName==\"traefik\"").expect("a check first");
        assert!(last_gateway_check < uninstall, "{what}");
    }
}

#[test]
fn tls_at_an_nlb_goes_to_the_installs_service_and_its_entry_point_stops_ending_tls() {
    let mut nlb_plans = 0;
    for (what, model, plan, values) in plans() {
        let gateway = gateway(&plan);
        // Traefik creates no Service per Gateway: nothing would read Gateway annotations.
        assert!(gateway["spec"]["infrastructure"].is_null(), "{what}");
        let annotations = &values["service"]["annotations"];
        if let Tls::CloudLb(CloudLbTls::AwsNlbAcm { certificate_arn }) = &model.tls {
            nlb_plans += 1;
            assert_eq!(annotations["service.beta.kubernetes.io/aws-load-balancer-type"], "external", "{what}");
            assert_eq!(annotations["service.beta.kubernetes.io/aws-load-balancer-ssl-ports"], "443", "{what}");
            match certificate_arn {
                Some(arn) => assert_eq!(annotations["service.beta.kubernetes.io/aws-load-balancer-ssl-cert"], *arn),
                None => assert!(annotations["service.beta.kubernetes.io/aws-load-balancer-ssl-cert"].is_null()),
            }
            assert_eq!(values["ports"]["websecure"]["http"]["tls"]["enabled"], false, "{what}");
        } else {
            assert!(values["service"].is_null(), "{what}: no load balancer settings without cloud-lb");
            assert!(values["ports"]["websecure"]["http"].is_null(), "{what}: websecure keeps its TLS");
        }
    }
    assert!(nlb_plans > 10, "{nlb_plans}");
}

fn read_timeout_of(values: &str) -> String {
    let model = planner::plan::build_model(values, &Choices::new(ImplementationId::Traefik), &mut Vec::new()).unwrap();
    read_timeout(&Behaviour::of(&model.release))
}

#[test]
fn the_read_timeout_follows_what_the_ingress_allowed() {
    let ingress = |class: &str, annotations: &str| {
        format!("server:\n  ingress:\n    enabled: true\n    className: {class}\n    host: zenml.example.com\n    annotations: {{{annotations}}}\n")
    };
    // ingress-nginx waits 60 s between reads by default: ten times that.
    assert_eq!(read_timeout_of(&ingress("nginx", "")), "10m");
    assert_eq!(read_timeout_of(&ingress("nginx", "nginx.ingress.kubernetes.io/proxy-read-timeout: '300'")), "50m");
    assert_eq!(
        read_timeout_of(&ingress(
            "alb",
            "alb.ingress.kubernetes.io/load-balancer-attributes: idle_timeout.timeout_seconds=900"
        )),
        "150m"
    );
    // GCE allows 30 s for a whole response: never under ten minutes.
    assert_eq!(read_timeout_of(&ingress("gce", "")), "10m");
    // Traefik set no timeout towards ZenML: none here either.
    assert_eq!(read_timeout_of(&ingress("traefik", "")), "0s");
    // Every value is a Go duration, which Traefik parses.
    for (what, _, _, values) in plans() {
        for entry_point in ["web", "websecure"] {
            let t = values["ports"][entry_point]["transport"]["respondingTimeouts"]["readTimeout"].as_str().unwrap();
            let (digits, unit) = t.split_at(t.len() - 1);
            assert!(digits.parse::<u64>().is_ok() && ["s", "m", "h"].contains(&unit), "{what}: {t}");
        }
    }
}
