//! The platform side: GatewayClass (where the install does not create one), the settings the
//! implementation's module gives the Gateway (its data plane's replicas and disruption budget),
//! the shared Gateway, the ReferenceGrant a cross-namespace certificate needs, and the HTTP ->
//! HTTPS redirect route. Gateway API objects are built from the `gateway-api` crate's typed
//! structs; the implementations' own objects in their modules.

use crate::behaviour::{controller_of, Controller};
use crate::implementations::SecretLabels;
use crate::manifest::{Manifest, Meta};
use crate::plan::{CloudLbTls, Model, Tls};
use gateway_api::gatewayclasses::GatewayClassSpec;
use gateway_api::gateways::{
    GatewayAddresses, GatewayInfrastructure, GatewayListeners, GatewayListenersAllowedRoutes,
    GatewayListenersAllowedRoutesNamespaces, GatewayListenersAllowedRoutesNamespacesFrom,
    GatewayListenersAllowedRoutesNamespacesSelector, GatewayListenersAllowedRoutesNamespacesSelectorMatchExpressions,
    GatewayListenersTls, GatewayListenersTlsCertificateRefs, GatewayListenersTlsMode, GatewaySpec,
};
use gateway_api::httproutes::{
    HttpRouteParentRefs, HttpRouteRules, HttpRouteRulesFilters, HttpRouteRulesFiltersRequestRedirect,
    HttpRouteRulesFiltersRequestRedirectScheme, HttpRouteRulesFiltersType, HttpRouteSpec,
};
use gateway_api::referencegrants::{ReferenceGrantFrom, ReferenceGrantSpec, ReferenceGrantTo};
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
            // The Certificate gateway-shim creates gives its Secret these labels.
            if let Some(labels) = model.implementation.emit.certificate_secret_labels() {
                annotations.insert("cert-manager.io/secret-template".to_string(), secret_template(labels).to_string());
            }
        }
        Tls::CloudLb(CloudLbTls::GkeCertificateMap { certificate_map }) => {
            annotations.insert("networking.gke.io/certmap".to_string(), certificate_map.clone());
        }
        _ => {}
    }
    annotations
}

/// The scheme of the AWS load balancer in front of ZenML after the move. An ALB's scheme carries
/// over (AWS defaults both ALBs and NLBs to internal); other ingresses were reachable from
/// outside through their controller's load balancer.
pub fn aws_load_balancer_scheme(model: &Model) -> String {
    let alb_scheme = model.release.ingress.annotation("alb.ingress.kubernetes.io/scheme");
    let was_alb = controller_of(&model.release) == Controller::AwsAlb;
    match (alb_scheme, was_alb) {
        (Some(a), _) => a.value.clone(),
        (None, true) => "internal".to_string(),
        (None, false) => "internet-facing".to_string(),
    }
}

/// A cert-manager `secretTemplate` that gives the certificate's Secret the labels the
/// implementation needs (cert-manager.io/v1 `CertificateSecretTemplate`).
pub fn secret_template(labels: SecretLabels) -> Value {
    let labels: serde_json::Map<String, Value> =
        labels.labels.iter().map(|(k, v)| (k.to_string(), Value::String(v.to_string()))).collect();
    serde_json::json!({ "labels": labels })
}

/// Annotations for the Service the implementation creates in front of the Gateway: an AWS NLB
/// that terminates TLS with the ACM certificate and forwards plain HTTP.
pub fn aws_nlb_annotations(model: &Model, certificate_arn: Option<&str>) -> BTreeMap<String, String> {
    let mut a = BTreeMap::new();
    a.insert("service.beta.kubernetes.io/aws-load-balancer-type".into(), "external".into());
    a.insert("service.beta.kubernetes.io/aws-load-balancer-nlb-target-type".into(), "ip".into());
    a.insert("service.beta.kubernetes.io/aws-load-balancer-scheme".into(), aws_load_balancer_scheme(model));
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
        port: http.port,
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
            // A load balancer in front of the Gateway (the AWS NLB) ends TLS and sends plain HTTP
            // to 443 (Gateway API forbids `tls` on HTTP listeners). A Gateway that is the load
            // balancer (GKE, the AWS ALB) takes its certificates from the load balancer's
            // configuration (the certificate map, the ALB's settings), so its HTTPS listener has no
            // `tls` block.
            Tls::CloudLb(cloud_lb) => (if cloud_lb.provider().is_the_gateway() { "HTTPS" } else { "HTTP" }, None),
            tls => ("HTTPS", tls.secret().map(tls_block)),
        };
        listeners.push(GatewayListeners {
            name: https.name.clone(),
            protocol: protocol.into(),
            port: https.port,
            hostname: host.clone(),
            allowed_routes: Some(allowed_routes(&model.gateway_namespace, &https_admits)),
            tls,
        });
    }
    // The NLB's annotations (TLS at an AWS load balancer) and the data plane's parameters share
    // `spec.infrastructure`, unless the install's own Service takes the annotations.
    let annotations = match &model.tls {
        Tls::CloudLb(CloudLbTls::AwsNlbAcm { certificate_arn })
            if model.implementation.emit.shared_service_annotations().is_none() =>
        {
            Some(aws_nlb_annotations(model, certificate_arn.as_deref()))
        }
        _ => None,
    };
    let parameters_ref = model.implementation.emit.infrastructure(model).map(|i| i.settings.infrastructure_ref());
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

// --- The Gateway's infrastructure --------------------------------------------------------------
//
// The implementation's own settings object (its proxies' replicas and disruption budget, or the
// load balancer it programs), named by the Gateway's `spec.infrastructure.parametersRef` and
// created before the Gateway, come from the implementation's module.

/// What gateway.yaml and the runbook create for the data plane, as `kubectl delete` arguments
/// (resource/name, namespace), for the rollback that removes the platform side.
pub fn data_plane_objects_to_delete(model: &Model) -> Vec<String> {
    let Some(infrastructure) = model.implementation.emit.infrastructure(model) else { return Vec::new() };
    let mut out = vec![format!("{}/{}", infrastructure.resource, infrastructure.settings.name)];
    out.extend(infrastructure.created_by_checks);
    out
}

/// The data-plane objects the Gateway needs, in apply order: its settings object (the Gateway
/// names it).
pub fn data_plane_objects(model: &Model) -> Vec<Value> {
    model.implementation.emit.infrastructure(model).map(|i| i.settings.object).into_iter().collect()
}

/// What gateway.yaml sets for the data plane, as one sentence for the runbook, and the commands
/// that check it before the DNS switch; nothing when the implementation sets nothing.
pub fn data_plane_checks(model: &Model) -> (Option<String>, Vec<String>) {
    match model.implementation.emit.infrastructure(model) {
        Some(i) => (Some(i.prose), i.checks),
        None => (None, Vec::new()),
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
                parameters_ref: model.implementation.emit.gateway_class_parameters(model).map(|p| p.class_ref()),
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
        // Its parameters first: the class names them.
        out.extend(model.implementation.emit.gateway_class_parameters(model).map(|p| p.object));
        out.push(class.to_value());
    }
    // Before the Gateway: its parametersRef names them, and a Gateway created first would start
    // its proxies with the defaults.
    out.extend(data_plane_objects(model));
    // What ZenML's Service needs before any route of this Gateway reaches it.
    out.extend(model.implementation.emit.backend_objects(model).into_iter().map(|o| o.object));
    out.push(gateway(model).to_value());
    if let Some(grant) = reference_grant(model) {
        out.push(grant.to_value());
    }
    if let Some(route) = redirect_route(model) {
        out.push(route.to_value());
    }
    out
}
