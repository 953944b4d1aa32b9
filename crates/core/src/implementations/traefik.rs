//! Traefik v3.7.11 (Helm chart traefik/traefik 41.3.0) with its Kubernetes Gateway provider: the
//! chart creates the `traefik` GatewayClass, and one Traefik Deployment behind one LoadBalancer
//! Service serves every Gateway of the class. So what other implementations set per Gateway (the
//! proxies' replicas and disruption budget, the load balancer's annotations) and the entry
//! points' timeouts are values of the install, which the runbook writes out. Traefik's
//! Middlewares reach an HTTPRoute only as filters, and the chart's route has none: no policies.

use super::{
    CloudLoadBalancer, Defaults, Emit, Implementation, ImplementationId, InstallStep, ListenerPorts, Note, PlannedStep,
    RouteTimeouts, Seconds, DATA_PLANE_MIN_AVAILABLE, DATA_PLANE_REPLICAS, WHY_TWO_REPLICAS,
};
use crate::annotations::Carry;
use crate::behaviour::{duration, Behaviour, TimeoutKind};
use crate::emit::gateway::aws_nlb_annotations;
use crate::emit::policies::Policy;
use crate::findings::{FindingCode, Severity};
use crate::plan::{CloudLbTls, Model, Tls};
use serde::Serialize;
use std::collections::BTreeMap;

/// The chart's entry points: `web` listens on 8000 and `websecure` on 8443, exposed by the
/// Service on 80 and 443. Traefik gives a Gateway listener the entry point whose port it names;
/// a listener on any other port is not accepted (`PortUnavailable`).
pub const ENTRY_POINT_PORTS: ListenerPorts = ListenerPorts { http: 8000, https: 8443 };
/// The entry points' `readTimeout` default: the whole request, body included, must arrive within it.
pub const READ_TIMEOUT: Seconds = Seconds(60);
/// Traefik's default dial timeout towards a backend (ServersTransport `forwardingTimeouts`).
const DIAL_TIMEOUT: Seconds = Seconds(30);

pub const CHART_VERSION: &str = "41.3.0";
/// The release and the namespace the runbook installs: a namespace of its own, so that a Traefik
/// that already serves Ingresses (often release `traefik` in `traefik` or `kube-system`) stays as
/// it is. The chart names the Deployment, Service and budget after a release whose name holds
/// `traefik`, and labels the pods `app.kubernetes.io/instance: <release>-<namespace>`.
pub const RELEASE: &str = "traefik";
pub const NAMESPACE: &str = "traefik-gateway";

const ALLOW_LIST: (Carry, &str) = (Carry::Lost, "a Traefik `ipAllowList` Middleware cannot attach to the chart's HTTPRoute (it renders no filters), and on an entry point it would restrict every route of this Traefik: restrict the load balancer instead (`service.spec.loadBalancerSourceRanges` in Traefik's Helm values, for every Gateway it serves) or use a NetworkPolicy");
const DENY_LIST: (Carry, &str) = (
    Carry::Lost,
    "Traefik has no deny-list Middleware (only `ipAllowList`), and none could attach to the chart's HTTPRoute: use a NetworkPolicy or the load balancer's firewall",
);

pub const IMPLEMENTATION: Implementation = Implementation {
    id: ImplementationId::Traefik,
    slug: "traefik",
    display_name: "Traefik",
    version: "v3.7.11",
    gateway_class: "traefik",
    controller_name: "traefik.io/gateway-controller",
    install_creates_gateway_class: true,
    gateway_api_bundle: "v1.5.1",
    newer_bundle: "Traefik 3.7 checks no bundle version, and its documentation names only v1.5.1: keep the newer bundle and watch the GatewayClass, Gateway and route conditions after the install.",
    user_installs_crds: true,
    install: &[
        InstallStep {
            what: "Install the Gateway API v1.5.1 standard-channel CRDs, the bundle Traefik 3.7 is built on (the chart ships none; server-side apply)",
            command: "kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml",
        },
        InstallStep {
            what: "Is a Traefik serving Gateway API already? Two would program the same Gateways",
            command: "kubectl get gatewayclasses.gateway.networking.k8s.io traefik   # NotFound: go on. Found: one does (helm list -A shows which release): skip the install below and give that Traefik the values it sets",
        },
        InstallStep {
            what: "The Traefik chart refuses Helm older than 3.9.0",
            command: "helm version --short   # v3.9.0 or later",
        },
        InstallStep {
            what: "Add the Traefik chart repository",
            command: "helm repo add traefik https://traefik.github.io/charts && helm repo update",
        },
    ],
    cluster_requirements: None,
    data_plane_service: "kubectl get svc traefik -n traefik-gateway   # one Service for every Gateway of class traefik, {gateway} among them",
    min_kubernetes: Some("1.25"),
    logs_command: "kubectl logs -n traefik-gateway -l app.kubernetes.io/name=traefik,app.kubernetes.io/instance=traefik-traefik-gateway --prefix --tail=20",
    listener_ports: ENTRY_POINT_PORTS,
    defaults: Defaults { request_timeout: None, per_read_timeout: None, body_limit: None, connect_timeout: Some(DIAL_TIMEOUT) },
    route_timeouts: RouteTimeouts::Ignored("Traefik 3.7 does not support `HTTPRoute.rules[].timeouts` (they are not among its supported features) and ignores them, so the chart's 0 s timeouts on the event-stream rule have no effect. Harmless: Traefik sets no timeout on responses by default (entry point `writeTimeout` 0, no `responseHeaderTimeout`), so event streams stay open."),
    cloud_load_balancer: CloudLoadBalancer::AwsNlbAcm,
    refused_tls: &[],
    proxy_protocol: Some("the entry points' `proxyProtocol.trustedIPs: [your VPC CIDR]` in Traefik's Helm values (`ports.web` and `ports.websecure`)"),
    load_balancer_health_check: None,
    google_named_address: false,
    annotations: &[
        ("nginx.ingress.kubernetes.io/proxy-body-size", Carry::Same, "Traefik sets no body limit: uploads are not cut by size (their duration is bounded by the entry points' `readTimeout`, which the install sets)"),
        ("nginx.ingress.kubernetes.io/proxy-read-timeout", Carry::Runbook, "Traefik sets no timeout on ZenML's responses; the install's entry-point `readTimeout` (the whole request, body included) becomes 10 x this per-read value, at least 600s"),
        ("nginx.ingress.kubernetes.io/proxy-send-timeout", Carry::Runbook, "the install's entry-point `readTimeout` (the whole request, body included: 10 x the per-read value, at least 600s)"),
        ("nginx.ingress.kubernetes.io/proxy-connect-timeout", Carry::Lost, "Traefik's default dial timeout (30s) applies: its Gateway API provider reads no per-Service transport settings"),
        ("nginx.ingress.kubernetes.io/affinity", Carry::Lost, "Traefik 3.7's Gateway API provider has no session affinity (no sticky cookie for HTTPRoute backends): requests spread over ZenML's pods"),
        ("nginx.ingress.kubernetes.io/session-cookie-*", Carry::Lost, "no cookie affinity through Traefik's Gateway API provider"),
        ("nginx.ingress.kubernetes.io/whitelist-source-range", ALLOW_LIST.0, ALLOW_LIST.1),
        ("nginx.ingress.kubernetes.io/allowlist-source-range", ALLOW_LIST.0, ALLOW_LIST.1),
        ("nginx.ingress.kubernetes.io/denylist-source-range", DENY_LIST.0, DENY_LIST.1),
        ("nginx.ingress.kubernetes.io/blacklist-source-range", DENY_LIST.0, DENY_LIST.1),
        ("nginx.ingress.kubernetes.io/limit-rps", Carry::Lost, "a Traefik `rateLimit` Middleware cannot attach to the chart's HTTPRoute, and on an entry point it would limit every route of this Traefik; ZenML rate-limits logins itself"),
        ("alb.ingress.kubernetes.io/certificate-arn", Carry::Tls, "the NLB in front of Traefik (TLS model cloud-lb), through Traefik's Helm values (`service.annotations`)"),
        ("alb.ingress.kubernetes.io/load-balancer-attributes", Carry::Runbook, "the idle timeout sets the install's entry-point `readTimeout` (10 x, at least 600s)"),
        ("alb.ingress.kubernetes.io/inbound-cidrs", Carry::Lost, "restrict the NLB with `service.spec.loadBalancerSourceRanges` in Traefik's Helm values (for every Gateway it serves)"),
        ("kubernetes.io/ingress.global-static-ip-name", Carry::Lost, "reserve an address for Traefik's Service instead (it serves every Gateway of the class)"),
    ],
    notes: &[
        Note {
            code: FindingCode::TraefikEntryPointPorts,
            severity: Severity::Info,
            text: "Traefik gives each Gateway listener the entry point whose port it names: gateway.yaml's listeners use the chart's entry points, 8000 (`web`) and 8443 (`websecure`), which its Service exposes on 80 and 443. A listener on another port is not accepted (`PortUnavailable`), nor a plain-HTTP listener on 8443 while `websecure` ends TLS itself (`ports.websecure.http.tls.enabled`, true by default; the TLS model cloud-lb turns it off). Add listeners to this Gateway on these two ports only.",
        },
        Note {
            code: FindingCode::TraefikSharedInstall,
            severity: Severity::Warning,
            text: "One Traefik Deployment behind one LoadBalancer Service serves every Gateway of class `traefik`: the replicas, entry-point timeouts, load balancer annotations and access log that the runbook's install sets apply to all of them, and they all get the Service's address. If a Traefik already serves your Ingresses, the runbook installs this one beside it (namespace `traefik-gateway`, with neither the Ingress provider nor an IngressClass), so the Ingress keeps its Traefik until phase 3; turning the Gateway provider on in that Traefik instead would keep one load balancer, but would change the proxy users are on during the move.",
        },
        Note {
            code: FindingCode::TraefikUploadTimeout,
            severity: Severity::Warning,
            text: "Traefik's entry points give a client 60 s to send a whole request, body included (`readTimeout`), so a ZenML artifact or code upload slower than that fails. The runbook's install sets `transport.respondingTimeouts.readTimeout` on `web` and `websecure` from what the ingress allowed: 10 x its per-read timeout, at least 10 minutes, or 0 (no limit) when it had no timeout. An upload that needs longer fails after that time: raise the value with `helm upgrade`.",
        },
        Note {
            code: FindingCode::TraefikNoMiddleware,
            severity: Severity::Info,
            text: "Traefik Middlewares (allow lists, rate limits, authentication, headers, body limits) attach to an HTTPRoute only as an `ExtensionRef` filter, and the ZenML chart renders its route without filters; on an entry point (`ports.<name>.http.middlewares`) a Middleware applies to every route of this Traefik. So the plan writes none: the annotation findings say what is lost and what to do instead.",
        },
    ],
    emit: &Traefik,
};

#[derive(Debug)]
pub struct Traefik;

impl Emit for Traefik {
    /// No policy reaches the chart's route: Middlewares attach only through route filters.
    fn policies(&self, _model: &Model, _b: &Behaviour) -> Vec<Policy> {
        Vec::new()
    }

    fn no_client_network_policy(&self, _model: &Model) -> Option<&'static str> {
        Some("a Traefik Middleware cannot attach to the chart's HTTPRoute (it renders no filters), and on an entry point it would apply to every route of this Traefik")
    }

    fn planned_install(&self, model: &Model) -> Vec<PlannedStep> {
        let b = Behaviour::of(&model.release);
        let values = helm_values(model, &b);
        let yaml = crate::yaml::to_yaml(&serde_json::to_value(&values).expect("Helm values serialise"));
        // A here-document ends at the first line equal to its delimiter: pick one no line is.
        let mut end = "EOF".to_string();
        while yaml.lines().any(|l| l == end) {
            end.push('_');
        }
        let mut install: Vec<String> = why_each_value(model, &b).into_iter().map(|why| format!("# {why}")).collect();
        install.push(format!(
            "helm install {RELEASE} traefik/traefik --version {CHART_VERSION} -n {NAMESPACE} --create-namespace -f - <<'{end}'"
        ));
        install.push(yaml.trim_end().to_string());
        install.push(end);
        vec![
            PlannedStep {
                what: format!("Install Traefik {} (chart {CHART_VERSION}) for Gateway API only, in a namespace of its own; the chart creates the `traefik` GatewayClass. Why each value:", IMPLEMENTATION.version),
                command: install.join("\n"),
            },
            PlannedStep {
                what: "Wait for Traefik, and check its data plane before going on".into(),
                command: [
                    format!("kubectl wait --timeout=5m -n {NAMESPACE} deployment/{RELEASE} --for=condition=Available"),
                    format!("kubectl get deployment {RELEASE} -n {NAMESPACE}   # READY {DATA_PLANE_REPLICAS}/{DATA_PLANE_REPLICAS}; change the count in the values (helm upgrade), not with kubectl scale, which the next upgrade undoes"),
                    format!("kubectl get pdb {RELEASE} -n {NAMESPACE}   # MIN AVAILABLE {DATA_PLANE_MIN_AVAILABLE}, ALLOWED DISRUPTIONS 1"),
                    format!("kubectl get deployment {RELEASE} -n {NAMESPACE} -o jsonpath='{{range .spec.template.spec.containers[0].args[*]}}{{@}}{{\"\\n\"}}{{end}}' | grep -e kubernetesgateway -e readTimeout -e accesslog   # the Gateway provider, readTimeout on web and websecure, the access log"),
                    format!("kubectl get svc {RELEASE} -n {NAMESPACE}   # LoadBalancer on 80 and 443; its address becomes the address of every Gateway of class traefik"),
                ]
                .join("\n"),
            },
        ]
    }

    fn shared_service_annotations(&self) -> Option<&'static str> {
        Some("Traefik's Helm values (`service.annotations`)")
    }

    fn request_read_timeout(&self) -> Option<Seconds> {
        Some(READ_TIMEOUT)
    }

    fn uninstall(&self) -> Vec<String> {
        vec![
            "kubectl get gateways.gateway.networking.k8s.io -A -o jsonpath='{range .items[?(@.spec.gatewayClassName==\"traefik\")]}{.metadata.namespace}/{.metadata.name}{\"\\n\"}{end}'   # empty once the Gateway above is gone: no other Gateway uses this Traefik".into(),
            format!("helm uninstall {RELEASE} -n {NAMESPACE}   # only then: removes Traefik, its load balancer and the GatewayClass `traefik` (CRDs stay)"),
            format!("kubectl delete namespace {NAMESPACE}   # the namespace the install created"),
        ]
    }
}

/// The entry points' `readTimeout`: what the ingress allowed for a whole response (a per-read
/// timeout times ten, at least ten minutes), or none when it had no timeout. Traefik reads the
/// whole request, body included, within it.
pub fn read_timeout(b: &Behaviour) -> String {
    b.whole_response_timeout_seconds().map(duration).unwrap_or_else(|| "0s".to_string())
}

/// The values of the install, typed after the chart's values (41.3.0); `service` only when TLS
/// ends at an AWS NLB, which fronts the one Service.
pub fn helm_values(model: &Model, b: &Behaviour) -> HelmValues {
    // The NLB's annotations, when TLS ends at an AWS NLB.
    let nlb_annotations = match &model.tls {
        Tls::CloudLb(CloudLbTls::AwsNlbAcm { certificate_arn }) => {
            Some(aws_nlb_annotations(model, certificate_arn.as_deref()))
        }
        _ => None,
    };
    let entry_point = |tls_off: bool| EntryPoint {
        transport: Transport { responding_timeouts: RespondingTimeouts { read_timeout: read_timeout(b) } },
        http: tls_off.then_some(EntryPointHttp { tls: Enabled { enabled: false } }),
    };
    HelmValues {
        providers: Providers {
            kubernetes_gateway: Enabled { enabled: true },
            kubernetes_ingress: Enabled { enabled: false },
        },
        ingress_class: Enabled { enabled: false },
        gateway: Enabled { enabled: false },
        deployment: Deployment { replicas: DATA_PLANE_REPLICAS },
        pod_disruption_budget: PodDisruptionBudget { enabled: true, min_available: DATA_PLANE_MIN_AVAILABLE },
        ports: Ports { web: entry_point(false), websecure: entry_point(nlb_annotations.is_some()) },
        service: nlb_annotations.map(|annotations| Service { annotations }),
        access_log: Enabled { enabled: true },
    }
}

/// Why each value, as the comment lines before the install command.
fn why_each_value(model: &Model, b: &Behaviour) -> Vec<String> {
    let source = b.controller.name();
    let was = b.timeout_words();
    let timeout = read_timeout(b);
    let mut out = vec![
        "providers.kubernetesIngress and ingressClass off: this Traefik serves Gateway API only (with the chart's defaults it would also serve every Ingress without a class, write its own address into their status, and add a `traefik` IngressClass as the cluster's default)".to_string(),
        "gateway.enabled false: no example Gateway from the chart (gateway.yaml holds ZenML's)".to_string(),
        format!("deployment.replicas {DATA_PLANE_REPLICAS} and a PodDisruptionBudget with minAvailable {DATA_PLANE_MIN_AVAILABLE}: the chart runs one replica by default, and {WHY_TWO_REPLICAS}"),
        format!(
            "readTimeout {timeout} on web and websecure: Traefik reads the whole request, body included, within it (default {}s, which fails larger uploads); {source} {was}, {}",
            READ_TIMEOUT.0,
            match b.read_timeout_kind {
                TimeoutKind::PerRead => "so 10 x that, at least 10 minutes",
                TimeoutKind::WholeResponse => "so that, at least 10 minutes",
                TimeoutKind::Unlimited => "so none (0s): no upload is cut for taking long",
            }
        ),
    ];
    if model.cloud_lb() == Some(CloudLoadBalancer::AwsNlbAcm) {
        out.push(format!("ports.websecure.http.tls off: TLS ends at the NLB, and Traefik accepts the Gateway's plain-HTTP listener on {} only on an entry point that does not end TLS itself", ENTRY_POINT_PORTS.https));
        out.push("service.annotations: the NLB with the ACM certificate, on the one Service in front of every Gateway of class traefik".to_string());
    }
    out.push(
        "accessLog.enabled true: the access log (off by default; on stdout) that the later checks read".to_string(),
    );
    out
}

// ---- The chart's values (traefik/traefik 41.3.0)

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HelmValues {
    pub providers: Providers,
    pub ingress_class: Enabled,
    /// The chart's own example Gateway.
    pub gateway: Enabled,
    pub deployment: Deployment,
    pub pod_disruption_budget: PodDisruptionBudget,
    pub ports: Ports,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<Service>,
    pub access_log: Enabled,
}

#[derive(Serialize, Debug, Clone, Copy, PartialEq)]
pub struct Enabled {
    pub enabled: bool,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Providers {
    pub kubernetes_gateway: Enabled,
    pub kubernetes_ingress: Enabled,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Deployment {
    pub replicas: i32,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PodDisruptionBudget {
    pub enabled: bool,
    pub min_available: i32,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Ports {
    pub web: EntryPoint,
    pub websecure: EntryPoint,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct EntryPoint {
    pub transport: Transport,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<EntryPointHttp>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Transport {
    pub responding_timeouts: RespondingTimeouts,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RespondingTimeouts {
    pub read_timeout: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct EntryPointHttp {
    pub tls: Enabled,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Service {
    pub annotations: BTreeMap<String, String>,
}
