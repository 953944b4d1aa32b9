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

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CookieAffinity {
    pub cookie_name: String,
    pub max_age_seconds: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Behaviour {
    pub controller: Controller,
    /// The request body limit in bytes; `None` when there is none.
    pub body_limit: Sourced<Option<u64>>,
    /// The body limit as the source wrote it (`100m`, `0`), for messages and nginx-style targets.
    pub body_limit_text: Option<String>,
    /// How long the proxy waits between two reads from ZenML (ingress-nginx: per read, not per request).
    pub read_timeout_seconds: Sourced<u64>,
    pub connect_timeout_seconds: Option<Sourced<u64>>,
    pub affinity: Option<CookieAffinity>,
    /// Client networks allowed in, when the ingress restricts them.
    pub allowed_cidrs: Option<Sourced<Vec<String>>>,
    /// Requests per second per client, when limited.
    pub rate_limit_rps: Option<Sourced<u64>>,
}

fn sourced<T>(value: T, annotation: Option<&Annotation>) -> Sourced<T> {
    Sourced { value, annotation: annotation.map(|a| a.key.clone()) }
}

fn find<'a>(annotations: &'a [Annotation], key: &str) -> Option<&'a Annotation> {
    annotations.iter().find(|a| a.key == key)
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

/// `60`, `60s`, `5m` -> seconds.
pub fn parse_seconds(s: &str) -> Option<u64> {
    let s = s.trim();
    if let Some(m) = s.strip_suffix('m') {
        return m.parse::<u64>().ok().map(|m| m * 60);
    }
    s.trim_end_matches('s').parse().ok()
}

pub fn controller_of(release: &Release) -> Controller {
    let ing = &release.ingress;
    let class = ing.class_name.value.as_str();
    let has = |prefix: &str| ing.annotations.iter().any(|a| a.key.starts_with(prefix));
    let class_annotation = find(&ing.annotations, "kubernetes.io/ingress.class").map(|a| a.value.as_str());
    match class_annotation.unwrap_or(class) {
        "alb" => Controller::AwsAlb,
        "gce" | "gce-internal" => Controller::Gce,
        "traefik" => Controller::Traefik,
        "nginx" => Controller::IngressNginx,
        _ if has("alb.ingress.kubernetes.io/") => Controller::AwsAlb,
        _ if has("traefik.ingress.kubernetes.io/") => Controller::Traefik,
        _ if has("nginx.ingress.kubernetes.io/") => Controller::IngressNginx,
        _ => Controller::Other,
    }
}

impl Behaviour {
    pub fn of(release: &Release) -> Behaviour {
        let a = &release.ingress.annotations;
        let controller = controller_of(release);
        let nginx = |name: &str| find(a, &format!("nginx.ingress.kubernetes.io/{name}"));
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
                        .unwrap_or(3600),
                });
                Behaviour {
                    controller,
                    body_limit: sourced((bytes != 0).then_some(bytes), size),
                    body_limit_text: Some(text),
                    read_timeout_seconds: sourced(read_value, read_source),
                    connect_timeout_seconds: nginx("proxy-connect-timeout")
                        .and_then(|c| parse_seconds(&c.value).map(|v| sourced(v, Some(c)))),
                    affinity,
                    allowed_cidrs: nginx("whitelist-source-range").or(nginx("allowlist-source-range")).map(|w| {
                        sourced(
                            w.value.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect(),
                            Some(w),
                        )
                    }),
                    rate_limit_rps: nginx("limit-rps").and_then(|r| r.value.parse().ok().map(|v| sourced(v, Some(r)))),
                }
            }
            Controller::AwsAlb => {
                let attrs = find(a, "alb.ingress.kubernetes.io/load-balancer-attributes");
                let idle = attrs
                    .and_then(|x| {
                        x.value.split(',').find_map(|kv| kv.trim().strip_prefix("idle_timeout.timeout_seconds="))
                    })
                    .and_then(|v| v.parse().ok());
                Behaviour {
                    controller,
                    body_limit: sourced(None, None),
                    body_limit_text: None,
                    read_timeout_seconds: sourced(idle.unwrap_or(60), idle.and(attrs)),
                    connect_timeout_seconds: None,
                    affinity: None,
                    allowed_cidrs: find(a, "alb.ingress.kubernetes.io/inbound-cidrs").map(|w| {
                        sourced(
                            w.value.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect(),
                            Some(w),
                        )
                    }),
                    rate_limit_rps: None,
                }
            }
            Controller::Gce => Behaviour {
                controller,
                body_limit: sourced(None, None),
                body_limit_text: None,
                // GCE's backend service timeout defaults to 30 s (BackendConfig can raise it).
                read_timeout_seconds: sourced(30, None),
                connect_timeout_seconds: None,
                affinity: None,
                allowed_cidrs: None,
                rate_limit_rps: None,
            },
            Controller::Traefik => Behaviour {
                controller,
                body_limit: sourced(None, None),
                body_limit_text: None,
                // The entryPoint readTimeout (60 s) covers reading the whole request.
                read_timeout_seconds: sourced(60, None),
                connect_timeout_seconds: None,
                affinity: None,
                allowed_cidrs: None,
                rate_limit_rps: None,
            },
        }
    }

    /// A whole-request timeout that does not cut what the ingress allowed: the per-read timeout
    /// times ten (ingress2gateway's rule), and never less than ten minutes, since an upload can
    /// keep a per-read timeout alive indefinitely.
    pub fn whole_request_timeout_seconds(&self) -> u64 {
        (self.read_timeout_seconds.value * 10).max(600)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
