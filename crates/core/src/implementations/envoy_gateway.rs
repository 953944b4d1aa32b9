//! Envoy Gateway v1.9.0: the planner emits its GatewayClass; policies are BackendTrafficPolicy
//! and SecurityPolicy (`gateway.envoyproxy.io/v1alpha1`); the proxies' replicas and disruption
//! budget come from an EnvoyProxy the Gateway names.

use super::{
    derived_name, show_parameters_ref, CloudLoadBalancer, Defaults, Emit, Implementation, ImplementationId,
    Infrastructure, InstallStep, Parameters, RouteTimeouts, Seconds, DATA_PLANE_MIN_AVAILABLE, DATA_PLANE_REPLICAS,
    STANDARD_PORTS, WHY_TWO_REPLICAS,
};
use crate::annotations::Carry;
use crate::behaviour::{duration, Behaviour};
use crate::emit::policies::{cidr_words, policy, route_ref, Policy, PolicyKind, Reasons, TargetRef};
use crate::excerpt::clip;
use crate::manifest::{Manifest, Meta};
use crate::markdown::code;
use crate::plan::Model;
use crate::shell::quote;
use serde::Serialize;

/// Envoy Gateway cuts every request of a route that sets no timeout after 15 s. The chart's
/// catch-all rule sets none, so a longer ZenML API call or upload is cut off unless the
/// BackendTrafficPolicy raises it.
const REQUEST_TIMEOUT: Seconds = Seconds(15);

const GATEWAY_API_CRDS: InstallStep = InstallStep {
    what: "Install the Gateway API v1.6.1 standard-channel CRDs (server-side apply, as upstream documents)",
    command: "kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml",
};

/// Client allow lists: the current and the old annotation name.
const ALLOW_LIST: (Carry, &str) = (Carry::Policy, "SecurityPolicy `authorization` allowing only these CIDRs");
/// Client deny lists: the current and the old annotation name.
const DENY_LIST: (Carry, &str) = (Carry::Policy, "SecurityPolicy `authorization` with a Deny rule before any Allow");

pub const IMPLEMENTATION: Implementation = Implementation {
    id: ImplementationId::EnvoyGateway,
    slug: "envoy-gateway",
    display_name: "Envoy Gateway",
    version: "v1.9.0",
    gateway_class: "eg",
    controller_name: "gateway.envoyproxy.io/gatewayclass-controller",
    install_creates_gateway_class: false,
    gateway_api_bundle: "v1.6.1",
    newer_bundle: "Envoy Gateway checks no bundle version; check its compatibility matrix (v1.9 lists v1.6.1) before running it on a newer bundle.",
    user_installs_crds: true,
    install: &[
        GATEWAY_API_CRDS,
        InstallStep {
            what: "Install only Envoy Gateway's own CRDs: its default chart ships experimental Gateway API CRDs, which the v1.5+ safe-upgrades policy rejects on top of standard ones",
            command: "helm template eg-crds oci://docker.io/envoyproxy/gateway-crds-helm --version v1.9.0 --set crds.gatewayAPI.enabled=false --set crds.envoyGateway.enabled=true | kubectl apply --server-side -f -",
        },
        InstallStep {
            what: "Install the Envoy Gateway controller without CRDs",
            command: "helm install eg oci://docker.io/envoyproxy/gateway-helm --version v1.9.0 -n envoy-gateway-system --create-namespace --set crds.enabled=false",
        },
        InstallStep {
            what: "Wait for the controller",
            command: "kubectl wait --timeout=5m -n envoy-gateway-system deployment/envoy-gateway --for=condition=Available",
        },
    ],
    cluster_requirements: None,
    data_plane_service: "kubectl get svc -n envoy-gateway-system -l gateway.envoyproxy.io/owning-gateway-namespace={namespace},gateway.envoyproxy.io/owning-gateway-name={gateway}",
    min_kubernetes: Some("1.33"),
    logs_command: "kubectl logs -n envoy-gateway-system -l gateway.envoyproxy.io/owning-gateway-namespace={namespace},gateway.envoyproxy.io/owning-gateway-name={gateway} -c envoy --tail=20",
    listener_ports: STANDARD_PORTS,
    defaults: Defaults { request_timeout: Some(REQUEST_TIMEOUT), per_read_timeout: None, body_limit: None, connect_timeout: None },
    route_timeouts: RouteTimeouts::Applied,
    cloud_load_balancer: CloudLoadBalancer::AwsNlbAcm,
    refused_tls: &[],
    proxy_protocol: Some("a ClientTrafficPolicy with `proxyProtocol: {}` on the Gateway (Envoy Gateway v1.9)"),
    load_balancer_health_check: None,
    google_named_address: false,
    annotations: &[
        ("nginx.ingress.kubernetes.io/proxy-body-size", Carry::Same, "Envoy Gateway sets no body limit: uploads are not cut"),
        ("nginx.ingress.kubernetes.io/proxy-read-timeout", Carry::Policy, "BackendTrafficPolicy `timeout.http.requestTimeout` (whole request: 10 x the per-read value, at least 600s)"),
        ("nginx.ingress.kubernetes.io/proxy-send-timeout", Carry::Policy, "BackendTrafficPolicy `timeout.http.requestTimeout`"),
        ("nginx.ingress.kubernetes.io/proxy-connect-timeout", Carry::Policy, "BackendTrafficPolicy `timeout.tcp.connectTimeout`"),
        ("nginx.ingress.kubernetes.io/affinity", Carry::Policy, "BackendTrafficPolicy `loadBalancer` ConsistentHash on the cookie"),
        ("nginx.ingress.kubernetes.io/session-cookie-*", Carry::Policy, "the cookie name and TTL of the BackendTrafficPolicy"),
        ("nginx.ingress.kubernetes.io/whitelist-source-range", ALLOW_LIST.0, ALLOW_LIST.1),
        ("nginx.ingress.kubernetes.io/allowlist-source-range", ALLOW_LIST.0, ALLOW_LIST.1),
        ("nginx.ingress.kubernetes.io/denylist-source-range", DENY_LIST.0, DENY_LIST.1),
        ("nginx.ingress.kubernetes.io/blacklist-source-range", DENY_LIST.0, DENY_LIST.1),
        ("nginx.ingress.kubernetes.io/limit-rps", Carry::Lost, "a local rateLimit would share one bucket among all clients; a per-client limit needs Envoy Gateway's global rate limit (Redis). ZenML rate-limits logins itself"),
        ("alb.ingress.kubernetes.io/certificate-arn", Carry::Tls, "the NLB in front of the Gateway (TLS model cloud-lb)"),
        ("alb.ingress.kubernetes.io/load-balancer-attributes", Carry::Policy, "the idle timeout sets the BackendTrafficPolicy request timeout"),
        ("alb.ingress.kubernetes.io/inbound-cidrs", Carry::Policy, "SecurityPolicy `authorization`"),
        ("kubernetes.io/ingress.global-static-ip-name", Carry::Lost, "reserve an address for the Gateway's Service instead"),
    ],
    notes: &[],
    emit: &EnvoyGateway,
};

#[derive(Debug)]
pub struct EnvoyGateway;

const API_VERSION: &str = "gateway.envoyproxy.io/v1alpha1";

pub const BACKEND_TRAFFIC_POLICY: PolicyKind = PolicyKind {
    kind: "BackendTrafficPolicy",
    api_version: API_VERSION,
    resource: "backendtrafficpolicies.gateway.envoyproxy.io",
    applied_by_runbook: false,
    filters_client_networks: false,
};

pub const SECURITY_POLICY: PolicyKind = PolicyKind {
    kind: "SecurityPolicy",
    api_version: API_VERSION,
    resource: "securitypolicies.gateway.envoyproxy.io",
    applied_by_runbook: false,
    filters_client_networks: true,
};
/// Envoy Gateway's default (controller namespace) mode runs every Gateway's proxies in its own
/// namespace, the one the install step uses.
const CONTROLLER_NAMESPACE: &str = "envoy-gateway-system";

impl Emit for EnvoyGateway {
    fn policies(&self, model: &Model, b: &Behaviour) -> Vec<Policy> {
        let ns = model.namespace.as_str();
        let name = |suffix: &str| format!("{}-{suffix}", model.fullname);
        let source = b.controller.name();
        let was = b.timeout_words();
        let mut out = Vec::new();
        let (request_timeout, mut why) = match b.whole_response_timeout_seconds() {
            Some(t) => (
                duration(t),
                Reasons::of(format!("request timeout {}: Envoy Gateway allows {REQUEST_TIMEOUT} per request by default", duration(t)))
                    .and_source(format!("{source} {was}, so the limit is 10 x a per-read timeout (ingress2gateway's rule) and at least 10 minutes")),
            ),
            None => (
                "0s".to_string(),
                Reasons::of(format!("request timeout off (0s): Envoy Gateway allows {REQUEST_TIMEOUT} per request by default"))
                    .and_source(format!("{source} {was}")),
            ),
        };
        let mut spec = BackendTrafficPolicySpec {
            target_refs: vec![route_ref(model)],
            timeout: Some(Timeout { tcp: None, http: Some(HttpTimeout { request_timeout }) }),
            ..BackendTrafficPolicySpec::default()
        };
        if let Some(c) = &b.connect_timeout_seconds {
            spec.timeout.get_or_insert_with(Timeout::default).tcp =
                Some(TcpTimeout { connect_timeout: duration(c.value) });
            why = why.and(format!(
                "connect timeout {} from {}",
                duration(c.value),
                code(c.annotation.as_deref().unwrap_or(""))
            ));
        }
        if let Some(a) = &b.affinity {
            spec.load_balancer = Some(LoadBalancer {
                kind: "ConsistentHash".into(),
                consistent_hash: ConsistentHash {
                    kind: "Cookie".into(),
                    cookie: Cookie {
                        name: a.cookie_name.clone(),
                        ttl: (a.max_age_seconds > 0).then(|| duration(a.max_age_seconds)),
                    },
                },
            });
            why = why.and(format!("cookie affinity on {} as the ingress had", code(&clip(&a.cookie_name, 80))));
        }
        out.push(policy(BACKEND_TRAFFIC_POLICY, Meta::new(&name("backend"), Some(ns)), spec, why));
        if let Some(authorization) = authorization(b) {
            out.push(policy(
                SECURITY_POLICY,
                Meta::new(&name("client-networks"), Some(ns)),
                SecurityPolicySpec { target_refs: vec![route_ref(model)], authorization },
                Reasons::of(format!("client networks as the ingress had them: {}", cidr_words(b))),
            ));
        }
        out
    }

    fn infrastructure(&self, model: &Model) -> Option<Infrastructure> {
        let name = derived_name(&model.gateway_name, "proxy");
        let object = Manifest::new(
            API_VERSION,
            "EnvoyProxy",
            Meta::new(&name, Some(&model.gateway_namespace)),
            EnvoyProxySpec {
                provider: Provider {
                    r#type: ProviderType::Kubernetes,
                    kubernetes: KubernetesProvider {
                        envoy_deployment: Deployment { replicas: DATA_PLANE_REPLICAS },
                        envoy_pdb: PodDisruptionBudget { min_available: DATA_PLANE_MIN_AVAILABLE },
                    },
                },
                merge_type: MergeType::StrategicMerge,
            },
        )
        .to_value();
        let settings = Parameters { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name, object };
        let selector = format!(
            "gateway.envoyproxy.io/owning-gateway-namespace={},gateway.envoyproxy.io/owning-gateway-name={}",
            quote(&model.gateway_namespace),
            quote(&model.gateway_name)
        );
        Some(Infrastructure {
            prose: format!(
                "Envoy Gateway runs one Envoy replica per Gateway by default: gateway.yaml's EnvoyProxy {} (attached through the Gateway's `spec.infrastructure.parametersRef`, merged over any GatewayClass settings) asks for {DATA_PLANE_REPLICAS} replicas and a PodDisruptionBudget with `minAvailable: {DATA_PLANE_MIN_AVAILABLE}`, because {WHY_TWO_REPLICAS}; check both before the DNS switch:",
                code(&settings.name)
            ),
            checks: vec![
                show_parameters_ref(model, &settings),
                format!("kubectl get deployment -n {CONTROLLER_NAMESPACE} -l {selector}   # READY 2/2"),
                format!("kubectl get pdb -n {CONTROLLER_NAMESPACE} -l {selector}   # MIN AVAILABLE 1, ALLOWED DISRUPTIONS 1"),
            ],
            settings,
            resource: "envoyproxies.gateway.envoyproxy.io",
            created_by_checks: Vec::new(),
            outlive_the_gateway: false,
        })
    }
}

/// The ingress's allow and deny lists as Envoy Gateway authorization rules: deny first, then
/// allow only the listed networks (or allow the rest when there is only a deny list).
fn authorization(b: &Behaviour) -> Option<Authorization> {
    let mut rules = Vec::new();
    if let Some(denied) = &b.denied_cidrs {
        rules.push(AuthorizationRule {
            name: "denied-networks".into(),
            action: "Deny".into(),
            principal: Principal { client_cidrs: denied.value.clone() },
        });
    }
    if let Some(allowed) = &b.allowed_cidrs {
        rules.push(AuthorizationRule {
            name: "allowed-networks".into(),
            action: "Allow".into(),
            principal: Principal { client_cidrs: allowed.value.clone() },
        });
    }
    (!rules.is_empty()).then(|| Authorization {
        default_action: if b.allowed_cidrs.is_some() { "Deny".into() } else { "Allow".into() },
        rules,
    })
}

// ---- EnvoyProxy (Envoy Gateway v1.9.0, `gateway.envoyproxy.io/v1alpha1`)

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EnvoyProxySpec {
    pub provider: Provider,
    /// Unset, a Gateway's EnvoyProxy replaces the GatewayClass's and Envoy Gateway's defaults as a
    /// whole; StrategicMerge keeps what they set and overrides only these fields.
    pub merge_type: MergeType,
}

#[derive(Serialize, Debug, Clone, Copy, PartialEq)]
pub enum MergeType {
    StrategicMerge,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Provider {
    pub r#type: ProviderType,
    pub kubernetes: KubernetesProvider,
}

#[derive(Serialize, Debug, Clone, Copy, PartialEq)]
pub enum ProviderType {
    Kubernetes,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KubernetesProvider {
    pub envoy_deployment: Deployment,
    #[serde(rename = "envoyPDB")]
    pub envoy_pdb: PodDisruptionBudget,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Deployment {
    pub replicas: i32,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PodDisruptionBudget {
    pub min_available: i32,
}

// ---- Policies (`gateway.envoyproxy.io/v1alpha1`)

#[derive(Serialize, Debug, Clone, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct BackendTrafficPolicySpec {
    pub target_refs: Vec<TargetRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Timeout>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<LoadBalancer>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Default)]
pub struct Timeout {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp: Option<TcpTimeout>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpTimeout>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TcpTimeout {
    pub connect_timeout: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HttpTimeout {
    pub request_timeout: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancer {
    #[serde(rename = "type")]
    pub kind: String,
    pub consistent_hash: ConsistentHash,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct ConsistentHash {
    #[serde(rename = "type")]
    pub kind: String,
    pub cookie: Cookie,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Cookie {
    pub name: String,
    /// Absent: a session cookie.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<String>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SecurityPolicySpec {
    pub target_refs: Vec<TargetRef>,
    pub authorization: Authorization,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Authorization {
    pub default_action: String,
    pub rules: Vec<AuthorizationRule>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct AuthorizationRule {
    pub name: String,
    pub action: String,
    pub principal: Principal,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Principal {
    #[serde(rename = "clientCIDRs")]
    pub client_cidrs: Vec<String>,
}
