//! What the ingress controller actually does for ZenML today (its effective behaviour, defaults
//! included), so the plan can compare it with what the target implementation does by default.

use crate::values::release::{Annotation, Release};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Controller {
    IngressNginx,
    AwsAlb,
    Gce,
    Traefik,
    Other,
}

impl Controller {
    pub fn name(self) -> &'static str {
        match self {
            Controller::IngressNginx => "ingress-nginx",
            Controller::AwsAlb => "the AWS Load Balancer Controller",
            Controller::Gce => "GKE Ingress (GCE)",
            Controller::Traefik => "Traefik",
            Controller::Other => "the ingress controller",
        }
    }
}

/// A value and where it came from: an annotation, or the controller's default.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sourced<T> {
    pub value: T,
    /// The annotation that set it, or `None` for the controller's default.
    pub annotation: Option<String>,
}

/// What the source controller's upstream timeout limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeoutKind {
    /// The wait between two reads (ingress-nginx `proxy_read_timeout`, the ALB idle timeout).
    PerRead,
    /// The whole response (the GCE backend service timeout).
    WholeResponse,
    /// No upstream timeout at all (Traefik's defaults).
    Unlimited,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CookieAffinity {
    pub cookie_name: String,
    /// 0: a session cookie (ingress-nginx's default without `session-cookie-max-age`).
    pub max_age_seconds: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Behaviour {
    pub controller: Controller,
    /// The class, when the planner does not know it: the controller and its defaults are then
    /// a guess (ingress-nginx's unless the annotations name another controller).
    pub assumed_class: Option<String>,
    /// The request body limit in bytes; `None` when there is none.
    pub body_limit: Sourced<Option<u64>>,
    /// The body limit as the source wrote it (`100m`, `0`), for messages and nginx-style targets.
    pub body_limit_text: Option<String>,
    /// How long the proxy waits between two reads from ZenML (ingress-nginx: per read, not per request).
    pub read_timeout_seconds: Sourced<u64>,
    pub read_timeout_kind: TimeoutKind,
    pub connect_timeout_seconds: Option<Sourced<u64>>,
    pub affinity: Option<CookieAffinity>,
    /// Client networks allowed in, when the ingress restricts them.
    pub allowed_cidrs: Option<Sourced<Vec<String>>>,
    /// Client networks refused.
    pub denied_cidrs: Option<Sourced<Vec<String>>>,
}

fn sourced<T>(value: T, annotation: Option<&Annotation>) -> Sourced<T> {
    Sourced { value, annotation: annotation.map(|a| a.key.clone()) }
}

fn cidr_list(a: &Annotation) -> Sourced<Vec<String>> {
    sourced(a.value.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect(), Some(a))
}

/// `100m`, `1g`, `512k`, `1024` -> bytes (nginx size syntax). `0` is "no limit".
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let (digits, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&s[..i], s[i..].to_ascii_lowercase()),
        None => (s, String::new()),
    };
    let n: u64 = digits.parse().ok()?;
    let factor: u64 = match unit.as_str() {
        "" => 1,
        "k" | "kb" | "ki" => 1 << 10,
        "m" | "mb" | "mi" => 1 << 20,
        "g" | "gb" | "gi" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(factor)
}

/// Seconds as a duration every policy CRD accepts (at most four digits and a unit), rounded up
/// so a timeout never gets shorter.
pub fn duration(secs: u64) -> String {
    if secs.is_multiple_of(3600) && secs > 0 {
        return format!("{}h", secs / 3600);
    }
    if secs <= 9999 && !secs.is_multiple_of(60) {
        return format!("{secs}s");
    }
    let minutes = secs.div_ceil(60);
    if minutes <= 9999 {
        format!("{minutes}m")
    } else {
        format!("{}h", minutes.div_ceil(60))
    }
}

/// Bytes as an nginx size (`500m`, `1g`), at most four digits, rounded up.
pub fn size(bytes: u64) -> String {
    for (unit, shift) in [("g", 30), ("m", 20), ("k", 10)] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) && (bytes >> shift) <= 9999 {
            return format!("{}{unit}", bytes >> shift);
        }
    }
    if bytes <= 9999 {
        return bytes.to_string();
    }
    for (unit, shift) in [("k", 10), ("m", 20), ("g", 30)] {
        let n = bytes.div_ceil(1 << shift);
        if n <= 9999 {
            return format!("{n}{unit}");
        }
    }
    "0".to_string()
}

/// `60`, `60s`, `5m` -> seconds.
pub fn parse_seconds(s: &str) -> Option<u64> {
    let s = s.trim();
    if let Some(m) = s.strip_suffix('m') {
        return m.parse::<u64>().ok().map(|m| m * 60);
    }
    s.trim_end_matches('s').parse().ok()
}

/// Ingress classes whose controller the planner knows by the class name alone: the default class
/// names of ingress-nginx, the AWS Load Balancer Controller, GKE Ingress and Traefik.
const KNOWN_CLASSES: &[(&str, Controller)] = &[
    ("nginx", Controller::IngressNginx),
    ("alb", Controller::AwsAlb),
    ("gce", Controller::Gce),
    ("gce-internal", Controller::Gce),
    ("traefik", Controller::Traefik),
];

/// The Ingress's class as controllers read it: the `kubernetes.io/ingress.class` annotation wins
/// over `className` (the chart's `spec.ingressClassName`).
pub fn ingress_class(release: &Release) -> &str {
    let ing = &release.ingress;
    ing.annotation("kubernetes.io/ingress.class").map(|a| a.value.as_str()).unwrap_or(ing.class_name.value.as_str())
}

/// Whether the class names a controller the planner knows. Any other class (`nginx-internal`,
/// `public`, a second ingress-nginx) may be served by any controller: the planner then guesses
/// from the annotations, and says it guessed.
pub fn class_is_known(release: &Release) -> bool {
    let class = ingress_class(release);
    KNOWN_CLASSES.iter().any(|(name, _)| *name == class)
}

pub fn controller_of(release: &Release) -> Controller {
    let ing = &release.ingress;
    let has = |prefix: &str| ing.has_annotation_prefix(prefix);
    let class = ingress_class(release);
    match KNOWN_CLASSES.iter().find(|(name, _)| *name == class) {
        Some((_, controller)) => *controller,
        None if has("alb.ingress.kubernetes.io/") => Controller::AwsAlb,
        None if has("traefik.ingress.kubernetes.io/") => Controller::Traefik,
        None if has("nginx.ingress.kubernetes.io/") => Controller::IngressNginx,
        None => Controller::Other,
    }
}

impl Behaviour {
    pub fn of(release: &Release) -> Behaviour {
        let ing = &release.ingress;
        let controller = controller_of(release);
        let assumed_class = (!class_is_known(release)).then(|| ingress_class(release).to_string());
        let nginx = |name: &str| ing.annotation(&format!("nginx.ingress.kubernetes.io/{name}"));
        match controller {
            Controller::IngressNginx | Controller::Other => {
                let size = nginx("proxy-body-size");
                let text = size.map(|s| s.value.clone()).unwrap_or_else(|| "1m".to_string());
                let bytes = parse_size(&text).unwrap_or(1 << 20);
                let read = nginx("proxy-read-timeout").and_then(|s| parse_seconds(&s.value));
                let send = nginx("proxy-send-timeout").and_then(|s| parse_seconds(&s.value));
                let (read_value, read_source) = match (read, send) {
                    (Some(r), Some(s)) if s > r => (s, nginx("proxy-send-timeout")),
                    (Some(r), _) => (r, nginx("proxy-read-timeout")),
                    (None, Some(s)) => (s.max(60), nginx("proxy-send-timeout")),
                    (None, None) => (60, None),
                };
                let affinity = nginx("affinity").filter(|v| v.value == "cookie").map(|_| CookieAffinity {
                    cookie_name: nginx("session-cookie-name")
                        .map(|c| c.value.clone())
                        .unwrap_or_else(|| "INGRESSCOOKIE".into()),
                    max_age_seconds: nginx("session-cookie-max-age")
                        .or(nginx("session-cookie-expires"))
                        .and_then(|c| c.value.parse().ok())
                        .unwrap_or(0),
                });
                Behaviour {
                    controller,
                    assumed_class: assumed_class.clone(),
                    body_limit: sourced((bytes != 0).then_some(bytes), size),
                    body_limit_text: Some(text),
                    read_timeout_seconds: sourced(read_value, read_source),
                    read_timeout_kind: TimeoutKind::PerRead,
                    connect_timeout_seconds: nginx("proxy-connect-timeout")
                        .and_then(|c| parse_seconds(&c.value).map(|v| sourced(v, Some(c)))),
                    affinity,
                    allowed_cidrs: nginx("whitelist-source-range").or(nginx("allowlist-source-range")).map(|w| {
                        sourced(
                            w.value.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect(),
                            Some(w),
                        )
                    }),
                    denied_cidrs: nginx("denylist-source-range").or(nginx("blacklist-source-range")).map(cidr_list),
                }
            }
            Controller::AwsAlb => {
                let attrs = ing.annotation("alb.ingress.kubernetes.io/load-balancer-attributes");
                let idle = attrs
                    .and_then(|x| {
                        x.value.split(',').find_map(|kv| kv.trim().strip_prefix("idle_timeout.timeout_seconds="))
                    })
                    .and_then(|v| v.parse().ok());
                Behaviour {
                    controller,
                    assumed_class: assumed_class.clone(),
                    body_limit: sourced(None, None),
                    body_limit_text: None,
                    read_timeout_seconds: sourced(idle.unwrap_or(60), idle.and(attrs)),
                    read_timeout_kind: TimeoutKind::PerRead,
                    connect_timeout_seconds: None,
                    affinity: None,
                    allowed_cidrs: ing.annotation("alb.ingress.kubernetes.io/inbound-cidrs").map(|w| {
                        sourced(
                            w.value.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect(),
                            Some(w),
                        )
                    }),
                    denied_cidrs: None,
                }
            }
            Controller::Gce => Behaviour {
                controller,
                assumed_class,
                body_limit: sourced(None, None),
                body_limit_text: None,
                // GCE's backend service timeout defaults to 30 s (BackendConfig can raise it).
                read_timeout_seconds: sourced(30, None),
                read_timeout_kind: TimeoutKind::WholeResponse,
                connect_timeout_seconds: None,
                affinity: None,
                allowed_cidrs: None,
                denied_cidrs: None,
            },
            Controller::Traefik => Behaviour {
                controller,
                assumed_class,
                body_limit: sourced(None, None),
                body_limit_text: None,
                // The entryPoint readTimeout limits reading the client's request; towards the
                // backend Traefik sets no timeout by default.
                read_timeout_seconds: sourced(0, None),
                read_timeout_kind: TimeoutKind::Unlimited,
                connect_timeout_seconds: None,
                affinity: None,
                allowed_cidrs: None,
                denied_cidrs: None,
            },
        }
    }

    /// A whole-response timeout that does not cut what the ingress allowed: a per-read timeout
    /// times ten (ingress2gateway's rule), a whole-response one as it was, never under ten
    /// minutes; `None` when the source had no limit (the target's should be off too).
    pub fn whole_response_timeout_seconds(&self) -> Option<u64> {
        let t = self.read_timeout_seconds.value;
        match self.read_timeout_kind {
            TimeoutKind::PerRead => Some((t * 10).max(600)),
            TimeoutKind::WholeResponse => Some(t.max(600)),
            TimeoutKind::Unlimited => None,
        }
    }

    /// The source's timeout in words, for findings.
    pub fn timeout_words(&self) -> String {
        let t = self.read_timeout_seconds.value;
        match self.read_timeout_kind {
            TimeoutKind::PerRead => format!("waited up to {t}s between two reads from ZenML"),
            TimeoutKind::WholeResponse => format!("allowed {t}s for a whole response"),
            TimeoutKind::Unlimited => "set no timeout towards ZenML".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_fit_the_crd_patterns_and_never_shrink() {
        assert_eq!(duration(600), "10m");
        assert_eq!(duration(3000), "50m");
        assert_eq!(duration(7200), "2h");
        assert_eq!(duration(864_000), "240h");
        assert_eq!(duration(15), "15s");
        assert_eq!(duration(86_401), "1441m");
        assert_eq!(size(500 << 20), "500m");
        assert_eq!(size((1 << 20) + 1), "1025k");
        assert_eq!(size(20_000_000_000), "19g");
    }

    #[test]
    fn nginx_sizes_and_durations_parse() {
        assert_eq!(parse_size("100m"), Some(100 << 20));
        assert_eq!(parse_size("1g"), Some(1 << 30));
        assert_eq!(parse_size("0"), Some(0));
        assert_eq!(parse_size("12x"), None);
        assert_eq!(parse_seconds("600"), Some(600));
        assert_eq!(parse_seconds("60s"), Some(60));
        assert_eq!(parse_seconds("5m"), Some(300));
    }
}
