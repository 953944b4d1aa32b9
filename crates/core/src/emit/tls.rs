//! The TLS side the Gateway needs when the cluster has no issuer for it yet: a new cert-manager
//! issuer with an HTTP-01 solver that answers through the Gateway (gateway-shim then creates the
//! Certificate from the Gateway annotation), or a self-signed issuer where the chart used to
//! generate the certificate. An issuer the Ingress names exists already and is never redefined.

use crate::emit::gateway::GATEWAY_GROUP;
use crate::manifest::Meta;
use crate::plan::{IssuerKind, IssuerOrigin, Model};
use serde::Serialize;
use serde_json::Value;

pub const LETSENCRYPT_PRODUCTION: &str = "https://acme-v02.api.letsencrypt.org/directory";
pub const LETSENCRYPT_STAGING: &str = "https://acme-staging-v02.api.letsencrypt.org/directory";

/// cert-manager.io/v1 Issuer or ClusterIssuer (the two share a spec).
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Issuer {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: Meta,
    pub spec: IssuerSpec,
}

#[derive(Serialize, Debug, Clone, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct IssuerSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acme: Option<Acme>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub self_signed: Option<SelfSigned>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Default)]
pub struct SelfSigned {}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Acme {
    pub server: String,
    pub private_key_secret_ref: SecretKeySelector,
    pub solvers: Vec<AcmeSolver>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct SecretKeySelector {
    pub name: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct AcmeSolver {
    pub http01: Http01,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Http01 {
    #[serde(rename = "gatewayHTTPRoute")]
    pub gateway_http_route: GatewayHttpRouteSolver,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GatewayHttpRouteSolver {
    pub parent_refs: Vec<SolverParentRef>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SolverParentRef {
    pub group: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub section_name: String,
}

/// The ACME directory an issuer name suggests: staging when the name says so.
pub fn acme_server_for(name: &str) -> &'static str {
    if name.contains("staging") {
        LETSENCRYPT_STAGING
    } else {
        LETSENCRYPT_PRODUCTION
    }
}

/// The ACME solver that answers HTTP-01 challenges through the Gateway's plain-HTTP listener.
pub fn gateway_solver(model: &Model) -> AcmeSolver {
    AcmeSolver {
        http01: Http01 {
            gateway_http_route: GatewayHttpRouteSolver {
                parent_refs: vec![SolverParentRef {
                    group: GATEWAY_GROUP.into(),
                    kind: "Gateway".into(),
                    name: model.gateway_name.clone(),
                    namespace: model.gateway_namespace.clone(),
                    section_name: model.listeners.http.name.clone(),
                }],
            },
        },
    }
}

pub fn issuer(model: &Model) -> Option<Issuer> {
    let cert_manager = model.tls.cert_manager()?;
    // Without a hostname cert-manager has nothing to issue for: no issuer is planned.
    model.host.as_ref()?;
    let issuer = &cert_manager.gateway_issuer;
    let (kind, namespace) = match issuer.kind {
        IssuerKind::ClusterIssuer => ("ClusterIssuer", None),
        // gateway-shim looks an Issuer up in the Gateway's namespace.
        IssuerKind::Issuer => ("Issuer", Some(model.gateway_namespace.as_str())),
    };
    let spec = match cert_manager.origin {
        // An issuer the cluster has already is never written here: the runbook copies it.
        IssuerOrigin::Existing => return None,
        IssuerOrigin::SelfSigned => IssuerSpec { self_signed: Some(SelfSigned {}), acme: None },
        IssuerOrigin::Assumed => IssuerSpec {
            acme: Some(Acme {
                server: acme_server_for(&issuer.name).to_string(),
                private_key_secret_ref: SecretKeySelector { name: format!("{}-account-key", issuer.name) },
                solvers: vec![gateway_solver(model)],
            }),
            self_signed: None,
        },
    };
    Some(Issuer { api_version: "cert-manager.io/v1", kind, metadata: Meta::new(&issuer.name, namespace), spec })
}

/// cert-manager.io/v1 Certificate.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Certificate {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: Meta,
    pub spec: CertificateSpec,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CertificateSpec {
    pub secret_name: String,
    /// Labels the implementation needs on the Secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_template: Option<Value>,
    pub dns_names: Vec<String>,
    pub issuer_ref: IssuerReference,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct IssuerReference {
    pub name: String,
    pub kind: &'static str,
    pub group: &'static str,
}

/// A Certificate for the new name that replaces a host whose record cannot be moved. The
/// Gateway's listeners carry no hostname then (nothing may bind to the old name), so
/// gateway-shim has nothing to issue for: the certificate is asked for explicitly.
pub fn certificate(model: &Model) -> Option<Certificate> {
    let cert_manager = model.tls.cert_manager()?;
    if model.moved_from.is_none() || model.new_public_url().is_none() {
        return None;
    }
    let (host, secret, issuer) = (model.host.as_ref()?, &cert_manager.secret, &cert_manager.gateway_issuer);
    Some(Certificate {
        api_version: "cert-manager.io/v1",
        kind: "Certificate",
        // gateway-shim would name it after the Secret: the same name, so a later plan agrees.
        metadata: Meta::new(&secret.name, Some(&secret.namespace)),
        spec: CertificateSpec {
            secret_name: secret.name.clone(),
            secret_template: model
                .implementation
                .emit
                .certificate_secret_labels()
                .map(crate::emit::gateway::secret_template),
            dns_names: vec![host.clone()],
            issuer_ref: IssuerReference {
                name: issuer.name.clone(),
                kind: issuer.kind.as_str(),
                group: "cert-manager.io",
            },
        },
    })
}

/// The objects of `tls.yaml` (empty when the TLS side needs no Kubernetes object).
pub fn objects(model: &Model) -> Vec<Value> {
    let issuer = issuer(model).map(|i| serde_json::to_value(&i).expect("issuers serialise"));
    let certificate = certificate(model).map(|c| serde_json::to_value(&c).expect("certificates serialise"));
    issuer.into_iter().chain(certificate).collect()
}
