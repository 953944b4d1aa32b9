//! The Gateway's data plane survives a node drain or rollout during the DNS switch: for every
//! corpus input, implementation and TLS model, gateway.yaml asks Envoy Gateway, NGINX Gateway
//! Fabric, Istio and Kong for at least two proxy replicas and a disruption budget, through a
//! `parametersRef` that names an object of the same file and namespace, created before the
//! Gateway. Traefik's one Deployment serves every Gateway of its class: its install's values ask
//! for them instead. GKE (Google's load balancer) gets none of it; the AWS Load Balancer
//! Controller's ALB has no proxies either, and its settings come the same way.

mod common;

use planner::emit::gateway::data_plane_checks;
use planner::values::Document;
use planner::{plan, Choices, ImplementationId, TlsModel, IMPLEMENTATIONS};
use serde_json::Value;

fn objects(gateway_yaml: &str) -> Vec<Value> {
    gateway_yaml
        .split("\n---\n")
        .map(|doc| {
            let doc = Document::parse(doc).expect("gateway.yaml parses");
            doc.root.expect("a document").to_json(&mut 1_000_000).expect("small")
        })
        .collect()
}

fn group_of(object: &Value) -> &str {
    object["apiVersion"].as_str().unwrap().rsplit_once('/').map_or("", |(g, _)| g)
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

/// A ConfigMap value holding a YAML patch, read as JSON.
fn patch(text: &Value) -> Value {
    objects(text.as_str().expect("ConfigMap data are strings")).remove(0)
}

#[test]
fn the_data_plane_runs_two_replicas_with_a_disruption_budget() {
    let mut checked = 0;
    for (case, text) in common::corpus() {
        for implementation in IMPLEMENTATIONS {
            for tls in TlsModel::ALL {
                let mut choices = Choices::new(implementation.id);
                choices.tls = Some(tls);
                let Ok(plan) = plan(&text, &choices) else { continue };
                let what = format!("{case} {} {}", implementation.slug, tls.slug());
                let objects = objects(plan.file("gateway.yaml").unwrap());
                let gateway_at = objects.iter().position(|o| o["kind"] == "Gateway").expect("a Gateway");
                let gateway = &objects[gateway_at];
                let (gw, gwns) = (gateway["metadata"]["name"].as_str().unwrap(), &gateway["metadata"]["namespace"]);
                let parameters = &gateway["spec"]["infrastructure"]["parametersRef"];
                let data_plane_kinds =
                    ["EnvoyProxy", "NginxProxy", "ConfigMap", "GatewayConfiguration", "PodDisruptionBudget"];
                assert!(
                    objects.iter().all(|o| o["kind"] != "PodDisruptionBudget"),
                    "{what}: gateway.yaml holds only Gateway API and implementation objects"
                );
                if implementation.id == ImplementationId::Gke {
                    assert!(parameters.is_null(), "{what}: GKE has no data plane to configure");
                    assert!(
                        objects.iter().all(|o| !data_plane_kinds.contains(&o["kind"].as_str().unwrap())),
                        "{what}: GKE gets no data-plane objects"
                    );
                    assert_eq!(
                        data_plane_checks(&planner::plan::build_model(&text, &choices, &mut Vec::new()).unwrap()),
                        (None, vec![])
                    );
                    continue;
                }
                if implementation.id == ImplementationId::Traefik {
                    assert!(parameters.is_null(), "{what}: Traefik has no per-Gateway settings");
                    let model = planner::plan::build_model(&text, &choices, &mut Vec::new()).unwrap();
                    let values = serde_json::to_value(planner::implementations::traefik::helm_values(
                        &model,
                        &planner::behaviour::Behaviour::of(&model.release),
                    ))
                    .unwrap();
                    let replicas = int(&values["deployment"]["replicas"]);
                    let budget = &values["podDisruptionBudget"];
                    assert_eq!(budget["enabled"], true, "{what}");
                    assert!(replicas >= 2, "{what}: {replicas} replicas");
                    assert!((1..replicas).contains(&int(&budget["minAvailable"])), "{what}: {budget}");
                    checked += 1;
                    continue;
                }
                // The parametersRef names an object of this file, in the Gateway's namespace, created first.
                let at = objects
                    .iter()
                    .position(|o| {
                        group_of(o) == parameters["group"].as_str().unwrap()
                            && o["kind"] == parameters["kind"]
                            && o["metadata"]["name"] == parameters["name"]
                    })
                    .unwrap_or_else(|| panic!("{what}: parametersRef {parameters} names nothing in gateway.yaml"));
                let settings = &objects[at];
                assert_eq!(&settings["metadata"]["namespace"], gwns, "{what}: the settings live beside the Gateway");
                assert!(at < gateway_at, "{what}: the settings come before the Gateway");
                if implementation.id == ImplementationId::AwsLoadBalancerController {
                    // The ALB is the data plane: its settings, and no proxy objects.
                    assert_eq!(settings["kind"], "LoadBalancerConfiguration", "{what}");
                    assert!(
                        objects.iter().all(|o| !data_plane_kinds.contains(&o["kind"].as_str().unwrap())),
                        "{what}: no proxies to configure"
                    );
                    checked += 1;
                    continue;
                }
                let (replicas, min_available) = match implementation.id {
                    ImplementationId::EnvoyGateway => {
                        let k = &settings["spec"]["provider"]["kubernetes"];
                        assert_eq!(settings["spec"]["provider"]["type"], "Kubernetes", "{what}");
                        // The GatewayClass's and Envoy Gateway's own settings stay, field by field.
                        assert_eq!(settings["spec"]["mergeType"], "StrategicMerge", "{what}");
                        (int(&k["envoyDeployment"]["replicas"]), int(&k["envoyPDB"]["minAvailable"]))
                    }
                    ImplementationId::NginxGatewayFabric => {
                        // NGF has no budget setting: the runbook creates the PodDisruptionBudget.
                        let model = planner::plan::build_model(&text, &choices, &mut Vec::new()).unwrap();
                        let pdb = planner::implementations::nginx_gateway_fabric::disruption_budget(&model)
                            .unwrap_or_else(|| panic!("{what}: a PodDisruptionBudget"));
                        let pdb = &pdb;
                        let runbook = common::join_continuations(plan.file("runbook.md").unwrap());
                        assert!(
                            runbook.contains(&format!("kubectl create -f - <<'EOF'\n{}", planner::yaml::to_yaml(pdb))),
                            "{what}: the runbook creates the budget"
                        );
                        assert_eq!(
                            &pdb["metadata"]["namespace"], gwns,
                            "{what}: NGF runs the proxies beside the Gateway"
                        );
                        assert_eq!(
                            pdb["spec"]["selector"]["matchLabels"],
                            serde_json::json!({"gateway.networking.k8s.io/gateway-name": gw}),
                            "{what}: the label NGF puts on this Gateway's pods"
                        );
                        (
                            int(&settings["spec"]["kubernetes"]["deployment"]["replicas"]),
                            int(&pdb["spec"]["minAvailable"]),
                        )
                    }
                    ImplementationId::Istio => {
                        assert_eq!(settings["kind"], "ConfigMap", "{what}");
                        let hpa = patch(&settings["data"]["horizontalPodAutoscaler"]);
                        let pdb = patch(&settings["data"]["podDisruptionBudget"]);
                        assert!(int(&hpa["spec"]["maxReplicas"]) >= int(&hpa["spec"]["minReplicas"]), "{what}");
                        (int(&hpa["spec"]["minReplicas"]), int(&pdb["spec"]["minAvailable"]))
                    }
                    ImplementationId::Kong => {
                        // Kong Operator makes the PodDisruptionBudget from these options.
                        let options = &settings["spec"]["dataPlaneOptions"];
                        (
                            int(&options["deployment"]["replicas"]),
                            int(&options["resources"]["podDisruptionBudget"]["spec"]["minAvailable"]),
                        )
                    }
                    ImplementationId::Gke | ImplementationId::Traefik | ImplementationId::AwsLoadBalancerController => {
                        unreachable!()
                    }
                };
                assert!(replicas >= 2, "{what}: {replicas} replicas");
                assert!((1..replicas).contains(&min_available), "{what}: minAvailable {min_available} of {replicas}");
                // TLS at an AWS NLB: its Service annotations stay beside the parametersRef.
                if tls == TlsModel::CloudLb
                    && implementation.cloud_load_balancer == planner::implementations::CloudLoadBalancer::AwsNlbAcm
                {
                    assert!(
                        gateway["spec"]["infrastructure"]["annotations"]
                            ["service.beta.kubernetes.io/aws-load-balancer-type"]
                            == "external",
                        "{what}: the NLB annotations are kept"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} plans checked");
}

fn model_for(implementation: ImplementationId, gateway_name: Option<&str>) -> planner::Model {
    let text = "server:\n  ingress:\n    enabled: true\n    host: zenml.example.com\n";
    let mut choices = Choices::new(implementation);
    choices.gateway_name = gateway_name.map(str::to_string);
    planner::plan::build_model(text, &choices, &mut Vec::new()).expect("plans")
}

#[test]
fn the_runbook_gets_what_was_set_and_how_to_check_it() {
    for implementation in IMPLEMENTATIONS {
        let model = model_for(implementation.id, None);
        let (prose, commands) = data_plane_checks(&model);
        if implementation.id == ImplementationId::Gke {
            assert_eq!((prose, commands), (None, vec![]));
            continue;
        }
        if implementation.id == ImplementationId::Traefik {
            // Nothing per Gateway: the install step sets and checks the replicas and the budget.
            assert_eq!((prose, commands), (None, vec![]));
            let install = implementation.emit.planned_install(&model);
            let commands: Vec<&str> = install.iter().flat_map(|s| s.command.lines()).collect();
            assert!(commands.iter().any(|c| c.starts_with("kubectl get deployment") && c.contains("READY 2/2")));
            assert!(commands.iter().any(|c| c.contains("pdb") && c.contains("MIN AVAILABLE 1")));
            assert!(install.iter().any(|s| s.command.contains("DNS switch")), "{install:?}");
            continue;
        }
        let prose = prose.expect("a sentence");
        assert!(!prose.contains('\n'), "one line: {prose}");
        if implementation.id == ImplementationId::AwsLoadBalancerController {
            // No replicas to check: what AWS built, and the targets ZenML's pods became.
            assert!(prose.contains("no proxies") && prose.contains("DNS switch"), "{prose}");
            assert!(commands.iter().any(|c| c.starts_with("aws elbv2 describe-target-health")), "{commands:?}");
            assert!(commands.iter().any(|c| c.contains(&model.gateway_name)), "{commands:?}");
            continue;
        }
        assert!(prose.contains("one") && prose.contains("by default") && prose.contains("DNS switch"), "{prose}");
        // Kong Operator's Deployment carries no Gateway label: its DataPlane does, and counts the replicas.
        let replicas_check = if implementation.id == ImplementationId::Kong {
            ("kubectl get dataplanes.gateway-operator.konghq.com", "READY 2, REPLICAS 2")
        } else {
            ("kubectl get deployment", "READY 2/2")
        };
        assert!(
            commands.iter().any(|c| c.starts_with(replicas_check.0) && c.contains(replicas_check.1)),
            "{commands:?}"
        );
        assert!(commands.iter().any(|c| c.contains("pdb") && c.contains("MIN AVAILABLE 1")), "{commands:?}");
        // Every command names this Gateway (the lines of a here-document are the object it creates).
        let kubectl_lines = commands.iter().filter(|c| c.starts_with("kubectl get"));
        assert!(
            kubectl_lines.clone().count() >= 2 && kubectl_lines.into_iter().all(|c| c.contains(&model.gateway_name)),
            "{commands:?}"
        );
    }
}

/// NGINX Gateway Fabric 2.6.7 labels the pods of a Gateway whose name passes 63 characters only
/// with a hashed name: no PodDisruptionBudget could select them, so the runbook says to make one.
#[test]
fn a_gateway_name_too_long_for_a_label_gets_no_budget_it_cannot_select_with() {
    let long = format!("{}.{}", "a".repeat(40), "b".repeat(40));
    let model = model_for(ImplementationId::NginxGatewayFabric, Some(&long));
    let yaml = planner::yaml::to_yaml_stream(planner::emit::gateway::objects(&model).iter());
    let kinds: Vec<String> = objects(&yaml).iter().map(|o| o["kind"].as_str().unwrap().to_string()).collect();
    assert!(
        kinds.contains(&"NginxProxy".to_string()) && !kinds.contains(&"PodDisruptionBudget".to_string()),
        "{kinds:?}"
    );
    let (prose, _) = data_plane_checks(&model);
    assert!(prose.unwrap().contains("create one by hand"));
    // Names made from the Gateway's stay valid object names.
    let huge = ["a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61)].join(".");
    assert_eq!(huge.len(), 253);
    for implementation in [
        ImplementationId::EnvoyGateway,
        ImplementationId::NginxGatewayFabric,
        ImplementationId::Istio,
        ImplementationId::Kong,
    ] {
        let model = model_for(implementation, Some(&huge));
        for object in planner::emit::gateway::data_plane_objects(&model) {
            let name = object["metadata"]["name"].as_str().unwrap();
            assert!(name.len() <= 253 && !name.contains("-.") && !name.contains(".-"), "{name}");
        }
    }
}
