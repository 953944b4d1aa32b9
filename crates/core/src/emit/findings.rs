//! What does not carry over, what needs a decision, and what to check: every notice the plan
//! gives, each pointing at the values key or annotation it is about.

use crate::annotations::{self, Carry};
use crate::behaviour::{controller_of, Behaviour, Controller, TimeoutKind};
use crate::emit::policies::Policy;
use crate::excerpt::clip;
use crate::findings::{Finding, FindingCode, Severity};
use crate::implementations::{CloudLoadBalancer, ObjectAnnotation, RouteTimeouts};
use crate::markdown::code;
use crate::plan::{version_at_least, CloudLbTls, DeployedWith, IssuerKind, IssuerOrigin, Model, Tls, TlsModel};
use crate::shell::quote as q;
use crate::values::release::Annotation;
use crate::values::TopKey;

pub const GATEWAY_MIN_CHART: &str = "0.94.3";
pub const SERVER_KEY_MIN_CHART: &str = "0.94.2";

pub fn findings(model: &Model) -> Vec<Finding> {
    let mut out = Vec::new();
    chart_version(model, &mut out);
    keys(model, &mut out);
    host_and_url(model, &mut out);
    tls(model, &mut out);
    for a in &model.release.ingress.annotations {
        out.push(annotation(model, a));
    }
    implementation(model, &mut out);
    out
}

fn chart_version(model: &Model, out: &mut Vec<Finding>) {
    let needs_server = model.target_key == TopKey::Server;
    match &model.chart_version {
        Some(v) => {
            if version_at_least(v, GATEWAY_MIN_CHART) == Some(false) {
                out.push(Finding::new(
                    Severity::Error,
                    FindingCode::ChartVersion,
                    format!("Chart {} has no `gateway` settings (they arrived in {GATEWAY_MIN_CHART}): the HTTPRoute would silently not render. Upgrade the chart to {GATEWAY_MIN_CHART} or later first, with your current values, then follow this plan.", code(v)),
                ));
            }
            if needs_server && version_at_least(v, SERVER_KEY_MIN_CHART) == Some(false) {
                out.push(Finding::new(
                    Severity::Error,
                    FindingCode::ChartVersionServerKey,
                    format!("Chart {} reads only the `zenml:` key; the `server:` key needs {SERVER_KEY_MIN_CHART} or later.", code(v)),
                ));
            }
        }
        None => out.push(Finding::new(
            Severity::Info,
            FindingCode::ChartVersion,
            format!("The `gateway` settings need ZenML chart {GATEWAY_MIN_CHART} or later (older charts ignore them without an error){}. Check with {}.", if needs_server { ", and the `server:` key needs 0.94.2 or later" } else { "" }, code(&format!("helm list -n {}", q(&model.namespace)))),
        )),
    }
}

fn keys(model: &Model, out: &mut Vec<Finding>) {
    let r = &model.release;
    if r.has_server_key && r.has_zenml_key {
        let list: Vec<String> = r.overlapping.iter().map(|s| s.value.clone()).collect();
        let detail = if list.is_empty() {
            String::new()
        } else {
            format!(" Set under both: {}; the `zenml:` values win.", list.join(", "))
        };
        let mut f = Finding::new(
            Severity::Warning,
            FindingCode::MixedKeys,
            format!(
                "The file has both `server:` and the deprecated `zenml:`; the chart merges `zenml:` over `server:`, so a change under `server:` can be silently overridden. The plan writes every change under `{}:`.{detail} Move the `zenml:` block under `server:` when convenient.",
                model.target_key.as_str()
            ),
        )
        .with_path("zenml");
        f.line = r.zenml_key_pos.map(|p| p.line);
        f.column = r.zenml_key_pos.map(|p| p.column);
        out.push(f);
    } else if r.has_zenml_key {
        let mut f = Finding::new(
            Severity::Info,
            FindingCode::DeprecatedZenmlKey,
            "Your file uses the deprecated top-level `zenml:` key (renamed `server:` in chart 0.94.2). The plan keeps writing under `zenml:` so nothing is split across both keys; it still works on current charts.",
        )
        .with_path("zenml");
        f.line = r.zenml_key_pos.map(|p| p.line);
        f.column = r.zenml_key_pos.map(|p| p.column);
        out.push(f);
    }
    if r.gateway.enabled.value {
        out.push(Finding::at(
            Severity::Warning,
            FindingCode::AlreadyMigrated,
            format!("`{}` is already true, so the HTTPRoute probably exists already, attached to the Gateway your values name. The plan keeps your gateway settings where they fit and only fills what is missing; check the route's status (runbook step 4) before going on.", r.gateway.enabled.path),
            &r.gateway.enabled,
        ));
    }
    if model.gateway_from_values {
        out.push(Finding::new(
            Severity::Warning,
            FindingCode::ExistingGateway,
            format!(
                "Your values already point at Gateway {}, which probably exists and may serve other teams. gateway.yaml describes the listeners ZenML needs; if the Gateway exists, add what is missing to it instead of applying over it (applying replaces its whole listener list).",
                code(&format!("{}/{}", model.gateway_namespace, model.gateway_name))
            ),
        ).with_path(&format!("{}.gateway.gatewayRef.name", model.target_key.as_str())));
    }
    if model.release_assumed {
        out.push(Finding::new(
            Severity::Warning,
            FindingCode::ReleaseAssumed,
            format!(
                "The release name {} and namespace {} are the planner's defaults: every command in the runbook and the route's name ({}) depend on them. Check with `helm list -A | grep zenml` and pass --release and --namespace if they differ.",
                code(&model.release_name),
                code(&model.namespace),
                code(&model.fullname)
            ),
        ));
    }
    if !model.ingress_active {
        out.push(Finding::at(
            Severity::Info,
            FindingCode::NoIngress,
            "The Ingress is turned off, so nothing is cut over: this plan exposes ZenML through the Gateway for the first time. The DNS steps apply only if a hostname already points somewhere.",
            &r.ingress.enabled,
        ));
    } else if r.ingress.enabled.is_default() {
        out.push(Finding::at(
            Severity::Info,
            FindingCode::IngressOnByDefault,
            format!("Your file does not set `{}`, and the chart defaults it to true: an Ingress is running today. The final values turn it off explicitly; deleting the ingress block would not.", r.ingress.enabled.path),
            &r.ingress.enabled,
        ));
    }
    unread_keys(model, out);
    merge_overrides(model, out);
    traefik_entry_points(model, out);
}

/// A finding located where the file has the key.
fn located(severity: Severity, code: FindingCode, message: String, path: &str, pos: crate::values::Pos) -> Finding {
    Finding {
        path: Some(path.to_string()),
        line: Some(pos.line),
        column: Some(pos.column),
        ..Finding::new(severity, code, message)
    }
}

/// The key the chart reads that `key` most likely stands for: the same name in other case, or
/// one or two letters off (`enable`, `Enabled`, `enabeld`).
fn misspelling_of<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    fn distance(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut diagonal = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let next = (diagonal + usize::from(ca != cb)).min(row[j] + 1).min(row[j + 1] + 1);
                diagonal = row[j + 1];
                row[j + 1] = next;
            }
        }
        row[b.len()]
    }
    let lower = key.to_ascii_lowercase();
    known.iter().copied().find(|k| k.eq_ignore_ascii_case(key)).or_else(|| {
        (key.len() >= 4 && key.len() <= 40)
            .then(|| known.iter().copied().find(|k| distance(&lower, &k.to_ascii_lowercase()) <= 2))
            .flatten()
    })
}

/// What the chart does when a key it reads is left out, for the misspelling findings.
fn chart_default(block: &str, key: &str) -> &'static str {
    match (block, key) {
        ("ingress", "enabled") => "true, so the Ingress is rendered",
        ("ingress", "className") => "`nginx`",
        ("ingress", "path") => "`/`",
        ("ingress.tls", "secretName") => "`zenml-tls-certs`",
        ("ingress.tls" | "gateway", "enabled") | ("ingress.tls", "generateCerts") => "false",
        ("gateway", "path") => "`/`",
        _ => "empty",
    }
}

/// Keys in the ingress and gateway blocks that the chart does not read: each on its own line,
/// with what the chart does instead.
fn unread_keys(model: &Model, out: &mut Vec<Finding>) {
    let r = &model.release;
    let listed = |values: &[String]| values.iter().map(|v| code(&clip(v, 80))).collect::<Vec<_>>().join(", ");
    for u in &r.unread {
        let key = code(&clip(&u.key, 80));
        let known = crate::values::release::CHART_KEYS.iter().find(|(b, _)| *b == u.block).map_or(&[][..], |(_, k)| *k);
        let message = match (u.block, u.key.as_str()) {
            ("ingress", "ingressClassName") => {
                let class = &r.ingress.class_name;
                format!(
                    "The chart does not read `ingressClassName` (the Ingress field's own name); it reads `className`. {} The plan works from the class the chart renders; if the Ingress really runs on {}, set `className` to it and plan again.",
                    if class.is_default() {
                        format!("So the Ingress gets class `nginx`, `className`'s default{}.", if u.values.is_empty() { String::new() } else { format!(", not {}", listed(&u.values)) })
                    } else {
                        format!("So the Ingress gets class {} from `{}`.", code(&clip(&class.value, 80)), class.path)
                    },
                    if u.values.is_empty() { "another class".to_string() } else { listed(&u.values) }
                )
            }
            ("ingress", "hosts") => format!(
                "The chart does not read `hosts` (a list, as in Helm's generic chart template); it reads one `host`. {}{}",
                match &r.ingress.host {
                    Some(host) => format!("The Ingress serves {} from `{}`.", code(&clip(&host.value, 80)), host.path),
                    None => "Without `host` the Ingress has no host rule and answers on every hostname.".to_string(),
                },
                match (&model.host, r.ingress.host.is_some() || u.values.is_empty()) {
                    (_, true) => String::new(),
                    (Some(host), false) => format!(" The list names {}; the plan gives the Gateway {} (--host).", listed(&u.values), code(host)),
                    (None, false) => format!(" The list names {}: set `host` to the hostname ZenML serves (or pass --host) so the plan can carry it to the Gateway.", listed(&u.values)),
                }
            ),
            ("ingress", "tls") => "`tls` is a list here (the shape of the Ingress's `spec.tls`); the chart reads a mapping (`tls.enabled`, `tls.secretName`, `tls.generateCerts`). With the Ingress off nothing reads it, but turned on, the chart would fail to render it.".to_string(),
            ("gateway", "hostnames") => format!(
                "The chart does not read `hostnames`; its HTTPRoute takes one hostname from `gateway.host`{}.",
                match &model.host {
                    Some(h) => format!(", which the plan sets to {}", code(h)),
                    None => ", which this plan leaves empty (no hostname is known): set it, or pass --host".to_string(),
                }
            ),
            ("gateway", "parentRefs") => format!(
                "The chart does not read `parentRefs`; its HTTPRoute's parent comes from `gateway.gatewayRef.name`, `gateway.gatewayRef.namespace` and `gateway.sectionName`, which the plan sets (Gateway {}, listener {}).",
                code(&format!("{}/{}", model.gateway_namespace, model.gateway_name)),
                code(model.listeners.section_name())
            ),
            ("gateway", "timeouts") => "The chart has no timeout setting for its HTTPRoute: only its event-stream rule has fixed `0s` timeouts, and the main rule keeps the implementation's default. The timeout findings and policies say what carries the ingress's timeouts over.".to_string(),
            (block, _) => match misspelling_of(&u.key, known) {
                Some(meant) => format!(
                    "The chart does not read {key}; it reads `{meant}`, which this file leaves out, so the chart's default applies ({}).",
                    chart_default(block, meant)
                ),
                None => format!(
                    "The chart does not read {key} under `{block}`, so it has no effect; the keys it reads there are {}.",
                    known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                ),
            },
        };
        out.push(located(Severity::Warning, FindingCode::UnreadKey, message, &u.path, u.pos));
    }
}

/// Keys written before a merge key (`<<`) that sets them again: Helm lets the merge win.
fn merge_overrides(model: &Model, out: &mut Vec<Finding>) {
    for o in &model.release.overridden {
        out.push(located(
            Severity::Warning,
            FindingCode::MergeOverridesKey,
            format!(
                "`{}` is written here, but the merge key (`<<`) on line {} comes after it and sets it again. Helm applies merge keys in document order, so the merged value (line {}) wins, unlike most YAML tools; the plan reads it as Helm does. Move the key below the `<<` line if yours should win.",
                o.path, o.merge_pos.line, o.value_pos.line
            ),
            &o.path,
            o.pos,
        ));
    }
}

/// The Traefik entry points the Ingress's routes used, when the annotation names them.
fn traefik_entry_points(model: &Model, out: &mut Vec<Finding>) {
    let ing = &model.release.ingress;
    let Some(a) = ing.annotation("traefik.ingress.kubernetes.io/router.entrypoints") else { return };
    if !model.ingress_active {
        return;
    }
    let points: Vec<&str> = a.value.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    let secure = |p: &str| p.contains("secure") || p.contains("https") || p.contains("tls");
    if points.is_empty() || !points.iter().all(|p| secure(p)) || !model.has_https_listener() {
        return;
    }
    let host = model.host.as_deref().map(code).unwrap_or_else(|| "ZenML".into());
    out.push(Finding::on_annotation(
        Severity::Warning,
        FindingCode::HttpRedirectAdded,
        format!(
            "The Ingress's route used only Traefik's {} entry point, so plain HTTP reached no ZenML route (Traefik answered 404, unless its `web` entry point redirects everything to HTTPS, a common static setting). Through the Gateway, {host} gets an HTTP listener with the HTTP -> HTTPS redirect route in gateway.yaml (301): plain-HTTP requests are now redirected. Keep it (clients that use http:// reach ZenML), or leave the redirect route out of gateway.yaml if plain HTTP must stay unanswered.",
            points.iter().map(|p| code(&clip(p, 40))).collect::<Vec<_>>().join(", ")
        ),
        a,
    ));
}

fn host_and_url(model: &Model, out: &mut Vec<Finding>) {
    let r = &model.release;
    if let Some(host) = &model.host {
        if let Some(old) = &model.moved_from {
            let what = match &model.host_kind {
                crate::plan::HostKind::WildcardDns { .. } => {
                    "a wildcard-DNS name: it resolves to the IP address written in it"
                }
                _ => "the ingress load balancer's own name: the cloud owns it, and it goes away with the load balancer",
            };
            let next = match model.new_public_url() {
                Some(url) => format!(
                    "The plan uses the new name {} from the Gateway's address: `serverURL`{} become {} from phase 1, every client must move (`zenml login {}`), and HTTP-01 validates only the new name.",
                    code(host),
                    if model.release.dashboard_url.is_some() { " and `dashboardURL`" } else { "" },
                    code(&url),
                    url
                ),
                None => "Once the Gateway has an address, the runbook derives a new name from it (step 5): then `serverURL` and every client (`zenml login`) must change, and HTTP-01 can validate only the new name. Enter the address in the planner (Gateway address) to plan for it.".to_string(),
            };
            let mut f = Finding::new(
                Severity::Warning,
                FindingCode::HostCannotMove,
                format!("{} is {what}, so its DNS record cannot be pointed at the Gateway. No listener or redirect route binds to it, and the plan asks for no DNS record. {next}", code(old)),
            ).with_path(&format!("{}.ingress.host", model.target_key.as_str()));
            if let Some(h) = &r.ingress.host {
                f = Finding {
                    path: Some(h.path.clone()),
                    line: h.pos.map(|p| p.line),
                    column: h.pos.map(|p| p.column),
                    ..f
                };
            }
            out.push(f);
        }
        if model.path != "/" && model.ingress_active {
            out.push(Finding::at(
                Severity::Warning,
                FindingCode::SharedHostPath,
                format!("ZenML is served under {} on {}. Moving that hostname's DNS to the Gateway moves every other application on the host too: before the cutover, route the rest of {} through the Gateway as well, or give ZenML a hostname of its own.", code(&model.path), code(host), code(host)),
                &r.ingress.path,
            ));
        }
        let ing = &r.ingress;
        let cloud_cert = crate::plan::has_cloud_certificate(r);
        if model.ingress_active
            && !ing.tls_enabled.value
            && !cloud_cert
            && !crate::plan::served_over_https(r)
            && model.tls.model() != TlsModel::None
        {
            out.push(Finding::at(
                Severity::Warning,
                FindingCode::SchemeChange,
                format!("The Ingress serves plain HTTP; through the Gateway, {} is served over HTTPS and HTTP requests are redirected (301, which clients follow as GET). Update `serverURL`, `zenml login` and client configurations to {}, or choose TLS model none to keep HTTP for now.", code(host), code(&format!("https://{host}"))),
                &ing.tls_enabled,
            ));
        }
    }
    if model.host.is_none() {
        let mut f = Finding::new(
            Severity::Warning,
            FindingCode::MissingHost,
            "No hostname is set (the Ingress answers on any host). The HTTPRoute and the Gateway listeners get no hostname, so they match every host, and the DNS cutover steps need a name: pass --host to plan for one.",
        )
        .with_path(&format!("{}.ingress.host", model.target_key.as_str()));
        if let Some(h) = &r.ingress.host {
            f.line = h.pos.map(|p| p.line);
        }
        out.push(f);
    }
    if let Some(url) = &r.server_url {
        let want = model.public_url();
        let consistent = want.as_ref().is_some_and(|w| {
            let a = url.value.trim_end_matches('/');
            let b = w.trim_end_matches('/');
            a.eq_ignore_ascii_case(b)
        });
        let shown = code(&clip(&url.value, 200));
        let (severity, code_name, message) = match (model.new_public_url(), &model.moved_from) {
            (None, Some(old)) => (
                Severity::Info,
                FindingCode::ServerUrl,
                format!(
                    "`serverURL` ({shown}) names {}, which cannot move: it changes with the new name (runbook step 5, then the plan made with the Gateway's address).",
                    code(old)
                ),
            ),
            (Some(new), Some(_)) => (
                Severity::Info,
                FindingCode::ServerUrl,
                format!("`serverURL` ({shown}) becomes {} in the planned values: ZenML announces the new name from phase 1.", code(&new)),
            ),
            _ if consistent => (
                Severity::Info,
                FindingCode::ServerUrl,
                format!("`serverURL` ({shown}) already matches the address behind the Gateway; it needs no change."),
            ),
            // Never advise moving a release from https to http: the TLS model is what to change.
            _ if url.value.trim().to_ascii_lowercase().starts_with("https://") && model.scheme() == "http" => (
                Severity::Error,
                FindingCode::TlsDowngrade,
                format!(
                    "`serverURL` is {shown}: users and clients reach ZenML over https today, but this plan serves plain HTTP (TLS model none). Choose cert-manager, existing-secret or cloud-lb to keep https; do not change `serverURL` to http."
                ),
            ),
            _ => (
                Severity::Warning,
                FindingCode::ServerUrl,
                format!(
                    "`serverURL` is {shown}, but after the move ZenML is reached at {}. Update `serverURL` (and `dashboardURL`, `auth.authCookieDomain` if set) if the public address changes; the plan does not change settings outside ingress and gateway.",
                    want.as_deref().map(code).unwrap_or_else(|| "an address without a hostname".into())
                ),
            ),
        };
        out.push(Finding::at(severity, code_name, message, url));
    }
    if r.proxy_headers_enabled.value {
        let ips = r.forwarded_allow_ips.as_ref().map(|s| s.value.as_str()).unwrap_or("*");
        let narrowed = ips != "*";
        let message = if narrowed {
            format!("`proxyHeaders.forwardedAllowIPs` is {}. After the cutover the requests come from the Gateway's data-plane pods, not the ingress controller: add their addresses (pod CIDR) or the server stops trusting X-Forwarded-For and rate-limits logins by the gateway's IP.", code(&clip(ips, 200)))
        } else {
            "`proxyHeaders` is on and trusts every peer; after the cutover the peer is the Gateway's data plane, which sets X-Forwarded-For as the ingress controller did.".to_string()
        };
        let severity = if narrowed { Severity::Warning } else { Severity::Info };
        out.push(match &r.forwarded_allow_ips {
            Some(ips) => Finding::at(severity, FindingCode::ProxyHeaders, message, ips),
            None => Finding::at(severity, FindingCode::ProxyHeaders, message, &r.proxy_headers_enabled),
        });
    }
    let rewrites = r.ingress.annotations.iter().any(|a| a.key.ends_with("/rewrite-target"));
    if let (Some(root), false) = (&r.root_url_path, rewrites) {
        out.push(Finding::at(
            Severity::Warning,
            FindingCode::RootUrlPath,
            format!("`rootUrlPath` is {}. The chart's HTTPRoute forwards the full path (no prefix rewrite), unlike an nginx `rewrite-target` setup: check that ZenML is served under {} after the move.", code(&clip(&root.value, 200)), code(&model.path)),
            root,
        ));
    }
}

fn tls(model: &Model, out: &mut Vec<Finding>) {
    let ing = &model.release.ingress;
    let gw = code(&format!("{}/{}", model.gateway_namespace, model.gateway_name));
    if ing.tls_enabled.value && ing.generate_certs.value {
        out.push(Finding::at(
            Severity::Warning,
            FindingCode::GeneratedCerts,
            format!(
                "The chart generates the self-signed Secret {} only while the Ingress exists; Helm deletes it when the Ingress is turned off, so the Gateway must not use it.{}",
                code(&clip(&ing.secret_name.value, 200)),
                if model.tls.model() == TlsModel::CertManager { " The plan issues a new certificate with cert-manager instead." } else { "" }
            ),
            &ing.generate_certs,
        ));
    }
    if ing.tls_enabled.value && model.tls.model() == TlsModel::None {
        out.push(Finding::at(
            Severity::Warning,
            FindingCode::TlsDropped,
            "The Ingress serves HTTPS, but the chosen TLS model is none: the Gateway would serve plain HTTP only. Choose cert-manager, existing-secret or cloud-lb to keep HTTPS.",
            &ing.tls_enabled,
        ));
    }
    let https_without_tls_block = !ing.tls_enabled.value
        && crate::plan::served_over_https(&model.release)
        && !crate::plan::has_cloud_certificate(&model.release)
        && !ing.annotations.iter().any(|a| a.key.starts_with("cert-manager.io/"));
    if model.ingress_active && https_without_tls_block && model.tls.model() != TlsModel::None {
        let url = model.release.server_url.as_ref().or(model.release.dashboard_url.as_ref());
        let message = format!(
            "The Ingress has no `tls` block, but {} is an https address: TLS ends at the ingress controller's default certificate (as in ZenML's hybrid deployment guide) or at a load balancer in front of it. That certificate does not move with the Ingress, so the Gateway serves https itself: TLS model {}. If a load balancer in front ends TLS, choose cloud-lb; if you have the default certificate's Secret, choose existing-secret.",
            url.map(|u| code(&clip(&u.value, 200))).unwrap_or_default(),
            code(model.tls.model().slug())
        );
        out.push(match url {
            Some(u) => Finding::at(Severity::Info, FindingCode::TlsFromUrl, message, u),
            None => Finding::new(Severity::Info, FindingCode::TlsFromUrl, message),
        });
    }
    if model.tls.model() == TlsModel::None {
        out.push(Finding::new(Severity::Info, FindingCode::PlainHttp, "TLS model none: the Gateway has only a plain-HTTP listener and no redirect. Credentials and API tokens cross the network unencrypted."));
    }
    if model.ingress_active && ing.tls_enabled.value && ing.class_name.value == "nginx" && !ing.annotations_set {
        out.push(Finding::at(
            Severity::Warning,
            FindingCode::ChartRenderError,
            "With TLS on, class nginx and no ingress annotations, the chart fails to render (`wrong type for value; expected map` in server-ingress.yaml: it adds `ssl-redirect` to the annotations, which are null): this file cannot be what is deployed, so check `helm get values` for the real values. The planned values files and overlay-parallel.yaml add `annotations: {}` under ingress, the smallest change that renders, so the phase 1 `helm upgrade` does not fail.",
            &ing.tls_enabled,
        ));
    }
    if ing.tls_enabled.value && ing.class_name.value == "nginx" && !ing.annotations.is_empty() {
        // The chart injects ssl-redirect for nginx + TLS; say where that behaviour goes.
        out.push(Finding::at(
            Severity::Info,
            FindingCode::SslRedirect,
            "The chart adds `nginx.ingress.kubernetes.io/ssl-redirect: \"true\"` to a TLS ingress on nginx; the Gateway side replaces it with the HTTP -> HTTPS redirect route in gateway.yaml (301).",
            &ing.tls_enabled,
        ));
    }
    match &model.tls {
        Tls::CertManager(cert_manager) => {
            let issuer_ref = &cert_manager.issuer;
            let issuer = code(&issuer_ref.to_string());
            let gateway_issuer = code(&cert_manager.gateway_issuer.to_string());
            let secret = code(&cert_manager.secret.name);
            if issuer_ref.name.contains("staging") {
                out.push(Finding::new(
                    Severity::Warning,
                    FindingCode::StagingIssuer,
                    format!("{issuer} looks like Let's Encrypt's staging environment: its certificates are not trusted by browsers or clients, so `curl` without `-k` fails even after the cutover. Use a production issuer for real traffic."),
                ));
            }
            if cert_manager.origin == IssuerOrigin::Assumed {
                out.push(Finding::new(
                    Severity::Warning,
                    FindingCode::IssuerAssumed,
                    format!("No cert-manager issuer was named in the values, so tls.yaml creates a new ACME issuer {issuer} (Let's Encrypt, HTTP-01 through the Gateway). Pass --issuer KIND/NAME to base the Gateway's issuer on one you have."),
                ));
            }
            if model.host.is_none() {
                out.push(Finding::new(
                    Severity::Error,
                    FindingCode::CertificateNeedsHost,
                    format!(
                        "cert-manager issues certificates for hostnames, and this plan has none: the Gateway gets no cert-manager annotation, and its HTTPS listener waits for Secret {} in {}. Pass --host, or create that Secret yourself.",
                        secret,
                        code(&model.gateway_namespace)
                    ),
                ));
            } else if !cert_manager.self_signed() && model.moved_from.is_none() {
                out.push(Finding::new(
                    Severity::Warning,
                    FindingCode::Http01BeforeCutover,
                    format!(
                        "HTTP-01 validation reaches the Gateway only once DNS for {} points at it, so an ACME issuer's HTTP-01 cannot issue the Gateway's certificate before the cutover, and an HTTPS listener without its certificate is not programmed: phase 1's HTTPS tests fail. Solve with DNS-01 (a dns01 solver on the Gateway's issuer {}){}.",
                        code(model.host.as_deref().unwrap_or("")),
                        gateway_issuer,
                        if model.ingress_active && ing.tls_enabled.value {
                            format!(", or pre-issue by copying the Ingress's current certificate into Secret {secret} in {} before switching DNS (the runbook shows both)", code(&model.gateway_namespace))
                        } else {
                            ", or accept that HTTPS fails on the Gateway for the minutes after the DNS switch until HTTP-01 completes".to_string()
                        }
                    ),
                ));
            }
            if issuer_ref.kind == IssuerKind::Issuer && model.cross_namespace() {
                out.push(Finding::new(
                    Severity::Warning,
                    FindingCode::IssuerNamespace,
                    format!("cert-manager looks an Issuer up in the Gateway's namespace ({}), not in {}: the runbook copies {issuer} there as {gateway_issuer}. A ClusterIssuer avoids the copy.", code(&model.gateway_namespace), code(&model.namespace)),
                ));
            }
            if model.host.is_some() {
                out.push(Finding::new(
                Severity::Info,
                FindingCode::CertManagerGatewayApi,
                format!(
                    "cert-manager must run with Gateway API support on (`config.gatewayAPI.enabled=true` on 1.21+, `config.enableGatewayAPI=true` on 1.15 to 1.20), and {}.",
                    if model.moved_from.is_some() {
                        "the certificate is asked for explicitly, for the new name only (a Certificate in tls.yaml of the plan made with the Gateway's address): the old name cannot reach the Gateway".to_string()
                    } else {
                        format!("the certificate annotations move from the Ingress to Gateway {gw}")
                    }
                ),
            ));
            }
        }
        Tls::ExistingSecret { secret } => {
            if secret.namespace != model.gateway_namespace {
                out.push(Finding::at(
                    Severity::Info,
                    FindingCode::ReferenceGrant,
                    format!("Gateway {gw} reads Secret {} across namespaces: gateway.yaml includes the ReferenceGrant that allows it.", code(&format!("{}/{}", secret.namespace, secret.name))),
                    &ing.secret_name,
                ));
            }
        }
        Tls::CloudLb(cloud_lb) => match cloud_lb {
            CloudLbTls::AwsNlbAcm { certificate_arn } => {
                let https_port = model.implementation.listener_ports.https;
                let annotations_at = model.implementation.emit.shared_service_annotations();
                if certificate_arn.is_none() {
                    out.push(Finding::new(
                        Severity::Error,
                        FindingCode::CertificateArnMissing,
                        "TLS at an AWS load balancer needs the ACM certificate's ARN, and the values name none (no `alb.ingress.kubernetes.io/certificate-arn`). Pass --certificate-arn; until then the NLB has no certificate for port 443.",
                    ));
                }
                out.push(Finding::new(
                    Severity::Warning,
                    FindingCode::NlbClientHeaders,
                    format!(
                        "Behind the NLB the Gateway receives plain HTTP on port {https_port}, so {} tells ZenML `X-Forwarded-Proto: http`, and the NLB adds no HTTP headers of its own. Keep `serverURL` https: ZenML builds its links from it (with `proxyHeaders` on, uvicorn takes the scheme from that header). The client's address reaches the Gateway only through proxy protocol v2, and both ends must switch together or every connection fails: `service.beta.kubernetes.io/aws-load-balancer-proxy-protocol: \"*\"` in {} plus {}.",
                        model.implementation.display_name,
                        annotations_at.unwrap_or("the Gateway's infrastructure annotations"),
                        model.implementation.proxy_protocol.unwrap_or("the implementation's proxy-protocol setting")
                    ),
                ));
                out.push(Finding::new(
                    Severity::Warning,
                    FindingCode::TlsAtLoadBalancer,
                    format!(
                        "The AWS NLB ends TLS with the ACM certificate and forwards plain HTTP to the Gateway's {https_port} listener (a plain-HTTP listener, as Gateway API requires). It needs the AWS Load Balancer Controller. The NLB's scheme follows the ALB's `alb.ingress.kubernetes.io/scheme` (internal when the ALB had none, as AWS does) and is internet-facing for other ingresses: check `aws-load-balancer-scheme` in {}.",
                        match annotations_at {
                            None => "gateway.yaml before applying".to_string(),
                            Some(at) => format!("{at} before installing"),
                        }
                    ),
                ));
            }
            CloudLbTls::AwsAlbAcm { certificate_arn, additional_certificate_arns } => {
                let host = model.listeners.hostname.as_deref();
                match (certificate_arn, host) {
                    (Some(_), _) => {}
                    (None, Some(host)) => out.push(Finding::new(
                        Severity::Warning,
                        FindingCode::CertificateDiscovery,
                        format!("No ACM certificate is named (no `alb.ingress.kubernetes.io/certificate-arn`, no --certificate-arn): the AWS Load Balancer Controller looks for an issued ACM certificate covering {} by the listener's hostname. Check that one exists in the cluster's region (step 3), or pass --certificate-arn to name it.", code(host)),
                    )),
                    (None, None) => out.push(Finding::new(
                        Severity::Error,
                        FindingCode::CertificateArnMissing,
                        "TLS at the ALB needs an ACM certificate, and the values name none (no `alb.ingress.kubernetes.io/certificate-arn`), nor do the Gateway's listeners have a hostname to find one by: the AWS Load Balancer Controller does not program the Gateway (`No hostnames found for TLS cert discovery`). Pass --certificate-arn.",
                    )),
                }
                let certificates = match (certificate_arn, additional_certificate_arns.len()) {
                    (Some(arn), 0) => {
                        format!("ACM certificate {}, named in the settings gateway.yaml gives it", code(arn))
                    }
                    (Some(arn), n) => format!(
                        "ACM certificate {} and {n} more, named in the settings gateway.yaml gives it",
                        code(arn)
                    ),
                    (None, _) => "the ACM certificate found by hostname".to_string(),
                };
                out.push(Finding::new(
                    Severity::Info,
                    FindingCode::TlsAtLoadBalancer,
                    format!("The ALB the Gateway is ends TLS with {certificates} (its listeners take no `certificateRefs`), and forwards plain HTTP to ZenML's pods."),
                ));
            }
            CloudLbTls::GkeCertificateMap { certificate_map } => {
                out.push(Finding::new(
                    Severity::Info,
                    FindingCode::TlsAtLoadBalancer,
                    format!("The Google load balancer ends TLS with the Certificate Manager map {}; the runbook creates it with gcloud, with DNS authorization so the certificate is issued before the cutover.", code(certificate_map)),
                ));
                if controller_of(&model.release) == Controller::AwsAlb {
                    out.push(Finding::at(
                        Severity::Warning,
                        FindingCode::OtherCloud,
                        "These values configure an AWS load balancer (class alb), but the plan targets GKE Gateway: check that this is the cluster you mean to move.",
                        &ing.class_name,
                    ));
                }
            }
        },
        Tls::None => {}
    }
}

/// The annotation table's word on an annotation for the chosen implementation.
fn from_table(model: &Model, a: &Annotation) -> (Severity, FindingCode, String) {
    let key = a.key.as_str();
    let shown = annotation_text(a);
    match annotations::rule_for(key) {
        Some(rule) => {
            let (carry, how) = model.implementation.annotation_outcome(rule);
            let severity = match carry {
                Carry::Lost | Carry::Runbook => Severity::Warning,
                _ => Severity::Info,
            };
            let verdict = match carry {
                Carry::Lost => "not carried over",
                Carry::Same => "nothing to carry over",
                _ => "carried over",
            };
            let code = match carry {
                Carry::Policy => FindingCode::AnnotationPolicy,
                Carry::Gateway => FindingCode::AnnotationGateway,
                Carry::Tls => FindingCode::AnnotationTls,
                Carry::Same => FindingCode::AnnotationSame,
                Carry::Runbook => FindingCode::AnnotationRunbook,
                Carry::Lost => FindingCode::AnnotationLost,
            };
            (
                severity,
                code,
                format!("{shown} ({}): {verdict} on {}: {how}.", rule.does, model.implementation.display_name),
            )
        }
        None => {
            let known = [
                "nginx.ingress.kubernetes.io/",
                "alb.ingress.kubernetes.io/",
                "traefik.ingress.kubernetes.io/",
                "networking.gke.io/",
                "cert-manager.io/",
            ];
            match known.iter().find(|p| key.starts_with(*p)) {
                Some(prefix) => (
                    Severity::Warning,
                    FindingCode::AnnotationUnknown,
                    format!("{shown} is not a {} annotation the planner knows; it is not carried over. Check what it did before the Ingress goes.", prefix.trim_end_matches('/')),
                ),
                None => (
                    Severity::Warning,
                    FindingCode::AnnotationLost,
                    format!("{shown} is an ingress annotation the chart's HTTPRoute has no place for; it is not carried over (copying it to `gateway.annotations` would do nothing)."),
                ),
            }
        }
    }
}

/// An annotation as a finding quotes it: a code span with the key and the first line of the value
/// (snippets span lines), both clipped.
pub(crate) fn annotation_text(a: &Annotation) -> String {
    let first = clip(a.value.lines().next().unwrap_or("").trim(), 120);
    let key = clip(&a.key, 120);
    code(&match (first.is_empty(), a.value.trim().contains('\n')) {
        (true, _) => key,
        (false, false) => format!("{key}: {first}"),
        (false, true) => format!("{key}: {first} …"),
    })
}

/// What happens to one ingress annotation on the Gateway side.
fn annotation(model: &Model, a: &Annotation) -> Finding {
    let key = a.key.as_str();
    let named = code(&clip(key, 120));
    let shown = annotation_text(a);
    let imp = model.implementation;
    let (severity, code, message): (Severity, FindingCode, String) = if let Some(verdict) =
        imp.emit.annotation_finding(model, a)
    {
        verdict
    } else if key.starts_with("cert-manager.io/") || key == "kubernetes.io/tls-acme" {
        if !crate::plan::ingress_shim_acts(&model.release) {
            (Severity::Info, FindingCode::AnnotationSame, format!("{shown} asks cert-manager for nothing: its ingress-shim acts only on an issuer annotation or `kubernetes.io/tls-acme: \"true\"`, and this Ingress has neither. Nothing to carry over."))
        } else if model.tls.model() == TlsModel::CertManager && model.host.is_none() {
            (Severity::Warning, FindingCode::AnnotationDropped, format!("{named} asks cert-manager for the Ingress's certificate; without a hostname the Gateway cannot get one from cert-manager (see certificate-needs-host)."))
        } else if model.tls.model() == TlsModel::CertManager {
            (
                Severity::Info,
                FindingCode::AnnotationMoved,
                if model.moved_from.is_some() {
                    format!("{named} acts on the Ingress only; the Gateway's certificate, for the new name, is a Certificate of its own (tls.yaml of the plan made with the Gateway's address), so it is not copied to the HTTPRoute.")
                } else {
                    format!("{named} acts on the Ingress only; the plan puts the Gateway's own issuer on the Gateway instead (gateway-shim), so it is not copied to the HTTPRoute.")
                },
            )
        } else {
            (Severity::Warning, FindingCode::AnnotationDropped, format!("{named} asks cert-manager for the Ingress's certificate; with TLS model {} nothing replaces it on the Gateway side.", model.tls.model().slug()))
        }
    } else if key == "kubernetes.io/ingress.class" {
        (
            Severity::Info,
            FindingCode::AnnotationReplaced,
            format!(
                "{named} picks the ingress controller; on the Gateway side `gatewayClassName: {}` does that.",
                imp.gateway_class
            ),
        )
    } else if let Some(rest) = key.strip_prefix("nginx.ingress.kubernetes.io/") {
        match rest {
            "ssl-redirect" | "force-ssl-redirect" => {
                if model.has_https_listener() {
                    (Severity::Info, FindingCode::AnnotationReplaced, format!("{named} is replaced by the HTTP -> HTTPS redirect route in gateway.yaml (301)."))
                } else {
                    (Severity::Warning, FindingCode::AnnotationDropped, format!("{named} redirected to HTTPS; with TLS model none there is no HTTPS listener to redirect to."))
                }
            }
            "rewrite-target" => (
                Severity::Warning,
                FindingCode::RewriteNotCarried,
                format!(
                    "{shown} stripped the path prefix before ZenML saw it. The chart's HTTPRoute has no URL rewrite: requests reach ZenML with the full path under {}. {} Test the dashboard and API under the prefix in phase 1, or serve ZenML at `/` on a hostname of its own.",
                    code(&model.path),
                    match &model.release.root_url_path {
                        Some(root) => format!("`rootUrlPath` is {}, which tells ZenML its prefix; check that it still serves when the prefix is no longer stripped.", code(&clip(&root.value, 200))),
                        None => "Set `rootUrlPath` to the prefix so ZenML knows it.".to_string(),
                    }
                ),
            ),
            _ => from_table(model, a),
        }
    } else if let Some(rest) = key.strip_prefix("alb.ingress.kubernetes.io/") {
        // TLS moves to an AWS NLB in front of the Gateway.
        let nlb = model.cloud_lb() == Some(CloudLoadBalancer::AwsNlbAcm);
        match rest {
            "certificate-arn" if nlb => {
                (Severity::Info, FindingCode::AnnotationReplaced, format!("{named}: the ACM certificate moves to the NLB in front of the Gateway (`service.beta.kubernetes.io/aws-load-balancer-ssl-cert`)."))
            }
            "target-type" | "listen-ports" if nlb => {
                let ports = imp.listener_ports;
                (Severity::Info, FindingCode::AnnotationReplaced, if (ports.http, ports.https) == (80, 443) {
                    format!("{shown}: the NLB in front of the Gateway targets pod IPs and listens on 80 and 443, the Gateway's listeners.")
                } else {
                    format!("{shown}: the NLB in front of the Gateway targets pod IPs and listens on 80 and 443, in front of the Gateway's listeners ({} and {}).", ports.http, ports.https)
                })
            }
            "scheme" if nlb => {
                (Severity::Info, FindingCode::AnnotationReplaced, format!("{shown} becomes `service.beta.kubernetes.io/aws-load-balancer-scheme` on the Gateway's load balancer."))
            }
            "ssl-redirect" if model.has_https_listener() => (Severity::Info, FindingCode::AnnotationReplaced, format!("{named} is replaced by the HTTP -> HTTPS redirect route in gateway.yaml.")),
            "healthcheck-path" => (Severity::Info, FindingCode::AnnotationDropped, match imp.load_balancer_health_check {
                Some(how) => format!("{shown} configured the ALB target group; {how}."),
                None => format!("{shown} configured the ALB target group; the Gateway's load balancer checks the Gateway's proxy, and the proxy sends traffic only to ZenML pods that pass their own `/ready` probe."),
            }),
            "load-balancer-attributes" | "inbound-cidrs" => from_table(model, a),
            _ => (Severity::Warning, FindingCode::AnnotationLost, format!("{named} configures the AWS Application Load Balancer that goes away with the Ingress; it is not carried over to {}.", imp.display_name)),
        }
    } else if let Some(rest) = key.strip_prefix("traefik.ingress.kubernetes.io/") {
        match rest {
            "router.entrypoints" | "router.tls" if !model.has_https_listener() => (
                Severity::Warning,
                FindingCode::AnnotationDropped,
                format!("{shown}: with TLS model none the Gateway has only its plain-HTTP listener `{}`, so what this did for HTTPS is not carried over.", model.listeners.http.name),
            ),
            "router.entrypoints" => (
                Severity::Info,
                FindingCode::AnnotationReplaced,
                format!(
                    "{shown} picked the Traefik entry points (ports) of the route; on the Gateway the listeners do that: the route attaches to listener {} ({}) through `sectionName`, and the `http` listener ({}) only redirects.",
                    code(model.listeners.section_name()),
                    imp.listener_ports.https,
                    imp.listener_ports.http
                ),
            ),
            "router.tls" => (
                Severity::Info,
                FindingCode::AnnotationReplaced,
                if model.tls.model() == TlsModel::CloudLb {
                    format!("{shown} made Traefik serve the route over TLS; with TLS model cloud-lb the load balancer in front of the Gateway ends TLS and forwards to listener {}.", code(model.listeners.section_name()))
                } else {
                    format!(
                        "{shown} made Traefik serve the route over TLS; on the Gateway the HTTPS listener {} ends TLS (TLS model {}).",
                        code(model.listeners.section_name()),
                        model.tls.model().slug()
                    )
                },
            ),
            _ => from_table(model, a),
        }
    } else if key.starts_with("external-dns.alpha.kubernetes.io/") {
        (
            Severity::Warning,
            FindingCode::ExternalDns,
            if model.external_dns {
                format!("{named} tells external-dns about the Ingress. For the HTTPRoute, external-dns needs the `gateway-httproute` source; during the parallel phase both claim the host, so make the DNS switch deliberately (see the runbook's DNS step).")
            } else {
                // The user said external-dns does not manage the host: a running one that still
                // reads Ingresses would put the record back after the hand edit.
                format!("{named} tells external-dns about the Ingress, but the plan has you edit the record by hand (external-dns off). Make sure no external-dns with the `ingress` source manages this host: it would point the record back at the Ingress after the switch. Remove the annotation if it is left over.")
            },
        )
    } else {
        from_table(model, a)
    };
    if !model.ingress_active {
        // Nothing reads an annotation of an Ingress the chart does not render.
        let message = format!("{message} The Ingress is off, so this annotation does nothing today; the plan takes it as the setting you want.");
        return Finding::on_annotation(severity, code, message, a);
    }
    Finding::on_annotation(severity, code, message, a)
}

/// Compares what the ingress controller did with what the target does by default, and says
/// which policy carries each difference over, or that there is none to carry.
pub fn behaviour_findings(model: &Model, b: &Behaviour, policies: &[Policy]) -> Vec<Finding> {
    let imp = model.implementation;
    let mut out = Vec::new();
    // With the Ingress off no controller did anything: no finding describes what one did.
    let off = !model.ingress_active;
    // A class the planner does not know: its controller and defaults are a guess, said as one.
    let guessed = if b.controller == Controller::Other { "ingress-nginx" } else { b.controller.name() };
    let guess = b.assumed_class.as_deref().filter(|_| !off).map(|class| {
        if class.is_empty() {
            format!("if the cluster's default IngressClass is {guessed}")
        } else {
            format!("if class {} is {guessed}", code(&clip(class, 80)))
        }
    });
    let source = b.controller.name();
    for p in policies {
        let why = if off {
            // The policy sets what ZenML needs; the parts about the (absent) ingress go.
            format!(
                "{}; no Ingress runs today, so this is what ZenML needs rather than a setting carried over",
                p.why.without_source()
            )
        } else {
            match &guess {
                Some(g) => format!("{} ({g}, as the plan assumes)", p.why),
                None => p.why.to_string(),
            }
        };
        out.push(Finding::new(
            Severity::Info,
            FindingCode::Policy,
            format!(
                "{}: {} {}: {why}.",
                if p.applied_by_runbook() { "runbook step 4" } else { "policies.yaml" },
                p.kind,
                code(&format!("{}/{}", p.namespace, p.name)),
            ),
        ));
    }
    if let Some(g) = &guess {
        unknown_class(model, b, g, &mut out);
    }
    // "ingress-nginx allowed", or "if class `x` is ingress-nginx, it allowed".
    let subject = match &guess {
        Some(g) => format!("{g}, it"),
        None => source.to_string(),
    };
    let limit = |v: Option<u64>| v.map(|n| format!("{} bytes", n)).unwrap_or_else(|| "no limit".into());
    let target_limit = imp.defaults.body_limit.map(|limit| limit.0);
    if !off && b.body_limit.value == target_limit {
        out.push(Finding::new(
            Severity::Info,
            FindingCode::BodySizeSame,
            match &guess {
                Some(_) => format!(
                    "Request bodies: {subject} allowed {} like {}; nothing to carry over.",
                    limit(target_limit),
                    imp.display_name
                ),
                None => format!(
                    "Request bodies: {source} and {} both allow {}; nothing to carry over.",
                    imp.display_name,
                    limit(target_limit)
                ),
            },
        ));
    } else if !off && target_limit.is_none() {
        out.push(Finding::new(
            Severity::Info,
            FindingCode::BodySizeLifted,
            format!("Request bodies: {subject} allowed {}; {} sets no limit, so uploads are not cut (a limit is no longer enforced at the proxy).", b.body_limit_text.as_deref().map(|t| code(&clip(t, 80))).unwrap_or_else(|| limit(b.body_limit.value)), imp.display_name),
        ));
    }
    let was = b.timeout_words();
    // The timeouts a policy does not have to lengthen: the target has none of its own, or waits
    // as long between reads as the source did.
    let name = imp.display_name;
    match (imp.defaults.request_timeout, imp.defaults.per_read_timeout, imp.emit.request_read_timeout()) {
        _ if off => {}
        // Nothing cuts a response, but uploads have a limit of their own.
        (None, None, Some(limit)) => {
            let let_through = match &guess {
                Some(_) => format!("the Ingress let through ({subject} {was})"),
                None => format!("{source} let through ({source} {was})"),
            };
            out.push(Finding::new(
                Severity::Warning,
                FindingCode::TimeoutRequestRead,
                format!("Timeouts: {name} sets no timeout on ZenML's responses by default, so nothing cuts a response that {let_through}. It does give a client {limit} to send a whole request, body included: an upload slower than that fails unless the install raises the limit."),
            ))
        }
        (None, None, None) => out.push(Finding::new(
            Severity::Info,
            FindingCode::TimeoutSameOrLonger,
            match &guess {
                Some(_) => format!("Timeouts: {name} sets no route timeout by default, so nothing cuts a request that the Ingress let through ({subject} {was}); nothing to carry over."),
                None => format!("Timeouts: {name} sets no route timeout by default, so nothing cuts a request that {source} let through ({source} {was}); nothing to carry over."),
            },
        )),
        (None, Some(per_read), _)
            if matches!(b.read_timeout_kind, TimeoutKind::PerRead | TimeoutKind::WholeResponse)
                && b.read_timeout_seconds.value <= per_read.0
                && b.connect_timeout_seconds.is_none() =>
        {
            out.push(Finding::new(
                Severity::Info,
                FindingCode::TimeoutSame,
                format!("Timeouts: {subject} {was}; {name} waits {per_read} between reads, which is the same or longer; nothing to carry over."),
            ))
        }
        _ => {}
    }
    // Allow and deny lists see the client's address only if the load balancer passes it on.
    let filters_ips = b.allowed_cidrs.is_some() || b.denied_cidrs.is_some();
    let emitted = policies.iter().any(|p| p.kind.filters_client_networks);
    // The load balancer the Gateway is sees the client's own address.
    let carried = emitted || imp.emit.carries_client_networks(model, b);
    if filters_ips && emitted {
        out.push(Finding::new(
            Severity::Warning,
            FindingCode::ClientIp,
            format!(
                "The client-network rules only work if {} sees the real client address. Behind a cloud load balancer it sees the balancer's or a node's address unless the client IP is preserved: use `externalTrafficPolicy: Local` on the Gateway's Service, or proxy protocol (AWS NLB: `service.beta.kubernetes.io/aws-load-balancer-proxy-protocol: \"*\"` plus the implementation's proxy-protocol setting). Test from an allowed and a refused network in phase 1.",
                imp.display_name
            ),
        ));
    }
    if filters_ips && !carried && !off {
        let why = imp
            .emit
            .no_client_network_policy(model)
            .unwrap_or("the implementation has no client-network policy the plan can write");
        out.push(Finding::new(
            Severity::Warning,
            FindingCode::ClientNetworksLost,
            format!("The ingress limits client networks ({}), and this plan does not carry that over: {why}. Restrict access at the load balancer or with a NetworkPolicy before the cutover.", cidr_summary(b)),
        ));
    }
    out
}

/// The class is not one the planner knows: say what it assumed, and how to check.
fn unknown_class(model: &Model, b: &Behaviour, guess: &str, out: &mut Vec<Finding>) {
    let ing = &model.release.ingress;
    let class = crate::behaviour::ingress_class(&model.release);
    let defaults = match b.controller {
        Controller::IngressNginx | Controller::Other => "a 1m body limit, 60 s between two reads",
        Controller::Traefik => "no body limit, no timeout towards ZenML",
        Controller::AwsAlb => "a 60 s idle timeout",
        Controller::Gce => "30 s for a whole response",
    };
    let named = if class.is_empty() {
        "The Ingress has no class (`className` is empty), so the cluster's default IngressClass serves it, and the planner does not know its controller.".to_string()
    } else {
        format!("The planner does not know ingress class {}: it may be another ingress-nginx installation (a second class), or another controller.", code(&clip(class, 80)))
    };
    let hint = if b.controller == Controller::Other {
        "No annotation names its controller, so the plan assumes ingress-nginx".to_string()
    } else {
        format!("Its annotations are {}'s, so the plan assumes {}", b.controller.name(), b.controller.name())
    };
    let check = if class.is_empty() {
        code("kubectl get ingressclass")
    } else {
        code(&format!("kubectl get ingressclass {} -o jsonpath='{{.spec.controller}}'", q(class)))
    };
    let mut f = Finding::at(
        Severity::Warning,
        FindingCode::UnknownIngressClass,
        format!("{named} {hint} and its defaults ({defaults}), and the findings about its behaviour hold only {guess}. Check which controller serves it with {check} (ingress-nginx answers `k8s.io/ingress-nginx`); if it is another, compare its limits with what policies.yaml carries over."),
        &ing.class_name,
    );
    if let Some(a) = ing.annotation("kubernetes.io/ingress.class") {
        f = Finding::on_annotation(f.severity, FindingCode::UnknownIngressClass, f.message, a);
    }
    out.push(f);
}

fn cidr_summary(b: &Behaviour) -> String {
    let mut parts = Vec::new();
    if let Some(a) = &b.allowed_cidrs {
        parts.push(format!("allowed: {}", code(&clip(&a.value.join(", "), 400))));
    }
    if let Some(d) = &b.denied_cidrs {
        parts.push(format!("refused: {}", code(&clip(&d.value.join(", "), 400))));
    }
    parts.join("; ")
}

fn implementation(model: &Model, out: &mut Vec<Finding>) {
    let imp = model.implementation;
    // EKS: the AWS Load Balancer Controller's webhook gives new LoadBalancer Services an NLB, and
    // its scheme defaults to internal (aws-load-balancer-controller v3.5.0 service annotations).
    if controller_of(&model.release) == Controller::AwsAlb
        && !imp.cloud_load_balancer.is_the_gateway()
        && model.cloud_lb() != Some(CloudLoadBalancer::AwsNlbAcm)
    {
        out.push(Finding::new(
            Severity::Warning,
            FindingCode::AwsLoadBalancerScheme,
            format!(
                "These values come from an AWS ALB, so this is EKS: {} gets an NLB from the AWS Load Balancer Controller, whose scheme is internal unless `service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing` says otherwise. Phase 1 tests from inside the VPC pass either way. If users reach ZenML from the internet, add that annotation (and `service.beta.kubernetes.io/aws-load-balancer-type: external`) to {}, and check the scheme before phase 2.",
                match imp.emit.shared_service_annotations() {
                    None => "the Gateway's Service",
                    Some(_) => "the install's Service, which fronts every Gateway of the class,",
                },
                match imp.emit.shared_service_annotations() {
                    None => format!(
                        "{}'s `spec.infrastructure.annotations` in gateway.yaml",
                        code(&format!("{}/{}", model.gateway_namespace, model.gateway_name))
                    ),
                    Some(at) => at.to_string(),
                }
            ),
        ));
    }
    match imp.route_timeouts {
        RouteTimeouts::Applied => {}
        RouteTimeouts::Ignored(what) => {
            out.push(Finding::new(Severity::Warning, FindingCode::RouteTimeoutsIgnored, what))
        }
        // The chart's route may not be accepted at all: it blocks phase 1.
        RouteTimeouts::Rejected(what) => {
            out.push(Finding::new(Severity::Error, FindingCode::RouteTimeoutsUnsupported, what))
        }
    }
    for note in imp.notes {
        out.push(Finding::new(note.severity, note.code, note.text));
    }
    out.extend(imp.emit.findings(model));
}

/// The annotations the implementation reads on the objects the chart renders: the route's, which
/// the values carry, and the Service's, which the runbook sets because the plan changes only the
/// values' `ingress` and `gateway` keys.
pub fn annotation_settings(model: &Model, b: &Behaviour) -> Vec<Finding> {
    let imp = model.implementation;
    let top = model.target_key.as_str();
    let pair = |a: &ObjectAnnotation| code(&format!("{}: \"{}\"", a.key, a.value));
    let mut out = Vec::new();
    let route = imp.emit.route_annotations(model, b);
    let added = crate::emit::values::added_route_annotations(model, &route);
    if !added.is_empty() {
        let parts: Vec<String> = added.iter().map(|a| format!("{} ({})", pair(a), a.why)).collect();
        out.push(Finding::new(
            Severity::Info,
            FindingCode::RouteAnnotations,
            format!(
                "values-parallel.yaml adds to `{top}.gateway.annotations`, which the chart puts on the HTTPRoute, what {} reads there: {}.",
                imp.display_name,
                parts.join("; ")
            ),
        ));
    }
    for a in route.iter().filter(|a| !added.contains(a)) {
        if let Some(user) = model.release.gateway.annotations.iter().find(|u| u.key == a.key) {
            out.push(Finding::on_annotation(
                Severity::Warning,
                FindingCode::RouteAnnotationKept,
                format!(
                    "Your values set {} on the route already, so the plan leaves your value and does not write {} ({}). Merge the two by hand before phase 1.",
                    code(a.key),
                    pair(a),
                    a.why
                ),
                user,
            ));
        }
    }
    let service = imp.emit.service_annotations(model, b);
    if !service.is_empty() {
        let parts: Vec<String> = service.iter().map(|a| format!("{} ({})", pair(a), a.why)).collect();
        let keep = match model.deployed_with {
            DeployedWith::Helm => "add them to your values",
            DeployedWith::ArgoCd | DeployedWith::Flux => "add them to the values in Git",
        };
        out.push(Finding::new(
            Severity::Warning,
            FindingCode::ServiceAnnotations,
            format!(
                "{} reads annotations on ZenML's Service {}: {}. This plan changes only the `ingress` and `gateway` keys of your values, so the runbook sets them with `kubectl annotate` before phase 1. Applying the chart again keeps an annotation it did not set, but a Service created anew (a reinstall, a restore from backup) comes without them: {} under `{top}.service.annotations`, the key the chart puts on the Service.",
                imp.display_name,
                code(&format!("{}/{}", model.namespace, model.fullname)),
                parts.join("; "),
                keep
            ),
        ));
    }
    out
}
