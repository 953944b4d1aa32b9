//! NGINX Gateway Fabric 2.6.7: its chart creates the `nginx` GatewayClass; policies are
//! ClientSettingsPolicy, ProxySettingsPolicy and UpstreamSettingsPolicy
//! (`gateway.nginx.org/v1alpha1`); the replicas come from an NginxProxy the Gateway names, and
//! the disruption budget is a PodDisruptionBudget of its own, which the runbook creates.

use super::{
    derived_name, show_parameters_ref, Bytes, CloudLoadBalancer, Defaults, Emit, Implementation, ImplementationId,
    Infrastructure, InstallStep, Parameters, RouteTimeouts, Seconds, DATA_PLANE_MIN_AVAILABLE, DATA_PLANE_REPLICAS,
    GATEWAY_NAME_LABEL, STANDARD_PORTS, WHY_TWO_REPLICAS,
};
use crate::annotations::Carry;
use crate::behaviour::{duration, size, Behaviour, TimeoutKind};
use crate::emit::policies::{policy, route_ref, service_ref, Policy, PolicyKind, Reasons, TargetRef};
use crate::manifest::{Manifest, Meta};
use crate::markdown::code;
use crate::plan::Model;
use crate::shell::quote;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// NGINX's `client_max_body_size` default: ZenML artifact and code uploads larger than that fail
/// with 413 unless a ClientSettingsPolicy raises `body.maxSize`.
const BODY_LIMIT: Bytes = Bytes::MIB;
/// NGINX's `proxy_read_timeout` and `proxy_send_timeout` defaults, per read like ingress-nginx's.
const PER_READ_TIMEOUT: Seconds = Seconds(60);

const ALLOW_LIST: (Carry, &str) = (Carry::Lost, "NGF has no IP allowlist policy: restrict at the load balancer (`loadBalancerSourceRanges` via NginxProxy) or a NetworkPolicy");
const DENY_LIST: (Carry, &str) =
    (Carry::Lost, "NGF has no IP deny policy: use a NetworkPolicy or the load balancer's firewall");

pub const IMPLEMENTATION: Implementation = Implementation {
    id: ImplementationId::NginxGatewayFabric,
    slug: "nginx-gateway-fabric",
    display_name: "NGINX Gateway Fabric",
    version: "2.6.7",
    gateway_class: "nginx",
    controller_name: "gateway.nginx.org/nginx-gateway-controller",
    install_creates_gateway_class: true,
    gateway_api_bundle: "v1.5.1",
    newer_bundle: "NGINX Gateway Fabric 2.6 runs on a newer v1 bundle on a best-effort basis: its GatewayClass stays Accepted and shows `SupportedVersion=False` (\"not recommended\"); a different major version stops it (`Accepted=False`, `UnsupportedVersion`).",
    user_installs_crds: true,
    install: &[
        InstallStep {
            what: "Install the Gateway API v1.5.1 standard-channel CRDs, the bundle NGINX Gateway Fabric 2.6.7 is built on (its own kustomization)",
            command: "kubectl kustomize \"https://github.com/nginx/nginx-gateway-fabric/config/crd/gateway-api/standard?ref=v2.6.7\" | kubectl apply -f -",
        },
        InstallStep {
            what: "Install NGINX Gateway Fabric (the chart creates the `nginx` GatewayClass)",
            command: "helm install ngf oci://ghcr.io/nginx/charts/nginx-gateway-fabric --version 2.6.7 -n nginx-gateway --create-namespace",
        },
        InstallStep {
            what: "Wait for the controller",
            command: "kubectl wait --timeout=5m -n nginx-gateway deployment/ngf-nginx-gateway-fabric --for=condition=Available",
        },
    ],
    cluster_requirements: None,
    data_plane_service: "kubectl get svc {gateway}-nginx -n {namespace}",
    min_kubernetes: Some("1.31"),
    logs_command: "kubectl logs -n {namespace} deploy/{gateway}-nginx --tail=20",
    listener_ports: STANDARD_PORTS,
    defaults: Defaults {
        request_timeout: None,
        per_read_timeout: Some(PER_READ_TIMEOUT),
        body_limit: Some(BODY_LIMIT),
        connect_timeout: None,
    },
    route_timeouts: RouteTimeouts::Ignored("NGINX Gateway Fabric ignores `HTTPRoute.rules[].timeouts` (it warns and drops them), so the chart's 0 s timeouts on the event-stream rule have no effect: long streams follow NGINX's 60 s proxy read timeout unless a ProxySettingsPolicy raises it."),
    cloud_load_balancer: CloudLoadBalancer::AwsNlbAcm,
    refused_tls: &[],
    proxy_protocol: Some("NginxProxy `rewriteClientIP: {mode: ProxyProtocol, trustedAddresses: [your VPC CIDR]}` (NGINX Gateway Fabric 2.6)"),
    load_balancer_health_check: None,
    google_named_address: false,
    annotations: &[
        ("nginx.ingress.kubernetes.io/proxy-body-size", Carry::Policy, "ClientSettingsPolicy `body.maxSize` (NGF defaults to 1m)"),
        ("nginx.ingress.kubernetes.io/proxy-read-timeout", Carry::Policy, "ProxySettingsPolicy `timeout.read` (same per-read meaning)"),
        ("nginx.ingress.kubernetes.io/proxy-send-timeout", Carry::Policy, "ProxySettingsPolicy `timeout.send`"),
        ("nginx.ingress.kubernetes.io/proxy-connect-timeout", Carry::Policy, "ProxySettingsPolicy `timeout.connect`"),
        ("nginx.ingress.kubernetes.io/affinity", Carry::Policy, "UpstreamSettingsPolicy `ip_hash` (OSS has no cookie affinity: stickiness by client IP)"),
        ("nginx.ingress.kubernetes.io/session-cookie-*", Carry::Lost, "ip_hash has no cookie"),
        ("nginx.ingress.kubernetes.io/whitelist-source-range", ALLOW_LIST.0, ALLOW_LIST.1),
        ("nginx.ingress.kubernetes.io/allowlist-source-range", ALLOW_LIST.0, ALLOW_LIST.1),
        ("nginx.ingress.kubernetes.io/denylist-source-range", DENY_LIST.0, DENY_LIST.1),
        ("nginx.ingress.kubernetes.io/blacklist-source-range", DENY_LIST.0, DENY_LIST.1),
        ("nginx.ingress.kubernetes.io/limit-rps", Carry::Lost, "NGF has no rate-limit policy in OSS; ZenML rate-limits logins itself"),
        ("alb.ingress.kubernetes.io/certificate-arn", Carry::Tls, "the NLB in front of the Gateway (TLS model cloud-lb)"),
        ("alb.ingress.kubernetes.io/load-balancer-attributes", Carry::Policy, "the idle timeout sets the ProxySettingsPolicy read timeout"),
        ("alb.ingress.kubernetes.io/inbound-cidrs", Carry::Lost, "restrict the NLB with `loadBalancerSourceRanges`"),
        ("kubernetes.io/ingress.global-static-ip-name", Carry::Lost, "reserve an address for the Gateway's Service instead"),
    ],
    notes: &[],
    emit: &NginxGatewayFabric,
};

#[derive(Debug)]
pub struct NginxGatewayFabric;

const API_VERSION: &str = "gateway.nginx.org/v1alpha1";
const NGINX_PROXY_API_VERSION: &str = "gateway.nginx.org/v1alpha2";
const POD_DISRUPTION_BUDGET_API_VERSION: &str = "policy/v1";
/// Kubernetes label values hold at most 63 characters; NGINX Gateway Fabric 2.6.7 moves a longer
/// Gateway name to an annotation (`buildLabelsAndAnnotations`), so no label selects those pods.
const MAX_LABEL_VALUE: usize = 63;

pub const CLIENT_SETTINGS_POLICY: PolicyKind = PolicyKind {
    kind: "ClientSettingsPolicy",
    api_version: API_VERSION,
    resource: "clientsettingspolicies.gateway.nginx.org",
    applied_by_runbook: false,
    filters_client_networks: false,
};

pub const PROXY_SETTINGS_POLICY: PolicyKind = PolicyKind {
    kind: "ProxySettingsPolicy",
    api_version: API_VERSION,
    resource: "proxysettingspolicies.gateway.nginx.org",
    applied_by_runbook: false,
    filters_client_networks: false,
};

pub const UPSTREAM_SETTINGS_POLICY: PolicyKind = PolicyKind {
    kind: "UpstreamSettingsPolicy",
    api_version: API_VERSION,
    resource: "upstreamsettingspolicies.gateway.nginx.org",
    applied_by_runbook: false,
    filters_client_networks: false,
};

impl Emit for NginxGatewayFabric {
    fn policies(&self, model: &Model, b: &Behaviour) -> Vec<Policy> {
        let ns = model.namespace.as_str();
        let name = |suffix: &str| format!("{}-{suffix}", model.fullname);
        let source = b.controller.name();
        let was = b.timeout_words();
        let mut out = Vec::new();
        if b.body_limit.value != Some(BODY_LIMIT.0) {
            let max_size = b.body_limit.value.map(size).unwrap_or_else(|| "0".to_string());
            // One part, naming what the ingress allowed: without an Ingress it goes as a whole.
            out.push(policy(
                CLIENT_SETTINGS_POLICY,
                Meta::new(&name("client-settings"), Some(ns)),
                ClientSettingsPolicySpec { target_ref: route_ref(model), body: Body { max_size: max_size.clone() } },
                Reasons::default().and_source(format!(
                    "body limit {max_size} (0 = none): NGINX Gateway Fabric allows {BODY_LIMIT} by default, {source} allowed {}",
                    b.body_limit.value.map(size).unwrap_or_else(|| "any size".to_string())
                )),
            ));
        }
        // NGF's read/send timeouts are per read, like ingress-nginx's: keep a per-read value,
        // and never go below NGF's own default.
        let per_read = match b.read_timeout_kind {
            TimeoutKind::PerRead | TimeoutKind::WholeResponse => b.read_timeout_seconds.value.max(PER_READ_TIMEOUT.0),
            TimeoutKind::Unlimited => 600,
        };
        if per_read != PER_READ_TIMEOUT.0 || b.connect_timeout_seconds.is_some() {
            out.push(policy(
                PROXY_SETTINGS_POLICY,
                Meta::new(&name("proxy-settings"), Some(ns)),
                ProxySettingsPolicySpec {
                    target_refs: vec![route_ref(model)],
                    timeout: Timeout {
                        connect: b.connect_timeout_seconds.as_ref().map(|c| duration(c.value)),
                        read: duration(per_read),
                        send: duration(per_read),
                    },
                },
                Reasons::of(format!(
                    "read and send timeouts {} between reads (NGF defaults to {PER_READ_TIMEOUT})",
                    duration(per_read)
                ))
                .and_source(format!("{source} {was}")),
            ));
        }
        if b.affinity.is_some() {
            out.push(policy(
                UPSTREAM_SETTINGS_POLICY,
                Meta::new(&name("upstream-settings"), Some(ns)),
                UpstreamSettingsPolicySpec {
                    target_refs: vec![service_ref(model, "core")],
                    load_balancing_method: "ip_hash".into(),
                },
                Reasons::of("client-IP affinity (ip_hash): NGINX Gateway Fabric OSS has no cookie affinity"),
            ));
        }
        out
    }

    fn infrastructure(&self, model: &Model) -> Option<Infrastructure> {
        let name = derived_name(&model.gateway_name, "proxy");
        let object = Manifest::new(
            NGINX_PROXY_API_VERSION,
            "NginxProxy",
            Meta::new(&name, Some(&model.gateway_namespace)),
            NginxProxySpec { kubernetes: Kubernetes { deployment: Deployment { replicas: DATA_PLANE_REPLICAS } } },
        )
        .to_value();
        let settings = Parameters { group: "gateway.nginx.org", kind: "NginxProxy", name, object };
        let (gw, gw_q, gwns_q) =
            (model.gateway_name.as_str(), quote(&model.gateway_name), quote(&model.gateway_namespace));
        let pdb = derived_name(gw, "nginx");
        let scale_note = format!(
            "change the count in NginxProxy {}, not with kubectl scale (NGINX Gateway Fabric reverts it)",
            quote(&settings.name)
        );
        let (budget, checks, created_by_checks) = match disruption_budget(model) {
            Some(object) => {
                let mut lines = vec!["kubectl create -f - <<'EOF'".to_string()];
                lines.extend(crate::yaml::to_yaml(&object).lines().map(str::to_string));
                lines.push("EOF".to_string());
                lines.extend([
                    format!("kubectl get deployment -n {gwns_q} -l {GATEWAY_NAME_LABEL}={gw_q}   # READY 2/2; {scale_note}"),
                    format!("kubectl get pdb {} -n {gwns_q}   # MIN AVAILABLE 1, ALLOWED DISRUPTIONS 1", quote(&pdb)),
                ]);
                (
                    format!("and the PodDisruptionBudget {} created here keeps {DATA_PLANE_MIN_AVAILABLE} running (NGINX Gateway Fabric has no setting for one), because {WHY_TWO_REPLICAS}; create it and check both before the DNS switch:", code(&pdb)),
                    lines,
                    vec![format!("poddisruptionbudgets.policy/{pdb}")],
                )
            }
            None => (
                format!("because {WHY_TWO_REPLICAS}; NGINX Gateway Fabric does not label the pods of a Gateway whose name is longer than {MAX_LABEL_VALUE} characters with that name, so no PodDisruptionBudget in gateway.yaml could select them: create one by hand (`minAvailable: {DATA_PLANE_MIN_AVAILABLE}`) with the `matchLabels` of the Deployment shown below, and check the replicas before the DNS switch:"),
                vec![format!(
                    "kubectl get deployments -n {gwns_q} -o custom-columns=NAME:.metadata.name,READY:.status.readyReplicas,SELECTOR:.spec.selector.matchLabels   # the Gateway's nginx Deployment: READY 2; {scale_note}"
                )],
                Vec::new(),
            ),
        };
        let mut commands = vec![show_parameters_ref(model, &settings)];
        commands.extend(checks);
        Some(Infrastructure {
            prose: format!(
                "NGINX Gateway Fabric runs one NGINX replica per Gateway by default: gateway.yaml's NginxProxy {} (attached through the Gateway's `spec.infrastructure.parametersRef`; its fields override the GatewayClass's NginxProxy, the rest is kept) asks for {DATA_PLANE_REPLICAS} replicas {budget}",
                code(&settings.name)
            ),
            checks: commands,
            settings,
            resource: "nginxproxies.gateway.nginx.org",
            created_by_checks,
            outlive_the_gateway: false,
        })
    }
}

/// NGINX Gateway Fabric has no budget setting: a PodDisruptionBudget of its own selects the
/// Gateway's NGINX pods by the label NGF puts on them, which it does only when the Gateway's
/// name fits a label. The runbook creates it rather than gateway.yaml (a core kind among the
/// Gateway API objects).
pub fn disruption_budget(model: &Model) -> Option<Value> {
    if model.gateway_name.len() > MAX_LABEL_VALUE {
        return None;
    }
    let mut labels = BTreeMap::new();
    labels.insert(GATEWAY_NAME_LABEL.to_string(), model.gateway_name.clone());
    Some(
        Manifest::new(
            POD_DISRUPTION_BUDGET_API_VERSION,
            "PodDisruptionBudget",
            Meta::new(&derived_name(&model.gateway_name, "nginx"), Some(&model.gateway_namespace)),
            PodDisruptionBudgetSpec {
                min_available: DATA_PLANE_MIN_AVAILABLE,
                selector: LabelSelector { match_labels: labels },
            },
        )
        .to_value(),
    )
}

// ---- NginxProxy (`gateway.nginx.org/v1alpha2`) and the PodDisruptionBudget (`policy/v1`)

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct NginxProxySpec {
    pub kubernetes: Kubernetes,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Kubernetes {
    pub deployment: Deployment,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Deployment {
    pub replicas: i32,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PodDisruptionBudgetSpec {
    pub min_available: i32,
    pub selector: LabelSelector,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    pub match_labels: BTreeMap<String, String>,
}

// ---- Policies (`gateway.nginx.org/v1alpha1`)

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ClientSettingsPolicySpec {
    pub target_ref: TargetRef,
    pub body: Body,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Body {
    pub max_size: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProxySettingsPolicySpec {
    pub target_refs: Vec<TargetRef>,
    pub timeout: Timeout,
}

#[derive(Serialize, Debug, Clone, PartialEq, Default)]
pub struct Timeout {
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
