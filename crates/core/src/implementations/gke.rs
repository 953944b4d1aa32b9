//! GKE Gateway (managed): Google runs the controller and the load balancer the Gateway is, and
//! installs the Gateway API CRDs; policies are GCPBackendPolicy and HealthCheckPolicy
//! (`networking.gke.io/v1`). No data-plane settings: there are no proxies in the cluster.

use super::{
    CloudLoadBalancer, Defaults, Emit, Implementation, ImplementationId, InstallStep, RouteTimeouts, Seconds,
    STANDARD_PORTS,
};
use crate::annotations::Carry;
use crate::behaviour::Behaviour;
use crate::emit::policies::{policy, service_ref, Policy, PolicyKind, Reasons, TargetRef};
use crate::manifest::Meta;
use crate::plan::Model;
use serde::Serialize;

/// The Google load balancer cuts a response (event streams included) after 30 s unless the
/// GCPBackendPolicy's `timeoutSec` says otherwise.
const BACKEND_TIMEOUT: Seconds = Seconds(30);
/// GKE has no "off" for the backend timeout: an unlimited source gets a day.
const UNLIMITED_TIMEOUT_SEC: u64 = 86_400;
/// GKE accepts at most 14 days for a generated cookie.
const MAX_COOKIE_TTL: u64 = 1_209_600;

const CLOUD_ARMOR: (Carry, &str) =
    (Carry::Lost, "use a Cloud Armor policy referenced from GCPBackendPolicy `securityPolicy`");

pub const IMPLEMENTATION: Implementation = Implementation {
    id: ImplementationId::Gke,
    slug: "gke",
    display_name: "GKE Gateway",
    version: "managed",
    gateway_class: "gke-l7-global-external-managed",
    controller_name: "networking.gke.io/gateway",
    install_creates_gateway_class: true,
    gateway_api_bundle: "managed",
    newer_bundle: "GKE installs and upgrades the bundle itself.",
    user_installs_crds: false,
    install: &[InstallStep {
        what: "Enable the managed Gateway API controller on the cluster (GKE installs and owns the CRDs: do not apply your own)",
        command: "gcloud container clusters update CLUSTER --location=LOCATION --gateway-api=standard",
    }],
    cluster_requirements: Some("The cluster must be VPC-native with the HttpLoadBalancing add-on; regional classes also need a proxy-only subnet."),
    data_plane_service: "gcloud compute forwarding-rules list --filter=description~{namespace}/{gateway}",
    min_kubernetes: Some("1.30"),
    logs_command: "gcloud logging read 'resource.type=\"http_load_balancer\"' --limit=20 --freshness=10m   # the GCPBackendPolicy in policies.yaml turns this logging on",
    listener_ports: STANDARD_PORTS,
    defaults: Defaults { request_timeout: Some(BACKEND_TIMEOUT), per_read_timeout: None, body_limit: None, connect_timeout: None },
    route_timeouts: RouteTimeouts::Rejected("GKE does not support `HTTPRoute.rules[].timeouts` (users report such routes as not accepted, `GWCER104`), and the ZenML chart always writes them on its event-stream rule (the first rule), with no value to turn them off. Right after phase 1, check that the route is Accepted; if it is not, render the chart through a Helm post-renderer that removes `/spec/rules/0/timeouts` from the HTTPRoute (a kustomize JSON patch), or keep the Ingress until the chart can leave them out. The GCPBackendPolicy's `timeoutSec` then caps every response, event streams included: a log stream open longer than that is cut and the dashboard reconnects."),
    cloud_load_balancer: CloudLoadBalancer::GkeCertificateMap,
    refused_tls: &[],
    proxy_protocol: None,
    load_balancer_health_check: Some("on GKE a HealthCheckPolicy sets the load balancer's check (see the health-check finding)"),
    google_named_address: true,
    annotations: &[
        ("nginx.ingress.kubernetes.io/proxy-body-size", Carry::Same, "the Google load balancer sets no body limit"),
        ("nginx.ingress.kubernetes.io/proxy-read-timeout", Carry::Policy, "GCPBackendPolicy `timeoutSec` (whole response: 10 x, at least 600s)"),
        ("nginx.ingress.kubernetes.io/proxy-send-timeout", Carry::Policy, "GCPBackendPolicy `timeoutSec`"),
        ("nginx.ingress.kubernetes.io/proxy-connect-timeout", Carry::Lost, "the Google load balancer's connect timeout is not configurable"),
        ("nginx.ingress.kubernetes.io/affinity", Carry::Policy, "GCPBackendPolicy `sessionAffinity` GENERATED_COOKIE"),
        ("nginx.ingress.kubernetes.io/session-cookie-*", Carry::Lost, "the load balancer names its own cookie; only the lifetime carries over (`cookieTtlSec`, at most 14 days)"),
        ("nginx.ingress.kubernetes.io/whitelist-source-range", CLOUD_ARMOR.0, CLOUD_ARMOR.1),
        ("nginx.ingress.kubernetes.io/allowlist-source-range", CLOUD_ARMOR.0, CLOUD_ARMOR.1),
        ("nginx.ingress.kubernetes.io/denylist-source-range", CLOUD_ARMOR.0, CLOUD_ARMOR.1),
        ("nginx.ingress.kubernetes.io/blacklist-source-range", CLOUD_ARMOR.0, CLOUD_ARMOR.1),
        ("nginx.ingress.kubernetes.io/limit-rps", Carry::Lost, "use Cloud Armor rate limiting; ZenML rate-limits logins itself"),
        ("alb.ingress.kubernetes.io/certificate-arn", Carry::Lost, "ACM certificates do not exist on GKE: use the certificate map"),
        ("alb.ingress.kubernetes.io/load-balancer-attributes", Carry::Policy, "the idle timeout sets the GCPBackendPolicy timeout"),
        ("alb.ingress.kubernetes.io/inbound-cidrs", Carry::Lost, "use a Cloud Armor policy"),
        ("kubernetes.io/ingress.global-static-ip-name", Carry::Runbook, "a new reserved address (`spec.addresses` NamedAddress) for the Gateway; this one, still held by the Ingress, moves only after phase 3, in its own outage window"),
    ],
    notes: &[],
    emit: &Gke,
};

#[derive(Debug)]
pub struct Gke;

const API_VERSION: &str = "networking.gke.io/v1";

pub const GCP_BACKEND_POLICY: PolicyKind = PolicyKind {
    kind: "GCPBackendPolicy",
    api_version: API_VERSION,
    resource: "gcpbackendpolicies.networking.gke.io",
    applied_by_runbook: false,
    filters_client_networks: false,
};

pub const HEALTH_CHECK_POLICY: PolicyKind = PolicyKind {
    kind: "HealthCheckPolicy",
    api_version: API_VERSION,
    resource: "healthcheckpolicies.networking.gke.io",
    applied_by_runbook: false,
    filters_client_networks: false,
};

impl Emit for Gke {
    fn policies(&self, model: &Model, b: &Behaviour) -> Vec<Policy> {
        let ns = model.namespace.as_str();
        let name = |suffix: &str| format!("{}-{suffix}", model.fullname);
        let affinity = b.affinity.as_ref().map(|a| SessionAffinity {
            kind: "GENERATED_COOKIE".into(),
            cookie_ttl_sec: a.max_age_seconds.min(MAX_COOKIE_TTL),
        });
        let timeout_sec = b.whole_response_timeout_seconds().unwrap_or(UNLIMITED_TIMEOUT_SEC);
        let mut why = Reasons::of(format!(
            "backend timeout {timeout_sec}s: the Google load balancer cuts a response (event streams included) after {BACKEND_TIMEOUT} by default"
        ))
        .and_source(format!("{} {}", b.controller.name(), b.timeout_words()));
        if b.affinity.is_some() {
            why = why.and("generated-cookie affinity as the ingress had");
        }
        why = why.and("request logging on (off by default), which the runbook reads");
        vec![
            policy(
                GCP_BACKEND_POLICY,
                Meta::new(&name("backend"), Some(ns)),
                GcpBackendPolicySpec {
                    default: GcpBackendPolicyConfig {
                        timeout_sec,
                        session_affinity: affinity,
                        logging: Logging { enabled: true },
                    },
                    target_ref: service_ref(model, ""),
                },
                why,
            ),
            // The load balancer health-checks the Service on `/` by default, which ZenML may not
            // answer with 200: the check moves to `/health`.
            policy(
                HEALTH_CHECK_POLICY,
                Meta::new(&name("health-check"), Some(ns)),
                HealthCheckPolicySpec {
                    default: HealthCheckDefault {
                        config: HealthCheckConfig {
                            kind: "HTTP".into(),
                            http_health_check: HttpHealthCheck { request_path: "/health".into() },
                        },
                    },
                    target_ref: service_ref(model, ""),
                },
                Reasons::of(
                    "health check on ZenML's `/health` on its serving port (8080): the load balancer's default checks `/`",
                ),
            ),
        ]
    }

    fn policy_attached_check(&self, _policy: &Policy, object: &str, namespace: &str) -> String {
        format!("kubectl describe {object} -n {namespace}   # Events and Conditions show whether it attached")
    }
}

// ---- Policies (`networking.gke.io/v1`)

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GcpBackendPolicySpec {
    pub default: GcpBackendPolicyConfig,
    pub target_ref: TargetRef,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GcpBackendPolicyConfig {
    pub timeout_sec: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_affinity: Option<SessionAffinity>,
    /// The runbook reads the load balancer's request logs, which are off by default.
    pub logging: Logging,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Logging {
    pub enabled: bool,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SessionAffinity {
    #[serde(rename = "type")]
    pub kind: String,
    pub cookie_ttl_sec: u64,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheckPolicySpec {
    pub default: HealthCheckDefault,
    pub target_ref: TargetRef,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct HealthCheckDefault {
    pub config: HealthCheckConfig,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheckConfig {
    #[serde(rename = "type")]
    pub kind: String,
    pub http_health_check: HttpHealthCheck,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HttpHealthCheck {
    /// No `port`: the CRD's CEL rules allow one only with `portSpecification: USE_FIXED_PORT`,
    /// and the default, the serving port, is ZenML's 8080 already.
    pub request_path: String,
}
