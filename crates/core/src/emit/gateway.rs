//! The platform side: GatewayClass (where the install does not create one), the data plane's
//! replicas and disruption budget, the shared Gateway, the ReferenceGrant a cross-namespace
//! certificate needs, and the HTTP -> HTTPS redirect route. Gateway API objects are built from the
//! `gateway-api` crate's typed structs; the implementations' own objects from small typed structs.

use crate::behaviour::{controller_of, Controller};
use crate::implementations::ImplementationId;
use crate::manifest::{DataManifest, Manifest, Meta};
use crate::markdown::code;
use crate::plan::{CloudLbTls, Model, Tls};
use crate::shell::quote;
use gateway_api::gatewayclasses::GatewayClassSpec;
use gateway_api::gateways::{
    GatewayAddresses, GatewayInfrastructure, GatewayInfrastructureParametersRef, GatewayListeners,
    GatewayListenersAllowedRoutes, GatewayListenersAllowedRoutesNamespaces,
    GatewayListenersAllowedRoutesNamespacesFrom, GatewayListenersAllowedRoutesNamespacesSelector,
    GatewayListenersAllowedRoutesNamespacesSelectorMatchExpressions, GatewayListenersTls,
    GatewayListenersTlsCertificateRefs, GatewayListenersTlsMode, GatewaySpec,
};
use gateway_api::httproutes::{
    HttpRouteParentRefs, HttpRouteRules, HttpRouteRulesFilters, HttpRouteRulesFiltersRequestRedirect,
    HttpRouteRulesFiltersRequestRedirectScheme, HttpRouteRulesFiltersType, HttpRouteSpec,
};
use gateway_api::referencegrants::{ReferenceGrantFrom, ReferenceGrantSpec, ReferenceGrantTo};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

pub const GATEWAY_GROUP: &str = "gateway.networking.k8s.io";
pub const GATEWAY_API_VERSION: &str = "gateway.networking.k8s.io/v1";
/// ReferenceGrant is served as v1 only from Gateway API v1.5; v1beta1 has the same schema and
/// works on every bundle still in use (GKE's included), so the typed spec is written as v1beta1.
pub const REFERENCE_GRANT_API_VERSION: &str = "gateway.networking.k8s.io/v1beta1";

/// Namespaces the listener admits routes from: the same namespace, or exactly these names.
fn allowed_routes(gateway_namespace: &str, namespaces: &[&str]) -> GatewayListenersAllowedRoutes {
    let mut names: Vec<String> = namespaces.iter().map(|s| s.to_string()).collect();
    names.sort();
    names.dedup();
    let namespaces = if names == [gateway_namespace] {
        GatewayListenersAllowedRoutesNamespaces {
            from: Some(GatewayListenersAllowedRoutesNamespacesFrom::Same),
            selector: None,
        }
    } else {
        GatewayListenersAllowedRoutesNamespaces {
            from: Some(GatewayListenersAllowedRoutesNamespacesFrom::Selector),
            selector: Some(GatewayListenersAllowedRoutesNamespacesSelector {
                // The name label every namespace carries: no labelling step, no other namespace admitted.
                match_expressions: Some(vec![GatewayListenersAllowedRoutesNamespacesSelectorMatchExpressions {
                    key: "kubernetes.io/metadata.name".into(),
                    operator: "In".into(),
                    values: Some(names),
                }]),
                match_labels: None,
            }),
        }
    };
    GatewayListenersAllowedRoutes { kinds: None, namespaces: Some(namespaces) }
}

fn gateway_annotations(model: &Model) -> BTreeMap<String, String> {
    let mut annotations = BTreeMap::new();
    // gateway-shim issues for listener hostnames; a name that cannot be moved gets its
    // Certificate from the runbook once the new name is known.
    match &model.tls {
        Tls::CertManager(cert_manager) if model.listeners.hostname.is_some() => {
            let issuer = &cert_manager.gateway_issuer;
            annotations.insert(issuer.annotation().to_string(), issuer.name.clone());
        }
        Tls::CloudLb(CloudLbTls::GkeCertificateMap { certificate_map }) => {
            annotations.insert("networking.gke.io/certmap".to_string(), certificate_map.clone());
        }
        _ => {}
    }
    annotations
}

/// Annotations for the Service the implementation creates in front of the Gateway: an AWS NLB
/// that terminates TLS with the ACM certificate and forwards plain HTTP.
pub fn aws_nlb_annotations(model: &Model, certificate_arn: Option<&str>) -> BTreeMap<String, String> {
    let mut a = BTreeMap::new();
    a.insert("service.beta.kubernetes.io/aws-load-balancer-type".into(), "external".into());
    a.insert("service.beta.kubernetes.io/aws-load-balancer-nlb-target-type".into(), "ip".into());
    // An ALB's scheme carries over (AWS defaults both to internal); other ingresses were
    // reachable from outside through their controller's load balancer.
    let alb_scheme = model.release.ingress.annotation("alb.ingress.kubernetes.io/scheme");
    let was_alb = controller_of(&model.release) == Controller::AwsAlb;
    let scheme = match (alb_scheme, was_alb) {
        (Some(a), _) => a.value.clone(),
        (None, true) => "internal".to_string(),
        (None, false) => "internet-facing".to_string(),
    };
    a.insert("service.beta.kubernetes.io/aws-load-balancer-scheme".into(), scheme);
    a.insert("service.beta.kubernetes.io/aws-load-balancer-backend-protocol".into(), "tcp".into());
    a.insert("service.beta.kubernetes.io/aws-load-balancer-ssl-ports".into(), "443".into());
    if let Some(arn) = certificate_arn {
        a.insert("service.beta.kubernetes.io/aws-load-balancer-ssl-cert".into(), arn.to_string());
    }
    a
}

pub fn gateway(model: &Model) -> Manifest<GatewaySpec> {
    let host = model.listeners.hostname.clone();
    let mut http_admits = vec![model.namespace.as_str()];
    // The redirect route lives beside the Gateway, and cert-manager's HTTP-01 solver route is
    // created in the Gateway's namespace too: the HTTP listener must admit it.
    if model.has_https_listener() || model.tls.cert_manager().is_some() {
        http_admits.push(model.gateway_namespace.as_str());
    }
    let http = &model.listeners.http;
    let mut listeners = vec![GatewayListeners {
        name: http.name.clone(),
        protocol: "HTTP".into(),
        port: i32::from(http.port),
        hostname: host.clone(),
        allowed_routes: Some(allowed_routes(&model.gateway_namespace, &http_admits)),
        tls: None,
    }];
    let https_admits = [model.namespace.as_str()];
    let tls_block = |secret: &crate::plan::CertificateSecret| GatewayListenersTls {
        certificate_refs: Some(vec![GatewayListenersTlsCertificateRefs {
            group: Some(String::new()),
            kind: Some("Secret".into()),
            name: secret.name.clone(),
            namespace: (secret.namespace != model.gateway_namespace).then(|| secret.namespace.clone()),
        }]),
        mode: Some(GatewayListenersTlsMode::Terminate),
        options: None,
    };
    if let Some(https) = &model.listeners.https {
        let (protocol, tls) = match &model.tls {
            // AWS: the NLB ends TLS and sends plain HTTP to 443 (Gateway API forbids `tls` on
            // HTTP listeners). GKE: the Gateway is the load balancer; the certificate map
            // supplies certificates, so the HTTPS listener has no `tls` block.
            Tls::CloudLb(CloudLbTls::AwsNlbAcm { .. }) => ("HTTP", None),
            Tls::CloudLb(CloudLbTls::GkeCertificateMap { .. }) => ("HTTPS", None),
            tls => ("HTTPS", tls.secret().map(tls_block)),
        };
        listeners.push(GatewayListeners {
            name: https.name.clone(),
            protocol: protocol.into(),
            port: i32::from(https.port),
            hostname: host.clone(),
            allowed_routes: Some(allowed_routes(&model.gateway_namespace, &https_admits)),
            tls,
        });
    }
    // The NLB's annotations (TLS at an AWS load balancer) and the data plane's parameters share
    // `spec.infrastructure`.
    let annotations = match &model.tls {
        Tls::CloudLb(CloudLbTls::AwsNlbAcm { certificate_arn }) => {
            Some(aws_nlb_annotations(model, certificate_arn.as_deref()))
        }
        _ => None,
    };
    let parameters_ref = data_plane_parameters_ref(model);
    let infrastructure = (annotations.is_some() || parameters_ref.is_some()).then_some(GatewayInfrastructure {
        annotations,
        labels: None,
        parameters_ref,
    });
    // GKE: a new reserved address; the Ingress's stays with its forwarding rule until phase 3.
    let addresses = model
        .static_address
        .as_ref()
        .map(|a| vec![GatewayAddresses { r#type: Some("NamedAddress".into()), value: Some(a.gateway.clone()) }]);
    Manifest::new(
        GATEWAY_API_VERSION,
        "Gateway",
        Meta::new(&model.gateway_name, Some(&model.gateway_namespace)).with_annotations(gateway_annotations(model)),
        GatewaySpec {
            gateway_class_name: model.implementation.gateway_class.to_string(),
            listeners,
            infrastructure,
            addresses,
            ..GatewaySpec::default()
        },
    )
}

// --- The data plane: two replicas and a disruption budget -------------------------------------
//
// Envoy Gateway, NGINX Gateway Fabric and Istio run a Gateway's proxies as one replica by default;
// a node drain or a rollout then leaves the Gateway without a proxy for a while. The Gateway's
// `spec.infrastructure.parametersRef` points at the implementation's own settings object, in the
// Gateway's namespace, created before the Gateway.

/// Replicas of the Gateway's proxy Deployment.
pub const DATA_PLANE_REPLICAS: i32 = 2;
/// Proxies a voluntary disruption (drain, eviction) must leave running.
pub const DATA_PLANE_MIN_AVAILABLE: i32 = 1;

pub const ENVOY_PROXY_API_VERSION: &str = "gateway.envoyproxy.io/v1alpha1";
pub const NGINX_PROXY_API_VERSION: &str = "gateway.nginx.org/v1alpha2";
pub const POD_DISRUPTION_BUDGET_API_VERSION: &str = "policy/v1";
/// Envoy Gateway's default (controller namespace) mode runs every Gateway's proxies in its own
/// namespace, the one the install step uses.
const ENVOY_GATEWAY_NAMESPACE: &str = "envoy-gateway-system";
/// The label NGINX Gateway Fabric and Istio put on a Gateway's proxy pods.
const GATEWAY_NAME_LABEL: &str = "gateway.networking.k8s.io/gateway-name";
/// Kubernetes label values hold at most 63 characters; NGINX Gateway Fabric 2.6.7 moves a longer
/// Gateway name to an annotation (`buildLabelsAndAnnotations`), so no label selects those pods.
const MAX_LABEL_VALUE: usize = 63;

/// `<gateway>-<suffix>`, shortened to a valid object name (253 characters).
fn derived_name(gateway: &str, suffix: &str) -> String {
    let room = 253 - suffix.len() - 1;
    let base = if gateway.len() > room { gateway[..room].trim_end_matches(['-', '.']) } else { gateway };
    format!("{base}-{suffix}")
}

/// EnvoyProxy (Envoy Gateway v1.9.0, `gateway.envoyproxy.io/v1alpha1`).
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EnvoyProxySpec {
    pub provider: EgProvider,
    /// Unset, a Gateway's EnvoyProxy replaces the GatewayClass's and Envoy Gateway's defaults as a
    /// whole; StrategicMerge keeps what they set and overrides only these fields.
    pub merge_type: EgMergeType,
}

#[derive(Serialize, Debug, Clone, Copy, PartialEq)]
pub enum EgMergeType {
    StrategicMerge,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct EgProvider {
    pub r#type: EgProviderType,
    pub kubernetes: EgKubernetesProvider,
}

#[derive(Serialize, Debug, Clone, Copy, PartialEq)]
pub enum EgProviderType {
    Kubernetes,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EgKubernetesProvider {
    pub envoy_deployment: EgDeployment,
    #[serde(rename = "envoyPDB")]
    pub envoy_pdb: EgPodDisruptionBudget,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct EgDeployment {
    pub replicas: i32,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EgPodDisruptionBudget {
    pub min_available: i32,
}

/// NginxProxy (NGINX Gateway Fabric 2.6.7, `gateway.nginx.org/v1alpha2`). NGF has no disruption
/// budget setting: the PodDisruptionBudget is a separate object.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct NginxProxySpec {
    pub kubernetes: NgfKubernetes,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct NgfKubernetes {
    pub deployment: NgfDeployment,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct NgfDeployment {
    pub replicas: i32,
}

/// `policy/v1` PodDisruptionBudget.
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

/// The data of the ConfigMap an Istio Gateway's `parametersRef` names (Istio 1.30.3): each key is
/// a strategic-merge patch, as YAML text, on the object istiod generates. The
/// HorizontalPodAutoscaler and PodDisruptionBudget are generated only when their key is present.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IstioGatewayOptions {
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

/// The name of the object holding the Gateway's data-plane settings.
fn data_plane_parameters_name(model: &Model) -> String {
    match model.implementation.id {
        ImplementationId::Istio => derived_name(&model.gateway_name, "options"),
        _ => derived_name(&model.gateway_name, "proxy"),
    }
}

/// What gateway.yaml and the runbook create for the data plane, as `kubectl delete` arguments
/// (resource/name, namespace), for the rollback that removes the platform side.
pub fn data_plane_objects_to_delete(model: &Model) -> Vec<String> {
    let Some(settings) = data_plane_parameters_ref(model) else { return Vec::new() };
    let resource = match settings.kind.as_str() {
        "EnvoyProxy" => "envoyproxies.gateway.envoyproxy.io",
        "NginxProxy" => "nginxproxies.gateway.nginx.org",
        _ => "configmaps",
    };
    let mut out = vec![format!("{resource}/{}", settings.name)];
    if ngf_disruption_budget(model).is_some() {
        out.push(format!("poddisruptionbudgets.policy/{}", derived_name(&model.gateway_name, "nginx")));
    }
    out
}

fn data_plane_parameters_ref(model: &Model) -> Option<GatewayInfrastructureParametersRef> {
    let (group, kind) = match model.implementation.id {
        ImplementationId::EnvoyGateway => ("gateway.envoyproxy.io", "EnvoyProxy"),
        ImplementationId::NginxGatewayFabric => ("gateway.nginx.org", "NginxProxy"),
        ImplementationId::Istio => ("", "ConfigMap"),
        ImplementationId::Gke => return None,
    };
    Some(GatewayInfrastructureParametersRef {
        group: group.into(),
        kind: kind.into(),
        name: data_plane_parameters_name(model),
    })
}

/// NGINX Gateway Fabric labels a Gateway's pods with its name only when the name fits a label.
fn ngf_pods_labelled(model: &Model) -> bool {
    model.gateway_name.len() <= MAX_LABEL_VALUE
}

/// The data-plane objects the Gateway needs, in apply order: its settings object first (the
/// Gateway names it), then NGINX Gateway Fabric's separate disruption budget. None on GKE, whose
/// data plane is Google's load balancer.
/// NGINX Gateway Fabric has no budget setting: a PodDisruptionBudget of its own selects the
/// Gateway's NGINX pods by the label NGF puts on them. It is created by the runbook rather than
/// kept in gateway.yaml (a core kind among the Gateway API objects).
pub fn ngf_disruption_budget(model: &Model) -> Option<Value> {
    if model.implementation.id != ImplementationId::NginxGatewayFabric || !ngf_pods_labelled(model) {
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

pub fn data_plane_objects(model: &Model) -> Vec<Value> {
    let gwns = Some(model.gateway_namespace.as_str());
    let name = data_plane_parameters_name(model);
    match model.implementation.id {
        ImplementationId::EnvoyGateway => vec![Manifest::new(
            ENVOY_PROXY_API_VERSION,
            "EnvoyProxy",
            Meta::new(&name, gwns),
            EnvoyProxySpec {
                provider: EgProvider {
                    r#type: EgProviderType::Kubernetes,
                    kubernetes: EgKubernetesProvider {
                        envoy_deployment: EgDeployment { replicas: DATA_PLANE_REPLICAS },
                        envoy_pdb: EgPodDisruptionBudget { min_available: DATA_PLANE_MIN_AVAILABLE },
                    },
                },
                merge_type: EgMergeType::StrategicMerge,
            },
        )
        .to_value()],
        ImplementationId::NginxGatewayFabric => vec![Manifest::new(
            NGINX_PROXY_API_VERSION,
            "NginxProxy",
            Meta::new(&name, gwns),
            NginxProxySpec {
                kubernetes: NgfKubernetes { deployment: NgfDeployment { replicas: DATA_PLANE_REPLICAS } },
            },
        )
        .to_value()],
        ImplementationId::Istio => vec![DataManifest::new(
            "v1",
            "ConfigMap",
            Meta::new(&name, gwns),
            IstioGatewayOptions {
                horizontal_pod_autoscaler: patch_text(HpaPatchSpec {
                    min_replicas: DATA_PLANE_REPLICAS,
                    max_replicas: DATA_PLANE_REPLICAS,
                }),
                pod_disruption_budget: patch_text(PdbPatchSpec { min_available: DATA_PLANE_MIN_AVAILABLE }),
            },
        )
        .to_value()],
        ImplementationId::Gke => Vec::new(),
    }
}

/// What gateway.yaml sets for the data plane, as one sentence for the runbook, and the commands
/// that check it before the DNS switch. GKE: nothing (Google runs the load balancer).
pub fn data_plane_checks(model: &Model) -> (Option<String>, Vec<String>) {
    let gw = model.gateway_name.as_str();
    let gwns = model.gateway_namespace.as_str();
    let (gw_q, gwns_q) = (quote(gw), quote(gwns));
    let Some(parameters_ref) = data_plane_parameters_ref(model) else {
        return (None, Vec::new());
    };
    let settings = parameters_ref.name;
    let settings_q = quote(&settings);
    let why = "a node drain or a rollout during the DNS switch would otherwise leave the Gateway without a proxy and drop traffic";
    let show_ref = format!(
        "kubectl get gateways.gateway.networking.k8s.io {gw_q} -n {gwns_q} -o jsonpath='{{.spec.infrastructure.parametersRef.kind}}/{{.spec.infrastructure.parametersRef.name}}{{\"\\n\"}}'   # {}/{settings_q} (empty: the Gateway existed already; add gateway.yaml's spec.infrastructure.parametersRef to it)",
        parameters_ref.kind
    );
    match model.implementation.id {
        ImplementationId::Gke => (None, Vec::new()),
        ImplementationId::EnvoyGateway => {
            let selector = format!(
                "gateway.envoyproxy.io/owning-gateway-namespace={gwns_q},gateway.envoyproxy.io/owning-gateway-name={gw_q}"
            );
            (
                Some(format!(
                    "Envoy Gateway runs one Envoy replica per Gateway by default: gateway.yaml's EnvoyProxy {} (attached through the Gateway's `spec.infrastructure.parametersRef`, merged over any GatewayClass settings) asks for {DATA_PLANE_REPLICAS} replicas and a PodDisruptionBudget with `minAvailable: {DATA_PLANE_MIN_AVAILABLE}`, because {why}; check both before the DNS switch:",
                    code(&settings)
                )),
                vec![
                    show_ref,
                    format!("kubectl get deployment -n {ENVOY_GATEWAY_NAMESPACE} -l {selector}   # READY 2/2"),
                    format!(
                        "kubectl get pdb -n {ENVOY_GATEWAY_NAMESPACE} -l {selector}   # MIN AVAILABLE 1, ALLOWED DISRUPTIONS 1"
                    ),
                ],
            )
        }
        ImplementationId::NginxGatewayFabric => {
            let pdb = derived_name(gw, "nginx");
            let scale_note = format!("change the count in NginxProxy {settings_q}, not with kubectl scale (NGINX Gateway Fabric reverts it)");
            let (budget, checks) = if ngf_pods_labelled(model) {
                (
                    format!("and the PodDisruptionBudget {} created here keeps {DATA_PLANE_MIN_AVAILABLE} running (NGINX Gateway Fabric has no setting for one), because {why}; create it and check both before the DNS switch:", code(&pdb)),
                    {
                        let budget = ngf_disruption_budget(model).map(|b| crate::yaml::to_yaml(&b)).unwrap_or_default();
                        let mut lines = vec!["kubectl create -f - <<'EOF'".to_string()];
                        lines.extend(budget.lines().map(str::to_string));
                        lines.push("EOF".to_string());
                        lines
                    }
                    .into_iter()
                    .chain([
                        format!("kubectl get deployment -n {gwns_q} -l {GATEWAY_NAME_LABEL}={gw_q}   # READY 2/2; {scale_note}"),
                        format!("kubectl get pdb {} -n {gwns_q}   # MIN AVAILABLE 1, ALLOWED DISRUPTIONS 1", quote(&pdb)),
                    ])
                    .collect(),
                )
            } else {
                (
                    format!("because {why}; NGINX Gateway Fabric does not label the pods of a Gateway whose name is longer than {MAX_LABEL_VALUE} characters with that name, so no PodDisruptionBudget in gateway.yaml could select them: create one by hand (`minAvailable: {DATA_PLANE_MIN_AVAILABLE}`) with the `matchLabels` of the Deployment shown below, and check the replicas before the DNS switch:"),
                    vec![format!(
                        "kubectl get deployments -n {gwns_q} -o custom-columns=NAME:.metadata.name,READY:.status.readyReplicas,SELECTOR:.spec.selector.matchLabels   # the Gateway's nginx Deployment: READY 2; {scale_note}"
                    )],
                )
            };
            let mut commands = vec![show_ref];
            commands.extend(checks);
            (
                Some(format!(
                    "NGINX Gateway Fabric runs one NGINX replica per Gateway by default: gateway.yaml's NginxProxy {} (attached through the Gateway's `spec.infrastructure.parametersRef`; its fields override the GatewayClass's NginxProxy, the rest is kept) asks for {DATA_PLANE_REPLICAS} replicas {budget}",
                    code(&settings)
                )),
                commands,
            )
        }
        ImplementationId::Istio => (
            Some(format!(
                "Istio runs one replica of a managed Gateway's proxy by default: gateway.yaml's ConfigMap {} (named by the Gateway's `spec.infrastructure.parametersRef`) makes istiod add a HorizontalPodAutoscaler held at {DATA_PLANE_REPLICAS} replicas and a PodDisruptionBudget with `minAvailable: {DATA_PLANE_MIN_AVAILABLE}`, because {why}; check them before the DNS switch:",
                code(&settings)
            )),
            vec![
                show_ref,
                format!("kubectl get deployment -n {gwns_q} -l {GATEWAY_NAME_LABEL}={gw_q}   # READY 2/2"),
                format!(
                    "kubectl get hpa,pdb -n {gwns_q} -l {GATEWAY_NAME_LABEL}={gw_q}   # MINPODS 2, MAXPODS 2; MIN AVAILABLE 1, ALLOWED DISRUPTIONS 1"
                ),
            ],
        ),
    }
}

pub fn gateway_class(model: &Model) -> Option<Manifest<GatewayClassSpec>> {
    (!model.implementation.install_creates_gateway_class).then(|| {
        Manifest::new(
            GATEWAY_API_VERSION,
            "GatewayClass",
            Meta::new(model.implementation.gateway_class, None),
            GatewayClassSpec {
                controller_name: model.implementation.controller_name.to_string(),
                ..GatewayClassSpec::default()
            },
        )
    })
}

/// Lets the Gateway read the Ingress's TLS Secret in the release namespace.
pub fn reference_grant(model: &Model) -> Option<Manifest<ReferenceGrantSpec>> {
    let Tls::ExistingSecret { secret } = &model.tls else { return None };
    if secret.namespace == model.gateway_namespace {
        return None;
    }
    Some(Manifest::new(
        REFERENCE_GRANT_API_VERSION,
        "ReferenceGrant",
        Meta::new(&format!("{}-tls-from-{}", model.fullname, model.gateway_name), Some(&secret.namespace)),
        ReferenceGrantSpec {
            from: vec![ReferenceGrantFrom {
                group: GATEWAY_GROUP.into(),
                kind: "Gateway".into(),
                namespace: model.gateway_namespace.clone(),
            }],
            to: vec![ReferenceGrantTo { group: String::new(), kind: "Secret".into(), name: Some(secret.name.clone()) }],
        },
    ))
}

pub fn redirect_route(model: &Model) -> Option<Manifest<HttpRouteSpec>> {
    if !model.has_https_listener() {
        return None;
    }
    Some(Manifest::new(
        GATEWAY_API_VERSION,
        "HTTPRoute",
        Meta::new(&format!("{}-https-redirect", model.gateway_name), Some(&model.gateway_namespace)),
        HttpRouteSpec {
            parent_refs: Some(vec![HttpRouteParentRefs {
                name: model.gateway_name.clone(),
                section_name: Some(model.listeners.http.name.clone()),
                ..HttpRouteParentRefs::default()
            }]),
            hostnames: model.listeners.hostname.clone().map(|h| vec![h]),
            rules: Some(vec![HttpRouteRules {
                filters: Some(vec![HttpRouteRulesFilters {
                    r#type: HttpRouteRulesFiltersType::RequestRedirect,
                    // No port: 443 is implied by https, and GKE rejects an explicit redirect port.
                    request_redirect: Some(HttpRouteRulesFiltersRequestRedirect {
                        scheme: Some(HttpRouteRulesFiltersRequestRedirectScheme::Https),
                        status_code: Some(301),
                        ..HttpRouteRulesFiltersRequestRedirect::default()
                    }),
                    ..HttpRouteRulesFilters::default()
                }]),
                ..HttpRouteRules::default()
            }]),
        },
    ))
}

/// The objects of `gateway.yaml`, in apply order.
pub fn objects(model: &Model) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(class) = gateway_class(model) {
        out.push(class.to_value());
    }
    // Before the Gateway: its parametersRef names them, and a Gateway created first would start
    // its proxies with the defaults.
    out.extend(data_plane_objects(model));
    out.push(gateway(model).to_value());
    if let Some(grant) = reference_grant(model) {
        out.push(grant.to_value());
    }
    if let Some(route) = redirect_route(model) {
        out.push(route.to_value());
    }
    out
}
