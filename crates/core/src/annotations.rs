//! Every ingress annotation the planner knows, what it does on the ingress, and what becomes of
//! it: here when it is the same on every implementation, else in each implementation's module.
//! The annotation findings and the README's coverage table (`coverage_markdown`) come from here.

use crate::implementations::IMPLEMENTATIONS;
use serde::Serialize;

/// What happens to an annotation's behaviour on the Gateway side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
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
    /// What becomes of it on every implementation alike; `None`: each implementation's module
    /// answers (`Implementation::annotations`).
    pub every: Option<(Carry, &'static str)>,
}

const fn all(carry: Carry, how: &'static str) -> Option<(Carry, &'static str)> {
    Some((carry, how))
}

const NO_AUTH: &str = "ZenML authenticates users itself; put an authenticating proxy (oauth2-proxy) in front, or an implementation's auth policy, if you relied on it";

pub const RULES: &[Rule] = &[
    Rule {
        key: "nginx.ingress.kubernetes.io/proxy-body-size",
        does: "request body limit (ingress-nginx default 1m)",
        every: None,
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/client-body-buffer-size",
        does: "memory buffer before spilling a body to disk",
        every: all(Carry::Same, "a buffering detail with no effect on what is accepted; nothing to carry"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/proxy-read-timeout",
        does: "time between two reads from ZenML (per read, not per request)",
        every: None,
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/proxy-send-timeout",
        does: "time between two writes to ZenML",
        every: None,
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/proxy-connect-timeout",
        does: "time to open a connection to ZenML",
        every: None,
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/ssl-redirect",
        does: "redirect HTTP to HTTPS",
        every: all(Carry::Gateway, "the HTTP -> HTTPS redirect route in gateway.yaml"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/force-ssl-redirect",
        does: "redirect HTTP to HTTPS, even without TLS on the ingress",
        every: all(Carry::Gateway, "the HTTP -> HTTPS redirect route in gateway.yaml"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/backend-protocol",
        does: "protocol to ZenML (HTTP, HTTPS, GRPC)",
        every: all(Carry::Lost, "the route speaks plain HTTP to ZenML, which serves HTTP on 8080; an HTTPS backend would need a BackendTLSPolicy"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/affinity",
        does: "sticky sessions (cookie)",
        every: None,
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/session-cookie-*",
        does: "the affinity cookie's name and lifetime",
        every: None,
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/whitelist-source-range",
        does: "only these client networks may connect",
        every: None,
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/allowlist-source-range",
        does: "only these client networks may connect (new name of whitelist-source-range)",
        every: None,
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/denylist-source-range",
        does: "these client networks are refused",
        every: None,
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/blacklist-source-range",
        does: "these client networks are refused (old name of denylist-source-range)",
        every: None,
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/rewrite-target",
        does: "strip or rewrite the path before ZenML sees it",
        every: all(Carry::Lost, "the chart's HTTPRoute has no URL rewrite: ZenML receives the full path (see the rewrite finding)"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/use-regex",
        does: "treat the path as a regular expression",
        every: all(Carry::Gateway, "the path becomes its literal prefix (PathPrefix)"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/app-root",
        does: "redirect `/` to an application root",
        every: all(Carry::Lost, "the chart's route has no redirect rule; the ZenML dashboard is served at its root anyway"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/permanent-redirect*",
        does: "redirect every request elsewhere",
        every: all(Carry::Lost, "add your own HTTPRoute with a RequestRedirect filter if ZenML's host must redirect"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/enable-cors",
        does: "CORS headers added by the proxy",
        every: all(Carry::Same, "ZenML answers CORS itself (`auth.corsAllowOrigins`); nothing needed at the proxy"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/cors-*",
        does: "CORS settings at the proxy",
        every: all(Carry::Same, "ZenML answers CORS itself (`auth.corsAllowOrigins`); set the origins there"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/limit-rps",
        does: "requests per second per client IP",
        every: None,
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/limit-*",
        does: "other per-client limits (limit-rpm, limit-burst-multiplier, ...)",
        every: all(Carry::Lost, "no per-client limit in the chart's route; ZenML rate-limits logins itself"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/limit-connections",
        does: "concurrent connections per client IP",
        every: all(Carry::Lost, "no per-client connection limit in the target; use the implementation's circuit breaking if needed"),
    },
    Rule { key: "nginx.ingress.kubernetes.io/auth-*", does: "authentication at the proxy", every: all(Carry::Lost, NO_AUTH) },
    Rule {
        key: "nginx.ingress.kubernetes.io/configuration-snippet",
        does: "raw nginx configuration",
        every: all(Carry::Lost, "raw nginx snippets have no Gateway API form; port what it did by hand"),
    },
    Rule {
        key: "nginx.ingress.kubernetes.io/server-snippet",
        does: "raw nginx server configuration",
        every: all(Carry::Lost, "raw nginx snippets have no Gateway API form; port what it did by hand"),
    },
    Rule { key: "cert-manager.io/*", does: "cert-manager issues the Ingress's certificate", every: all(Carry::Tls, "the issuer moves to the Gateway (TLS model cert-manager)") },
    Rule { key: "kubernetes.io/tls-acme", does: "cert-manager's default issuer for the Ingress", every: all(Carry::Tls, "the TLS model decides the Gateway's certificate") },
    Rule { key: "kubernetes.io/ingress.class", does: "picks the ingress controller", every: all(Carry::Gateway, "`gatewayClassName` on the Gateway") },
    Rule {
        key: "alb.ingress.kubernetes.io/certificate-arn",
        does: "ACM certificate on the ALB",
        every: None,
    },
    Rule {
        key: "alb.ingress.kubernetes.io/load-balancer-attributes",
        does: "ALB settings such as the idle timeout",
        every: None,
    },
    Rule {
        key: "alb.ingress.kubernetes.io/inbound-cidrs",
        does: "client networks allowed by the ALB",
        every: None,
    },
    Rule { key: "alb.ingress.kubernetes.io/*", does: "other ALB settings", every: all(Carry::Lost, "the ALB goes away with the Ingress; the finding names each setting") },
    Rule {
        key: "kubernetes.io/ingress.global-static-ip-name",
        does: "reserved global IP of the GCE load balancer",
        every: None,
    },
    Rule { key: "networking.gke.io/managed-certificates", does: "Google-managed certificate", every: all(Carry::Tls, "TLS model cloud-lb (certificate map on GKE) or cert-manager") },
    Rule { key: "networking.gke.io/*", does: "GCE ingress settings", every: all(Carry::Lost, "the GCE load balancer goes away with the Ingress") },
    Rule {
        key: "traefik.ingress.kubernetes.io/router.entrypoints",
        does: "the Traefik entry points (ports) the route is served on",
        every: all(Carry::Gateway, "the Gateway's listeners (`http` on 80, `https` on 443) take the entry points' place; the route attaches to the HTTPS one (`sectionName`)"),
    },
    Rule {
        key: "traefik.ingress.kubernetes.io/router.tls",
        does: "the route is served over TLS",
        every: all(Carry::Gateway, "the Gateway's HTTPS listener ends TLS with the TLS model's certificate"),
    },
    Rule { key: "traefik.ingress.kubernetes.io/*", does: "Traefik router settings", every: all(Carry::Lost, "Traefik middlewares and router options have no counterpart in the chart's route") },
    Rule { key: "external-dns.alpha.kubernetes.io/*", does: "external-dns record settings", every: all(Carry::Runbook, "external-dns needs the `gateway-httproute` source; the runbook plans the ownership move") },
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

/// The README's coverage table, generated from `RULES` and every implementation's outcomes.
pub fn coverage_markdown() -> String {
    let mut out = String::from("| annotation | on the ingress |");
    for imp in IMPLEMENTATIONS {
        out.push_str(&format!(" {} |", imp.display_name));
    }
    out.push_str("\n|---|---|");
    out.push_str(&"---|".repeat(IMPLEMENTATIONS.len()));
    out.push('\n');
    for r in RULES {
        out.push_str(&format!("| `{}` | {} |", r.key, r.does));
        for imp in IMPLEMENTATIONS {
            let (carry, how) = imp.annotation_outcome(r);
            out.push_str(&format!(" **{}**: {} |", carry.label(), how));
        }
        out.push('\n');
    }
    out
}
