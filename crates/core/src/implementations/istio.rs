//! Istio 1.30.3: istiod creates the `istio` GatewayClass; Istio's own resources (DestinationRule,
//! AuthorizationPolicy) go in the runbook, as no Gateway API policy exists for them; the proxies'
//! replicas and disruption budget come from a ConfigMap of patches the Gateway names.

use super::{
    derived_name, show_parameters_ref, CloudLoadBalancer, Defaults, Emit, Implementation, ImplementationId,
    Infrastructure, InstallStep, Note, Parameters, RouteTimeouts, RunbookObject, Seconds, DATA_PLANE_MIN_AVAILABLE,
    DATA_PLANE_REPLICAS, GATEWAY_NAME_LABEL, STANDARD_PORTS, WHY_TWO_REPLICAS,
};
use crate::annotations::Carry;
use crate::behaviour::{duration, Behaviour};
use crate::emit::gateway::GATEWAY_GROUP;
use crate::emit::policies::{cidr_words, policy, Policy, PolicyKind, Reasons, TargetRef};
use crate::excerpt::clip;
use crate::findings::{FindingCode, Severity};
use crate::manifest::{DataManifest, Meta};
use crate::markdown::code;
use crate::plan::Model;
use crate::shell::quote;
use serde::Serialize;

/// Istio 1.30 is built on Gateway API v1.5.1 (its go.mod at 1.30.3).
const GATEWAY_API_CRDS_V1_5_1: InstallStep = InstallStep {
    what: "Install the Gateway API v1.5.1 standard-channel CRDs, the bundle this version is built on (server-side apply)",
    command: "kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml",
};

const ALLOW_LIST: (Carry, &str) =
    (Carry::Policy, "AuthorizationPolicy on the Gateway denying other remote IPs for the host");
const DENY_LIST: (Carry, &str) =
    (Carry::Policy, "AuthorizationPolicy on the Gateway denying these remote IPs for the host");
const NO_ROUTE_TIMEOUT: (Carry, &str) = (Carry::Same, "Istio sets no route timeout");

pub const IMPLEMENTATION: Implementation = Implementation {
    id: ImplementationId::Istio,
    slug: "istio",
    display_name: "Istio",
    version: "1.30.3",
    gateway_class: "istio",
    controller_name: "istio.io/gateway-controller",
    install_creates_gateway_class: true,
    gateway_api_bundle: "v1.5.1",
    newer_bundle: "istiod checks only minimum versions (it ignores CRDs older than it needs), so a newer bundle is watched as usual; keep it.",
    user_installs_crds: true,
    install: &[
        GATEWAY_API_CRDS_V1_5_1,
        InstallStep { what: "Add the Istio chart repository", command: "helm repo add istio https://istio-release.storage.googleapis.com/charts && helm repo update" },
        InstallStep {
            what: "Install Istio's base chart (istiod creates the `istio` GatewayClass itself)",
            command: "helm install istio-base istio/base --version 1.30.3 -n istio-system --create-namespace --set defaultRevision=default",
        },
        InstallStep { what: "Install istiod", command: "helm install istiod istio/istiod --version 1.30.3 -n istio-system --wait" },
    ],
    cluster_requirements: None,
    data_plane_service: "kubectl get svc {gateway}-istio -n {namespace}",
    // istioctl/pkg/install/k8sversion/version.go@1.30.3: MinK8SVersion = 32.
    min_kubernetes: Some("1.32"),
    logs_command: "kubectl logs -n {namespace} deploy/{gateway}-istio --tail=20   # the access log the Telemetry of step 4 turns on",
    listener_ports: STANDARD_PORTS,
    defaults: Defaults { request_timeout: None, per_read_timeout: None, body_limit: None, connect_timeout: Some(Seconds(10)) },
    route_timeouts: RouteTimeouts::Applied,
    cloud_load_balancer: CloudLoadBalancer::AwsNlbAcm,
    refused_tls: &[],
    proxy_protocol: Some("the pod annotation `proxy.istio.io/config: '{\"gatewayTopology\":{\"proxyProtocol\":{}}}'` through the Gateway's infrastructure annotations (Istio 1.30)"),
    load_balancer_health_check: None,
    google_named_address: false,
    annotations: &[
        ("nginx.ingress.kubernetes.io/proxy-body-size", Carry::Same, "Istio sets no body limit: uploads are not cut"),
        ("nginx.ingress.kubernetes.io/proxy-read-timeout", NO_ROUTE_TIMEOUT.0, NO_ROUTE_TIMEOUT.1),
        ("nginx.ingress.kubernetes.io/proxy-send-timeout", NO_ROUTE_TIMEOUT.0, NO_ROUTE_TIMEOUT.1),
        ("nginx.ingress.kubernetes.io/proxy-connect-timeout", Carry::Lost, "Istio's default connect timeout (10s) applies; set a DestinationRule `connectionPool.tcp.connectTimeout` if you need another"),
        ("nginx.ingress.kubernetes.io/affinity", Carry::Policy, "DestinationRule `consistentHash.httpCookie`"),
        ("nginx.ingress.kubernetes.io/session-cookie-*", Carry::Policy, "the cookie name and TTL of the DestinationRule"),
        ("nginx.ingress.kubernetes.io/whitelist-source-range", ALLOW_LIST.0, ALLOW_LIST.1),
        ("nginx.ingress.kubernetes.io/allowlist-source-range", ALLOW_LIST.0, ALLOW_LIST.1),
        ("nginx.ingress.kubernetes.io/denylist-source-range", DENY_LIST.0, DENY_LIST.1),
        ("nginx.ingress.kubernetes.io/blacklist-source-range", DENY_LIST.0, DENY_LIST.1),
        ("nginx.ingress.kubernetes.io/limit-rps", Carry::Lost, "Istio needs an EnvoyFilter for local rate limits; ZenML rate-limits logins itself"),
        ("alb.ingress.kubernetes.io/certificate-arn", Carry::Tls, "the NLB in front of the Gateway (TLS model cloud-lb)"),
        ("alb.ingress.kubernetes.io/load-balancer-attributes", NO_ROUTE_TIMEOUT.0, NO_ROUTE_TIMEOUT.1),
        ("alb.ingress.kubernetes.io/inbound-cidrs", Carry::Policy, "AuthorizationPolicy on the Gateway"),
        ("kubernetes.io/ingress.global-static-ip-name", Carry::Lost, "reserve an address for the Gateway's Service instead"),
    ],
    notes: &[Note {
        code: FindingCode::KubectlNames,
        severity: Severity::Info,
        text: "With Istio installed, `kubectl get gateway` can mean Istio's own Gateway kind: the commands here name `gateways.gateway.networking.k8s.io` in full.",
    }],
    emit: &Istio,
};

#[derive(Debug)]
pub struct Istio;

/// Istio's own resources: no Gateway API policy exists for these, so the runbook applies them.
pub const DESTINATION_RULE: PolicyKind = PolicyKind {
    kind: "DestinationRule",
    api_version: "networking.istio.io/v1",
    resource: "destinationrules.networking.istio.io",
    applied_by_runbook: true,
    filters_client_networks: false,
};

pub const AUTHORIZATION_POLICY: PolicyKind = PolicyKind {
    kind: "AuthorizationPolicy",
    api_version: "security.istio.io/v1",
    resource: "authorizationpolicies.security.istio.io",
    applied_by_runbook: true,
    filters_client_networks: true,
};

impl Emit for Istio {
    fn policies(&self, model: &Model, b: &Behaviour) -> Vec<Policy> {
        let ns = model.namespace.as_str();
        let name = |suffix: &str| format!("{}-{suffix}", model.fullname);
        let mut out = Vec::new();
        if let Some(a) = &b.affinity {
            out.push(policy(
                DESTINATION_RULE,
                Meta::new(&name("affinity"), Some(ns)),
                DestinationRuleSpec {
                    host: format!("{}.{ns}.svc.cluster.local", model.fullname),
                    traffic_policy: TrafficPolicy {
                        load_balancer: LoadBalancer {
                            consistent_hash: ConsistentHash {
                                http_cookie: Cookie { name: a.cookie_name.clone(), ttl: duration(a.max_age_seconds) },
                            },
                        },
                    },
                },
                Reasons::of(format!("cookie affinity on {} as the ingress had", code(&clip(&a.cookie_name, 80)))),
            ));
        }
        // Scoped to a name that stays: a rule on a name users are about to leave would not
        // cover the new one.
        if let Some(host) = &model.listeners.hostname {
            let to = vec![RuleTo { operation: Operation { hosts: vec![host.clone()] } }];
            let mut rules = Vec::new();
            if let Some(allowed) = &b.allowed_cidrs {
                rules.push(Rule {
                    from: vec![RuleFrom {
                        source: Source { not_remote_ip_blocks: Some(allowed.value.clone()), remote_ip_blocks: None },
                    }],
                    to: to.clone(),
                });
            }
            if let Some(denied) = &b.denied_cidrs {
                rules.push(Rule {
                    from: vec![RuleFrom {
                        source: Source { not_remote_ip_blocks: None, remote_ip_blocks: Some(denied.value.clone()) },
                    }],
                    to,
                });
            }
            if !rules.is_empty() {
                out.push(policy(
                    AUTHORIZATION_POLICY,
                    Meta::new(&name("client-networks"), Some(&model.gateway_namespace)),
                    AuthorizationPolicySpec {
                        target_refs: vec![TargetRef {
                            group: GATEWAY_GROUP.into(),
                            kind: "Gateway".into(),
                            name: model.gateway_name.clone(),
                        }],
                        action: "DENY".into(),
                        rules,
                    },
                    Reasons::of(format!("requests for {}: {}", code(host), cidr_words(b))),
                ));
            }
        }
        out
    }

    fn policy_attached_check(&self, _policy: &Policy, object: &str, namespace: &str) -> String {
        format!("istioctl analyze -n {namespace}   # no errors about {object}")
    }

    fn no_client_network_policy(&self, model: &Model) -> Option<&'static str> {
        model.listeners.hostname.is_none().then_some(
            "Istio's AuthorizationPolicy needs the hostname to limit the rule to ZenML on a shared Gateway, and this plan has none",
        )
    }

    fn infrastructure(&self, model: &Model) -> Option<Infrastructure> {
        let name = derived_name(&model.gateway_name, "options");
        let object = DataManifest::new(
            "v1",
            "ConfigMap",
            Meta::new(&name, Some(&model.gateway_namespace)),
            GatewayOptions {
                horizontal_pod_autoscaler: patch_text(HpaPatchSpec {
                    min_replicas: DATA_PLANE_REPLICAS,
                    max_replicas: DATA_PLANE_REPLICAS,
                }),
                pod_disruption_budget: patch_text(PdbPatchSpec { min_available: DATA_PLANE_MIN_AVAILABLE }),
            },
        )
        .to_value();
        let settings = Parameters { group: "", kind: "ConfigMap", name, object };
        let (gw_q, gwns_q) = (quote(&model.gateway_name), quote(&model.gateway_namespace));
        Some(Infrastructure {
            prose: format!(
                "Istio runs one replica of a managed Gateway's proxy by default: gateway.yaml's ConfigMap {} (named by the Gateway's `spec.infrastructure.parametersRef`) makes istiod add a HorizontalPodAutoscaler held at {DATA_PLANE_REPLICAS} replicas and a PodDisruptionBudget with `minAvailable: {DATA_PLANE_MIN_AVAILABLE}`, because {WHY_TWO_REPLICAS}; check them before the DNS switch:",
                code(&settings.name)
            ),
            checks: vec![
                show_parameters_ref(model, &settings),
                format!("kubectl get deployment -n {gwns_q} -l {GATEWAY_NAME_LABEL}={gw_q}   # READY 2/2"),
                format!(
                    "kubectl get hpa,pdb -n {gwns_q} -l {GATEWAY_NAME_LABEL}={gw_q}   # MINPODS 2, MAXPODS 2; MIN AVAILABLE 1, ALLOWED DISRUPTIONS 1"
                ),
            ],
            settings,
            resource: "configmaps",
            created_by_checks: Vec::new(),
            outlive_the_gateway: false,
        })
    }

    /// Istio writes no access log unless asked; the default `envoy` provider writes to stdout
    /// (pkg/config/mesh/mesh.go@1.30.3), and telemetry.istio.io/v1 is served in 1.30.
    fn runbook_objects(&self, model: &Model) -> Vec<RunbookObject> {
        let (gw, gwns) = (&model.gateway_name, &model.gateway_namespace);
        let name = format!("{gw}-access-log");
        vec![RunbookObject {
            why: "Istio writes no access log unless asked, and the later checks read the Gateway's: turn it on for this Gateway's pods only:",
            resource: "telemetries.telemetry.istio.io",
            object: serde_json::json!({
                "apiVersion": "telemetry.istio.io/v1",
                "kind": "Telemetry",
                "metadata": {"name": name, "namespace": gwns},
                "spec": {
                    "selector": {"matchLabels": {GATEWAY_NAME_LABEL: gw}},
                    "accessLogging": [{"providers": [{"name": "envoy"}]}],
                },
            }),
            name,
            namespace: gwns.clone(),
        }]
    }
}

// ---- The Gateway's options (Istio 1.30.3)

/// The data of the ConfigMap an Istio Gateway's `parametersRef` names: each key is a
/// strategic-merge patch, as YAML text, on the object istiod generates. The
/// HorizontalPodAutoscaler and PodDisruptionBudget are generated only when their key is present.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GatewayOptions {
    pub horizontal_pod_autoscaler: String,
    pub pod_disruption_budget: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
struct Patch<S> {
    spec: S,
}

/// The generated Deployment has no `replicas` (so 1). An autoscaler held at two (minimum =
/// maximum, as in istiod's own test of these keys) sets it, and istiod never owns the field.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
struct HpaPatchSpec {
    min_replicas: i32,
    max_replicas: i32,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
struct PdbPatchSpec {
    min_available: i32,
}

fn patch_text<S: Serialize>(spec: S) -> String {
    crate::yaml::to_yaml(&serde_json::to_value(Patch { spec }).expect("typed patches serialise"))
}

// ---- Istio resources (networking.istio.io/v1, security.istio.io/v1)

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DestinationRuleSpec {
    pub host: String,
    pub traffic_policy: TrafficPolicy,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TrafficPolicy {
    pub load_balancer: LoadBalancer,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancer {
    pub consistent_hash: ConsistentHash,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ConsistentHash {
    pub http_cookie: Cookie,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Cookie {
    pub name: String,
    pub ttl: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizationPolicySpec {
    pub target_refs: Vec<TargetRef>,
    pub action: String,
    pub rules: Vec<Rule>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Rule {
    pub from: Vec<RuleFrom>,
    pub to: Vec<RuleTo>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct RuleFrom {
    pub source: Source,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_remote_ip_blocks: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_ip_blocks: Option<Vec<String>>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct RuleTo {
    pub operation: Operation,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Operation {
    pub hosts: Vec<String>,
}
