//! Every Kubernetes object the planner emits, for every corpus input, implementation and TLS
//! model: it deserialises into its typed struct and serialises back unchanged, and it validates
//! against the upstream CRD schema (strictly: unknown fields are errors) and the Gateway
//! listener rules the schema leaves to CEL.

mod common;

use planner::values::Document;
use planner::{plan, Choices, TlsModel, IMPLEMENTATIONS};
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;

fn strictify(schema: &mut Value) {
    if let Value::Object(map) = schema {
        let is_object_with_properties =
            map.get("type") == Some(&Value::String("object".into())) && map.contains_key("properties");
        let preserves = map.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true));
        if is_object_with_properties && !map.contains_key("additionalProperties") && !preserves {
            map.insert("additionalProperties".into(), Value::Bool(false));
        }
        for (_, v) in map.iter_mut() {
            strictify(v);
        }
    } else if let Value::Array(items) = schema {
        items.iter_mut().for_each(strictify);
    }
}

/// (group, kind, version) -> validator
fn schemas() -> HashMap<(String, String, String), jsonschema::Validator> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/crds");
    let mut out = HashMap::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.path().extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for doc in split_documents(&text) {
            let crd = to_json(&doc);
            if crd["kind"] != "CustomResourceDefinition" {
                continue;
            }
            let group = crd["spec"]["group"].as_str().unwrap().to_string();
            let kind = crd["spec"]["names"]["kind"].as_str().unwrap().to_string();
            for version in crd["spec"]["versions"].as_array().unwrap() {
                let mut schema = version["schema"]["openAPIV3Schema"].clone();
                schema["properties"]["metadata"] = serde_json::json!({"type": "object"});
                strictify(&mut schema);
                let validator = jsonschema::draft7::new(&schema).expect("CRD schemas compile");
                out.insert((group.clone(), kind.clone(), version["name"].as_str().unwrap().to_string()), validator);
            }
        }
    }
    out
}

fn split_documents(text: &str) -> Vec<String> {
    let mut docs = vec![String::new()];
    for line in text.lines() {
        if line.trim_end() == "---" {
            docs.push(String::new());
        } else if !line.trim_start().starts_with("{{") {
            let last = docs.last_mut().unwrap();
            last.push_str(line);
            last.push('\n');
        }
    }
    docs.into_iter().filter(|d| d.lines().any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))).collect()
}

fn to_json(text: &str) -> Value {
    let doc = Document::parse(text).expect("emitted YAML parses");
    doc.root.expect("a document").to_json(&mut 1_000_000).expect("small")
}

fn listener_rules(gateway: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let mut names = std::collections::HashSet::new();
    for l in gateway["spec"]["listeners"].as_array().unwrap() {
        let name = l["name"].as_str().unwrap_or("");
        if !names.insert(name.to_string()) {
            errors.push(format!("listener name {name} is not unique"));
        }
        let protocol = l["protocol"].as_str().unwrap_or("");
        if matches!(protocol, "HTTP" | "TCP" | "UDP") && !l["tls"].is_null() {
            errors.push(format!("listener {name}: tls must not be set for {protocol}"));
        }
        if protocol == "HTTPS" && !l["tls"].is_null() {
            if l["tls"]["mode"].as_str().unwrap_or("Terminate") != "Terminate" {
                errors.push(format!("listener {name}: HTTPS needs mode Terminate"));
            }
            if l["tls"]["certificateRefs"].as_array().is_none_or(|r| r.is_empty()) && l["tls"]["options"].is_null() {
                errors.push(format!("listener {name}: certificateRefs or options required"));
            }
        }
    }
    errors
}

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(object: &Value) -> Value {
    let typed: T = serde_json::from_value(object.clone()).unwrap_or_else(|e| panic!("{e}: {object:#}"));
    let mut back = serde_json::to_value(&typed).unwrap();
    back.as_object_mut().unwrap().retain(|k, v| !(k == "status" && v.is_null()));
    back
}

/// Kubernetes' own kinds, through k8s-openapi's structs (which drop what Kubernetes does not
/// define); None for every other kind.
fn core_kind_round_trip(object: &Value) -> Option<Value> {
    use k8s_openapi::api::{core::v1::ConfigMap, policy::v1::PodDisruptionBudget};
    Some(match (object["apiVersion"].as_str()?, object["kind"].as_str()?) {
        ("v1", "ConfigMap") => round_trip::<ConfigMap>(object),
        ("policy/v1", "PodDisruptionBudget") => round_trip::<PodDisruptionBudget>(object),
        _ => return None,
    })
}

#[test]
fn every_emitted_object_round_trips_and_matches_its_schema() {
    let validators = schemas();
    assert!(validators.len() >= 6, "loaded {} schemas", validators.len());
    let mut checked = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for (case, text) in common::corpus() {
        for implementation in IMPLEMENTATIONS {
            // With a Gateway address, a host that cannot be moved becomes a new name (and
            // cert-manager gets an explicit Certificate for it).
            for (tls, address) in TlsModel::ALL.into_iter().flat_map(|t| [(t, None), (t, Some("203.0.113.10"))]) {
                let mut choices = Choices::new(implementation.id);
                choices.tls = Some(tls);
                choices.gateway_address = address.map(str::to_string);
                let Ok(plan) = plan(&text, &choices) else { continue };
                for file in ["gateway.yaml", "tls.yaml", "policies.yaml"] {
                    let Some(content) = plan.file(file) else { continue };
                    for doc in split_documents(content) {
                        let object = to_json(&doc);
                        let api_version = object["apiVersion"].as_str().unwrap();
                        let kind = object["kind"].as_str().unwrap().to_string();
                        if let Some(round_tripped) = core_kind_round_trip(&object) {
                            // Kubernetes' own kinds: no CRD; k8s-openapi's structs know every field.
                            assert_eq!(round_tripped, object, "{case}: {kind} has a field Kubernetes does not define");
                            kinds.insert(kind);
                            checked += 1;
                            continue;
                        }
                        let (group, version) = api_version.rsplit_once('/').unwrap();
                        let key = (group.to_string(), kind.clone(), version.to_string());
                        let validator = validators.get(&key).unwrap_or_else(|| panic!("no schema for {key:?}"));
                        let errors: Vec<String> =
                            validator.iter_errors(&object).map(|e| format!("{} at {}", e, e.instance_path)).collect();
                        assert!(
                            errors.is_empty(),
                            "{case} {} {}: {file} {kind}: {errors:?}\n{doc}",
                            implementation.slug,
                            tls.slug()
                        );
                        let round_tripped = match kind.as_str() {
                            "Gateway" => {
                                let errors = listener_rules(&object);
                                assert!(errors.is_empty(), "{case}: {errors:?}");
                                round_trip::<gateway_api::gateways::Gateway>(&object)
                            }
                            "GatewayClass" => round_trip::<gateway_api::gatewayclasses::GatewayClass>(&object),
                            "HTTPRoute" => round_trip::<gateway_api::httproutes::HttpRoute>(&object),
                            "ReferenceGrant" => {
                                // The crate types ReferenceGrant as v1; the plan writes v1beta1 (same schema).
                                let mut v1 = object.clone();
                                v1["apiVersion"] = "gateway.networking.k8s.io/v1".into();
                                let mut back = round_trip::<gateway_api::referencegrants::ReferenceGrant>(&v1);
                                back["apiVersion"] = object["apiVersion"].clone();
                                back
                            }
                            _ => object.clone(),
                        };
                        assert_eq!(round_tripped, object, "{case}: {kind} changes through its typed struct");
                        kinds.insert(kind);
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} objects checked");
    let want: std::collections::BTreeSet<String> = [
        "Gateway",
        "GatewayClass",
        "HTTPRoute",
        "ReferenceGrant",
        // No namespaced Issuer: one is only ever named by the values, so the cluster has it, and
        // the runbook copies it for the Gateway instead of defining it.
        "ClusterIssuer",
        "Certificate",
        "BackendTrafficPolicy",
        "SecurityPolicy",
        "ClientSettingsPolicy",
        "ProxySettingsPolicy",
        "UpstreamSettingsPolicy",
        "GCPBackendPolicy",
        "HealthCheckPolicy",
        // Kong's own resources, which annotations on the route and Service name.
        "KongUpstreamPolicy",
        "KongPlugin",
        // The Gateway's data plane: two replicas and a disruption budget.
        "EnvoyProxy",
        "NginxProxy",
        "ConfigMap",
        // The ALB the Gateway is, and its target group for ZenML's Service.
        "LoadBalancerConfiguration",
        "TargetGroupConfiguration",
        "GatewayConfiguration",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(kinds, want, "every kind the planner emits was exercised");
}

#[test]
fn the_schema_check_rejects_what_kubectl_would() {
    let validators = schemas();
    let gateway = validators.get(&("gateway.networking.k8s.io".into(), "Gateway".into(), "v1".into())).unwrap();
    let good = serde_json::json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "metadata": {"name": "g"},
        "spec": {"gatewayClassName": "eg", "listeners": [{"name": "http", "port": 80, "protocol": "HTTP"}]}});
    assert!(gateway.is_valid(&good));
    let mut unknown_field = good.clone();
    unknown_field["spec"]["listeners"][0]["tlsMode"] = "x".into();
    assert!(!gateway.is_valid(&unknown_field));
    let mut bad_hostname = good.clone();
    bad_hostname["spec"]["listeners"][0]["hostname"] = "Not_A_Host".into();
    assert!(!gateway.is_valid(&bad_hostname));
    let tls_on_http =
        serde_json::json!({"spec": {"listeners": [{"name": "h", "protocol": "HTTP", "tls": {"mode": "Terminate"}}]}});
    assert_eq!(listener_rules(&tls_on_http).len(), 1);

    let envoy_proxy =
        validators.get(&("gateway.envoyproxy.io".into(), "EnvoyProxy".into(), "v1alpha1".into())).unwrap();
    let good = serde_json::json!({"apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "EnvoyProxy",
        "metadata": {"name": "p"}, "spec": {"provider": {"type": "Kubernetes",
        "kubernetes": {"envoyDeployment": {"replicas": 2}, "envoyPDB": {"minAvailable": 1}}}}});
    assert!(envoy_proxy.is_valid(&good));
    let mut wrong_case = good.clone();
    wrong_case["spec"]["provider"]["kubernetes"]["envoyPdb"] = serde_json::json!({"minAvailable": 1});
    assert!(!envoy_proxy.is_valid(&wrong_case));

    let pdb = serde_json::json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "p"},
        "spec": {"minAvailable": 1, "selector": {"matchLabels": {"a": "b"}}}});
    assert_eq!(core_kind_round_trip(&pdb), Some(pdb.clone()));
    let mut unknown_field = pdb.clone();
    unknown_field["spec"]["minReplicas"] = 1.into();
    assert_ne!(core_kind_round_trip(&unknown_field), Some(unknown_field));
}
