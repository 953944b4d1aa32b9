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

/// Declares [`FindingCode`] with each code's slug, the name `findings.json` and the runbook show.
macro_rules! finding_codes {
    ($($(#[$doc:meta])* $variant:ident => $slug:literal,)*) => {
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
        }
    };
}

finding_codes! {
    // The values file and the chart.
    ChartVersion => "chart-version",
    ChartVersionServerKey => "chart-version-server-key",
    MixedKeys => "mixed-keys",
    DeprecatedZenmlKey => "deprecated-zenml-key",
    AlreadyMigrated => "already-migrated",
    ExistingGateway => "existing-gateway",
    ReleaseAssumed => "release-assumed",
    NoIngress => "no-ingress",
    IngressOnByDefault => "ingress-on-by-default",
    UnreadKey => "unread-key",
    MergeOverridesKey => "merge-overrides-key",
    ChartRenderError => "chart-render-error",
    // Host, path and URLs.
    HostNormalized => "host-normalized",
    InvalidHost => "invalid-host",
    RegexPath => "regex-path",
    HostCannotMove => "host-cannot-move",
    SharedHostPath => "shared-host-path",
    SchemeChange => "scheme-change",
    MissingHost => "missing-host",
    ServerUrl => "server-url",
    TlsDowngrade => "tls-downgrade",
    ProxyHeaders => "proxy-headers",
    RootUrlPath => "root-url-path",
    HttpRedirectAdded => "http-redirect-added",
    // TLS.
    GeneratedCerts => "generated-certs",
    TlsDropped => "tls-dropped",
    TlsFromUrl => "tls-from-url",
    PlainHttp => "plain-http",
    SslRedirect => "ssl-redirect",
    StagingIssuer => "staging-issuer",
    IssuerAssumed => "issuer-assumed",
    CertificateNeedsHost => "certificate-needs-host",
    Http01BeforeCutover => "http01-before-cutover",
    IssuerNamespace => "issuer-namespace",
    CertManagerGatewayApi => "cert-manager-gateway-api",
    ReferenceGrant => "reference-grant",
    CertificateArnMissing => "certificate-arn-missing",
    CertificateDiscovery => "certificate-discovery",
    NlbClientHeaders => "nlb-client-headers",
    TlsAtLoadBalancer => "tls-at-load-balancer",
    OtherCloud => "other-cloud",
    // Ingress annotations.
    AnnotationPolicy => "annotation-policy",
    AnnotationGateway => "annotation-gateway",
    AnnotationTls => "annotation-tls",
    AnnotationSame => "annotation-same",
    AnnotationRunbook => "annotation-runbook",
    AnnotationLost => "annotation-lost",
    AnnotationUnknown => "annotation-unknown",
    AnnotationDropped => "annotation-dropped",
    AnnotationMoved => "annotation-moved",
    AnnotationReplaced => "annotation-replaced",
    RewriteNotCarried => "rewrite-not-carried",
    ExternalDns => "external-dns",
    // The ingress controller's behaviour and the policies that carry it over.
    Policy => "policy",
    UnknownIngressClass => "unknown-ingress-class",
    BodySizeSame => "body-size-same",
    BodySizeLifted => "body-size-lifted",
    TimeoutSame => "timeout-same",
    TimeoutSameOrLonger => "timeout-same-or-longer",
    TimeoutRequestRead => "timeout-request-read",
    ClientIp => "client-ip",
    ClientNetworksLost => "client-networks-lost",
    // The target implementation.
    AwsLoadBalancerScheme => "aws-load-balancer-scheme",
    RouteTimeoutsIgnored => "route-timeouts-ignored",
    RouteTimeoutsUnsupported => "route-timeouts-unsupported",
    KubectlNames => "kubectl-names",
    TraefikEntryPointPorts => "traefik-entry-point-ports",
    TraefikSharedInstall => "traefik-shared-install",
    TraefikUploadTimeout => "traefik-upload-timeout",
    TraefikNoMiddleware => "traefik-no-middleware",
    AlbCrdDetection => "alb-crd-detection",
    AlbListenersOnRoute => "alb-listeners-on-route",
    AlbTargetType => "alb-target-type",
    AlbReplaced => "alb-replaced",
    AlbNoProxies => "alb-no-proxies",
    AlbIdleTimeout => "alb-idle-timeout",
    KongWebhookOff => "kong-webhook-off",
    KongOperatorImage => "kong-operator-image",
    // Annotations an implementation reads on the objects the chart renders.
    RouteAnnotations => "route-annotations",
    RouteAnnotationKept => "route-annotation-kept",
    ServiceAnnotations => "service-annotations",
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
