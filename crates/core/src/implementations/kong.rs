//! Kong, through Kong Operator 2.2.3 (chart kong/kong-operator 1.3.1): the planner emits the
//! `kong` GatewayClass; the data plane's replicas and disruption budget come from a
//! GatewayConfiguration the Gateway names. Kong reads its timeouts and load-balancing policy from
//! annotations on ZenML's Service and its plugins and buffering from annotations on the route,
//! so its policies (KongUpstreamPolicy, KongPlugin) are named by annotations, not `targetRefs`.
//! Facts read in Kong/kong-operator v2.2.3, Kong/charts kong-operator-1.3.1 and Kong/kong 3.9.3.

use super::{
    derived_name, show_parameters_ref, CloudLoadBalancer, Defaults, Emit, Implementation, ImplementationId,
    Infrastructure, InstallStep, Note, ObjectAnnotation, Parameters, RouteTimeouts, RunbookStep, Seconds, SecretLabels,
    DATA_PLANE_MIN_AVAILABLE, DATA_PLANE_REPLICAS, GATEWAY_NAME_LABEL, STANDARD_PORTS, WHY_TWO_REPLICAS,
};
use crate::annotations::Carry;
use crate::behaviour::{Behaviour, TimeoutKind};
use crate::emit::policies::{cidr_words, policy, Policy, PolicyKind, Reasons};
use crate::excerpt::clip;
use crate::findings::{FindingCode, Severity};
use crate::manifest::{Manifest, Meta};
use crate::markdown::code;
use crate::plan::Model;
use crate::shell::quote;
use serde::Serialize;
use std::net::IpAddr;

/// Kong's service timeouts (connect, read, write) when nothing sets them: 60000 ms each
/// (Kong/kong 3.9.3 `services.lua`; KIC's `DefaultServiceTimeout`). Read and write are waits
/// between two reads or writes, as nginx's.
const DEFAULT_TIMEOUT: Seconds = Seconds(60);
/// Kong refuses a service timeout outside 1 ms to 2^31 - 2 ms (`nonzero_timeout`).
const MAX_TIMEOUT_MS: u64 = (1 << 31) - 2;
/// A source with no timeout towards ZenML: Kong has no "off", so ten minutes between two reads
/// (ZenML's event stream sends a heartbeat every 30 s).
const UNLIMITED_PER_READ: Seconds = Seconds(600);
/// ingress-nginx's affinity cookie when `session-cookie-name` is unset, used as well when the
/// ingress's name is not an HTTP token, which Kong refuses as a cookie name.
const DEFAULT_COOKIE: &str = "INGRESSCOOKIE";

/// The event reason of a configuration Kong refused (KIC's `KongConfigurationApplyFailedEventReason`).
const APPLY_FAILED: &str = "KongConfigurationApplyFailed";
/// The chart's ValidatingWebhookConfiguration (a fixed name, whatever the release).
const VALIDATING_WEBHOOK: &str = "controlplane-configuration-validations";

const GATEWAY_CONFIGURATION_GROUP: &str = "gateway-operator.konghq.com";

/// The Service annotations KIC reads for a Kong service (integers, in ms).
const CONNECT_TIMEOUT: &str = "konghq.com/connect-timeout";
const READ_TIMEOUT: &str = "konghq.com/read-timeout";
const WRITE_TIMEOUT: &str = "konghq.com/write-timeout";
/// The Service annotation naming a KongUpstreamPolicy in the Service's namespace.
const UPSTREAM_POLICY: &str = "konghq.com/upstream-policy";
/// Route annotations: the KongPlugins (in the route's namespace) and response buffering.
const PLUGINS: &str = "konghq.com/plugins";
const RESPONSE_BUFFERING: &str = "konghq.com/response-buffering";

/// Load balancing for a Service, which names it (`konghq.com/upstream-policy`).
pub const KONG_UPSTREAM_POLICY: PolicyKind = PolicyKind {
    kind: "KongUpstreamPolicy",
    api_version: "configuration.konghq.com/v1beta1",
    resource: "kongupstreampolicies.configuration.konghq.com",
    applied_by_runbook: false,
    filters_client_networks: false,
};

/// A plugin a route names (`konghq.com/plugins`); the plan writes only `ip-restriction`.
pub const KONG_PLUGIN: PolicyKind = PolicyKind {
    kind: "KongPlugin",
    api_version: "configuration.konghq.com/v1",
    resource: "kongplugins.configuration.konghq.com",
    applied_by_runbook: false,
    filters_client_networks: true,
};

const ALLOW_LIST: (Carry, &str) =
    (Carry::Policy, "KongPlugin `ip-restriction` `allow`, which the route names (`konghq.com/plugins`)");
const DENY_LIST: (Carry, &str) =
    (Carry::Policy, "KongPlugin `ip-restriction` `deny`, which the route names (`konghq.com/plugins`)");

pub const IMPLEMENTATION: Implementation = Implementation {
    id: ImplementationId::Kong,
    slug: "kong",
    display_name: "Kong",
    version: "Operator 2.2.3",
    gateway_class: "kong",
    controller_name: "konghq.com/gateway-operator",
    install_creates_gateway_class: false,
    gateway_api_bundle: "v1.5.1",
    newer_bundle: "Kong Operator checks no bundle version (its code reads none); whether 2.2.3 is tested with a newer bundle is not stated upstream.",
    user_installs_crds: true,
    install: &[
        InstallStep {
            what: "Install the Gateway API v1.5.1 standard-channel CRDs, the bundle Kong Operator 2.2.3 is built on (server-side apply); the chart's own copy is switched off below, so this command alone manages them",
            command: "kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml",
        },
        InstallStep {
            what: "Add Kong's chart repository",
            command: "helm repo add kong https://charts.konghq.com && helm repo update",
        },
        InstallStep {
            what: "Install Kong Operator. Chart 1.3.1 as published deploys operator 2.2.2, so the image is pinned to 2.2.3; its Gateway API CRDs are off (the command above); its validating webhook is off, because it refuses the chart's route (the route-timeouts-ignored finding), which also turns off its checks of every other Kong object on the cluster (the kong-webhook-off finding)",
            command: "helm install ko kong/kong-operator --version 1.3.1 -n kong-system --create-namespace --set image.tag=2.2.3 --set gwapi-standard-crds.enabled=false --set global.webhooks.validating.enabled=false",
        },
        InstallStep {
            what: "Wait for the operator (it also runs each Gateway's control plane)",
            command: "kubectl wait --timeout=5m -n kong-system deployment/ko-kong-operator-controller-manager --for=condition=Available",
        },
    ],
    cluster_requirements: None,
    // The Service's name is generated (`dataplane-ingress-<dataplane>-<random>`): its labels find it.
    data_plane_service: "kubectl get svc -n {namespace} -l gateway.networking.k8s.io/gateway-name={gateway},gateway-operator.konghq.com/dataplane-service-type=ingress",
    min_kubernetes: None,
    // Kong Operator sends Kong's access log to stdout (`KONG_PROXY_ACCESS_LOG`).
    logs_command: "kubectl logs -n {namespace} -l gateway.networking.k8s.io/gateway-name={gateway} -c proxy --tail=20",
    listener_ports: STANDARD_PORTS,
    defaults: Defaults {
        request_timeout: None,
        per_read_timeout: Some(DEFAULT_TIMEOUT),
        body_limit: None,
        connect_timeout: Some(DEFAULT_TIMEOUT),
    },
    route_timeouts: RouteTimeouts::Ignored("Kong Operator's validating webhook refuses the chart's route, whose event-stream rule sets `timeouts` while the catch-all rule sets none (\"timeout is set for one of the rules, but not set for another\"), so step 2 installs Kong Operator with that webhook off. Kong then makes one Kong service of both rules (they share the backend) and gives it the event-stream rule's `backendRequest: 0s` as 0 ms connect, read and write timeouts, which Kong refuses (1 ms at least). Kong keeps its last good configuration when it refuses one, so no later change to any route on this Gateway would take effect. The `konghq.com/*-timeout` annotations on ZenML's Service, which the runbook sets before phase 1, replace the 0 ms: keep them there as long as the route exists."),
    cloud_load_balancer: CloudLoadBalancer::AwsNlbAcm,
    refused_tls: &[],
    proxy_protocol: Some("`KONG_PROXY_LISTEN` with the `proxy_protocol` flag on both listens, `KONG_REAL_IP_HEADER: proxy_protocol` and `KONG_TRUSTED_IPS` (your VPC CIDR), as `env` of the `proxy` container in the GatewayConfiguration's `dataPlaneOptions.deployment.podTemplateSpec` (Kong Operator 2.2.3 keeps a `KONG_PROXY_LISTEN` you set)"),
    load_balancer_health_check: None,
    google_named_address: false,
    annotations: &[
        ("nginx.ingress.kubernetes.io/proxy-body-size", Carry::Same, "Kong sets no body limit by default (`nginx_http_client_max_body_size = 0`): uploads are not cut"),
        ("nginx.ingress.kubernetes.io/proxy-read-timeout", Carry::Runbook, "`konghq.com/read-timeout` (ms, between two reads like nginx's) on ZenML's Service, which the runbook annotates before phase 1"),
        ("nginx.ingress.kubernetes.io/proxy-send-timeout", Carry::Runbook, "`konghq.com/write-timeout` (ms) on ZenML's Service, which the runbook annotates before phase 1"),
        ("nginx.ingress.kubernetes.io/proxy-connect-timeout", Carry::Runbook, "`konghq.com/connect-timeout` (ms; Kong's default is 60s) on ZenML's Service, which the runbook annotates before phase 1"),
        ("nginx.ingress.kubernetes.io/affinity", Carry::Policy, "KongUpstreamPolicy `consistent-hashing` on the cookie, which ZenML's Service names (`konghq.com/upstream-policy`, set by the runbook)"),
        ("nginx.ingress.kubernetes.io/session-cookie-*", Carry::Policy, "the cookie name of the KongUpstreamPolicy (`hashOn.cookie`); Kong's cookie is a session cookie, so a max-age does not carry over"),
        ("nginx.ingress.kubernetes.io/whitelist-source-range", ALLOW_LIST.0, ALLOW_LIST.1),
        ("nginx.ingress.kubernetes.io/allowlist-source-range", ALLOW_LIST.0, ALLOW_LIST.1),
        ("nginx.ingress.kubernetes.io/denylist-source-range", DENY_LIST.0, DENY_LIST.1),
        ("nginx.ingress.kubernetes.io/blacklist-source-range", DENY_LIST.0, DENY_LIST.1),
        ("nginx.ingress.kubernetes.io/limit-rps", Carry::Lost, "the plan adds no rate limit; Kong's `rate-limiting` plugin can limit per client IP if you need it. ZenML rate-limits logins itself"),
        ("alb.ingress.kubernetes.io/certificate-arn", Carry::Tls, "the NLB in front of the Gateway (TLS model cloud-lb)"),
        ("alb.ingress.kubernetes.io/load-balancer-attributes", Carry::Runbook, "the idle timeout sets `konghq.com/read-timeout` on ZenML's Service, which the runbook annotates before phase 1"),
        ("alb.ingress.kubernetes.io/inbound-cidrs", ALLOW_LIST.0, ALLOW_LIST.1),
        ("kubernetes.io/ingress.global-static-ip-name", Carry::Lost, "reserve an address for the Gateway's Service instead"),
    ],
    notes: &[
        Note {
            code: FindingCode::KongWebhookOff,
            severity: Severity::Warning,
            text: "Kong Operator runs without its validating webhook (`global.webhooks.validating.enabled=false`, step 2), because the webhook refuses the chart's route. It is cluster-wide: it checks the Gateways and HTTPRoutes of every Kong Gateway, Ingresses, KongPlugins, KongClusterPlugins, KongConsumers, KongConsumerGroups, KongVaults, KongCustomEntities and Secrets labelled `konghq.com/secret: \"true\"`. Without it the API server accepts a wrong object and only Kong refuses it; Kong then keeps its last good configuration and takes no later change on that Gateway until the object is fixed or removed. Until the webhook can be turned back on, review Kong objects before applying them and watch for refusals: `kubectl get events -A --field-selector reason=KongConfigurationApplyFailed` (also checked after phase 1).",
        },
        Note {
            code: FindingCode::KongOperatorImage,
            severity: Severity::Info,
            text: "The chart kong/kong-operator 1.3.1 as published deploys Kong Operator 2.2.2 (`image.tag: \"2.2.2\"`); step 2 pins `image.tag=2.2.3`, the version this plan was checked against. Its data plane is the `kong/kong-gateway:3.14` image by default.",
        },
    ],
    emit: &Kong,
};

#[derive(Debug)]
pub struct Kong;

impl Kong {
    fn plugin_name(model: &Model) -> String {
        format!("{}-client-networks", model.fullname)
    }

    fn upstream_policy_name(model: &Model) -> String {
        format!("{}-affinity", model.fullname)
    }
}

impl Emit for Kong {
    fn policies(&self, model: &Model, b: &Behaviour) -> Vec<Policy> {
        let ns = model.namespace.as_str();
        let mut out = Vec::new();
        if let Some(a) = &b.affinity {
            let cookie = if is_http_token(&a.cookie_name) { a.cookie_name.clone() } else { DEFAULT_COOKIE.to_string() };
            let renamed = if cookie == a.cookie_name {
                String::new()
            } else {
                format!(
                    " (named {}: Kong refuses the ingress's cookie name, which is not an HTTP token)",
                    code(DEFAULT_COOKIE)
                )
            };
            out.push(policy(
                KONG_UPSTREAM_POLICY,
                Meta::new(&Self::upstream_policy_name(model), Some(ns)),
                KongUpstreamPolicySpec {
                    algorithm: "consistent-hashing".into(),
                    hash_on: HashOn { cookie, cookie_path: "/".into() },
                },
                Reasons::of(format!(
                    "cookie affinity on {} as the ingress had{renamed}",
                    code(&clip(&a.cookie_name, 80))
                ))
                .and("Kong sets its own cookie when the request has none, a session cookie")
                .and(format!("ZenML's Service names this policy (`{UPSTREAM_POLICY}`)")),
            ));
        }
        if let Some(config) = ip_restriction(b) {
            let plugin = KongPlugin {
                api_version: KONG_PLUGIN.api_version,
                kind: KONG_PLUGIN.kind,
                metadata: Meta::new(&Self::plugin_name(model), Some(ns)),
                plugin: "ip-restriction",
                config,
            };
            out.push(Policy {
                kind: KONG_PLUGIN,
                name: plugin.metadata.name.clone(),
                namespace: ns.to_string(),
                why: Reasons::of(format!("client networks as the ingress had them: {}", cidr_words(b)))
                    .and(format!("the route names this plugin (`{PLUGINS}`), and Kong answers others with 403")),
                object: serde_json::to_value(&plugin).expect("KongPlugins serialise"),
            });
        }
        out
    }

    fn policy_attached_check(&self, policy: &Policy, object: &str, namespace: &str) -> String {
        if policy.kind == KONG_PLUGIN {
            // KongPlugins get no status from Kong's control plane: a plugin Kong cannot use is
            // reported as a Warning event on it, a missing one on the route that names it.
            return format!(
                "kubectl get events -n {namespace} --field-selector type=Warning,involvedObject.name={}   # nothing; then a request from a network the ingress refused gets 403 ({object})",
                quote(&policy.name)
            );
        }
        format!("kubectl get {object} -n {namespace} -o jsonpath='{{.status.ancestors[*].conditions[?(@.type==\"Accepted\")].status}}{{\"\\n\"}}'   # True, once the route exists")
    }

    fn no_client_network_policy(&self, model: &Model) -> Option<&'static str> {
        let b = Behaviour::of(&model.release);
        let listed = b.allowed_cidrs.is_some() || b.denied_cidrs.is_some();
        (listed && ip_restriction(&b).is_none()).then_some(
            "an entry of the ingress's list is not an IP address or CIDR, which Kong's `ip-restriction` plugin refuses (and a refused plugin would stop every later configuration change on this Gateway)",
        )
    }

    fn infrastructure(&self, model: &Model) -> Option<Infrastructure> {
        let name = derived_name(&model.gateway_name, "proxy");
        let object = Manifest::new(
            "gateway-operator.konghq.com/v2beta1",
            "GatewayConfiguration",
            Meta::new(&name, Some(&model.gateway_namespace)),
            GatewayConfigurationSpec {
                data_plane_options: DataPlaneOptions {
                    deployment: DataPlaneDeployment { replicas: DATA_PLANE_REPLICAS },
                    resources: DataPlaneResources {
                        pod_disruption_budget: PodDisruptionBudget {
                            spec: PodDisruptionBudgetSpec { min_available: DATA_PLANE_MIN_AVAILABLE },
                        },
                    },
                },
            },
        )
        .to_value();
        let settings = Parameters { group: GATEWAY_CONFIGURATION_GROUP, kind: "GatewayConfiguration", name, object };
        let (gw_q, gwns_q) = (quote(&model.gateway_name), quote(&model.gateway_namespace));
        let dataplanes =
            format!("kubectl get dataplanes.gateway-operator.konghq.com -n {gwns_q} -l {GATEWAY_NAME_LABEL}={gw_q}");
        Some(Infrastructure {
            prose: format!(
                "Kong Operator runs one Kong replica per Gateway by default: gateway.yaml's GatewayConfiguration {} (named by the Gateway's `spec.infrastructure.parametersRef`, merged over the GatewayClass's settings) asks for {DATA_PLANE_REPLICAS} replicas and a PodDisruptionBudget with `minAvailable: {DATA_PLANE_MIN_AVAILABLE}` (named after the Gateway's DataPlane), because {WHY_TWO_REPLICAS}; check both before the DNS switch:",
                code(&settings.name)
            ),
            checks: vec![
                show_parameters_ref(model, &settings),
                format!("{dataplanes} -o custom-columns=NAME:.metadata.name,READY:.status.readyReplicas,REPLICAS:.status.replicas   # READY 2, REPLICAS 2"),
                format!("kubectl get pdb -n {gwns_q} \"$({dataplanes} -o jsonpath='{{.items[0].metadata.name}}')\"   # MIN AVAILABLE 1, ALLOWED DISRUPTIONS 1"),
            ],
            settings,
            resource: "gatewayconfigurations.gateway-operator.konghq.com",
            created_by_checks: Vec::new(),
            outlive_the_gateway: false,
        })
    }

    fn route_annotations(&self, model: &Model, b: &Behaviour) -> Vec<ObjectAnnotation> {
        let mut out = vec![ObjectAnnotation {
            key: RESPONSE_BUFFERING,
            value: "false".into(),
            why: "Kong buffers responses by default; unbuffered, every event of ZenML's event stream reaches the client when ZenML sends it".into(),
        }];
        if ip_restriction(b).is_some() {
            out.push(ObjectAnnotation {
                key: PLUGINS,
                value: Self::plugin_name(model),
                why: "names the KongPlugin in policies.yaml that keeps the ingress's client networks".into(),
            });
        }
        out
    }

    fn service_annotations(&self, model: &Model, b: &Behaviour) -> Vec<ObjectAnnotation> {
        let source = b.controller.name();
        let (per_read, read_why) = match b.read_timeout_kind {
            TimeoutKind::PerRead | TimeoutKind::WholeResponse => (
                b.read_timeout_seconds.value.max(DEFAULT_TIMEOUT.0),
                format!("{source} {}; never under Kong's default, {DEFAULT_TIMEOUT}", b.timeout_words()),
            ),
            TimeoutKind::Unlimited => (
                UNLIMITED_PER_READ.0,
                format!("{source} {}, and Kong has no \"off\": {UNLIMITED_PER_READ}", b.timeout_words()),
            ),
        };
        let (connect, connect_why) = match &b.connect_timeout_seconds {
            Some(c) => (c.value, format!("from {}", code(c.annotation.as_deref().unwrap_or("")))),
            None => (DEFAULT_TIMEOUT.0, format!("Kong's default, {DEFAULT_TIMEOUT}")),
        };
        let ms = |seconds: u64| seconds.saturating_mul(1000).clamp(1, MAX_TIMEOUT_MS).to_string();
        let mut out = vec![
            ObjectAnnotation {
                key: CONNECT_TIMEOUT,
                value: ms(connect),
                why: format!("the wait for a connection to ZenML, in ms: {connect_why}"),
            },
            ObjectAnnotation {
                key: READ_TIMEOUT,
                value: ms(per_read),
                why: format!("the wait between two reads from ZenML, in ms: {read_why}; with the other two it replaces the 0 ms the chart's event-stream rule would give the whole route"),
            },
            ObjectAnnotation {
                key: WRITE_TIMEOUT,
                value: ms(per_read),
                why: "the wait between two writes to ZenML, in ms: the same".into(),
            },
        ];
        if b.affinity.is_some() {
            out.push(ObjectAnnotation {
                key: UPSTREAM_POLICY,
                value: Self::upstream_policy_name(model),
                why: "names the KongUpstreamPolicy in policies.yaml that keeps the ingress's cookie affinity".into(),
            });
        }
        out
    }

    fn before_route(&self, _model: &Model) -> Option<RunbookStep> {
        Some(RunbookStep {
            prose: "Kong Operator's validating webhook refuses the chart's route (its event-stream rule sets `timeouts`, its catch-all rule none), so this upgrade fails while it is on. Step 2 installs Kong Operator without it; if Kong Operator ran here before, check:".into(),
            commands: vec![format!(
                "kubectl get validatingwebhookconfigurations {VALIDATING_WEBHOOK}   # NotFound. If it exists, Kong Operator's release runs with global.webhooks.validating.enabled=true; turning it off (that release's values) stops the checks for every Kong Gateway here: agree on it with whoever runs it (kubectl get deployments -A -l app.kubernetes.io/name=kong-operator)"
            )],
        })
    }

    fn after_route(&self, model: &Model) -> Option<RunbookStep> {
        Some(RunbookStep {
            prose: "The route's conditions do not show whether Kong took the configuration made from it: a configuration Kong refuses leaves it on the last one it took, and Kong Operator reports the refusal as a Warning event on the objects at fault. Check that there is none, and that the Service carries the timeouts:".into(),
            commands: vec![
                format!("kubectl get events -A --field-selector reason={APPLY_FAILED}   # nothing"),
                format!(
                    "kubectl get service {} -n {} -o jsonpath='{{.metadata.annotations.konghq\\.com/read-timeout}}{{\"\\n\"}}'   # not empty",
                    quote(&model.fullname),
                    quote(&model.namespace)
                ),
            ],
        })
    }

    fn policies_before_route(&self) -> bool {
        true
    }

    fn certificate_secret_labels(&self) -> Option<SecretLabels> {
        Some(SecretLabels {
            labels: &[("konghq.com/secret", "true")],
            why: "Kong Operator 2.2.3 reads only Secrets with that label (its `--secret-label-selector` default, `konghq.com/secret`), so a listener's certificate without it is not served",
        })
    }
}

/// The ingress's allow and deny lists as one `ip-restriction` configuration (Kong checks the
/// deny list first, then the allow list); `None` without lists, or when an entry is not an IP
/// address or CIDR, which Kong's schema refuses.
fn ip_restriction(b: &Behaviour) -> Option<IpRestriction> {
    let allow = b.allowed_cidrs.as_ref().map(|a| a.value.clone());
    let deny = b.denied_cidrs.as_ref().map(|d| d.value.clone());
    let entries = allow.iter().chain(deny.iter()).flatten();
    let mut any = false;
    for entry in entries {
        if !is_ip_or_cidr(entry) {
            return None;
        }
        any = true;
    }
    any.then_some(IpRestriction { allow, deny })
}

/// An IPv4 or IPv6 address, with an optional prefix length that fits it.
fn is_ip_or_cidr(entry: &str) -> bool {
    let (address, prefix) = match entry.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (entry, None),
    };
    let Ok(ip) = address.parse::<IpAddr>() else { return false };
    let bits = if ip.is_ipv4() { 32 } else { 128 };
    prefix.is_none_or(|p| p.parse::<u8>().is_ok_and(|p| p <= bits) && !p.starts_with('+'))
}

/// An HTTP token (RFC 7230), which Kong requires of a cookie name (`validate_http_token`).
fn is_http_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|c| c.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&c))
}

// ---- Kong Operator's GatewayConfiguration (`gateway-operator.konghq.com/v2beta1`)

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GatewayConfigurationSpec {
    pub data_plane_options: DataPlaneOptions,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct DataPlaneOptions {
    pub deployment: DataPlaneDeployment,
    pub resources: DataPlaneResources,
}

/// `replicas` is shorthand for a fixed scale; the CRD refuses it beside `scaling`.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct DataPlaneDeployment {
    pub replicas: i32,
}

/// Kong Operator creates the PodDisruptionBudget and sets its selector itself.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DataPlaneResources {
    pub pod_disruption_budget: PodDisruptionBudget,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct PodDisruptionBudget {
    pub spec: PodDisruptionBudgetSpec,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PodDisruptionBudgetSpec {
    pub min_available: i32,
}

// ---- Kong's own resources (`configuration.konghq.com`)

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KongUpstreamPolicySpec {
    pub algorithm: String,
    pub hash_on: HashOn,
}

/// Hash on a cookie; the CRD requires `cookiePath` with `cookie`.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HashOn {
    pub cookie: String,
    pub cookie_path: String,
}

/// A KongPlugin has no `spec`: the plugin's name and configuration sit at the top.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KongPlugin {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: Meta,
    pub plugin: &'static str,
    pub config: IpRestriction,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct IpRestriction {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deny: Option<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_addresses_and_cidrs_kong_accepts_make_a_plugin() {
        for ok in ["10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "::1"] {
            assert!(is_ip_or_cidr(ok), "{ok}");
        }
        for bad in ["10.0.0.0/33", "example.com", "10.0.0.0/", "10.0.0/8", "2001:db8::/129", "10.0.0.0/+8"] {
            assert!(!is_ip_or_cidr(bad), "{bad}");
        }
    }

    #[test]
    fn cookie_names_are_http_tokens() {
        assert!(is_http_token("INGRESSCOOKIE"));
        assert!(is_http_token("zenml_route-1"));
        assert!(!is_http_token("zen ml"));
        assert!(!is_http_token("a=b"));
        assert!(!is_http_token(""));
        assert!(!is_http_token("zénml"));
    }
}
