//! Every ingress annotation the planner knows, what it does on the ingress, and what becomes of
//! it on each implementation. This table is the single source of truth for the annotation
//! findings and for the coverage table in the README (`coverage_markdown`).

use crate::implementations::ImplementationId;

/// What happens to an annotation's behaviour on the Gateway side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carry {
    /// A policy in policies.yaml carries it over.
    Policy,
    /// gateway.yaml (listeners, redirect route, addresses) carries it over.
    Gateway,
    /// The TLS model carries it over (tls.yaml, Gateway annotations or the load balancer).
    Tls,
    /// The target behaves the same (or more permissively) by default: nothing to carry.
    Same,
    /// The runbook has the steps.
    Runbook,
    /// Not carried over: the finding says what is lost and what to do instead.
    Lost,
}

impl Carry {
    pub fn label(self) -> &'static str {
        match self {
            Carry::Policy => "policy",
            Carry::Gateway => "gateway",
            Carry::Tls => "TLS",
            Carry::Same => "same",
            Carry::Runbook => "runbook",
            Carry::Lost => "lost",
        }
    }
}

pub struct Rule {
    /// The annotation, or a prefix ending in `*`.
    pub key: &'static str,
    pub does: &'static str,
    /// Envoy Gateway, Istio, NGINX Gateway Fabric, GKE Gateway.
    pub outcome: [(Carry, &'static str); 4],
}

const fn all(carry: Carry, how: &'static str) -> [(Carry, &'static str); 4] {
    [(carry, how), (carry, how), (carry, how), (carry, how)]
}

/// Client allow lists: shared by the current and the old annotation name.
const ALLOW_LIST: [(Carry, &str); 4] = [
            (Carry::Policy, "SecurityPolicy `authorization` allowing only these CIDRs"),
            (Carry::Policy, "AuthorizationPolicy on the Gateway denying other remote IPs for the host"),
            (Carry::Lost, "NGF has no IP allowlist policy: restrict at the load balancer (`loadBalancerSourceRanges` via NginxProxy) or a NetworkPolicy"),
            (Carry::Lost, "use a Cloud Armor policy referenced from GCPBackendPolicy `securityPolicy`"),
        ];

/// Client deny lists: shared by the current and the old annotation name.
const DENY_LIST: [(Carry, &str); 4] = [
    (Carry::Policy, "SecurityPolicy `authorization` with a Deny rule before any Allow"),
    (Carry::Policy, "AuthorizationPolicy on the Gateway denying these remote IPs for the host"),
    (Carry::Lost, "NGF has no IP deny policy: use a NetworkPolicy or the load balancer's firewall"),
    (Carry::Lost, "use a Cloud Armor policy referenced from GCPBackendPolicy `securityPolicy`"),
];

const NO_AUTH: &str = "ZenML authenticates users itself; put an authenticating proxy (oauth2-proxy) in front, or an implementation's auth policy, if you relied on it";

pub const RULES: &[Rule] = &[
    Rule {
        key: "nginx.ingress.kubernetes.io/proxy-body-size",
        does: "request body limit (ingress-nginx default 1m)",
        outcome: [
            (Carry::Same, "Envoy Gateway sets no body limit: uploads are not cut"),
            (Carry::Same, "Istio sets no body limit: uploads are not cut"),
            (Carry::Policy, "ClientSettingsPolicy `body.maxSize` (NGF defaults to 1m)"),
            (Carry::Same, "the Google load balancer sets no body limit"),
        ],
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/client-body-buffer-size",
        does: "memory buffer before spilling a body to disk",
        outcome: all(Carry::Same, "a buffering detail with no effect on what is accepted; nothing to carry"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/proxy-read-timeout",
        does: "time between two reads from ZenML (per read, not per request)",
        outcome: [
            (Carry::Policy, "BackendTrafficPolicy `timeout.http.requestTimeout` (whole request: 10 x the per-read value, at least 600s)"),
            (Carry::Same, "Istio sets no route timeout"),
            (Carry::Policy, "ProxySettingsPolicy `timeout.read` (same per-read meaning)"),
            (Carry::Policy, "GCPBackendPolicy `timeoutSec` (whole response: 10 x, at least 600s)"),
        ],
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/proxy-send-timeout",
        does: "time between two writes to ZenML",
        outcome: [
            (Carry::Policy, "BackendTrafficPolicy `timeout.http.requestTimeout`"),
            (Carry::Same, "Istio sets no route timeout"),
            (Carry::Policy, "ProxySettingsPolicy `timeout.send`"),
            (Carry::Policy, "GCPBackendPolicy `timeoutSec`"),
        ],
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/proxy-connect-timeout",
        does: "time to open a connection to ZenML",
        outcome: [
            (Carry::Policy, "BackendTrafficPolicy `timeout.tcp.connectTimeout`"),
            (Carry::Lost, "Istio's default connect timeout (10s) applies; set a DestinationRule `connectionPool.tcp.connectTimeout` if you need another"),
            (Carry::Policy, "ProxySettingsPolicy `timeout.connect`"),
            (Carry::Lost, "the Google load balancer's connect timeout is not configurable"),
        ],
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/ssl-redirect",
        does: "redirect HTTP to HTTPS",
        outcome: all(Carry::Gateway, "the HTTP -> HTTPS redirect route in gateway.yaml"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/force-ssl-redirect",
        does: "redirect HTTP to HTTPS, even without TLS on the ingress",
        outcome: all(Carry::Gateway, "the HTTP -> HTTPS redirect route in gateway.yaml"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/backend-protocol",
        does: "protocol to ZenML (HTTP, HTTPS, GRPC)",
        outcome: all(Carry::Lost, "the route speaks plain HTTP to ZenML, which serves HTTP on 8080; an HTTPS backend would need a BackendTLSPolicy"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/affinity",
        does: "sticky sessions (cookie)",
        outcome: [
            (Carry::Policy, "BackendTrafficPolicy `loadBalancer` ConsistentHash on the cookie"),
            (Carry::Policy, "DestinationRule `consistentHash.httpCookie`"),
            (Carry::Policy, "UpstreamSettingsPolicy `ip_hash` (OSS has no cookie affinity: stickiness by client IP)"),
            (Carry::Policy, "GCPBackendPolicy `sessionAffinity` GENERATED_COOKIE"),
        ],
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/session-cookie-*",
        does: "the affinity cookie's name and lifetime",
        outcome: [
            (Carry::Policy, "the cookie name and TTL of the BackendTrafficPolicy"),
            (Carry::Policy, "the cookie name and TTL of the DestinationRule"),
            (Carry::Lost, "ip_hash has no cookie"),
            (Carry::Lost, "the load balancer names its own cookie; only the lifetime carries over (`cookieTtlSec`, at most 14 days)"),
        ],
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/whitelist-source-range",
        does: "only these client networks may connect",
        outcome: ALLOW_LIST,
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/allowlist-source-range",
        does: "only these client networks may connect (new name of whitelist-source-range)",
        outcome: ALLOW_LIST,
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/denylist-source-range",
        does: "these client networks are refused",
        outcome: DENY_LIST,
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/blacklist-source-range",
        does: "these client networks are refused (old name of denylist-source-range)",
        outcome: DENY_LIST,
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/rewrite-target",
        does: "strip or rewrite the path before ZenML sees it",
        outcome: all(Carry::Lost, "the chart's HTTPRoute has no URL rewrite: ZenML receives the full path (see the rewrite finding)"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/use-regex",
        does: "treat the path as a regular expression",
        outcome: all(Carry::Gateway, "the path becomes its literal prefix (PathPrefix)"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/app-root",
        does: "redirect `/` to an application root",
        outcome: all(Carry::Lost, "the chart's route has no redirect rule; the ZenML dashboard is served at its root anyway"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/permanent-redirect*",
        does: "redirect every request elsewhere",
        outcome: all(Carry::Lost, "add your own HTTPRoute with a RequestRedirect filter if ZenML's host must redirect"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/enable-cors",
        does: "CORS headers added by the proxy",
        outcome: all(Carry::Same, "ZenML answers CORS itself (`auth.corsAllowOrigins`); nothing needed at the proxy"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/cors-*",
        does: "CORS settings at the proxy",
        outcome: all(Carry::Same, "ZenML answers CORS itself (`auth.corsAllowOrigins`); set the origins there"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/limit-rps",
        does: "requests per second per client IP",
        outcome: [
            (Carry::Lost, "a local rateLimit would share one bucket among all clients; a per-client limit needs Envoy Gateway's global rate limit (Redis). ZenML rate-limits logins itself"),
            (Carry::Lost, "Istio needs an EnvoyFilter for local rate limits; ZenML rate-limits logins itself"),
            (Carry::Lost, "NGF has no rate-limit policy in OSS; ZenML rate-limits logins itself"),
            (Carry::Lost, "use Cloud Armor rate limiting; ZenML rate-limits logins itself"),
        ],
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/limit-*",
        does: "other per-client limits (limit-rpm, limit-burst-multiplier, ...)",
        outcome: all(Carry::Lost, "no per-client limit in the chart's route; ZenML rate-limits logins itself"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/limit-connections",
        does: "concurrent connections per client IP",
        outcome: all(Carry::Lost, "no per-client connection limit in the target; use the implementation's circuit breaking if needed"),
    },
    Rule { key: "nginx.ingress.kubernetes.io/auth-*", does: "authentication at the proxy", outcome: all(Carry::Lost, NO_AUTH) },
    Rule {
        key: "nginx.ingress.kubernetes.io/configuration-snippet",
        does: "raw nginx configuration",
        outcome: all(Carry::Lost, "raw nginx snippets have no Gateway API form; port what it did by hand"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/server-snippet",
        does: "raw nginx server configuration",
        outcome: all(Carry::Lost, "raw nginx snippets have no Gateway API form; port what it did by hand"),
    },
    Rule { key: "cert-manager.io/*", does: "cert-manager issues the Ingress's certificate", outcome: all(Carry::Tls, "the issuer moves to the Gateway (TLS model cert-manager)") },
    Rule { key: "kubernetes.io/tls-acme", does: "cert-manager's default issuer for the Ingress", outcome: all(Carry::Tls, "the TLS model decides the Gateway's certificate") },
    Rule { key: "kubernetes.io/ingress.class", does: "picks the ingress controller", outcome: all(Carry::Gateway, "`gatewayClassName` on the Gateway") },
    Rule {
        key: "alb.ingress.kubernetes.io/certificate-arn",
        does: "ACM certificate on the ALB",
        outcome: [
            (Carry::Tls, "the NLB in front of the Gateway (TLS model cloud-lb)"),
            (Carry::Tls, "the NLB in front of the Gateway (TLS model cloud-lb)"),
            (Carry::Tls, "the NLB in front of the Gateway (TLS model cloud-lb)"),
            (Carry::Lost, "ACM certificates do not exist on GKE: use the certificate map"),
        ],
    },
    Rule {
        key: "alb.ingress.kubernetes.io/load-balancer-attributes",
        does: "ALB settings such as the idle timeout",
        outcome: [
            (Carry::Policy, "the idle timeout sets the BackendTrafficPolicy request timeout"),
            (Carry::Same, "Istio sets no route timeout"),
            (Carry::Policy, "the idle timeout sets the ProxySettingsPolicy read timeout"),
            (Carry::Policy, "the idle timeout sets the GCPBackendPolicy timeout"),
        ],
    },
    Rule {
        key: "alb.ingress.kubernetes.io/inbound-cidrs",
        does: "client networks allowed by the ALB",
        outcome: [
            (Carry::Policy, "SecurityPolicy `authorization`"),
            (Carry::Policy, "AuthorizationPolicy on the Gateway"),
            (Carry::Lost, "restrict the NLB with `loadBalancerSourceRanges`"),
            (Carry::Lost, "use a Cloud Armor policy"),
        ],
    },
    Rule { key: "alb.ingress.kubernetes.io/*", does: "other ALB settings", outcome: all(Carry::Lost, "the ALB goes away with the Ingress; the finding names each setting") },
    Rule {
        key: "kubernetes.io/ingress.global-static-ip-name",
        does: "reserved global IP of the GCE load balancer",
        outcome: [
            (Carry::Lost, "reserve an address for the Gateway's Service instead"),
            (Carry::Lost, "reserve an address for the Gateway's Service instead"),
            (Carry::Lost, "reserve an address for the Gateway's Service instead"),
            (Carry::Runbook, "a new reserved address (`spec.addresses` NamedAddress) for the Gateway; this one, still held by the Ingress, moves only after phase 3, in its own outage window"),
        ],
    },
    Rule { key: "networking.gke.io/managed-certificates", does: "Google-managed certificate", outcome: all(Carry::Tls, "TLS model cloud-lb (certificate map on GKE) or cert-manager") },
    Rule { key: "networking.gke.io/*", does: "GCE ingress settings", outcome: all(Carry::Lost, "the GCE load balancer goes away with the Ingress") },
    Rule {
        key: "traefik.ingress.kubernetes.io/router.entrypoints",
        does: "the Traefik entry points (ports) the route is served on",
        outcome: all(Carry::Gateway, "the Gateway's listeners (`http` on 80, `https` on 443) take the entry points' place; the route attaches to the HTTPS one (`sectionName`)"),
    },
    Rule {
        key: "traefik.ingress.kubernetes.io/router.tls",
        does: "the route is served over TLS",
        outcome: all(Carry::Gateway, "the Gateway's HTTPS listener ends TLS with the TLS model's certificate"),
    },
    Rule { key: "traefik.ingress.kubernetes.io/*", does: "Traefik router settings", outcome: all(Carry::Lost, "Traefik middlewares and router options have no counterpart in the chart's route") },
    Rule { key: "external-dns.alpha.kubernetes.io/*", does: "external-dns record settings", outcome: all(Carry::Runbook, "external-dns needs the `gateway-httproute` source; the runbook plans the ownership move") },
];

fn matches(rule: &str, key: &str) -> bool {
    match rule.strip_suffix('*') {
        Some(prefix) => key.starts_with(prefix),
        None => rule == key,
    }
}

/// The most specific rule for an annotation: exact keys before prefixes.
pub fn rule_for(key: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| !r.key.ends_with('*') && r.key == key).or_else(|| RULES.iter().find(|r| matches(r.key, key)))
}

pub fn column(id: ImplementationId) -> usize {
    match id {
        ImplementationId::EnvoyGateway => 0,
        ImplementationId::Istio => 1,
        ImplementationId::NginxGatewayFabric => 2,
        ImplementationId::Gke => 3,
    }
}

/// The README's coverage table, generated from `RULES`.
pub fn coverage_markdown() -> String {
    let mut out = String::from("| annotation | on the ingress | Envoy Gateway | Istio | NGINX Gateway Fabric | GKE Gateway |\n|---|---|---|---|---|---|\n");
    for r in RULES {
        out.push_str(&format!("| `{}` | {} |", r.key, r.does));
        for (carry, how) in r.outcome {
            out.push_str(&format!(" **{}**: {} |", carry.label(), how));
        }
        out.push('\n');
    }
    out
}
