//! Implementation policies that carry the ingress's effective behaviour over (body size,
//! timeouts, affinity, allowed networks, rate limits), each targeting the HTTPRoute or Service
//! the chart renders (named like the release's Service) or the Gateway. Typed structs per CRD.

use crate::behaviour::{duration, size, Behaviour, TimeoutKind};
use crate::emit::gateway::GATEWAY_GROUP;
use crate::excerpt::clip;
use crate::implementations::ImplementationId;
use crate::manifest::{Manifest, Meta};
use crate::markdown::code;
use crate::plan::Model;
use serde::Serialize;
use serde_json::Value;

/// A reference to the object a policy attaches to.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct TargetRef {
    pub group: String,
    pub kind: String,
    pub name: String,
}

fn route_ref(model: &Model) -> TargetRef {
    TargetRef { group: GATEWAY_GROUP.into(), kind: "HTTPRoute".into(), name: model.fullname.clone() }
}

fn service_ref(model: &Model, core_group: &str) -> TargetRef {
    TargetRef { group: core_group.into(), kind: "Service".into(), name: model.fullname.clone() }
}

// ---- Envoy Gateway (gateway.envoyproxy.io/v1alpha1)

#[derive(Serialize, Debug, Clone, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct BackendTrafficPolicySpec {
    pub target_refs: Vec<TargetRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<EgTimeout>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<EgLoadBalancer>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Default)]
pub struct EgTimeout {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp: Option<EgTcpTimeout>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<EgHttpTimeout>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EgTcpTimeout {
    pub connect_timeout: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EgHttpTimeout {
    pub request_timeout: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EgLoadBalancer {
    #[serde(rename = "type")]
    pub kind: String,
    pub consistent_hash: EgConsistentHash,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct EgConsistentHash {
    #[serde(rename = "type")]
    pub kind: String,
    pub cookie: EgCookie,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct EgCookie {
    pub name: String,
    /// Absent: a session cookie.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<String>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SecurityPolicySpec {
    pub target_refs: Vec<TargetRef>,
    pub authorization: EgAuthorization,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EgAuthorization {
    pub default_action: String,
    pub rules: Vec<EgAuthorizationRule>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct EgAuthorizationRule {
    pub name: String,
    pub action: String,
    pub principal: EgPrincipal,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EgPrincipal {
    #[serde(rename = "clientCIDRs")]
    pub client_cidrs: Vec<String>,
}

// ---- NGINX Gateway Fabric (gateway.nginx.org/v1alpha1)

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ClientSettingsPolicySpec {
    pub target_ref: TargetRef,
    pub body: NgfBody,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NgfBody {
    pub max_size: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProxySettingsPolicySpec {
    pub target_refs: Vec<TargetRef>,
    pub timeout: NgfTimeout,
}

#[derive(Serialize, Debug, Clone, PartialEq, Default)]
pub struct NgfTimeout {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connect: Option<String>,
    pub read: String,
    pub send: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct UpstreamSettingsPolicySpec {
    pub target_refs: Vec<TargetRef>,
    pub load_balancing_method: String,
}

// ---- GKE (networking.gke.io/v1)

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
    pub session_affinity: Option<GcpSessionAffinity>,
    /// The runbook reads the load balancer's request logs, which are off by default.
    pub logging: GcpLogging,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct GcpLogging {
    pub enabled: bool,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GcpSessionAffinity {
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

// ---- Istio (networking.istio.io/v1, security.istio.io/v1)

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DestinationRuleSpec {
    pub host: String,
    pub traffic_policy: IstioTrafficPolicy,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IstioTrafficPolicy {
    pub load_balancer: IstioLoadBalancer,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IstioLoadBalancer {
    pub consistent_hash: IstioConsistentHash,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IstioConsistentHash {
    pub http_cookie: IstioCookie,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct IstioCookie {
    pub name: String,
    pub ttl: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizationPolicySpec {
    pub target_refs: Vec<TargetRef>,
    pub action: String,
    pub rules: Vec<IstioRule>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct IstioRule {
    pub from: Vec<IstioFrom>,
    pub to: Vec<IstioTo>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct IstioFrom {
    pub source: IstioSource,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IstioSource {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_remote_ip_blocks: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_ip_blocks: Option<Vec<String>>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct IstioTo {
    pub operation: IstioOperation,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct IstioOperation {
    pub hosts: Vec<String>,
}

/// The kinds of object policies.yaml and the runbook hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PolicyKind {
    BackendTrafficPolicy,
    SecurityPolicy,
    ClientSettingsPolicy,
    ProxySettingsPolicy,
    UpstreamSettingsPolicy,
    #[serde(rename = "GCPBackendPolicy")]
    GcpBackendPolicy,
    HealthCheckPolicy,
    DestinationRule,
    AuthorizationPolicy,
}

impl PolicyKind {
    /// The object's `kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::BackendTrafficPolicy => "BackendTrafficPolicy",
            PolicyKind::SecurityPolicy => "SecurityPolicy",
            PolicyKind::ClientSettingsPolicy => "ClientSettingsPolicy",
            PolicyKind::ProxySettingsPolicy => "ProxySettingsPolicy",
            PolicyKind::UpstreamSettingsPolicy => "UpstreamSettingsPolicy",
            PolicyKind::GcpBackendPolicy => "GCPBackendPolicy",
            PolicyKind::HealthCheckPolicy => "HealthCheckPolicy",
            PolicyKind::DestinationRule => "DestinationRule",
            PolicyKind::AuthorizationPolicy => "AuthorizationPolicy",
        }
    }

    pub fn api_version(self) -> &'static str {
        match self {
            PolicyKind::BackendTrafficPolicy | PolicyKind::SecurityPolicy => "gateway.envoyproxy.io/v1alpha1",
            PolicyKind::ClientSettingsPolicy | PolicyKind::ProxySettingsPolicy | PolicyKind::UpstreamSettingsPolicy => {
                "gateway.nginx.org/v1alpha1"
            }
            PolicyKind::GcpBackendPolicy | PolicyKind::HealthCheckPolicy => "networking.gke.io/v1",
            PolicyKind::DestinationRule => "networking.istio.io/v1",
            PolicyKind::AuthorizationPolicy => "security.istio.io/v1",
        }
    }

    /// The fully qualified resource name kubectl needs (short names are ambiguous).
    pub fn resource(self) -> &'static str {
        match self {
            PolicyKind::BackendTrafficPolicy => "backendtrafficpolicies.gateway.envoyproxy.io",
            PolicyKind::SecurityPolicy => "securitypolicies.gateway.envoyproxy.io",
            PolicyKind::ClientSettingsPolicy => "clientsettingspolicies.gateway.nginx.org",
            PolicyKind::ProxySettingsPolicy => "proxysettingspolicies.gateway.nginx.org",
            PolicyKind::UpstreamSettingsPolicy => "upstreamsettingspolicies.gateway.nginx.org",
            PolicyKind::GcpBackendPolicy => "gcpbackendpolicies.networking.gke.io",
            PolicyKind::HealthCheckPolicy => "healthcheckpolicies.networking.gke.io",
            PolicyKind::DestinationRule => "destinationrules.networking.istio.io",
            PolicyKind::AuthorizationPolicy => "authorizationpolicies.security.istio.io",
        }
    }

    /// An Istio resource rather than a Gateway API policy attachment: the runbook applies it,
    /// policies.yaml holds only the policy CRDs.
    pub fn is_istio_resource(self) -> bool {
        matches!(self, PolicyKind::DestinationRule | PolicyKind::AuthorizationPolicy)
    }

    /// Limits which client networks reach ZenML.
    pub fn filters_client_networks(self) -> bool {
        matches!(self, PolicyKind::SecurityPolicy | PolicyKind::AuthorizationPolicy)
    }
}

impl std::fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One part of why the plan made a policy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reason {
    pub text: String,
    /// The part describes what the ingress controller did: with no Ingress running, there was
    /// nothing it did, and the findings leave the part out.
    pub about_source: bool,
}

/// Why the plan made a policy, written as its parts joined by `; `.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Reasons(pub Vec<Reason>);

impl Reasons {
    /// A reason that holds whatever the ingress did (the setting, the target's default).
    pub fn of(text: impl Into<String>) -> Reasons {
        Reasons(vec![Reason { text: text.into(), about_source: false }])
    }

    pub fn and(mut self, text: impl Into<String>) -> Reasons {
        self.0.push(Reason { text: text.into(), about_source: false });
        self
    }

    /// A part about what the ingress controller did.
    pub fn and_source(mut self, text: impl Into<String>) -> Reasons {
        self.0.push(Reason { text: text.into(), about_source: true });
        self
    }

    /// The parts that hold without an Ingress.
    pub fn without_source(&self) -> String {
        self.0.iter().filter(|r| !r.about_source).map(|r| r.text.as_str()).collect::<Vec<_>>().join("; ")
    }
}

impl std::fmt::Display for Reasons {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join("; "))
    }
}

/// One policy and why the plan made it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Policy {
    pub kind: PolicyKind,
    pub name: String,
    pub namespace: String,
    pub why: Reasons,
    pub object: Value,
}

impl Policy {
    /// An Istio resource rather than a Gateway API policy attachment.
    pub fn istio_resource(&self) -> bool {
        self.kind.is_istio_resource()
    }
}

fn policy<S: Serialize>(kind: PolicyKind, meta: Meta, spec: S, why: Reasons) -> Policy {
    let name = meta.name.clone();
    let namespace = meta.namespace.clone().unwrap_or_default();
    Policy {
        kind,
        name,
        namespace,
        why,
        object: Manifest::new(kind.api_version(), kind.as_str(), meta, spec).to_value(),
    }
}

/// The ingress's allow and deny lists as Envoy Gateway authorization rules: deny first, then
/// allow only the listed networks (or allow the rest when there is only a deny list).
fn eg_authorization(b: &Behaviour) -> Option<EgAuthorization> {
    let mut rules = Vec::new();
    if let Some(denied) = &b.denied_cidrs {
        rules.push(EgAuthorizationRule {
            name: "denied-networks".into(),
            action: "Deny".into(),
            principal: EgPrincipal { client_cidrs: denied.value.clone() },
        });
    }
    if let Some(allowed) = &b.allowed_cidrs {
        rules.push(EgAuthorizationRule {
            name: "allowed-networks".into(),
            action: "Allow".into(),
            principal: EgPrincipal { client_cidrs: allowed.value.clone() },
        });
    }
    (!rules.is_empty()).then(|| EgAuthorization {
        default_action: if b.allowed_cidrs.is_some() { "Deny".into() } else { "Allow".into() },
        rules,
    })
}

fn cidr_words(b: &Behaviour) -> String {
    let mut parts = Vec::new();
    if let Some(a) = &b.allowed_cidrs {
        parts.push(format!(
            "only {} allowed ({})",
            code(&clip(&a.value.join(", "), 400)),
            code(a.annotation.as_deref().unwrap_or(""))
        ));
    }
    if let Some(d) = &b.denied_cidrs {
        parts.push(format!(
            "{} refused ({})",
            code(&clip(&d.value.join(", "), 400)),
            code(d.annotation.as_deref().unwrap_or(""))
        ));
    }
    parts.join("; ")
}

/// GKE accepts at most 14 days for a generated cookie.
const GKE_MAX_COOKIE_TTL: u64 = 1_209_600;

/// The policies for the chosen implementation, from the ingress's effective behaviour.
pub fn policies(model: &Model, b: &Behaviour) -> Vec<Policy> {
    let ns = model.namespace.as_str();
    let name = |suffix: &str| format!("{}-{suffix}", model.fullname);
    let source = b.controller.name();
    let was = b.timeout_words();
    let whole = b.whole_response_timeout_seconds();
    let mut out = Vec::new();
    match model.implementation.id {
        ImplementationId::EnvoyGateway => {
            let (request_timeout, mut why) = match whole {
                Some(t) => (
                    duration(t),
                    Reasons::of(format!("request timeout {}: Envoy Gateway allows 15 s per request by default", duration(t)))
                        .and_source(format!("{source} {was}, so the limit is 10 x a per-read timeout (ingress2gateway's rule) and at least 10 minutes")),
                ),
                None => (
                    "0s".to_string(),
                    Reasons::of("request timeout off (0s): Envoy Gateway allows 15 s per request by default")
                        .and_source(format!("{source} {was}")),
                ),
            };
            let mut spec = BackendTrafficPolicySpec {
                target_refs: vec![route_ref(model)],
                timeout: Some(EgTimeout { tcp: None, http: Some(EgHttpTimeout { request_timeout }) }),
                ..BackendTrafficPolicySpec::default()
            };
            if let Some(c) = &b.connect_timeout_seconds {
                spec.timeout.get_or_insert_with(EgTimeout::default).tcp =
                    Some(EgTcpTimeout { connect_timeout: duration(c.value) });
                why = why.and(format!(
                    "connect timeout {} from {}",
                    duration(c.value),
                    code(c.annotation.as_deref().unwrap_or(""))
                ));
            }
            if let Some(a) = &b.affinity {
                spec.load_balancer = Some(EgLoadBalancer {
                    kind: "ConsistentHash".into(),
                    consistent_hash: EgConsistentHash {
                        kind: "Cookie".into(),
                        cookie: EgCookie {
                            name: a.cookie_name.clone(),
                            ttl: (a.max_age_seconds > 0).then(|| duration(a.max_age_seconds)),
                        },
                    },
                });
                why = why.and(format!("cookie affinity on {} as the ingress had", code(&clip(&a.cookie_name, 80))));
            }
            out.push(policy(PolicyKind::BackendTrafficPolicy, Meta::new(&name("backend"), Some(ns)), spec, why));
            if let Some(authorization) = eg_authorization(b) {
                out.push(policy(
                    PolicyKind::SecurityPolicy,
                    Meta::new(&name("client-networks"), Some(ns)),
                    SecurityPolicySpec { target_refs: vec![route_ref(model)], authorization },
                    Reasons::of(format!("client networks as the ingress had them: {}", cidr_words(b))),
                ));
            }
        }
        ImplementationId::NginxGatewayFabric => {
            if b.body_limit.value != Some(1 << 20) {
                let max_size = b.body_limit.value.map(size).unwrap_or_else(|| "0".to_string());
                // One part, naming what the ingress allowed: without an Ingress it goes as a whole.
                out.push(policy(
                    PolicyKind::ClientSettingsPolicy,
                    Meta::new(&name("client-settings"), Some(ns)),
                    ClientSettingsPolicySpec { target_ref: route_ref(model), body: NgfBody { max_size: max_size.clone() } },
                    Reasons::default().and_source(format!(
                        "body limit {max_size} (0 = none): NGINX Gateway Fabric allows 1 MB by default, {source} allowed {}",
                        b.body_limit.value.map(size).unwrap_or_else(|| "any size".to_string())
                    )),
                ));
            }
            // NGF's read/send timeouts are per read, like ingress-nginx's: keep a per-read value,
            // and never go below NGF's own 60 s default.
            let per_read = match b.read_timeout_kind {
                TimeoutKind::PerRead => b.read_timeout_seconds.value.max(60),
                TimeoutKind::WholeResponse => b.read_timeout_seconds.value.max(60),
                TimeoutKind::Unlimited => 600,
            };
            if per_read != 60 || b.connect_timeout_seconds.is_some() {
                out.push(policy(
                    PolicyKind::ProxySettingsPolicy,
                    Meta::new(&name("proxy-settings"), Some(ns)),
                    ProxySettingsPolicySpec {
                        target_refs: vec![route_ref(model)],
                        timeout: NgfTimeout {
                            connect: b.connect_timeout_seconds.as_ref().map(|c| duration(c.value)),
                            read: duration(per_read),
                            send: duration(per_read),
                        },
                    },
                    Reasons::of(format!(
                        "read and send timeouts {} between reads (NGF defaults to 60 s)",
                        duration(per_read)
                    ))
                    .and_source(format!("{source} {was}")),
                ));
            }
            if b.affinity.is_some() {
                out.push(policy(
                    PolicyKind::UpstreamSettingsPolicy,
                    Meta::new(&name("upstream-settings"), Some(ns)),
                    UpstreamSettingsPolicySpec {
                        target_refs: vec![service_ref(model, "core")],
                        load_balancing_method: "ip_hash".into(),
                    },
                    Reasons::of("client-IP affinity (ip_hash): NGINX Gateway Fabric OSS has no cookie affinity"),
                ));
            }
        }
        ImplementationId::Gke => {
            let affinity = b.affinity.as_ref().map(|a| GcpSessionAffinity {
                kind: "GENERATED_COOKIE".into(),
                cookie_ttl_sec: a.max_age_seconds.min(GKE_MAX_COOKIE_TTL),
            });
            // GKE has no "off": an unlimited source gets a day.
            let timeout_sec = whole.unwrap_or(86_400);
            let mut why = Reasons::of(format!(
                "backend timeout {timeout_sec}s: the Google load balancer cuts a response (event streams included) after 30 s by default"
            ))
            .and_source(format!("{source} {was}"));
            if b.affinity.is_some() {
                why = why.and("generated-cookie affinity as the ingress had");
            }
            why = why.and("request logging on (off by default), which the runbook reads");
            out.push(policy(
                PolicyKind::GcpBackendPolicy,
                Meta::new(&name("backend"), Some(ns)),
                GcpBackendPolicySpec {
                    default: GcpBackendPolicyConfig {
                        timeout_sec,
                        session_affinity: affinity,
                        logging: GcpLogging { enabled: true },
                    },
                    target_ref: service_ref(model, ""),
                },
                why,
            ));
            out.push(policy(
                PolicyKind::HealthCheckPolicy,
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
            ));
        }
        ImplementationId::Istio => {
            if let Some(a) = &b.affinity {
                out.push(policy(
                    PolicyKind::DestinationRule,
                    Meta::new(&name("affinity"), Some(ns)),
                    DestinationRuleSpec {
                        host: format!("{}.{ns}.svc.cluster.local", model.fullname),
                        traffic_policy: IstioTrafficPolicy {
                            load_balancer: IstioLoadBalancer {
                                consistent_hash: IstioConsistentHash {
                                    http_cookie: IstioCookie {
                                        name: a.cookie_name.clone(),
                                        ttl: duration(a.max_age_seconds),
                                    },
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
                let to = vec![IstioTo { operation: IstioOperation { hosts: vec![host.clone()] } }];
                let mut rules = Vec::new();
                if let Some(allowed) = &b.allowed_cidrs {
                    rules.push(IstioRule {
                        from: vec![IstioFrom {
                            source: IstioSource {
                                not_remote_ip_blocks: Some(allowed.value.clone()),
                                remote_ip_blocks: None,
                            },
                        }],
                        to: to.clone(),
                    });
                }
                if let Some(denied) = &b.denied_cidrs {
                    rules.push(IstioRule {
                        from: vec![IstioFrom {
                            source: IstioSource {
                                not_remote_ip_blocks: None,
                                remote_ip_blocks: Some(denied.value.clone()),
                            },
                        }],
                        to,
                    });
                }
                if !rules.is_empty() {
                    out.push(policy(
                        PolicyKind::AuthorizationPolicy,
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
        }
    }
    out
}
