//! One data profile per Gateway API implementation: every fact the planner needs about a target
//! lives here, so supporting another implementation means adding one entry.
//! Facts from `shared/reference/implementations.md` (researched 2026-08).

use crate::shell::quote;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImplementationId {
    EnvoyGateway,
    Istio,
    NginxGatewayFabric,
    Gke,
}

/// How TLS terminated at a cloud load balancer reaches this implementation's Gateway.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CloudLoadBalancer {
    /// An AWS NLB with an ACM certificate, configured by annotations on the generated Service
    /// (through `Gateway.spec.infrastructure.annotations`); the 443 listener is plain HTTP.
    AwsNlbAcm,
    /// The Google load balancer the Gateway *is*, with a Certificate Manager certificate map.
    GkeCertificateMap,
}

#[derive(Clone, Debug, Serialize)]
pub struct InstallStep {
    pub what: &'static str,
    pub command: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct Implementation {
    pub id: ImplementationId,
    /// The value of `--implementation`.
    pub slug: &'static str,
    pub display_name: &'static str,
    pub version: &'static str,
    pub gateway_class: &'static str,
    pub controller_name: &'static str,
    /// False when the planner must emit the GatewayClass (the install does not create one).
    pub install_creates_gateway_class: bool,
    /// The Gateway API CRD bundle this version is built on and installs.
    pub gateway_api_bundle: &'static str,
    /// What this version does on a cluster whose CRD bundle is newer than its own.
    pub newer_bundle: &'static str,
    /// False on managed platforms that install and own the Gateway API CRDs.
    pub user_installs_crds: bool,
    pub install: &'static [InstallStep],
    /// How to find the data-plane Service; `{gateway}` and `{namespace}` are filled in.
    pub data_plane_service: &'static str,
    /// The oldest Kubernetes minor this version supports.
    pub min_kubernetes: &'static str,
    /// Shows the latest requests reaching the Gateway; `{gateway}` and `{namespace}` are filled in.
    pub logs_command: &'static str,
    /// The default request body limit, if any (ZenML uploads artifacts through the API).
    pub default_body_limit: Option<&'static str>,
    pub cloud_load_balancer: CloudLoadBalancer,
    /// Anything else an operator must know before the cutover.
    pub notes: &'static [&'static str],
}

const GATEWAY_API_CRDS: InstallStep = InstallStep {
    what: "Install the Gateway API v1.6.1 standard-channel CRDs (server-side apply, as upstream documents)",
    command: "kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml",
};

/// Istio 1.30 is built on Gateway API v1.5.1 (its go.mod at 1.30.3).
const GATEWAY_API_CRDS_V1_5_1: InstallStep = InstallStep {
    what: "Install the Gateway API v1.5.1 standard-channel CRDs, the bundle this version is built on (server-side apply)",
    command: "kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml",
};

pub const IMPLEMENTATIONS: &[Implementation] = &[
    Implementation {
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
        data_plane_service: "kubectl get svc -n envoy-gateway-system -l gateway.envoyproxy.io/owning-gateway-namespace={namespace},gateway.envoyproxy.io/owning-gateway-name={gateway}",
        min_kubernetes: "1.33",
        logs_command: "kubectl logs -n envoy-gateway-system -l gateway.envoyproxy.io/owning-gateway-namespace={namespace},gateway.envoyproxy.io/owning-gateway-name={gateway} -c envoy --tail=20",
        default_body_limit: None,
        cloud_load_balancer: CloudLoadBalancer::AwsNlbAcm,
        notes: &[
            "Envoy Gateway applies a 15 s request timeout to every route that sets none. The chart's catch-all rule sets none, so a ZenML API call or upload that runs longer than 15 s is cut off: raise it with a BackendTrafficPolicy (`timeout.http.requestTimeout`) or test long calls before the cutover.",
        ],
    },
    Implementation {
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
        data_plane_service: "kubectl get svc {gateway}-istio -n {namespace}",
        // istioctl/pkg/install/k8sversion/version.go@1.30.3: MinK8SVersion = 32.
        min_kubernetes: "1.32",
        logs_command: "kubectl logs -n {namespace} deploy/{gateway}-istio --tail=20   # the access log the Telemetry of step 4 turns on",
        default_body_limit: None,
        cloud_load_balancer: CloudLoadBalancer::AwsNlbAcm,
        notes: &[
            "With Istio installed, `kubectl get gateway` can mean Istio's own Gateway kind: the commands here name `gateways.gateway.networking.k8s.io` in full.",
        ],
    },
    Implementation {
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
        data_plane_service: "kubectl get svc {gateway}-nginx -n {namespace}",
        min_kubernetes: "1.31",
        logs_command: "kubectl logs -n {namespace} deploy/{gateway}-nginx --tail=20",
        default_body_limit: Some("1m"),
        cloud_load_balancer: CloudLoadBalancer::AwsNlbAcm,
        notes: &[
            "NGINX Gateway Fabric limits request bodies to 1 MB unless a ClientSettingsPolicy raises `body.maxSize`: ZenML artifact and code uploads larger than that fail with 413.",
            "NGINX Gateway Fabric ignores `HTTPRoute.rules[].timeouts` (it warns and drops them), so the chart's 0 s timeouts on the event-stream rule have no effect: long streams follow NGINX's 60 s proxy read timeout unless a ProxySettingsPolicy raises it.",
        ],
    },
    Implementation {
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
        data_plane_service: "gcloud compute forwarding-rules list --filter=description~{namespace}/{gateway}",
        min_kubernetes: "1.30",
        logs_command: "gcloud logging read 'resource.type=\"http_load_balancer\"' --limit=20 --freshness=10m   # the GCPBackendPolicy in policies.yaml turns this logging on",
        default_body_limit: None,
        cloud_load_balancer: CloudLoadBalancer::GkeCertificateMap,
        notes: &[
            "GKE does not support `HTTPRoute.rules[].timeouts` (users report such routes as not accepted, `GWCER104`), and the ZenML chart always writes them on its event-stream rule (the first rule), with no value to turn them off. Right after phase 1, check that the route is Accepted; if it is not, render the chart through a Helm post-renderer that removes `/spec/rules/0/timeouts` from the HTTPRoute (a kustomize JSON patch), or keep the Ingress until the chart can leave them out. The GCPBackendPolicy's `timeoutSec` then caps every response, event streams included: a log stream open longer than that is cut and the dashboard reconnects.",
            "The load balancer health-checks the ZenML Service on `/` by default; if it reports the backend unhealthy, add a HealthCheckPolicy for `/health` on port 8080.",
        ],
    },
];

impl Implementation {
    pub fn get(id: ImplementationId) -> &'static Implementation {
        IMPLEMENTATIONS.iter().find(|i| i.id == id).expect("every id has a profile")
    }

    pub fn from_slug(slug: &str) -> Option<&'static Implementation> {
        IMPLEMENTATIONS.iter().find(|i| i.slug == slug)
    }

    pub fn slugs() -> Vec<&'static str> {
        IMPLEMENTATIONS.iter().map(|i| i.slug).collect()
    }

    pub fn data_plane_command(&self, gateway: &str, namespace: &str) -> String {
        fill(self.data_plane_service, gateway, namespace)
    }

    pub fn logs(&self, gateway: &str, namespace: &str) -> String {
        fill(self.logs_command, gateway, namespace)
    }
}

/// A command template with the Gateway's name and namespace filled in as shell words. The
/// placeholders never stand inside quotes in the templates, so the quoting holds.
fn fill(template: &str, gateway: &str, namespace: &str) -> String {
    template.replace("{gateway}", &quote(gateway)).replace("{namespace}", &quote(namespace))
}
