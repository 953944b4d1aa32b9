//! The intermediate model: the release read from the values, the user's choices, and every name
//! the emitters need, derived once here so each output agrees with the others.

use crate::findings::{Finding, Severity};
use crate::implementations::{CloudLoadBalancer, Implementation, ImplementationId};
use crate::markdown::code;
use crate::values::release::{Annotation, Setting};
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
        let kind = match self.kind {
            IssuerKind::ClusterIssuer => "ClusterIssuer",
            IssuerKind::Issuer => "Issuer",
        };
        write!(f, "{kind}/{}", self.name)
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
    /// external-dns manages the hostname (also assumed when the Ingress has its annotations).
    pub external_dns: bool,
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
            external_dns: false,
            deployed_with: DeployedWith::Helm,
            gateway_address: None,
        }
    }
}

/// Why no plan could be made.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PlanError {
    /// The values text is not a values file the chart would accept.
    Values(LocatedError),
    /// A choice is invalid; `option` is the CLI flag it came from.
    Choice { option: String, message: String },
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

fn choice_error(option: &str, message: impl Into<String>) -> PlanError {
    PlanError::Choice { option: option.to_string(), message: message.into() }
}

/// A name is wrong: blame the choice when the user gave one, else the values key it came from.
fn name_error(chosen: bool, option: &str, from_values: Option<&Setting<String>>, message: String) -> PlanError {
    match from_values {
        Some(setting) if !chosen => PlanError::Values(LocatedError::at(
            setting.pos.unwrap_or(Pos::START),
            format!("`{}` {:?}: {message}", setting.path, crate::findings::clip(&setting.value, 80)),
        )),
        _ => choice_error(option, message),
    }
}

/// Everything the emitters need, resolved.
#[derive(Clone, Debug, Serialize)]
pub struct Model {
    pub implementation: &'static Implementation,
    pub tls: TlsModel,
    pub release_name: String,
    pub namespace: String,
    /// The chart's name for the Service, Ingress and HTTPRoute.
    pub fullname: String,
    pub gateway_name: String,
    pub gateway_namespace: String,
    pub http_listener: String,
    pub https_listener: String,
    /// The listener the ZenML route attaches to (`gateway.sectionName`).
    pub section_name: String,
    pub host: Option<String>,
    /// Whether `host`'s record can be moved. When it cannot, nothing on the Gateway binds to it
    /// (`listener_host` is `None`) and the runbook moves users to a new name instead of DNS.
    pub host_kind: HostKind,
    /// The hostname of the Gateway's listeners and redirect route.
    pub listener_host: Option<String>,
    /// The name users reach ZenML by today, when it cannot be moved: `host` is then the new name
    /// derived from the Gateway's address, or still this one until the address is known.
    pub moved_from: Option<String>,
    pub gateway_address: Option<String>,
    /// The literal path prefix for `gateway.path`.
    pub path: String,
    /// The issuer the Ingress uses (named by its annotation or `--issuer`), or the one the plan
    /// creates when none is named.
    pub issuer: Option<IssuerRef>,
    /// The issuer the Gateway's annotation names. When `issuer_exists`, a copy of `issuer` made
    /// for the Gateway (`<name>-gateway`): the Ingress's issuer and its solvers stay untouched.
    pub gateway_issuer: Option<IssuerRef>,
    /// `issuer` is in the cluster already: never written to tls.yaml, only copied by the runbook.
    pub issuer_exists: bool,
    /// cert-manager writes this Secret in the Gateway's namespace (or the Ingress's Secret is reused).
    pub certificate_secret: Option<CertificateSecret>,
    pub certificate_arn: Option<String>,
    /// The other ACM certificates the ALB Ingress listed, for a load balancer that serves
    /// several (SNI); empty otherwise, and when `--certificate-arn` names the one to use.
    pub additional_certificate_arns: Vec<String>,
    pub certificate_map: Option<String>,
    pub chart_version: Option<String>,
    /// The issuer is the planner's guess: neither `--issuer` nor an ingress annotation named one.
    pub issuer_assumed: bool,
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
    let shown = format!("{:?}", crate::findings::clip(address, 80));
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

#[derive(Clone, Debug, Serialize)]
pub struct CertificateSecret {
    pub name: String,
    pub namespace: String,
}

impl Model {
    pub fn has_https_listener(&self) -> bool {
        self.tls != TlsModel::None
    }

    pub fn cross_namespace(&self) -> bool {
        self.gateway_namespace != self.namespace
    }

    pub fn cloud_lb(&self) -> Option<CloudLoadBalancer> {
        (self.tls == TlsModel::CloudLb).then_some(self.implementation.cloud_load_balancer)
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
    hostname(raw).map_err(|why| format!("{:?}{why}", crate::findings::clip(raw, 80)))
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
        format!("annotation `{}` is {:?}, which is not {what}: {why}", a.key, crate::findings::clip(&a.value, 80)),
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
    let fail = || {
        Err(format!(
            "{:?} is not a chart version: Helm charts use SemVer like 0.94.3",
            crate::findings::clip(version, 80)
        ))
    };
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
/// `findings`.
pub fn build_model(text: &str, choices: &Choices, findings: &mut Vec<Finding>) -> Result<Model, PlanError> {
    let doc = Document::parse(text)?;
    let release = Release::read(&doc)?;
    let implementation = Implementation::get(choices.implementation);

    let release_name = choices.release.clone().unwrap_or_else(|| "zenml-server".to_string());
    check_dns_name(&release_name).map_err(|e| choice_error("--release", e))?;
    if release_name.len() > 53 {
        return Err(choice_error("--release", "Helm release names are at most 53 characters"));
    }
    let namespace = choices.namespace.clone().unwrap_or_else(|| "zenml".to_string());
    check_label(&namespace).map_err(|e| choice_error("--namespace", e))?;

    let gw = &release.gateway;
    let gateway_name = choices
        .gateway_name
        .clone()
        .or_else(|| gw.gateway_ref_name.as_ref().map(|s| s.value.clone()))
        .unwrap_or_else(|| "shared-gateway".to_string());
    check_dns_name(&gateway_name)
        .map_err(|e| name_error(choices.gateway_name.is_some(), "--gateway-name", gw.gateway_ref_name.as_ref(), e))?;
    let gateway_namespace = choices
        .gateway_namespace
        .clone()
        .or_else(|| gw.gateway_ref_namespace.as_ref().map(|s| s.value.clone()))
        .unwrap_or_else(|| if gw.gateway_ref_name.is_some() { namespace.clone() } else { "gateway-infra".to_string() });
    check_label(&gateway_namespace).map_err(|e| {
        name_error(choices.gateway_namespace.is_some(), "--gateway-namespace", gw.gateway_ref_namespace.as_ref(), e)
    })?;

    let tls = choices.tls.unwrap_or_else(|| derive_tls(&release, implementation));
    check_tls_model(implementation, tls, choices.tls.is_some())?;
    let ing = &release.ingress;
    let ingress_active = ing.enabled.value;

    // Host: the user's word, else the gateway block's (already migrated), else the Ingress's.
    let host = match &choices.host {
        Some(h) if !h.trim().is_empty() => Some(normalize_hostname(h).map_err(|e| choice_error("--host", e))?),
        _ => {
            let source = gw.host.as_ref().filter(|_| gw.enabled.value).or(ing.host.as_ref()).or(gw.host.as_ref());
            match source {
                None => None,
                Some(setting) => match hostname(&setting.value) {
                    Ok(h) => {
                        if h != setting.value {
                            findings.push(Finding::at(
                                Severity::Info,
                                "host-normalized",
                                format!(
                                    "The host {} becomes {}: Gateway API hostnames are lower-case DNS names.",
                                    code(&crate::findings::clip(&setting.value, 80)),
                                    code(&h)
                                ),
                                setting,
                            ));
                        }
                        Some(h)
                    }
                    Err(why) => {
                        findings.push(Finding::at(
                            Severity::Error,
                            "invalid-host",
                            format!("{}{why}. The plan leaves the route without a hostname (it then answers for any host on the listener); pass a DNS name with --host.", code(&crate::findings::clip(&setting.value, 80))),
                            setting,
                        ));
                        None
                    }
                },
            }
        }
    };

    let (path, translated) = if gw.enabled.value && !gw.path.is_default() {
        literal_path(&gw.path.value)
    } else {
        literal_path(&ing.path.value)
    };
    let source = if gw.enabled.value && !gw.path.is_default() { &gw.path } else { &ing.path };
    if !source.value.starts_with('/') {
        return Err(PlanError::Values(LocatedError::at(
            source.pos.unwrap_or(Pos::START),
            format!(
                "`{}` is {:?}, but a path must start with `/` (Kubernetes refuses the Ingress and the HTTPRoute otherwise)",
                source.path,
                crate::findings::clip(&source.value, 80)
            ),
        )));
    }
    check_gateway_path(&path).map_err(|e| {
        PlanError::Values(LocatedError::at(
            source.pos.unwrap_or(Pos::START),
            format!(
                "`{}` is {:?}, which the HTTPRoute cannot match{}: {e}",
                source.path,
                crate::findings::clip(&source.value, 80),
                if translated {
                    format!(" (as the literal prefix {:?})", crate::findings::clip(&path, 80))
                } else {
                    String::new()
                }
            ),
        ))
    })?;
    if translated {
        findings.push(Finding::at(
            Severity::Warning,
            "regex-path",
            format!(
                "The path {} is an nginx regular expression; Gateway API matches literal prefixes, so `gateway.path` becomes {}. Requests are forwarded with the full path (no rewrite): see the rewrite finding if the Ingress stripped the prefix.",
                code(&crate::findings::clip(&source.value, 120)),
                code(&path)
            ),
            source,
        ));
    }

    let https_listener = gw
        .section_name
        .as_ref()
        .map(|s| s.value.clone())
        .filter(|s| tls != TlsModel::None && s != "http")
        .unwrap_or_else(|| "https".to_string());
    check_dns_name(&https_listener)
        .map_err(|e| name_error(false, "gateway.sectionName", gw.section_name.as_ref(), e))?;
    let http_listener = "http".to_string();
    let section_name = if tls == TlsModel::None { http_listener.clone() } else { https_listener.clone() };

    let fullname = release.fullname(&release_name);
    if let Err(e) = check_dns_name(&fullname) {
        let key = if release.fullname_override.is_some() { "fullnameOverride" } else { "nameOverride" };
        let pos = doc.root.as_ref().and_then(|r| r.get(key)).map(|n| n.start).unwrap_or(Pos::START);
        return Err(PlanError::Values(LocatedError::at(
            pos,
            format!("the chart names its Service, HTTPRoute and Secrets {fullname:?} after `{key}`, which Kubernetes refuses: {e}"),
        )));
    }
    // The Ingress's Secret name goes into commands when TLS is on or the Gateway reuses it.
    if ing.tls_enabled.value || tls == TlsModel::ExistingSecret {
        check_dns_name(&ing.secret_name.value).map_err(|e| {
            PlanError::Values(LocatedError::at(
                ing.secret_name.pos.or(ing.tls_enabled.pos).unwrap_or(Pos::START),
                format!(
                    "`{}` is {:?}, which is not a Secret name Kubernetes accepts: {e}",
                    ing.secret_name.path,
                    crate::findings::clip(&ing.secret_name.value, 80)
                ),
            ))
        })?;
    }
    let mut issuer = None;
    let mut certificate_secret = None;
    let mut certificate_arn = None;
    let mut additional_certificate_arns = Vec::new();
    let mut certificate_map = None;
    let mut issuer_assumed = false;
    let mut gateway_issuer = None;
    let mut issuer_exists = false;
    match tls {
        TlsModel::CertManager => {
            let named = match &choices.issuer {
                Some(s) => Some(IssuerRef::parse(s).map_err(|e| choice_error("--issuer", e))?),
                None => issuer_from_annotations(&release)?,
            };
            let chosen = match named {
                Some(i) => {
                    issuer_exists = true;
                    i
                }
                None if ing.generate_certs.value && ing.tls_enabled.value => {
                    IssuerRef { kind: IssuerKind::ClusterIssuer, name: "zenml-selfsigned".into() }
                }
                None => {
                    issuer_assumed = true;
                    IssuerRef { kind: IssuerKind::ClusterIssuer, name: "letsencrypt-gateway".into() }
                }
            };
            gateway_issuer = Some(if issuer_exists {
                let name = format!("{}-gateway", chosen.name);
                check_dns_name(&name).map_err(|e| choice_error("--issuer", format!("{name:?}: {e}")))?;
                IssuerRef { kind: chosen.kind, name }
            } else {
                chosen.clone()
            });
            issuer = Some(chosen);
            certificate_secret = Some(CertificateSecret {
                name: format!("{fullname}-gateway-tls"),
                namespace: gateway_namespace.clone(),
            });
        }
        TlsModel::ExistingSecret => {
            if ing.generate_certs.value && ing.tls_enabled.value {
                return Err(choice_error(
                    "--tls",
                    format!(
                        "existing-secret cannot reuse Secret {:?}: the chart generates it (`tls.generateCerts: true`) only while the Ingress exists, so Helm deletes it when the Ingress is turned off and the Gateway would lose its certificate. Choose cert-manager (a self-signed ClusterIssuer replaces the generated certificate) or create your own Secret.",
                        ing.secret_name.value
                    ),
                ));
            }
            certificate_secret =
                Some(CertificateSecret { name: ing.secret_name.value.clone(), namespace: namespace.clone() });
        }
        TlsModel::CloudLb => match implementation.cloud_load_balancer {
            kind @ (CloudLoadBalancer::AwsNlbAcm | CloudLoadBalancer::AwsAlbAcm) => {
                certificate_arn = match choices.certificate_arn.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
                    Some(arn) => {
                        check_certificate_arn(arn).map_err(|e| {
                            choice_error("--certificate-arn", format!("{:?}: {e}", crate::findings::clip(arn, 80)))
                        })?;
                        Some(arn.to_string())
                    }
                    None => match release.ingress.annotation("alb.ingress.kubernetes.io/certificate-arn") {
                        Some(a) => {
                            // The ALB takes a list; the first is its default certificate.
                            let mut listed = a.value.split(',').map(str::trim);
                            let first = listed.next().unwrap_or_default();
                            check_certificate_arn(first)
                                .map_err(|e| annotation_error(a, "a list of ACM certificate ARNs", &e))?;
                            if kind.serves_several_certificates() {
                                for arn in listed.filter(|arn| !arn.is_empty()) {
                                    check_certificate_arn(arn)
                                        .map_err(|e| annotation_error(a, "a list of ACM certificate ARNs", &e))?;
                                    additional_certificate_arns.push(arn.to_string());
                                }
                            }
                            Some(first.to_string())
                        }
                        None => None,
                    },
                };
            }
            CloudLoadBalancer::GkeCertificateMap => {
                certificate_map = Some(format!("{fullname}-certmap"));
            }
        },
        TlsModel::None => {}
    }
    if let Some(v) = &choices.chart_version {
        check_chart_version(v).map_err(|e| choice_error("--chart-version", e))?;
    }

    let static_address = match release.ingress.annotation("kubernetes.io/ingress.global-static-ip-name") {
        Some(a) if implementation.google_named_address => {
            check_gcp_name(&a.value).map_err(|e| annotation_error(a, "a Google Cloud address name", &e))?;
            let base: String = a.value.chars().take(63 - "-gateway".len()).collect();
            Some(StaticAddress { ingress: a.value.clone(), gateway: format!("{}-gateway", base.trim_end_matches('-')) })
        }
        _ => None,
    };

    let host_kind = host.as_deref().map(host_kind).unwrap_or(HostKind::Owned);
    let listener_host = host.clone().filter(|_| host_kind == HostKind::Owned);
    let gateway_address = choices.gateway_address.as_deref().map(str::trim).filter(|a| !a.is_empty());
    let moved_from = host.clone().filter(|_| host_kind != HostKind::Owned);
    let host = match (&host_kind, gateway_address) {
        (HostKind::Owned, _) | (_, None) => host,
        (kind, Some(address)) => Some(new_host(kind, address).map_err(|e| choice_error("--gateway-address", e))?),
    };

    Ok(Model {
        implementation,
        tls,
        release_name,
        namespace,
        fullname,
        gateway_name,
        gateway_namespace,
        http_listener,
        https_listener,
        section_name,
        host,
        host_kind,
        listener_host,
        moved_from,
        gateway_address: gateway_address.map(str::to_string),
        path,
        issuer,
        gateway_issuer,
        issuer_exists,
        certificate_secret,
        certificate_arn,
        additional_certificate_arns,
        certificate_map,
        chart_version: choices.chart_version.clone(),
        issuer_assumed,
        external_dns: choices.external_dns
            || release.ingress.has_annotation_prefix("external-dns.alpha.kubernetes.io/"),
        deployed_with: choices.deployed_with,
        release_assumed: choices.release.is_none() || choices.namespace.is_none(),
        static_address,
        gateway_from_values: choices.gateway_name.is_none() && release.gateway.gateway_ref_name.is_some(),
        target_key: release.target_key,
        ingress_active,
        release,
        document: doc,
    })
}

/// A TLS model the implementation cannot serve is refused, whether chosen or implied by the
/// values: another model would change what users get without their word.
fn check_tls_model(implementation: &Implementation, tls: TlsModel, chosen: bool) -> Result<(), PlanError> {
    let Some(why) = implementation.refusal(tls) else { return Ok(()) };
    let served: Vec<&str> =
        TlsModel::ALL.into_iter().filter(|t| implementation.refusal(*t).is_none()).map(TlsModel::slug).collect();
    Err(choice_error(
        "--tls",
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
    use crate::implementations::TlsRefusal;

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
        assert_eq!(option, "--tls");
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
