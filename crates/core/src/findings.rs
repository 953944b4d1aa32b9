//! Notices about the migration: what does not carry over, what needs a decision, what to check.

use crate::values::release::{Annotation, Setting};
use serde::{Serialize, Serializer};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The plan cannot work as is until the user acts.
    Error,
    /// Behaviour changes or is lost unless the user acts.
    Warning,
    /// Worth knowing; nothing breaks.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Declares [`FindingCode`] with each code's slug, the name `findings.json` and the runbook show,
/// and its title.
macro_rules! finding_codes {
    ($($(#[$doc:meta])* $variant:ident => $slug:literal, $title:literal,)*) => {
        /// What a finding is about. Tools read `findings.json` by these slugs, so they never change.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum FindingCode {
            $($(#[$doc])* $variant,)*
        }

        impl FindingCode {
            pub const ALL: &'static [FindingCode] = &[$(FindingCode::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(FindingCode::$variant => $slug,)*
                }
            }

            /// What the finding is about, in plain words: the page shows it as the finding's
            /// title, with the slug beside it.
            pub fn title(self) -> &'static str {
                match self {
                    $(FindingCode::$variant => $title,)*
                }
            }
        }
    };
}

finding_codes! {
    // The values file and the chart.
    ChartVersion => "chart-version", "Chart version to check",
    ChartVersionServerKey => "chart-version-server-key", "Chart version and the server: key",
    MixedKeys => "mixed-keys", "Both zenml: and server: are set",
    DeprecatedZenmlKey => "deprecated-zenml-key", "The older zenml: key",
    AlreadyMigrated => "already-migrated", "Already on Gateway API",
    ExistingGateway => "existing-gateway", "A Gateway the values name already",
    ReleaseAssumed => "release-assumed", "Release name or namespace assumed",
    NoIngress => "no-ingress", "No Ingress to move from",
    IngressOnByDefault => "ingress-on-by-default", "The Ingress is on by default",
    UnreadKey => "unread-key", "A key the chart does not read",
    MergeOverridesKey => "merge-overrides-key", "A merge key overrides a setting",
    ChartRenderError => "chart-render-error", "The chart cannot render these values",
    // Host, path and URLs.
    HostNormalized => "host-normalized", "Hostname written differently",
    InvalidHost => "invalid-host", "Hostname not valid",
    RegexPath => "regex-path", "Regular-expression path",
    HostCannotMove => "host-cannot-move", "A hostname that cannot be re-pointed",
    SharedHostPath => "shared-host-path", "Hostname and path shared",
    SchemeChange => "scheme-change", "http becomes https",
    MissingHost => "missing-host", "No hostname",
    ServerUrl => "server-url", "serverURL",
    TlsDowngrade => "tls-downgrade", "Plain HTTP where users have https",
    ProxyHeaders => "proxy-headers", "Forwarded headers",
    RootUrlPath => "root-url-path", "ZenML served under a path",
    HttpRedirectAdded => "http-redirect-added", "HTTP redirected to HTTPS",
    // TLS.
    GeneratedCerts => "generated-certs", "Certificates the chart generates",
    TlsDropped => "tls-dropped", "TLS not carried over",
    TlsFromUrl => "tls-from-url", "TLS read from the URL",
    PlainHttp => "plain-http", "Plain HTTP",
    SslRedirect => "ssl-redirect", "HTTPS redirect",
    StagingIssuer => "staging-issuer", "A staging certificate issuer",
    IssuerAssumed => "issuer-assumed", "Certificate issuer assumed",
    CertificateNeedsHost => "certificate-needs-host", "The certificate needs a hostname",
    Http01BeforeCutover => "http01-before-cutover", "HTTP-01 validation before the DNS switch",
    IssuerNamespace => "issuer-namespace", "Issuer in another namespace",
    CertManagerGatewayApi => "cert-manager-gateway-api", "cert-manager's Gateway API support",
    ReferenceGrant => "reference-grant", "A ReferenceGrant for the certificate",
    CertificateArnMissing => "certificate-arn-missing", "No ACM certificate named",
    CertificateDiscovery => "certificate-discovery", "Certificate found by hostname",
    NlbClientHeaders => "nlb-client-headers", "Client headers behind an NLB",
    TlsAtLoadBalancer => "tls-at-load-balancer", "TLS at the load balancer",
    OtherCloud => "other-cloud", "Another cloud's load balancer",
    // Ingress annotations.
    AnnotationPolicy => "annotation-policy", "Annotation carried by a policy",
    AnnotationGateway => "annotation-gateway", "Annotation carried on the Gateway",
    AnnotationTls => "annotation-tls", "Annotation carried by the TLS setup",
    AnnotationSame => "annotation-same", "Annotation the Gateway does already",
    AnnotationRunbook => "annotation-runbook", "Annotation handled in the runbook",
    AnnotationLost => "annotation-lost", "Annotation with no equivalent",
    AnnotationUnknown => "annotation-unknown", "Annotation the planner does not know",
    AnnotationDropped => "annotation-dropped", "Annotation dropped",
    AnnotationMoved => "annotation-moved", "Annotation moved",
    AnnotationReplaced => "annotation-replaced", "Annotation replaced",
    RewriteNotCarried => "rewrite-not-carried", "Path rewrite not carried over",
    ExternalDns => "external-dns", "external-dns",
    // The ingress controller's behaviour and the policies that carry it over.
    Policy => "policy", "Implementation policy",
    UnknownIngressClass => "unknown-ingress-class", "Ingress class not recognised",
    BodySizeSame => "body-size-same", "Upload size limit kept",
    BodySizeLifted => "body-size-lifted", "Upload size limit lifted",
    TimeoutSame => "timeout-same", "Timeout kept",
    TimeoutSameOrLonger => "timeout-same-or-longer", "Timeout kept or longer",
    TimeoutRequestRead => "timeout-request-read", "Time to read a request",
    ClientIp => "client-ip", "Client address",
    ClientNetworksLost => "client-networks-lost", "Allowed networks not carried over",
    // The target implementation.
    AwsLoadBalancerScheme => "aws-load-balancer-scheme", "Internal or internet-facing load balancer",
    RouteTimeoutsIgnored => "route-timeouts-ignored", "Route timeouts ignored",
    RouteTimeoutsUnsupported => "route-timeouts-unsupported", "Route timeouts not supported",
    KubectlNames => "kubectl-names", "Resource names for kubectl",
    TraefikEntryPointPorts => "traefik-entry-point-ports", "Traefik's entry point ports",
    TraefikSharedInstall => "traefik-shared-install", "One Traefik for every Gateway",
    TraefikUploadTimeout => "traefik-upload-timeout", "Traefik's upload timeout",
    TraefikNoMiddleware => "traefik-no-middleware", "No Traefik middleware",
    AlbCrdDetection => "alb-crd-detection", "The controller's CRD detection",
    AlbListenersOnRoute => "alb-listeners-on-route", "ALB listeners",
    AlbTargetType => "alb-target-type", "ALB target type",
    AlbReplaced => "alb-replaced", "The ALB is replaced",
    AlbNoProxies => "alb-no-proxies", "No proxies in the cluster",
    AlbIdleTimeout => "alb-idle-timeout", "ALB idle timeout",
    KongWebhookOff => "kong-webhook-off", "Kong's admission webhook",
    KongOperatorImage => "kong-operator-image", "Kong Operator's image",
    // Annotations an implementation reads on the objects the chart renders.
    RouteAnnotations => "route-annotations", "Annotations on the HTTPRoute",
    RouteAnnotationKept => "route-annotation-kept", "Route annotation kept",
    ServiceAnnotations => "service-annotations", "Annotations on the Service",
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FindingCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: FindingCode,
    pub message: String,
    /// The values key or annotation the notice is about (`None` for the plan as a whole).
    pub path: Option<String>,
    /// Where that key is in the pasted file, when it is there (1-based).
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Finding {
    pub fn new(severity: Severity, code: FindingCode, message: impl Into<String>) -> Finding {
        Finding { severity, code, message: message.into(), path: None, line: None, column: None }
    }

    pub fn at<T>(severity: Severity, code: FindingCode, message: impl Into<String>, setting: &Setting<T>) -> Finding {
        Finding {
            path: Some(setting.path.clone()),
            line: setting.pos.map(|p| p.line),
            column: setting.pos.map(|p| p.column),
            ..Finding::new(severity, code, message)
        }
    }

    pub fn on_annotation(severity: Severity, code: FindingCode, message: impl Into<String>, a: &Annotation) -> Finding {
        Finding {
            path: Some(a.path.clone()),
            line: Some(a.pos.line),
            column: Some(a.pos.column),
            ..Finding::new(severity, code, message)
        }
    }

    pub fn with_path(mut self, path: &str) -> Finding {
        self.path = Some(path.to_string());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_their_slugs_and_slugs_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in FindingCode::ALL {
            assert_eq!(serde_json::to_string(code).unwrap(), format!("\"{}\"", code.as_str()));
            assert!(seen.insert(code.as_str()), "{code} twice");
        }
    }
}
