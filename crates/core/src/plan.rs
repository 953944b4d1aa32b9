//! The intermediate model: the release read from the values, the user's choices, and every name
//! the emitters need, derived once here so each output agrees with the others.

use crate::excerpt::clip;
use crate::findings::{Finding, FindingCode, Severity};
use crate::implementations::{CloudLoadBalancer, Implementation, ImplementationId, ListenerPorts};
use crate::markdown::code;
use crate::values::release::{Annotation, GatewayValues, Ingress, Setting};
use crate::values::{Document, LocatedError, Pos, Release, TopKey};
use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsModel {
    /// cert-manager issues the certificate for the Gateway (gateway-shim annotation).
    CertManager,
    /// The Gateway serves the Secret the Ingress used.
    ExistingSecret,
    /// TLS ends at a cloud load balancer in front of the Gateway.
    CloudLb,
    /// Plain HTTP.
    None,
}

impl TlsModel {
    pub const ALL: [TlsModel; 4] = [TlsModel::CertManager, TlsModel::ExistingSecret, TlsModel::CloudLb, TlsModel::None];

    pub fn slug(self) -> &'static str {
        match self {
            TlsModel::CertManager => "cert-manager",
            TlsModel::ExistingSecret => "existing-secret",
            TlsModel::CloudLb => "cloud-lb",
            TlsModel::None => "none",
        }
    }

    pub fn from_slug(s: &str) -> Option<TlsModel> {
        TlsModel::ALL.into_iter().find(|m| m.slug() == s)
    }
}

/// How the release reaches the cluster: Helm commands, or a GitOps controller that renders the
/// chart from Git (and reverts changes made around it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeployedWith {
    #[default]
    Helm,
    /// Argo CD renders the chart itself: there is no Helm release to upgrade.
    #[serde(rename = "argocd")]
    ArgoCd,
    /// Flux's helm-controller upgrades the release from a HelmRelease.
    Flux,
}

impl DeployedWith {
    pub const ALL: [DeployedWith; 3] = [DeployedWith::Helm, DeployedWith::ArgoCd, DeployedWith::Flux];

    pub fn slug(self) -> &'static str {
        match self {
            DeployedWith::Helm => "helm",
            DeployedWith::ArgoCd => "argocd",
            DeployedWith::Flux => "flux",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DeployedWith::Helm => "Helm",
            DeployedWith::ArgoCd => "Argo CD",
            DeployedWith::Flux => "Flux",
        }
    }

    pub fn from_slug(s: &str) -> Option<DeployedWith> {
        DeployedWith::ALL.into_iter().find(|d| d.slug() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum IssuerKind {
    ClusterIssuer,
    Issuer,
}

impl IssuerKind {
    /// The object's `kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            IssuerKind::ClusterIssuer => "ClusterIssuer",
            IssuerKind::Issuer => "Issuer",
        }
    }

    /// The fully qualified resource name kubectl needs.
    pub fn resource(self) -> &'static str {
        match self {
            IssuerKind::ClusterIssuer => "clusterissuers.cert-manager.io",
            IssuerKind::Issuer => "issuers.cert-manager.io",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IssuerRef {
    pub kind: IssuerKind,
    pub name: String,
}

impl IssuerRef {
    /// `ClusterIssuer/NAME` or `Issuer/NAME`.
    pub fn parse(s: &str) -> Result<IssuerRef, String> {
        let (kind, name) = s
            .split_once('/')
            .ok_or_else(|| format!("expected KIND/NAME (ClusterIssuer/NAME or Issuer/NAME), got {s:?}"))?;
        let kind = match kind {
            "ClusterIssuer" | "clusterissuer" | "cluster-issuer" => IssuerKind::ClusterIssuer,
            "Issuer" | "issuer" => IssuerKind::Issuer,
            other => return Err(format!("issuer kind must be ClusterIssuer or Issuer, got {other:?}")),
        };
        check_dns_name(name).map_err(|e| format!("issuer name {name:?}: {e}"))?;
        Ok(IssuerRef { kind, name: name.to_string() })
    }

    pub fn annotation(&self) -> &'static str {
        match self.kind {
            IssuerKind::ClusterIssuer => "cert-manager.io/cluster-issuer",
            IssuerKind::Issuer => "cert-manager.io/issuer",
        }
    }
}

impl fmt::Display for IssuerRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind.as_str(), self.name)
    }
}

/// What the user chose. Every `None` is derived from the values.
#[derive(Clone, Debug, PartialEq)]
pub struct Choices {
    pub implementation: ImplementationId,
    pub tls: Option<TlsModel>,
    pub gateway_name: Option<String>,
    pub gateway_namespace: Option<String>,
    pub namespace: Option<String>,
    pub release: Option<String>,
    pub issuer: Option<String>,
    pub certificate_arn: Option<String>,
    pub host: Option<String>,
    pub chart_version: Option<String>,
    /// external-dns manages the hostname: `Some` is the user's word, `None` follows the values
    /// (on when the Ingress has external-dns annotations).
    pub external_dns: Option<bool>,
    pub deployed_with: DeployedWith,
    /// The Gateway's address once it exists (`status.addresses[0].value`): the new name for a
    /// host whose record cannot be moved is derived from it.
    pub gateway_address: Option<String>,
}

impl Choices {
    pub fn new(implementation: ImplementationId) -> Choices {
        Choices {
            implementation,
            tls: None,
            gateway_name: None,
            gateway_namespace: None,
            namespace: None,
            release: None,
            issuer: None,
            certificate_arn: None,
            host: None,
            chart_version: None,
            external_dns: None,
            deployed_with: DeployedWith::Helm,
            gateway_address: None,
        }
    }
}

/// A choice the user can get wrong: a CLI flag, a field in the web app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChoiceField {
    Release,
    Namespace,
    GatewayName,
    GatewayNamespace,
    Host,
    Tls,
    Issuer,
    CertificateArn,
    ChartVersion,
    GatewayAddress,
}

impl ChoiceField {
    pub const ALL: [ChoiceField; 10] = [
        ChoiceField::Release,
        ChoiceField::Namespace,
        ChoiceField::GatewayName,
        ChoiceField::GatewayNamespace,
        ChoiceField::Host,
        ChoiceField::Tls,
        ChoiceField::Issuer,
        ChoiceField::CertificateArn,
        ChoiceField::ChartVersion,
        ChoiceField::GatewayAddress,
    ];

    /// The CLI flag that sets it.
    pub fn flag(self) -> &'static str {
        match self {
            ChoiceField::Release => "--release",
            ChoiceField::Namespace => "--namespace",
            ChoiceField::GatewayName => "--gateway-name",
            ChoiceField::GatewayNamespace => "--gateway-namespace",
            ChoiceField::Host => "--host",
            ChoiceField::Tls => "--tls",
            ChoiceField::Issuer => "--issuer",
            ChoiceField::CertificateArn => "--certificate-arn",
            ChoiceField::ChartVersion => "--chart-version",
            ChoiceField::GatewayAddress => "--gateway-address",
        }
    }
}

impl fmt::Display for ChoiceField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.flag())
    }
}

impl Serialize for ChoiceField {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.flag())
    }
}

/// Why no plan could be made.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PlanError {
    /// The values text is not a values file the chart would accept.
    Values(LocatedError),
    /// A choice is invalid (serialised as its CLI flag).
    Choice { option: ChoiceField, message: String },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Values(e) => write!(f, "{e}"),
            PlanError::Choice { option, message } => write!(f, "{option}: {message}"),
        }
    }
}

impl From<LocatedError> for PlanError {
    fn from(e: LocatedError) -> Self {
        PlanError::Values(e)
    }
}

fn choice_error(option: ChoiceField, message: impl Into<String>) -> PlanError {
    PlanError::Choice { option, message: message.into() }
}

/// A name read from the values is wrong: located at its key.
fn setting_error(setting: &Setting<String>, message: String) -> PlanError {
    PlanError::Values(LocatedError::at(
        setting.pos.unwrap_or(Pos::START),
        format!("`{}` {:?}: {message}", setting.path, clip(&setting.value, 80)),
    ))
}

/// A name is wrong: blame the choice when the user gave one, else the values key it came from.
fn name_error(chosen: bool, option: ChoiceField, from_values: Option<&Setting<String>>, message: String) -> PlanError {
    match from_values {
        Some(setting) if !chosen => setting_error(setting, message),
        _ => choice_error(option, message),
    }
}

/// Everything the emitters need, resolved.
#[derive(Clone, Debug, Serialize)]
pub struct Model {
    pub implementation: &'static Implementation,
    /// How the Gateway gets its certificate, with what that way needs.
    pub tls: Tls,
    pub release_name: String,
    pub namespace: String,
    /// The chart's name for the Service, Ingress and HTTPRoute.
    pub fullname: String,
    pub gateway_name: String,
    pub gateway_namespace: String,
    pub listeners: Listeners,
    pub host: Option<String>,
    /// Whether `host`'s record can be moved. When it cannot, nothing on the Gateway binds to it
    /// (`listeners.hostname` is `None`) and the runbook moves users to a new name instead of DNS.
    pub host_kind: HostKind,
    /// The name users reach ZenML by today, when it cannot be moved: `host` is then the new name
    /// derived from the Gateway's address, or still this one until the address is known.
    pub moved_from: Option<String>,
    pub gateway_address: Option<String>,
    /// The literal path prefix for `gateway.path`.
    pub path: String,
    pub chart_version: Option<String>,
    /// Release name or namespace are defaults, not the user's word.
    pub release_assumed: bool,
    /// GKE: the Ingress holds a reserved global address. The Gateway gets a new one: one IP and
    /// port cannot serve two forwarding rules, so the old address is free only after phase 3.
    pub static_address: Option<StaticAddress>,
    /// external-dns owns the DNS record: the cutover moves ownership instead of editing a record.
    pub external_dns: bool,
    pub deployed_with: DeployedWith,
    /// The values already name a Gateway (`gateway.gatewayRef.name`): it probably exists.
    pub gateway_from_values: bool,
    pub target_key: TopKey,
    /// The Ingress is rendered today (so there is something to cut over from).
    pub ingress_active: bool,
    pub release: Release,
    /// The parsed values file, kept so the values emitter edits it without parsing it again.
    #[serde(skip)]
    pub document: Document,
}

/// How the Gateway gets its certificate: the user's [`TlsModel`] with what it needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "model", rename_all = "kebab-case")]
pub enum Tls {
    /// cert-manager issues the certificate for the Gateway.
    CertManager(CertManagerTls),
    /// The Gateway serves the Secret the Ingress used, in the release's namespace.
    ExistingSecret { secret: CertificateSecret },
    /// TLS ends at a cloud load balancer in front of the Gateway.
    CloudLb(CloudLbTls),
    /// Plain HTTP.
    None,
}

impl Tls {
    pub fn model(&self) -> TlsModel {
        match self {
            Tls::CertManager(_) => TlsModel::CertManager,
            Tls::ExistingSecret { .. } => TlsModel::ExistingSecret,
            Tls::CloudLb(_) => TlsModel::CloudLb,
            Tls::None => TlsModel::None,
        }
    }

    pub fn cert_manager(&self) -> Option<&CertManagerTls> {
        match self {
            Tls::CertManager(c) => Some(c),
            _ => None,
        }
    }

    /// The Secret the Gateway's HTTPS listener serves (none when a load balancer ends TLS).
    pub fn secret(&self) -> Option<&CertificateSecret> {
        match self {
            Tls::CertManager(c) => Some(&c.secret),
            Tls::ExistingSecret { secret } => Some(secret),
            Tls::CloudLb(_) | Tls::None => None,
        }
    }

    pub fn cloud_lb(&self) -> Option<&CloudLbTls> {
        match self {
            Tls::CloudLb(c) => Some(c),
            _ => None,
        }
    }
}

/// cert-manager issues the Gateway's certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CertManagerTls {
    /// The issuer the Ingress uses (named by its annotation or `--issuer`), or the one the plan
    /// creates when none is named.
    pub issuer: IssuerRef,
    pub origin: IssuerOrigin,
    /// The issuer the Gateway's annotation names. For an [`IssuerOrigin::Existing`] issuer, a copy
    /// made for the Gateway (`<name>-gateway`): the Ingress's issuer and its solvers stay
    /// untouched. Otherwise `issuer` itself.
    pub gateway_issuer: IssuerRef,
    /// cert-manager writes this Secret in the Gateway's namespace.
    pub secret: CertificateSecret,
}

impl CertManagerTls {
    /// The issuer signs its own certificates: no ACME challenge, nothing to pre-issue. For an
    /// issuer the cluster has, its name is the only hint.
    pub fn self_signed(&self) -> bool {
        match self.origin {
            IssuerOrigin::SelfSigned => true,
            IssuerOrigin::Assumed => false,
            IssuerOrigin::Existing => self.issuer.name.contains("selfsigned"),
        }
    }
}

/// Where the cert-manager issuer comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IssuerOrigin {
    /// Named by `--issuer` or the Ingress's annotation: the cluster has it. It is never written
    /// to tls.yaml; the runbook copies it for the Gateway.
    Existing,
    /// The chart generated the Ingress's self-signed certificate: tls.yaml creates a self-signed
    /// ClusterIssuer in its place.
    SelfSigned,
    /// No issuer was named: tls.yaml creates a Let's Encrypt issuer, the planner's guess.
    Assumed,
}

/// TLS at a cloud load balancer, as the implementation's provider does it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "provider", rename_all = "kebab-case")]
pub enum CloudLbTls {
    /// An AWS NLB with an ACM certificate; the ARN is known when given or on the ALB ingress.
    AwsNlbAcm { certificate_arn: Option<String> },
    /// The Google load balancer with a Certificate Manager certificate map.
    GkeCertificateMap { certificate_map: String },
    /// The AWS ALB the Gateway is, with ACM certificates its settings name: the ARN when given or
    /// on the ALB ingress (else the controller finds one by hostname), and the other certificates
    /// the ALB Ingress listed, served by SNI (none when `--certificate-arn` names the one to use).
    AwsAlbAcm { certificate_arn: Option<String>, additional_certificate_arns: Vec<String> },
}

impl CloudLbTls {
    pub fn provider(&self) -> CloudLoadBalancer {
        match self {
            CloudLbTls::AwsNlbAcm { .. } => CloudLoadBalancer::AwsNlbAcm,
            CloudLbTls::GkeCertificateMap { .. } => CloudLoadBalancer::GkeCertificateMap,
            CloudLbTls::AwsAlbAcm { .. } => CloudLoadBalancer::AwsAlbAcm,
        }
    }
}

/// The Gateway's listeners for ZenML.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Listeners {
    /// Plain HTTP: the redirect route and cert-manager's HTTP-01 solver attach here, and ZenML's
    /// route when there is no HTTPS listener.
    pub http: Listener,
    /// Named after `gateway.sectionName` when the values name one; none with TLS model none.
    pub https: Option<Listener>,
    /// The hostname of the listeners and the redirect route: none for a name that cannot be
    /// moved to the Gateway.
    pub hostname: Option<String>,
}

impl Listeners {
    /// The listener the ZenML route attaches to (`gateway.sectionName`).
    pub fn section_name(&self) -> &str {
        &self.https.as_ref().unwrap_or(&self.http).name
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Listener {
    pub name: String,
    /// The implementation's listener port (the Service in front may expose another).
    pub port: i32,
}

/// Whether the host is a name whose DNS record the user can point at the Gateway.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum HostKind {
    /// A name in a zone the user controls.
    Owned,
    /// A wildcard-DNS name (`zenml.1.2.3.4.nip.io`): it resolves to the IP written in it, so no
    /// record can be moved; `prefix` is what stands before the IP, `service` the domain after it.
    WildcardDns { prefix: String, service: String },
    /// The ingress load balancer's own name (`…elb.amazonaws.com`, `…cloudapp.azure.com`): it
    /// belongs to the cloud and goes away with the Ingress.
    LoadBalancer,
}

/// Wildcard-DNS services: a name with an IPv4 address in it resolves to that address.
const WILDCARD_DNS: &[&str] = &["nip.io", "sslip.io", "xip.io", "traefik.me"];
/// Domains of the names clouds give their load balancers.
const LOAD_BALANCER_DOMAINS: &[&str] = &[".elb.amazonaws.com", ".cloudapp.azure.com", ".cloudapp.net"];

pub fn host_kind(host: &str) -> HostKind {
    for service in WILDCARD_DNS {
        let Some(rest) = host.strip_suffix(service).and_then(|r| r.strip_suffix('.')) else { continue };
        let labels: Vec<&str> = rest.split('.').collect();
        let octet = |l: &&str| l.parse::<u8>().is_ok();
        // Dotted (`zenml.1.2.3.4.nip.io`) or dashed (`zenml-1-2-3-4.sslip.io`, `1-2-3-4.nip.io`).
        if labels.len() >= 4 && labels[labels.len() - 4..].iter().all(octet) {
            return HostKind::WildcardDns {
                prefix: labels[..labels.len() - 4].join("."),
                service: service.to_string(),
            };
        }
        if let Some(last) = labels.last() {
            let parts: Vec<&str> = last.split('-').collect();
            if parts.len() >= 4 && parts[parts.len() - 4..].iter().all(octet) {
                let mut prefix: Vec<String> = labels[..labels.len() - 1].iter().map(|l| l.to_string()).collect();
                if parts.len() > 4 {
                    prefix.push(parts[..parts.len() - 4].join("-"));
                }
                return HostKind::WildcardDns { prefix: prefix.join("."), service: service.to_string() };
            }
        }
    }
    if LOAD_BALANCER_DOMAINS.iter().any(|d| host.ends_with(d)) {
        return HostKind::LoadBalancer;
    }
    HostKind::Owned
}

/// The name that replaces a host whose record cannot be moved, from the Gateway's address: the
/// same wildcard-DNS form with the Gateway's IP, or the address itself when it is a DNS name.
pub fn new_host(kind: &HostKind, address: &str) -> Result<String, String> {
    let shown = format!("{:?}", clip(address, 80));
    if let Ok(ip) = address.parse::<std::net::Ipv4Addr>() {
        return match kind {
            HostKind::WildcardDns { prefix, service } if prefix.is_empty() => Ok(format!("{ip}.{service}")),
            HostKind::WildcardDns { prefix, service } => Ok(format!("{prefix}.{ip}.{service}")),
            _ => Err(format!(
                "{shown} is an IP address, and Gateway API hostnames are DNS names: the Ingress's host was its load balancer's own name, so give ZenML a name you own that points at {shown} (Hostname)"
            )),
        };
    }
    if address.parse::<std::net::IpAddr>().is_ok() {
        return Err(format!(
            "{shown} is an IPv6 address: wildcard-DNS names hold IPv4 addresses; give ZenML a name you own (Hostname)"
        ));
    }
    // EKS and other clouds give the Gateway a DNS name: it resolves to the Gateway by itself.
    normalize_hostname(address).map_err(|e| format!("{e}; give the Gateway's address as `kubectl get gateways.gateway.networking.k8s.io/NAME -o jsonpath='{{.status.addresses[0].value}}'` prints it"))
}

#[derive(Clone, Debug, Serialize)]
pub struct StaticAddress {
    /// The reserved address the Ingress uses (`kubernetes.io/ingress.global-static-ip-name`).
    pub ingress: String,
    /// The address the runbook reserves for the Gateway.
    pub gateway: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CertificateSecret {
    pub name: String,
    pub namespace: String,
}

impl Model {
    pub fn has_https_listener(&self) -> bool {
        self.listeners.https.is_some()
    }

    pub fn cross_namespace(&self) -> bool {
        self.gateway_namespace != self.namespace
    }

    pub fn cloud_lb(&self) -> Option<CloudLoadBalancer> {
        self.tls.cloud_lb().map(CloudLbTls::provider)
    }

    /// The scheme users reach ZenML with after the move.
    pub fn scheme(&self) -> &'static str {
        if self.has_https_listener() {
            "https"
        } else {
            "http"
        }
    }

    /// ZenML's URL under the new name, when the old name cannot be moved and the new one is known.
    pub fn new_public_url(&self) -> Option<String> {
        let host = self.host.as_ref().filter(|h| self.moved_from.as_ref() != Some(*h))?;
        let path = self.path.trim_end_matches('/');
        Some(format!("{}://{host}{path}", self.scheme()))
    }

    pub fn public_url(&self) -> Option<String> {
        self.host.as_ref().map(|h| format!("{}://{}{}", self.scheme(), h, self.path))
    }
}

/// A Kubernetes name (RFC 1123 label or subdomain, as the field demands).
pub fn check_dns_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 253 {
        return Err("must be 1 to 253 characters".into());
    }
    for label in name.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err("each dot-separated part must be 1 to 63 characters".into());
        }
        if !label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err("only lower-case letters, digits, '-' and '.' are allowed".into());
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("parts must not start or end with '-'".into());
        }
    }
    Ok(())
}

/// A Gateway API hostname: lower-case RFC 1123, optionally `*.` wildcard, never an IP address.
pub fn normalize_hostname(raw: &str) -> Result<String, String> {
    hostname(raw).map_err(|why| format!("{:?}{why}", clip(raw, 80)))
}

/// [`normalize_hostname`], with the problem worded to follow the value (`"x" is an IP address`).
fn hostname(raw: &str) -> Result<String, String> {
    let host = raw.trim().trim_end_matches('.').to_ascii_lowercase();
    let unbracketed = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(&host);
    if unbracketed.parse::<std::net::IpAddr>().is_ok()
        || host.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(" is an IP address; Gateway API hostnames must be DNS names".into());
    }
    if !host.is_ascii() {
        return Err(
            " has letters outside ASCII; Gateway API hostnames are ASCII, so write an internationalised name in its punycode form (`xn--…`), as DNS holds it".into()
        );
    }
    let plain = host.strip_prefix("*.").unwrap_or(&host);
    if plain.contains('*') {
        return Err(": a wildcard may only be the whole first label (`*.example.com`)".into());
    }
    if host.contains(':') || host.contains('/') {
        return Err(": a hostname has no scheme, port or path".into());
    }
    check_dns_name(plain).map_err(|e| format!(" is not a valid hostname: {e}"))?;
    Ok(host)
}

const REGEX_CHARS: &[char] = &['?', '*', '(', ')', '[', ']', '{', '}', '|', '^', '$', '+', '\\'];

/// The literal prefix an nginx regex path stands for: `/zenml/?(.*)` -> `/zenml`.
/// Returns the prefix and whether the path had to be translated.
pub fn literal_path(path: &str) -> (String, bool) {
    let path = if path.is_empty() { "/" } else { path };
    let Some(cut) = path.find(REGEX_CHARS) else {
        return (path.to_string(), false);
    };
    let mut prefix = path[..cut].to_string();
    // A quantifier makes the character before it optional: it is not part of the literal prefix.
    if matches!(path[cut..].chars().next(), Some('?' | '*' | '{')) {
        prefix.pop();
    }
    let prefix = prefix.trim_end_matches('.').to_string();
    let prefix = if prefix.len() > 1 { prefix.trim_end_matches('/').to_string() } else { prefix };
    let prefix = if prefix.starts_with('/') { prefix } else { format!("/{prefix}") };
    (prefix, true)
}

/// `0.94.3` style versions, compared numerically.
pub fn parse_version(v: &str) -> Option<Vec<u64>> {
    let v = v.trim().trim_start_matches('v');
    let core = v.split(['-', '+']).next()?;
    core.split('.').map(|p| p.parse().ok()).collect()
}

pub fn version_at_least(v: &str, min: &str) -> Option<bool> {
    Some(parse_version(v)? >= parse_version(min)?)
}

/// The gateway-shim and ingress-shim annotations that name an issuer. The name goes into
/// commands and objects, so it must be a name Kubernetes accepts.
fn issuer_from_annotations(release: &Release) -> Result<Option<IssuerRef>, PlanError> {
    let found =
        [("cert-manager.io/cluster-issuer", IssuerKind::ClusterIssuer), ("cert-manager.io/issuer", IssuerKind::Issuer)]
            .into_iter()
            .find_map(|(key, kind)| release.ingress.annotation(key).map(|a| (a, kind)));
    let Some((a, kind)) = found else { return Ok(None) };
    check_dns_name(&a.value).map_err(|e| annotation_error(a, "an issuer name", &e))?;
    Ok(Some(IssuerRef { kind, name: a.value.clone() }))
}

/// An annotation whose value the plan uses is not a value of the kind it must be.
fn annotation_error(a: &Annotation, what: &str, why: &str) -> PlanError {
    PlanError::Values(LocatedError::at(
        a.pos,
        format!("annotation `{}` is {:?}, which is not {what}: {why}", a.key, clip(&a.value, 80)),
    ))
}

/// An ACM certificate ARN: `arn:PARTITION:acm:REGION:ACCOUNT:certificate/ID` (AWS's documented
/// form, e.g. `arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-...`).
pub fn check_certificate_arn(arn: &str) -> Result<(), String> {
    let parts: Vec<&str> = arn.split(':').collect();
    let lower_dash =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && lower_dash(parts[1])
        && parts[2] == "acm"
        && lower_dash(parts[3])
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && parts[5]
            .strip_prefix("certificate/")
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if ok {
        Ok(())
    } else {
        Err("an ACM certificate ARN has the form arn:aws:acm:REGION:ACCOUNT:certificate/ID (12-digit account)".into())
    }
}

/// A SemVer 2 version, as Helm requires of chart versions (`0.94.3`, `1.0.0-rc.1+build.5`).
pub fn check_chart_version(version: &str) -> Result<(), String> {
    let fail = || Err(format!("{:?} is not a chart version: Helm charts use SemVer like 0.94.3", clip(version, 80)));
    let (rest, build) = match version.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (version, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    let ident = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let core_ok = {
        let nums: Vec<&str> = core.split('.').collect();
        nums.len() == 3 && nums.iter().all(|n| number(n))
    };
    let pre_ok =
        pre.is_none_or(|p| p.split('.').all(|id| ident(id) && (!id.bytes().all(|b| b.is_ascii_digit()) || number(id))));
    let build_ok = build.is_none_or(|b| b.split('.').all(ident));
    if core_ok && pre_ok && build_ok {
        Ok(())
    } else {
        fail()
    }
}

/// A `PathPrefix` value Gateway API accepts (the HTTPRoute CRD's rules for `path.value`).
pub fn check_gateway_path(path: &str) -> Result<(), String> {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"-/._~!$&'()*+,;=:@%".contains(&b);
    let bytes = path.as_bytes();
    let escapes_ok = bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'%')
        .all(|(i, _)| bytes.len() > i + 2 && bytes[i + 1].is_ascii_hexdigit() && bytes[i + 2].is_ascii_hexdigit());
    if path.len() > 1024 {
        return Err("Gateway API paths are at most 1024 characters".into());
    }
    if !bytes.iter().all(|&b| allowed(b)) || !escapes_ok {
        return Err("Gateway API paths hold only letters, digits, `-/._~!$&'()*+,;=:@` and %XX escapes".into());
    }
    for bad in ["//", "/./", "/../", "%2f", "%2F", "#"] {
        if path.contains(bad) {
            return Err(format!("Gateway API paths must not contain `{bad}`"));
        }
    }
    if path.ends_with("/..") || path.ends_with("/.") {
        return Err("Gateway API paths must not end with `/.` or `/..`".into());
    }
    Ok(())
}

fn annotation<'a>(release: &'a Release, key: &str) -> Option<&'a str> {
    release.ingress.annotation(key).map(|a| a.value.as_str())
}

/// `serverURL` or `dashboardURL` is an https address: users reach ZenML over https today.
pub fn served_over_https(release: &Release) -> bool {
    [&release.server_url, &release.dashboard_url]
        .into_iter()
        .flatten()
        .any(|u| u.value.trim().to_ascii_lowercase().starts_with("https://"))
}

/// cert-manager's ingress-shim issues for the Ingress: it acts only on an issuer annotation or
/// `kubernetes.io/tls-acme: "true"`; other cert-manager.io/ keys (duration, common-name) alone,
/// or tls-acme "false", keep it away.
pub fn ingress_shim_acts(release: &Release) -> bool {
    release.ingress.annotations.iter().any(|a| {
        matches!(a.key.as_str(), "cert-manager.io/issuer" | "cert-manager.io/cluster-issuer")
            || (a.key == "kubernetes.io/tls-acme" && a.value == "true")
    })
}

/// The Ingress's certificate lives at a cloud load balancer (ACM on an ALB, Google-managed or
/// pre-shared on a GCE load balancer).
pub fn has_cloud_certificate(release: &Release) -> bool {
    release.ingress.annotations.iter().any(|a| {
        matches!(
            a.key.as_str(),
            "alb.ingress.kubernetes.io/certificate-arn"
                | "networking.gke.io/managed-certificates"
                | "ingress.gcp.kubernetes.io/pre-shared-cert"
        )
    })
}

/// The TLS model the ingress implies.
pub fn derive_tls(release: &Release, implementation: &Implementation) -> TlsModel {
    let ing = &release.ingress;
    let uses_cert_manager = ingress_shim_acts(release);
    let aws_cert = annotation(release, "alb.ingress.kubernetes.io/certificate-arn").is_some();
    let gce_cert = annotation(release, "networking.gke.io/managed-certificates").is_some()
        || annotation(release, "ingress.gcp.kubernetes.io/pre-shared-cert").is_some();
    if uses_cert_manager {
        TlsModel::CertManager
    } else if ing.tls_enabled.value && ing.generate_certs.value {
        // The chart's self-signed Secret disappears with the Ingress: cert-manager replaces it.
        TlsModel::CertManager
    } else if ing.tls_enabled.value {
        TlsModel::ExistingSecret
    } else if aws_cert || (gce_cert && implementation.cloud_load_balancer.keeps_google_certificates()) {
        // An ALB with ACM, or a GCE ingress with managed certificates moving to GKE Gateway:
        // TLS stays at a cloud load balancer.
        TlsModel::CloudLb
    } else if gce_cert {
        // Google-managed certificates do not follow the move off GKE: cert-manager replaces them.
        TlsModel::CertManager
    } else if served_over_https(release) {
        // Reached over https without a tls block: TLS ends at the ingress controller's default
        // certificate (ZenML's hybrid guide) or in front of it. The Gateway must keep https.
        TlsModel::CertManager
    } else {
        TlsModel::None
    }
}

/// Reads the values and resolves the choices into a model. Findings about the derivation go to
/// `findings`. Each step checks the values it brings in, in the order the user sees their errors.
pub fn build_model(text: &str, choices: &Choices, findings: &mut Vec<Finding>) -> Result<Model, PlanError> {
    let doc = Document::parse(text)?;
    let release = Release::read(&doc)?;
    let implementation = Implementation::get(choices.implementation);

    let names = resolve_names(choices, &release.gateway)?;
    let tls_model = choices.tls.unwrap_or_else(|| derive_tls(&release, implementation));
    check_tls_model(implementation, tls_model, choices.tls.is_some())?;
    let host = resolve_host(choices, &release, findings)?;
    let path = resolve_path(&release, findings)?;
    let host_kind = host.as_deref().map(host_kind).unwrap_or(HostKind::Owned);
    // Never a listener on a name whose record nobody can point at the Gateway.
    let listener_host = host.clone().filter(|_| host_kind == HostKind::Owned);
    let listeners = resolve_listeners(&release.gateway, tls_model, implementation.listener_ports, listener_host)?;
    let fullname = resolve_fullname(&release, &names.release, &doc)?;
    check_ingress_secret(&release.ingress, tls_model)?;
    let tls = resolve_tls(tls_model, choices, &release, implementation, &fullname, &names)?;
    if let Some(v) = &choices.chart_version {
        check_chart_version(v).map_err(|e| choice_error(ChoiceField::ChartVersion, e))?;
    }
    let static_address = resolve_static_address(&release, implementation)?;
    let gateway_address = choices.gateway_address.as_deref().map(str::trim).filter(|a| !a.is_empty());
    let moved_from = host.clone().filter(|_| host_kind != HostKind::Owned);
    let host = match (&host_kind, gateway_address) {
        (HostKind::Owned, _) | (_, None) => host,
        (kind, Some(address)) => {
            Some(new_host(kind, address).map_err(|e| choice_error(ChoiceField::GatewayAddress, e))?)
        }
    };

    Ok(Model {
        implementation,
        tls,
        release_name: names.release,
        namespace: names.namespace,
        fullname,
        gateway_name: names.gateway,
        gateway_namespace: names.gateway_namespace,
        listeners,
        host,
        host_kind,
        moved_from,
        gateway_address: gateway_address.map(str::to_string),
        path,
        chart_version: choices.chart_version.clone(),
        external_dns: choices.external_dns.unwrap_or_else(|| release.ingress.has_external_dns_annotations()),
        deployed_with: choices.deployed_with,
        release_assumed: choices.release.is_none() || choices.namespace.is_none(),
        static_address,
        gateway_from_values: choices.gateway_name.is_none() && release.gateway.gateway_ref_name.is_some(),
        target_key: release.target_key,
        ingress_active: release.ingress.enabled.value,
        release,
        document: doc,
    })
}

/// The Helm release's and the Gateway's names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Names {
    pub release: String,
    pub namespace: String,
    pub gateway: String,
    pub gateway_namespace: String,
}

/// The release and namespace are the user's word or the planner's defaults; the Gateway is the
/// user's word, else the one the values name, else a shared Gateway of the planner's naming.
pub fn resolve_names(choices: &Choices, gw: &GatewayValues) -> Result<Names, PlanError> {
    let release = choices.release.clone().unwrap_or_else(|| "zenml-server".to_string());
    check_dns_name(&release).map_err(|e| choice_error(ChoiceField::Release, e))?;
    if release.len() > 53 {
        return Err(choice_error(ChoiceField::Release, "Helm release names are at most 53 characters"));
    }
    let namespace = choices.namespace.clone().unwrap_or_else(|| "zenml".to_string());
    check_label(&namespace).map_err(|e| choice_error(ChoiceField::Namespace, e))?;

    let gateway = choices
        .gateway_name
        .clone()
        .or_else(|| gw.gateway_ref_name.as_ref().map(|s| s.value.clone()))
        .unwrap_or_else(|| "shared-gateway".to_string());
    check_dns_name(&gateway).map_err(|e| {
        name_error(choices.gateway_name.is_some(), ChoiceField::GatewayName, gw.gateway_ref_name.as_ref(), e)
    })?;
    // The chart's own default: a Gateway the values name lives beside the release.
    let gateway_namespace = choices
        .gateway_namespace
        .clone()
        .or_else(|| gw.gateway_ref_namespace.as_ref().map(|s| s.value.clone()))
        .unwrap_or_else(|| if gw.gateway_ref_name.is_some() { namespace.clone() } else { "gateway-infra".to_string() });
    check_label(&gateway_namespace).map_err(|e| {
        name_error(
            choices.gateway_namespace.is_some(),
            ChoiceField::GatewayNamespace,
            gw.gateway_ref_namespace.as_ref(),
            e,
        )
    })?;
    Ok(Names { release, namespace, gateway, gateway_namespace })
}

/// The host: the user's word, else the gateway block's (already migrated), else the Ingress's.
/// A host from the values that is no DNS name leaves the route without one, with an error
/// finding; one the user typed is refused.
pub fn resolve_host(
    choices: &Choices,
    release: &Release,
    findings: &mut Vec<Finding>,
) -> Result<Option<String>, PlanError> {
    if let Some(h) = choices.host.as_deref().filter(|h| !h.trim().is_empty()) {
        return normalize_hostname(h).map(Some).map_err(|e| choice_error(ChoiceField::Host, e));
    }
    let (gw, ing) = (&release.gateway, &release.ingress);
    let Some(setting) = gw.host.as_ref().filter(|_| gw.enabled.value).or(ing.host.as_ref()).or(gw.host.as_ref()) else {
        return Ok(None);
    };
    match hostname(&setting.value) {
        Ok(h) => {
            if h != setting.value {
                findings.push(Finding::at(
                    Severity::Info,
                    FindingCode::HostNormalized,
                    format!(
                        "The host {} becomes {}: Gateway API hostnames are lower-case DNS names.",
                        code(&clip(&setting.value, 80)),
                        code(&h)
                    ),
                    setting,
                ));
            }
            Ok(Some(h))
        }
        Err(why) => {
            findings.push(Finding::at(
                Severity::Error,
                FindingCode::InvalidHost,
                format!("{}{why}. The plan leaves the route without a hostname (it then answers for any host on the listener); pass a DNS name with --host.", code(&clip(&setting.value, 80))),
                setting,
            ));
            Ok(None)
        }
    }
}

/// The route's path prefix: the gateway block's when it is in use, else the Ingress's, an nginx
/// regular expression becoming its literal prefix.
pub fn resolve_path(release: &Release, findings: &mut Vec<Finding>) -> Result<String, PlanError> {
    let (gw, ing) = (&release.gateway, &release.ingress);
    let source = if gw.enabled.value && !gw.path.is_default() { &gw.path } else { &ing.path };
    let (path, translated) = literal_path(&source.value);
    if !source.value.starts_with('/') {
        return Err(PlanError::Values(LocatedError::at(
            source.pos.unwrap_or(Pos::START),
            format!(
                "`{}` is {:?}, but a path must start with `/` (Kubernetes refuses the Ingress and the HTTPRoute otherwise)",
                source.path,
                clip(&source.value, 80)
            ),
        )));
    }
    check_gateway_path(&path).map_err(|e| {
        PlanError::Values(LocatedError::at(
            source.pos.unwrap_or(Pos::START),
            format!(
                "`{}` is {:?}, which the HTTPRoute cannot match{}: {e}",
                source.path,
                clip(&source.value, 80),
                if translated { format!(" (as the literal prefix {:?})", clip(&path, 80)) } else { String::new() }
            ),
        ))
    })?;
    if translated {
        findings.push(Finding::at(
            Severity::Warning,
            FindingCode::RegexPath,
            format!(
                "The path {} is an nginx regular expression; Gateway API matches literal prefixes, so `gateway.path` becomes {}. Requests are forwarded with the full path (no rewrite): see the rewrite finding if the Ingress stripped the prefix.",
                code(&clip(&source.value, 120)),
                code(&path)
            ),
            source,
        ));
    }
    Ok(path)
}

/// ZenML's route attaches to the HTTPS listener, named after `gateway.sectionName` when the
/// values name one (other than the plain-HTTP listener), or to the HTTP listener with TLS model
/// none.
pub fn resolve_listeners(
    gw: &GatewayValues,
    tls: TlsModel,
    ports: ListenerPorts,
    hostname: Option<String>,
) -> Result<Listeners, PlanError> {
    let http = Listener { name: "http".to_string(), port: ports.http };
    let https = if tls == TlsModel::None {
        None
    } else {
        let name = match gw.section_name.as_ref().filter(|s| s.value != http.name) {
            Some(setting) => {
                check_dns_name(&setting.value).map_err(|e| setting_error(setting, e))?;
                setting.value.clone()
            }
            None => "https".to_string(),
        };
        Some(Listener { name, port: ports.https })
    };
    Ok(Listeners { http, https, hostname })
}

/// The chart's name for the Service, Ingress and HTTPRoute, which must be a name Kubernetes
/// accepts.
fn resolve_fullname(release: &Release, release_name: &str, doc: &Document) -> Result<String, PlanError> {
    let fullname = release.fullname(release_name);
    if let Err(e) = check_dns_name(&fullname) {
        let key = if release.fullname_override.is_some() { "fullnameOverride" } else { "nameOverride" };
        let pos = doc.root.as_ref().and_then(|r| r.get(key)).map(|n| n.start).unwrap_or(Pos::START);
        return Err(PlanError::Values(LocatedError::at(
            pos,
            format!("the chart names its Service, HTTPRoute and Secrets {fullname:?} after `{key}`, which Kubernetes refuses: {e}"),
        )));
    }
    Ok(fullname)
}

/// The Ingress's Secret name goes into commands when TLS is on or the Gateway reuses it.
fn check_ingress_secret(ing: &Ingress, tls: TlsModel) -> Result<(), PlanError> {
    if !ing.tls_enabled.value && tls != TlsModel::ExistingSecret {
        return Ok(());
    }
    check_dns_name(&ing.secret_name.value).map_err(|e| {
        PlanError::Values(LocatedError::at(
            ing.secret_name.pos.or(ing.tls_enabled.pos).unwrap_or(Pos::START),
            format!(
                "`{}` is {:?}, which is not a Secret name Kubernetes accepts: {e}",
                ing.secret_name.path,
                clip(&ing.secret_name.value, 80)
            ),
        ))
    })
}

/// What the chosen TLS model needs, from the choices and the release.
pub fn resolve_tls(
    model: TlsModel,
    choices: &Choices,
    release: &Release,
    implementation: &Implementation,
    fullname: &str,
    names: &Names,
) -> Result<Tls, PlanError> {
    Ok(match model {
        TlsModel::CertManager => {
            let (issuer, origin) = resolve_issuer(choices, release)?;
            let gateway_issuer = match origin {
                IssuerOrigin::Existing => {
                    let name = format!("{}-gateway", issuer.name);
                    check_dns_name(&name).map_err(|e| choice_error(ChoiceField::Issuer, format!("{name:?}: {e}")))?;
                    IssuerRef { kind: issuer.kind, name }
                }
                IssuerOrigin::SelfSigned | IssuerOrigin::Assumed => issuer.clone(),
            };
            let secret = CertificateSecret {
                name: format!("{fullname}-gateway-tls"),
                namespace: names.gateway_namespace.clone(),
            };
            Tls::CertManager(CertManagerTls { issuer, origin, gateway_issuer, secret })
        }
        TlsModel::ExistingSecret => {
            let ing = &release.ingress;
            if ing.generate_certs.value && ing.tls_enabled.value {
                return Err(choice_error(
                    ChoiceField::Tls,
                    format!(
                        "existing-secret cannot reuse Secret {:?}: the chart generates it (`tls.generateCerts: true`) only while the Ingress exists, so Helm deletes it when the Ingress is turned off and the Gateway would lose its certificate. Choose cert-manager (a self-signed ClusterIssuer replaces the generated certificate) or create your own Secret.",
                        ing.secret_name.value
                    ),
                ));
            }
            Tls::ExistingSecret {
                secret: CertificateSecret { name: ing.secret_name.value.clone(), namespace: names.namespace.clone() },
            }
        }
        TlsModel::CloudLb => Tls::CloudLb(match implementation.cloud_load_balancer {
            CloudLoadBalancer::AwsNlbAcm => {
                let (certificate_arn, _) = resolve_certificate_arns(choices, release, CloudLoadBalancer::AwsNlbAcm)?;
                CloudLbTls::AwsNlbAcm { certificate_arn }
            }
            CloudLoadBalancer::AwsAlbAcm => {
                let (certificate_arn, additional_certificate_arns) =
                    resolve_certificate_arns(choices, release, CloudLoadBalancer::AwsAlbAcm)?;
                CloudLbTls::AwsAlbAcm { certificate_arn, additional_certificate_arns }
            }
            CloudLoadBalancer::GkeCertificateMap => {
                CloudLbTls::GkeCertificateMap { certificate_map: format!("{fullname}-certmap") }
            }
        }),
        TlsModel::None => Tls::None,
    })
}

/// The issuer named by `--issuer` or the Ingress's annotation, which the cluster has; else the
/// one the plan creates: self-signed where the chart generated the certificate, else Let's
/// Encrypt.
pub fn resolve_issuer(choices: &Choices, release: &Release) -> Result<(IssuerRef, IssuerOrigin), PlanError> {
    let named = match &choices.issuer {
        Some(s) => Some(IssuerRef::parse(s).map_err(|e| choice_error(ChoiceField::Issuer, e))?),
        None => issuer_from_annotations(release)?,
    };
    let ing = &release.ingress;
    Ok(match named {
        Some(issuer) => (issuer, IssuerOrigin::Existing),
        None if ing.generate_certs.value && ing.tls_enabled.value => {
            (IssuerRef { kind: IssuerKind::ClusterIssuer, name: "zenml-selfsigned".into() }, IssuerOrigin::SelfSigned)
        }
        None => {
            (IssuerRef { kind: IssuerKind::ClusterIssuer, name: "letsencrypt-gateway".into() }, IssuerOrigin::Assumed)
        }
    })
}

/// The ACM certificates for an AWS load balancer: `--certificate-arn`, else the ALB ingress's
/// default (first) certificate; and the other certificates the ALB Ingress listed, for a load
/// balancer that serves several (SNI).
fn resolve_certificate_arns(
    choices: &Choices,
    release: &Release,
    provider: CloudLoadBalancer,
) -> Result<(Option<String>, Vec<String>), PlanError> {
    if let Some(arn) = choices.certificate_arn.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        check_certificate_arn(arn)
            .map_err(|e| choice_error(ChoiceField::CertificateArn, format!("{:?}: {e}", clip(arn, 80))))?;
        return Ok((Some(arn.to_string()), Vec::new()));
    }
    let Some(a) = release.ingress.annotation("alb.ingress.kubernetes.io/certificate-arn") else {
        return Ok((None, Vec::new()));
    };
    // The ALB takes a list; the first is its default certificate.
    let mut listed = a.value.split(',').map(str::trim);
    let first = listed.next().unwrap_or_default();
    check_certificate_arn(first).map_err(|e| annotation_error(a, "a list of ACM certificate ARNs", &e))?;
    let mut additional = Vec::new();
    if provider.serves_several_certificates() {
        for arn in listed.filter(|arn| !arn.is_empty()) {
            check_certificate_arn(arn).map_err(|e| annotation_error(a, "a list of ACM certificate ARNs", &e))?;
            additional.push(arn.to_string());
        }
    }
    Ok((Some(first.to_string()), additional))
}

/// GKE: the Ingress's reserved address, and the new one the Gateway gets beside it.
fn resolve_static_address(
    release: &Release,
    implementation: &Implementation,
) -> Result<Option<StaticAddress>, PlanError> {
    match release.ingress.annotation("kubernetes.io/ingress.global-static-ip-name") {
        Some(a) if implementation.google_named_address => {
            check_gcp_name(&a.value).map_err(|e| annotation_error(a, "a Google Cloud address name", &e))?;
            let base: String = a.value.chars().take(63 - "-gateway".len()).collect();
            Ok(Some(StaticAddress {
                ingress: a.value.clone(),
                gateway: format!("{}-gateway", base.trim_end_matches('-')),
            }))
        }
        _ => Ok(None),
    }
}

/// A TLS model the implementation cannot serve is refused, whether chosen or implied by the
/// values: another model would change what users get without their word.
fn check_tls_model(implementation: &Implementation, tls: TlsModel, chosen: bool) -> Result<(), PlanError> {
    let Some(why) = implementation.refusal(tls) else { return Ok(()) };
    let served: Vec<&str> =
        TlsModel::ALL.into_iter().filter(|t| implementation.refusal(*t).is_none()).map(TlsModel::slug).collect();
    Err(choice_error(
        ChoiceField::Tls,
        format!(
            "{} cannot serve TLS model {}{}: {why}. Choose {}.",
            implementation.display_name,
            tls.slug(),
            if chosen { "" } else { ", which the values imply" },
            served.join(", ")
        ),
    ))
}

/// A Google Cloud resource name (RFC 1035): a lower-case letter, then letters, digits and '-',
/// at most 63 characters, not ending in '-'.
fn check_gcp_name(name: &str) -> Result<(), String> {
    let ok = (1..=63).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-')
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err("Google Cloud names start with a lower-case letter and hold at most 63 lower-case letters, digits and '-'"
            .into())
    }
}

/// A namespace name: an RFC 1123 label.
fn check_label(name: &str) -> Result<(), String> {
    // A namespace is one DNS label: its own rule, so the message never calls dots allowed.
    if name.is_empty() || name.len() > 63 {
        return Err("a namespace is 1 to 63 characters".into());
    }
    if !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Err("a namespace holds only lower-case letters, digits and '-' (no dots, spaces or capitals)".into());
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err("a namespace starts and ends with a letter or digit".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::implementations::{TlsRefusal, STANDARD_PORTS};

    fn release(values: &str) -> Release {
        Release::read(&Document::parse(values).unwrap()).unwrap()
    }

    fn choices(implementation: ImplementationId) -> Choices {
        Choices::new(implementation)
    }

    const ARN: &str = "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab";

    /// The TLS model of the plan for `values`, with the planner's default names.
    fn tls_of(values: &str, model: TlsModel, c: &Choices) -> Result<Tls, PlanError> {
        let r = release(values);
        let names = resolve_names(c, &r.gateway).unwrap();
        let fullname = r.fullname(&names.release);
        resolve_tls(model, c, &r, Implementation::get(c.implementation), &fullname, &names)
    }

    #[test]
    fn the_tls_model_follows_what_the_ingress_did() {
        let eg = Implementation::get(ImplementationId::EnvoyGateway);
        let gke = Implementation::get(ImplementationId::Gke);
        let derived = |values: &str, imp| derive_tls(&release(values), imp);
        let annotated =
            |key: &str, value: &str| format!("server:\n  ingress:\n    annotations:\n      {key}: {value}\n");
        assert_eq!(derived(&annotated("cert-manager.io/cluster-issuer", "letsencrypt"), eg), TlsModel::CertManager);
        // cert-manager's other keys alone ask ingress-shim for nothing.
        assert_eq!(derived(&annotated("cert-manager.io/duration", "2160h"), eg), TlsModel::None);
        let generated = "server:\n  ingress:\n    tls:\n      enabled: true\n      generateCerts: true\n";
        assert_eq!(derived(generated, eg), TlsModel::CertManager);
        assert_eq!(derived("server:\n  ingress:\n    tls:\n      enabled: true\n", eg), TlsModel::ExistingSecret);
        assert_eq!(derived(&annotated("alb.ingress.kubernetes.io/certificate-arn", ARN), eg), TlsModel::CloudLb);
        let managed = annotated("networking.gke.io/managed-certificates", "zenml-cert");
        assert_eq!(derived(&managed, gke), TlsModel::CloudLb);
        // Google-managed certificates do not follow the move off GKE.
        assert_eq!(derived(&managed, eg), TlsModel::CertManager);
        assert_eq!(derived("server:\n  serverURL: https://zenml.example.com\n", eg), TlsModel::CertManager);
        assert_eq!(derived("server:\n  serverURL: http://zenml.example.com\n", eg), TlsModel::None);
    }

    #[test]
    fn an_issuer_the_ingress_names_is_copied_for_the_gateway_never_reused() {
        let values = "server:\n  ingress:\n    host: zenml.example.com\n    annotations:\n      cert-manager.io/cluster-issuer: letsencrypt-prod\n";
        let tls = tls_of(values, TlsModel::CertManager, &choices(ImplementationId::EnvoyGateway)).unwrap();
        let Tls::CertManager(cm) = tls else { panic!("{tls:?}") };
        assert_eq!(cm.issuer.to_string(), "ClusterIssuer/letsencrypt-prod");
        assert_eq!(cm.origin, IssuerOrigin::Existing);
        assert_eq!(cm.gateway_issuer.to_string(), "ClusterIssuer/letsencrypt-prod-gateway");
        assert_eq!(
            cm.secret,
            CertificateSecret { name: "zenml-server-gateway-tls".into(), namespace: "gateway-infra".into() }
        );
        // --issuer wins over the annotation, its kind included.
        let mut c = choices(ImplementationId::EnvoyGateway);
        c.issuer = Some("Issuer/team-ca".into());
        let Ok(Tls::CertManager(cm)) = tls_of(values, TlsModel::CertManager, &c) else { panic!() };
        assert_eq!(
            (cm.gateway_issuer.to_string(), cm.origin),
            ("Issuer/team-ca-gateway".into(), IssuerOrigin::Existing)
        );
    }

    #[test]
    fn without_a_named_issuer_the_plan_creates_one_that_fits_the_ingress() {
        let c = choices(ImplementationId::Istio);
        let generated = "server:\n  ingress:\n    tls:\n      enabled: true\n      generateCerts: true\n";
        let Ok(Tls::CertManager(cm)) = tls_of(generated, TlsModel::CertManager, &c) else { panic!() };
        assert_eq!(
            (cm.issuer.to_string(), cm.origin),
            ("ClusterIssuer/zenml-selfsigned".into(), IssuerOrigin::SelfSigned)
        );
        assert_eq!(cm.gateway_issuer, cm.issuer, "a created issuer is the Gateway's own");
        assert!(cm.self_signed());
        let Ok(Tls::CertManager(cm)) =
            tls_of("server:\n  ingress:\n    host: zenml.example.com\n", TlsModel::CertManager, &c)
        else {
            panic!()
        };
        assert_eq!(
            (cm.issuer.to_string(), cm.origin),
            ("ClusterIssuer/letsencrypt-gateway".into(), IssuerOrigin::Assumed)
        );
        assert!(!cm.self_signed());
    }

    #[test]
    fn existing_secret_serves_the_ingress_secret_unless_the_chart_generates_it() {
        let c = choices(ImplementationId::NginxGatewayFabric);
        let values = "server:\n  ingress:\n    tls:\n      enabled: true\n      secretName: zenml-tls\n";
        assert_eq!(
            tls_of(values, TlsModel::ExistingSecret, &c).unwrap(),
            Tls::ExistingSecret { secret: CertificateSecret { name: "zenml-tls".into(), namespace: "zenml".into() } }
        );
        let generated = "server:\n  ingress:\n    tls:\n      enabled: true\n      generateCerts: true\n";
        match tls_of(generated, TlsModel::ExistingSecret, &c) {
            Err(PlanError::Choice { option: ChoiceField::Tls, message }) => {
                assert!(message.contains("Helm deletes it"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cloud_lb_is_the_implementation_providers_with_its_certificate() {
        let eg = choices(ImplementationId::EnvoyGateway);
        let alb = format!("server:\n  ingress:\n    annotations:\n      alb.ingress.kubernetes.io/certificate-arn: {ARN}, arn:aws:acm:eu-west-1:123456789012:certificate/other\n");
        // The ALB's default certificate is the first of its list.
        assert_eq!(
            tls_of(&alb, TlsModel::CloudLb, &eg).unwrap(),
            Tls::CloudLb(CloudLbTls::AwsNlbAcm { certificate_arn: Some(ARN.into()) })
        );
        let mut given = eg.clone();
        given.certificate_arn = Some(" arn:aws:acm:us-east-1:210987654321:certificate/given ".into());
        let Ok(Tls::CloudLb(CloudLbTls::AwsNlbAcm { certificate_arn })) = tls_of(&alb, TlsModel::CloudLb, &given)
        else {
            panic!()
        };
        assert_eq!(certificate_arn.as_deref(), Some("arn:aws:acm:us-east-1:210987654321:certificate/given"));
        assert_eq!(
            tls_of("server: {}\n", TlsModel::CloudLb, &eg).unwrap(),
            Tls::CloudLb(CloudLbTls::AwsNlbAcm { certificate_arn: None }),
            "no certificate known: a finding asks for it"
        );
        let bad =
            "server:\n  ingress:\n    annotations:\n      alb.ingress.kubernetes.io/certificate-arn: not-an-arn\n";
        match tls_of(bad, TlsModel::CloudLb, &eg) {
            Err(PlanError::Values(e)) => assert_eq!(e.line, 4, "{e}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            tls_of("server: {}\n", TlsModel::CloudLb, &choices(ImplementationId::Gke)).unwrap(),
            Tls::CloudLb(CloudLbTls::GkeCertificateMap { certificate_map: "zenml-server-certmap".into() })
        );
    }

    #[test]
    fn the_route_attaches_to_the_https_listener_named_by_section_name() {
        let gw = |values: &str| release(values).gateway;
        let named = gw("server:\n  gateway:\n    sectionName: websecure\n");
        let l =
            resolve_listeners(&named, TlsModel::CertManager, STANDARD_PORTS, Some("zenml.example.com".into())).unwrap();
        assert_eq!(l.http, Listener { name: "http".into(), port: 80 });
        assert_eq!(l.https, Some(Listener { name: "websecure".into(), port: 443 }));
        assert_eq!((l.section_name(), l.hostname.as_deref()), ("websecure", Some("zenml.example.com")));
        // Plain HTTP: no HTTPS listener, the route on the HTTP one.
        let l = resolve_listeners(&named, TlsModel::None, STANDARD_PORTS, None).unwrap();
        assert_eq!((l.https.as_ref(), l.section_name()), (None, "http"));
        // A section name of the HTTP listener is not the HTTPS listener's name.
        let l = resolve_listeners(
            &gw("server:\n  gateway:\n    sectionName: http\n"),
            TlsModel::ExistingSecret,
            STANDARD_PORTS,
            None,
        )
        .unwrap();
        assert_eq!(l.section_name(), "https");
        match resolve_listeners(
            &gw("server:\n  gateway:\n    sectionName: Web_Secure\n"),
            TlsModel::CloudLb,
            STANDARD_PORTS,
            None,
        ) {
            Err(PlanError::Values(e)) => assert_eq!(e.line, 3, "{e}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn names_are_the_users_then_the_values_then_the_planners() {
        let c = choices(ImplementationId::EnvoyGateway);
        let names = resolve_names(&c, &release("server: {}\n").gateway).unwrap();
        assert_eq!(
            names,
            Names {
                release: "zenml-server".into(),
                namespace: "zenml".into(),
                gateway: "shared-gateway".into(),
                gateway_namespace: "gateway-infra".into()
            }
        );
        // A Gateway the values name lives beside the release unless they say where.
        let named = release("server:\n  gateway:\n    gatewayRef:\n      name: team-gw\n").gateway;
        let names = resolve_names(&c, &named).unwrap();
        assert_eq!((names.gateway.as_str(), names.gateway_namespace.as_str()), ("team-gw", "zenml"));
        let mut long = c.clone();
        long.release = Some("r".repeat(54));
        assert!(matches!(resolve_names(&long, &named), Err(PlanError::Choice { option: ChoiceField::Release, .. })));
    }

    #[test]
    fn regex_paths_become_their_literal_prefix() {
        assert_eq!(literal_path("/zenml/?(.*)"), ("/zenml".to_string(), true));
        assert_eq!(literal_path("/zenml(/|$)(.*)"), ("/zenml".to_string(), true));
        assert_eq!(literal_path("/"), ("/".to_string(), false));
        assert_eq!(literal_path("/zenml/"), ("/zenml/".to_string(), false));
        assert_eq!(literal_path("/(.*)"), ("/".to_string(), true));
        assert_eq!(literal_path(""), ("/".to_string(), false));
    }

    #[test]
    fn hostnames_are_lower_case_dns_names_never_ips() {
        assert_eq!(normalize_hostname("ZenML.Example.com").unwrap(), "zenml.example.com");
        assert_eq!(normalize_hostname("zenml.192.168.10.20.nip.io").unwrap(), "zenml.192.168.10.20.nip.io");
        assert!(normalize_hostname("192.168.1.10").is_err());
        assert!(normalize_hostname("::1").is_err());
        assert!(normalize_hostname("zen_ml.example.com").is_err());
        assert!(normalize_hostname("https://zenml.example.com").is_err());
        assert_eq!(normalize_hostname("*.example.com").unwrap(), "*.example.com");
    }

    #[test]
    fn a_tls_model_the_implementation_cannot_serve_is_refused_with_the_reason() {
        let refusing = Implementation {
            refused_tls: &[TlsRefusal {
                model: TlsModel::ExistingSecret,
                why: "its listeners take no certificateRefs",
            }],
            ..Implementation::get(ImplementationId::EnvoyGateway).clone()
        };
        assert_eq!(check_tls_model(&refusing, TlsModel::CertManager, true), Ok(()));
        let Err(PlanError::Choice { option, message }) = check_tls_model(&refusing, TlsModel::ExistingSecret, false)
        else {
            panic!("existing-secret is refused")
        };
        assert_eq!(option, ChoiceField::Tls);
        assert_eq!(
            message,
            "Envoy Gateway cannot serve TLS model existing-secret, which the values imply: its listeners take no certificateRefs. Choose cert-manager, cloud-lb, none."
        );
    }

    #[test]
    fn versions_compare_numerically() {
        assert_eq!(version_at_least("0.94.10", "0.94.3"), Some(true));
        assert_eq!(version_at_least("0.94.2", "0.94.3"), Some(false));
        assert_eq!(version_at_least("v1.0.0", "0.94.3"), Some(true));
        assert_eq!(version_at_least("x", "0.94.3"), None);
    }
}
