//! The runbook: every step of the move, in order, with the user's own names in the commands.

use crate::behaviour::Behaviour;
use crate::emit::delivery::{Delivery, Step};
use crate::emit::policies::Policy;
use crate::findings::{Finding, FindingCode, Severity};
use crate::implementations::{CloudLoadBalancer, ObjectAnnotation, SecretLabels};
use crate::markdown::{code, code_in_cell, fence};
use crate::plan::{
    CertManagerTls, CertificateSecret, CloudLbTls, DeployedWith, HostKind, IssuerKind, IssuerOrigin, Model,
    StaticAddress, Tls,
};
use crate::shell::layout;
use crate::shell::quote as q;
use crate::FileName;

/// The ports clients reach the Gateway on: its Service's, whichever ports its listeners use.
const HTTP_PORT: u16 = 80;
const HTTPS_PORT: u16 = 443;

/// The Gateway API v1.5+ CRDs ship a ValidatingAdmissionPolicy, served as v1 from Kubernetes 1.30.
const GATEWAY_API_MIN_KUBERNETES: &str = "1.30";

struct Book {
    text: String,
    /// The commands that set `GATEWAY_ADDRESS`; a section's first block that uses it gets them,
    /// since sections run days apart, in new shells.
    address_lines: Vec<String>,
    address_set: bool,
}

impl Book {
    fn line(&mut self, s: impl AsRef<str>) {
        self.text.push_str(s.as_ref());
        self.text.push('\n');
    }
    fn blank(&mut self) {
        self.text.push('\n');
    }
    fn heading(&mut self, s: impl AsRef<str>) {
        self.address_set = false;
        self.blank();
        self.line(s);
        self.blank();
    }
    /// A delivery step: its prose, then its commands with `extra` after them.
    fn step(&mut self, step: Step, extra: &[String]) {
        if let Some(prose) = step.prose {
            self.line(prose);
            self.blank();
        }
        let mut lines = step.commands;
        lines.extend_from_slice(extra);
        self.commands(&lines);
    }

    /// A bash block: every bash block of the runbook is written here. Values in `lines` were
    /// quoted with [`q`]; long commands are broken into continuation lines (see
    /// [`layout::break_long_lines`]); the fence outgrows any backtick run in them, so no line can
    /// close the block early.
    fn commands(&mut self, lines: &[String]) {
        let sets = |l: &String| l.starts_with("GATEWAY_ADDRESS=");
        let mut lines = lines.to_vec();
        if lines.iter().any(sets) {
            self.address_set = true;
        } else if !self.address_set && lines.iter().any(|l| l.contains("$GATEWAY_ADDRESS")) {
            lines.splice(0..0, self.address_lines.iter().cloned());
            self.address_set = true;
        }
        let text = layout::break_long_lines(&lines.join("\n"));
        let fence = fence(&text);
        self.line(format!("{fence}bash"));
        self.line(text);
        self.line(&fence);
        self.blank();
    }
}

/// What every section uses: the model, how its values reach the cluster, and the names every
/// section quotes, as shell words (see crate::shell).
struct Context<'a> {
    model: &'a Model,
    behaviour: &'a Behaviour,
    delivery: Delivery<'a>,
    ns_w: String,
    gwns_w: String,
    gw_res: String,
    route_res: String,
    /// Set `GATEWAY_ADDRESS` from the Gateway's status, and stop when it has none yet.
    address_lines: Vec<String>,
}

impl<'a> Context<'a> {
    fn new(model: &'a Model, behaviour: &'a Behaviour) -> Context<'a> {
        let gwns_w = q(&model.gateway_namespace).into_owned();
        let gw_res = q(&format!("gateways.gateway.networking.k8s.io/{}", model.gateway_name)).into_owned();
        let address_lines = vec![
            format!("GATEWAY_ADDRESS=$(kubectl get {gw_res} -n {gwns_w} -o jsonpath='{{.status.addresses[0].value}}')"),
            "echo \"${GATEWAY_ADDRESS:?the Gateway has no address yet: wait for Programmed}\"   # an IP address, or a DNS name (EKS and other clouds)".into(),
        ];
        Context {
            model,
            behaviour,
            delivery: Delivery::new(model),
            ns_w: q(&model.namespace).into_owned(),
            gwns_w,
            gw_res,
            route_res: q(&format!("httproutes.gateway.networking.k8s.io/{}", model.fullname)).into_owned(),
            address_lines,
        }
    }

    /// The port users reach ZenML on after the move.
    fn port(&self) -> u16 {
        if self.model.has_https_listener() {
            HTTPS_PORT
        } else {
            HTTP_PORT
        }
    }

    /// ZenML's address plus `suffix`, as one shell word. Without a hostname the Gateway answers on
    /// its own address: the tests use that directly.
    fn url(&self, suffix: &str) -> String {
        let scheme = self.model.scheme();
        let path = self.model.path.trim_end_matches('/');
        match self.model.host.as_deref() {
            Some(h) => q(&format!("{scheme}://{h}{path}{suffix}")).into_owned(),
            None if path.is_empty() && suffix.is_empty() => format!("\"{scheme}://$GATEWAY_ADDRESS\""),
            None => format!("\"{scheme}://$GATEWAY_ADDRESS\"{}", q(&format!("{path}{suffix}"))),
        }
    }

    /// curl options that send the real hostname to the Gateway's address on `port`.
    /// `--connect-to` takes an IP address or a DNS name (`--resolve` only an IP, and EKS gives the
    /// Gateway a name).
    fn reach_on(&self, port: u16) -> String {
        match self.model.host.as_deref() {
            None => String::new(),
            Some(h) => format!("--connect-to {}\"$GATEWAY_ADDRESS\":{port} ", q(&format!("{h}:{port}:"))),
        }
    }

    /// curl options that reach ZenML through the Gateway before DNS moves.
    fn reach(&self) -> String {
        let reach = match self.model.host {
            None if self.model.has_https_listener() => "-k".to_string(),
            _ => self.reach_on(self.port()).trim_end().to_string(),
        };
        if reach.is_empty() {
            reach
        } else {
            format!("{reach} ")
        }
    }
}

pub fn runbook(
    model: &Model,
    behaviour: &Behaviour,
    findings: &[Finding],
    files: &[FileName],
    policies: &[Policy],
) -> String {
    let c = Context::new(model, behaviour);
    let mut b = Book { text: String::new(), address_lines: c.address_lines.clone(), address_set: false };
    overview(&mut b, &c);
    file_list(&mut b, files);
    blocking_findings(&mut b, findings);
    prerequisites(&mut b, &c);
    install(&mut b, &c);
    gateway_and_tls(&mut b, &c);
    phase1(&mut b, &c, policies);
    // A name that cannot be moved: users move to a new one, once the Gateway's address is known.
    let awaiting_new_name = model.moved_from.is_some() && model.gateway_address.is_none();
    match &model.moved_from {
        Some(old) => new_name_section(&mut b, &c, old),
        None => dns_cutover(&mut b, &c),
    }
    turn_ingress_off(&mut b, &c, awaiting_new_name);
    rollback(&mut b, &c, policies, awaiting_new_name);
    findings_to_act_on(&mut b, findings);
    b.text
}

/// The title, what the plan resolved, and the three phases.
fn overview(b: &mut Book, c: &Context) {
    let model = c.model;
    let imp = model.implementation;
    let (ns, gw, gwns, release, route) =
        (&model.namespace, &model.gateway_name, &model.gateway_namespace, &model.release_name, &model.fullname);
    let host = model.host.as_deref();
    b.line(format!("# Moving ZenML release {} from Ingress to Gateway API", code(release)));
    b.blank();
    b.line("Generated by Gateway Planner. Every name below comes from your values file and your choices; nothing was sent anywhere.");
    b.blank();
    b.line("| | |");
    b.line("|---|---|");
    b.line(format!(
        "| Release | {} in namespace {} (Service, Ingress and HTTPRoute are named {}) |",
        code_in_cell(release),
        code_in_cell(ns),
        code_in_cell(route)
    ));
    b.line(format!("| Implementation | {} {} (GatewayClass `{}`) |", imp.display_name, imp.version, imp.gateway_class));
    // Clients reach the listeners on 80 and 443 (the tests below use those), whatever port the
    // implementation listens on behind its Service.
    let ports = |listener: i32, reached: i32| {
        if listener == reached {
            reached.to_string()
        } else {
            format!("{listener}, reached on {reached}")
        }
    };
    b.line(format!(
        "| Gateway | {} in namespace {}, listeners {} ({}){} |",
        code_in_cell(gw),
        code_in_cell(gwns),
        code_in_cell(&model.listeners.http.name),
        ports(model.listeners.http.port, 80),
        match &model.listeners.https {
            Some(https) => format!(" and {} ({})", code_in_cell(&https.name), ports(https.port, 443)),
            None => String::new(),
        }
    ));
    b.line(format!(
        "| Hostname | {} |",
        match (&model.moved_from, host) {
            (Some(old), Some(h)) if old != h =>
                format!("{} (new: {} cannot be moved), on no listener", code_in_cell(h), code_in_cell(old)),
            (Some(old), _) =>
                format!("{} for phase 1; it cannot be moved, so step 5 finds the new name", code_in_cell(old)),
            (None, Some(h)) => code_in_cell(h),
            (None, None) => "none (the route answers for any host)".into(),
        }
    ));
    b.line(format!("| Path | {} |", code_in_cell(&model.path)));
    b.line(format!("| TLS | {} |", tls_summary(model)));
    b.line(format!("| Values key | `{}:` |", model.target_key.as_str()));
    b.blank();
    b.line(format!(
        "The move has three phases, each reversible: **1.** the Gateway runs beside the Ingress and is tested without touching DNS; **2.** {}; **3.** the Ingress is turned off. Files:",
        if model.moved_from.is_some() {
            "users move to a new name made from the Gateway's address (the old name cannot be pointed at it)"
        } else {
            "DNS moves to the Gateway"
        }
    ));
    b.blank();
}

/// What each file of the plan holds.
fn file_list(b: &mut Book, files: &[FileName]) {
    for f in files {
        let what = match f {
            FileName::ValuesParallel => {
                "your values with the Gateway route added (phase 1; also the rollback target after phase 3)"
            }
            FileName::ValuesFinal => "your values with the Ingress turned off (phase 3)",
            FileName::OverlayParallel => "the same change as an overlay: `-f values.yaml -f overlay-parallel.yaml`",
            FileName::OverlayFinal => "phase 3 as an overlay",
            FileName::Gateway => "the platform side: Gateway, redirect route and what they need",
            FileName::Tls => "the certificate issuer the Gateway uses",
            FileName::Policies => "implementation policies that keep the ingress's behaviour (timeouts, body size, affinity, allowed networks)",
            FileName::Findings => "every notice below, machine-readable",
            FileName::Runbook => "this runbook",
        };
        b.line(format!("- `{f}`: {what}"));
    }
    b.blank();
    b.line("`values-parallel.yaml` and `values-final.yaml` are your whole values file, database URL and keys included: keep them where your values file lives, and do not commit them in plain text (use your secret store, or commit the overlays and keep secrets where they are today).");
}

/// Errors come first: the plan does not work until the user acts on them.
fn blocking_findings(b: &mut Book, findings: &[Finding]) {
    let blocking: Vec<&Finding> = findings.iter().filter(|f| f.severity == Severity::Error).collect();
    if !blocking.is_empty() {
        b.heading("## Before you start: blocking findings");
        for f in &blocking {
            b.line(format!("- **{}**: {}", f.code, f.message));
        }
    }
}

/// Step 1: the cluster, tools and CRDs the move needs.
fn prerequisites(b: &mut Book, c: &Context) {
    let (model, delivery) = (c.model, &c.delivery);
    let imp = model.implementation;
    let host = model.host.as_deref();
    b.heading("## 1. Prerequisites");
    let min_kubernetes = imp.min_kubernetes.unwrap_or(GATEWAY_API_MIN_KUBERNETES);
    b.line(format!(
        "Kubernetes {min_kubernetes} or later ({}; the Gateway API v1.5+ CRDs need {GATEWAY_API_MIN_KUBERNETES} for their admission policy), Helm 3.8 or later (OCI charts), `jq`{}, and the ZenML chart 0.94.3 or later (the first with `gateway` settings):",
        match imp.min_kubernetes {
            Some(_) => format!("{} {}", imp.display_name, imp.version),
            None => format!("{} {} states no minimum of its own", imp.display_name, imp.version),
        },
        match delivery.kind() {
            DeployedWith::Helm => "",
            DeployedWith::ArgoCd => ", the `argocd` CLI logged in to your Argo CD",
            DeployedWith::Flux => ", the `flux` CLI",
        }
    ));
    b.blank();
    let mut check = delivery.check();
    check.commands.insert(0, format!("kubectl version   # Server Version must be v{min_kubernetes} or later"));
    b.step(check, &[]);
    if let (Some(_), true) = (host, model.external_dns) {
        b.line("external-dns manages the hostname: before phase 1, start it with `--source=gateway-httproute` next to `--source=ingress` (same `--txt-owner-id`). While both the Ingress and the HTTPRoute claim the name, the TXT ownership record keeps it with the Ingress, so nothing changes yet (unless one side's address is a hostname and the other an IP: external-dns then prefers the A record, so check `dig` right after phase 1). Step 5 moves the record's ownership.");
        b.blank();
    }
    if imp.user_installs_crds {
        b.line("Check which Gateway API CRDs the cluster has. The HTTPRoute the chart renders is `gateway.networking.k8s.io/v1`, and its event-stream rule uses `timeouts`, which needs bundle v1.2 or later:");
        b.blank();
        b.commands(&[
            "kubectl get crd gateways.gateway.networking.k8s.io httproutes.gateway.networking.k8s.io \\".into(),
            "  -o jsonpath='{range .items[*]}{.metadata.name}{\" \"}{.metadata.annotations.gateway\\.networking\\.k8s\\.io/bundle-version}{\" \"}{.metadata.annotations.gateway\\.networking\\.k8s\\.io/channel}{\"\\n\"}{end}'".into(),
        ]);
        b.line("- Nothing found: step 2 installs them.");
        let bundle = imp.gateway_api_bundle;
        b.line(format!("- Older than {bundle} (the bundle {} {} is built on), or CRDs that serve only `v1beta1`: step 2's CRD command upgrades them to {bundle} on the standard channel (existing routes stay; `v1beta1` objects are served as `v1`). Add `--force-conflicts` if another tool manages them.", imp.display_name, imp.version));
        b.line(format!("- {bundle} on the standard channel: skip step 2's CRD command."));
        b.line(format!("- Newer than {bundle}: skip step 2's CRD command and keep it. Never downgrade a bundle: the `safe-upgrades` admission policy refuses downgrades below v1.5, and other tools on the cluster may use the newer fields. {}", imp.newer_bundle));
        b.line("- Channel `experimental`: skip step 2's CRD command and keep your channel. From v1.5 the `safe-upgrades` admission policy rejects experimental CRDs on top of standard ones and any downgrade below v1.5, so an installer that ships its own CRDs must have them switched off (the commands below do).");
        b.blank();
    } else {
        b.line("GKE installs and owns the Gateway API CRDs: do not apply your own. Check the bundle it serves (v1.2 or later is needed for the chart's route timeouts):");
        b.blank();
        b.commands(&["kubectl get crd gateways.gateway.networking.k8s.io -o jsonpath='{.metadata.annotations.gateway\\.networking\\.k8s\\.io/bundle-version}{\"\\n\"}'".into()]);
    }
}

/// Step 2: the implementation itself.
fn install(b: &mut Book, c: &Context) {
    let imp = c.model.implementation;
    b.heading(format!("## 2. Install {}", imp.display_name));
    let mut steps: Vec<String> = Vec::new();
    for step in imp.install {
        steps.push(format!("# {}", step.what));
        steps.push(step.command.to_string());
    }
    for step in imp.emit.planned_install(c.model) {
        steps.push(format!("# {}", step.what));
        steps.push(step.command);
    }
    b.commands(&steps);
    if let Some(requirements) = imp.cluster_requirements {
        b.line(requirements);
        b.blank();
    }
    if c.model.cloud_lb() == Some(CloudLoadBalancer::AwsNlbAcm) {
        b.line(format!(
            "TLS ends at an AWS NLB: the AWS Load Balancer Controller must run in the cluster (it reconciles the `service.beta.kubernetes.io/aws-load-balancer-type: external` Service {}):",
            match imp.emit.shared_service_annotations() {
                None => "the Gateway gets",
                Some(_) => "of the install, which fronts every Gateway of the class",
            }
        ));
        b.blank();
        b.commands(&["kubectl get deployment -n kube-system aws-load-balancer-controller".into()]);
    }
}

/// Step 3: the Gateway's namespace, address and certificate, then the Gateway itself.
fn gateway_and_tls(b: &mut Book, c: &Context) {
    let model = c.model;
    let gwns_w = &c.gwns_w;
    b.heading("## 3. Create the Gateway and its TLS");
    b.commands(&[format!("kubectl create namespace {gwns_w} --dry-run=client -o yaml | kubectl apply -f -")]);
    if let Some(address) = &model.static_address {
        b.line(format!(
            "The Ingress holds the reserved address {}, and one IP and port cannot serve two forwarding rules: the Gateway must not take it while the Ingress lives. gateway.yaml names a new reserved address, {}; reserve it first (a regional Gateway class needs `--region` instead of `--global`). Moving the old address comes after phase 3, with its own outage window (step 6).",
            code(&address.ingress),
            code(&address.gateway)
        ));
        b.blank();
        b.commands(&[
            format!("gcloud compute addresses create {} --global", q(&address.gateway)),
            format!(
                "gcloud compute addresses describe {} --global --format='value(address)'   # the Gateway's new IP",
                q(&address.gateway)
            ),
        ]);
    }
    tls_steps(b, c);
    create_gateway(b, c);
}

/// gateway.yaml, created beside what the cluster has, and the Gateway's address.
fn create_gateway(b: &mut Book, c: &Context) {
    let model = c.model;
    let imp = model.implementation;
    let (gw, gwns) = (&model.gateway_name, &model.gateway_namespace);
    let (gwns_w, gw_res) = (&c.gwns_w, &c.gw_res);
    b.line(format!(
        "gateway.yaml holds the Gateway {}{} and what it needs. Look first at what the cluster has: a GatewayClass must never be applied over (its `controllerName` cannot change, and applying drops a `parametersRef` it has), and applying over a shared Gateway replaces its whole listener list.",
        code(gw),
        if imp.install_creates_gateway_class { String::new() } else { format!(" (with the GatewayClass `{}`)", imp.gateway_class) }
    ));
    b.blank();
    b.commands(&[
        format!(
            "kubectl get gatewayclasses.gateway.networking.k8s.io {} -o jsonpath='{{.spec.controllerName}}{{\"\\n\"}}'   # {}{}",
            imp.gateway_class,
            imp.controller_name,
            if imp.install_creates_gateway_class { " (its install creates it)" } else { ", or NotFound: gateway.yaml creates it" }
        ),
        format!("kubectl get {gw_res} -n {gwns_w}   # NotFound, or a shared Gateway: add the listeners and the redirect route from gateway.yaml to it by hand"),
    ]);
    for object in imp.emit.backend_objects(model) {
        b.line(object.why);
        b.blank();
    }
    b.line("Create what is missing (`kubectl create` leaves every object that exists as it is, and says AlreadyExists for it) and wait until the Gateway is programmed, which gives it an address:");
    b.blank();
    let mut commands = vec![
        "kubectl create -f gateway.yaml".to_string(),
        format!("kubectl get gatewayclasses.gateway.networking.k8s.io {}   # ACCEPTED must be True", imp.gateway_class),
        format!("kubectl wait --for=condition=Programmed {gw_res} -n {gwns_w} --timeout=10m"),
    ];
    commands.extend(c.address_lines.iter().cloned());
    commands.push(format!("kubectl get {gw_res} -n {gwns_w} -o jsonpath='{{range .status.listeners[*]}}{{.name}}{{\" \"}}{{range .conditions[*]}}{{.type}}={{.status}}({{.reason}}) {{end}}{{\"\\n\"}}{{end}}'"));
    b.commands(&commands);
    b.line(format!("The data plane runs as: {}.", code(&imp.data_plane_command(gw, gwns))));
    b.blank();
}

/// Step 3's certificate: what the TLS model needs before the Gateway is created.
fn tls_steps(b: &mut Book, c: &Context) {
    let model = c.model;
    let gwns = &model.gateway_namespace;
    let gwns_w = &c.gwns_w;
    let host_or = model.host.as_deref().unwrap_or("ZENML_HOST");
    match &model.tls {
        Tls::CertManager(cert_manager) if model.host.is_none() => {
            let secret = &cert_manager.secret.name;
            b.line(format!("cert-manager needs a hostname to issue a certificate, and this plan has none. Create the TLS Secret {} in {} yourself (for example from your own CA), or re-plan with a hostname:", code(secret), code(gwns)));
            b.blank();
            b.commands(&[format!("kubectl create secret tls {} -n {gwns_w} --cert=tls.crt --key=tls.key", q(secret))]);
            label_secret(b, model, secret, gwns);
        }
        Tls::CertManager(cert_manager) => cert_manager_steps(b, c, cert_manager),
        Tls::ExistingSecret { secret: s } => {
            b.line(format!("The Gateway serves the Ingress's certificate, Secret {} in {}{}. Check it exists and is a TLS Secret that cert-manager or your own process keeps renewing:", code(&s.name), code(&s.namespace), if s.namespace != *gwns { ", through the ReferenceGrant in gateway.yaml" } else { "" }));
            b.blank();
            b.commands(&[format!(
                "kubectl get secret {} -n {} -o jsonpath='{{.type}}{{\"\\n\"}}'   # kubernetes.io/tls",
                q(&s.name),
                q(&s.namespace)
            )]);
            label_secret(b, model, &s.name, &s.namespace);
        }
        Tls::CloudLb(CloudLbTls::AwsNlbAcm { certificate_arn }) => {
            b.line(format!(
                "TLS ends at the NLB with ACM certificate {}. Check it is issued and covers {}:",
                certificate_arn.as_deref().map(code).unwrap_or_else(|| "(none given: pass --certificate-arn)".into()),
                code(host_or)
            ));
            b.blank();
            b.commands(&[describe_certificate(certificate_arn.as_deref().unwrap_or("ARN"))]);
        }
        Tls::CloudLb(CloudLbTls::AwsAlbAcm { certificate_arn, additional_certificate_arns: more }) => {
            match (certificate_arn, model.listeners.hostname.as_deref()) {
                (Some(arn), _) => {
                    b.line(format!(
                        "TLS ends at the ALB with ACM certificate {}{}, which the settings in gateway.yaml name for its HTTPS listener. Check {} issued and {} {}:",
                        code(arn),
                        if more.is_empty() { String::new() } else { format!(" (and {} more, served by SNI)", more.len()) },
                        if more.is_empty() { "it is" } else { "each is" },
                        if more.is_empty() { "covers" } else { "that the first covers" },
                        code(host_or)
                    ));
                    b.blank();
                    let mut commands = vec![describe_certificate(arn)];
                    commands.extend(more.iter().map(|arn| describe_certificate(arn)));
                    b.commands(&commands);
                }
                (None, Some(host)) => {
                    b.line(format!(
                        "TLS ends at the ALB with an ACM certificate that the AWS Load Balancer Controller finds by the listener's hostname {}. Check that an issued one covers it, in the region the controller runs in:",
                        code(host)
                    ));
                    b.blank();
                    b.commands(&["aws acm list-certificates --certificate-statuses ISSUED --query 'CertificateSummaryList[].[DomainName,CertificateArn]' --output text   # one for this hostname (or a wildcard over it)".into()]);
                }
                (None, None) => {
                    b.line("TLS ends at the ALB, but no ACM certificate is named and the listeners have no hostname to find one by: re-plan with --certificate-arn before applying gateway.yaml.");
                    b.blank();
                }
            }
        }
        Tls::CloudLb(CloudLbTls::GkeCertificateMap { certificate_map: map }) => {
            b.line(format!("TLS ends at the Google load balancer with a Google-managed certificate from Certificate Manager map {}. DNS authorization lets Google issue it before the DNS cutover (load-balancer authorization would wait for it):", code(map)));
            b.blank();
            let (auth, cert, entry) = (
                q(&format!("{}-dns-auth", model.fullname)).into_owned(),
                q(&format!("{}-cert", model.fullname)).into_owned(),
                q(&format!("{}-entry", model.fullname)).into_owned(),
            );
            let (map_w, host_w) = (q(map), q(host_or));
            b.commands(&[
                    "gcloud services enable certificatemanager.googleapis.com".into(),
                    format!("gcloud certificate-manager dns-authorizations create {auth} --domain={host_w}"),
                    format!("gcloud certificate-manager dns-authorizations describe {auth} --format='value(dnsResourceRecord)'   # create this CNAME in your DNS zone"),
                    format!("gcloud certificate-manager certificates create {cert} --domains={host_w} --dns-authorizations={auth}"),
                    format!("gcloud certificate-manager maps create {map_w}"),
                    format!("gcloud certificate-manager maps entries create {entry} --map={map_w} --certificates={cert} --hostname={host_w}"),
                    format!("gcloud certificate-manager certificates describe {cert} --format='value(managed.state)'   # ACTIVE before phase 2"),
                ]);
        }
        Tls::None => {
            b.line("TLS model none: no certificate. The Gateway listens on port 80 only.");
            b.blank();
        }
    }
}

/// Step 4: the route beside the Ingress, the policies, and tests through the Gateway.
fn phase1(b: &mut Book, c: &Context, policies: &[Policy]) {
    let (model, delivery) = (c.model, &c.delivery);
    let imp = model.implementation;
    let (ns_w, route_res) = (&c.ns_w, &c.route_res);
    b.heading("## 4. Phase 1: the Gateway beside the Ingress");
    if model.release.gateway.enabled.value {
        b.line("Your values already enable the gateway route, so the HTTPRoute may exist: this upgrade only brings its settings in line with the Gateway above. Check its status right after.");
    } else {
        b.line("Add the ZenML route. The Ingress keeps serving all traffic; nothing changes for users yet.");
    }
    b.blank();
    before_route(b, c, policies);
    b.step(delivery.apply(FileName::ValuesParallel, FileName::OverlayParallel), &[]);
    b.line("Check that the Gateway accepted the route and that its backend resolves:");
    b.blank();
    b.commands(&[
        format!("kubectl get {route_res} -n {ns_w} -o jsonpath='{{range .status.parents[*]}}{{.parentRef.name}}/{{.parentRef.sectionName}}{{\": \"}}{{range .conditions[*]}}{{.type}}={{.status}}({{.reason}}) {{end}}{{\"\\n\"}}{{end}}'"),
        format!("kubectl wait --for='jsonpath={{.status.parents[0].conditions[?(@.type==\"Accepted\")].status}}=True' {route_res} -n {ns_w} --timeout=2m"),
        format!("kubectl wait --for='jsonpath={{.status.parents[0].conditions[?(@.type==\"ResolvedRefs\")].status}}=True' {route_res} -n {ns_w} --timeout=2m"),
    ]);
    b.line("`Accepted=False` with `NotAllowedByListeners` means the listener does not admit the namespace; `NoMatchingListenerHostname` means the hostnames differ; `ResolvedRefs=False` with `RefNotPermitted` means a ReferenceGrant is missing.");
    b.blank();
    if let Some(step) = imp.emit.after_route(model) {
        b.line(step.prose);
        b.blank();
        b.commands(&step.commands);
    }
    apply_policies(b, c, policies);
    test_through_gateway(b, c);
    runbook_objects(b, c);
    let (data_plane, data_plane_checks) = crate::emit::gateway::data_plane_checks(model);
    if let Some(prose) = data_plane {
        b.line(prose);
        b.blank();
        b.commands(&data_plane_checks);
    }
}

/// What the implementation needs before the upgrade creates the route: its own checks, the
/// Service annotations it reads, and the policies the route names.
fn before_route(b: &mut Book, c: &Context, policies: &[Policy]) {
    let model = c.model;
    let imp = model.implementation;
    if let Some(step) = imp.emit.before_route(model) {
        b.line(step.prose);
        b.blank();
        b.commands(&step.commands);
    }
    let service_annotations = imp.emit.service_annotations(model, c.behaviour);
    if !service_annotations.is_empty() {
        service_annotation_steps(b, c, &service_annotations);
    }
    if policies_first(c, policies) {
        b.line("Create the resources that keep the ingress's behaviour before the route that names them: a route that names a missing one is served without it.");
        b.blank();
        b.commands(&policy_apply_commands(policies));
    }
}

/// The implementation's policies are named by the route or the Service, so they exist before it.
fn policies_first(c: &Context, policies: &[Policy]) -> bool {
    c.model.implementation.emit.policies_before_route() && !policies.is_empty()
}

/// Applies the plan's policies: policies.yaml, and the ones the runbook applies one by one.
fn policy_apply_commands(policies: &[Policy]) -> Vec<String> {
    let mut cmds = Vec::new();
    if policies.iter().any(|p| !p.applied_by_runbook()) {
        cmds.push("kubectl apply -f policies.yaml".to_string());
    }
    for p in policies.iter().filter(|p| p.applied_by_runbook()) {
        let yaml = crate::yaml::to_yaml(&p.object);
        // A here-document ends at the first line equal to its delimiter: pick one no line is.
        let mut end = "EOF".to_string();
        while yaml.lines().any(|l| l == end) {
            end.push('_');
        }
        cmds.push(format!("kubectl apply -f - <<'{end}'"));
        cmds.extend(yaml.lines().map(str::to_string));
        cmds.push(end);
    }
    cmds
}

/// The policies that keep the ingress's behaviour, applied once the route exists (or checked,
/// when they had to exist before it).
fn apply_policies(b: &mut Book, c: &Context, policies: &[Policy]) {
    let imp = c.model.implementation;
    if !policies.is_empty() {
        let mut cmds = Vec::new();
        if policies_first(c, policies) {
            b.line("Check that each resource created before the upgrade took effect:");
        } else {
            b.line("Apply the resources that keep the ingress's behaviour (they target the route, Service or Gateway the upgrade uses), and check that each is accepted:");
            cmds = policy_apply_commands(policies);
        }
        b.blank();
        for p in policies {
            let object = q(&format!("{}/{}", p.kind.resource, p.name)).into_owned();
            let pns = q(&p.namespace);
            cmds.push(imp.emit.policy_attached_check(p, &object, &pns));
        }
        b.commands(&cmds);
        for p in policies {
            b.line(format!("- `{}` {}: {}.", p.kind, code(&p.name), p.why));
        }
        b.blank();
    }
}

/// Phase 1's tests: curl through the Gateway, then what users do.
fn test_through_gateway(b: &mut Book, c: &Context) {
    let model = c.model;
    let host = model.host.as_deref();
    let scheme = model.scheme();
    let path = model.path.trim_end_matches('/');
    let reach = c.reach();
    let url = |suffix: &str| c.url(suffix);
    b.line(format!(
        "Test the new path before DNS changes: {}.",
        match host {
            None => "curl talks to the Gateway's address directly (the route has no hostname)",
            Some(_) => "curl talks to the Gateway's address while sending the real hostname (`--connect-to` works whether the address is an IP or a DNS name)",
        }
    ));
    b.blank();
    let mut tests = vec![
        format!("curl -fsS {reach}{}   # expect: OK", url("/health")),
        format!("curl -sS -o /dev/null -w '%{{http_code}}\\n' {reach}{}   # expect: 200", url("/api/v1/info")),
    ];
    if model.has_https_listener() {
        let plain = match host {
            Some(h) => q(&format!("http://{h}{}", model.path)).into_owned(),
            None => format!("\"http://$GATEWAY_ADDRESS\"{}", q(&model.path)),
        };
        tests.push(format!(
            "curl -sS -o /dev/null -w '%{{http_code}} %{{redirect_url}}\\n' {}{plain}   # expect: 301 https://...",
            c.reach_on(HTTP_PORT)
        ));
    }
    b.commands(&tests);
    if model.tls.cert_manager().is_some() && host.is_some() {
        b.line("If the Gateway's certificate is not Ready yet (HTTP-01 alone, step 3), its HTTPS listener has no certificate and the HTTPS tests fail: test the redirect on port 80 until it is. `-k` helps only with a certificate that is there but untrusted (a copied staging one).");
        b.blank();
    }
    if let Some(h) = host {
        b.line("For a client and a browser, map the hostname to the Gateway in `/etc/hosts`, which holds IP addresses only:");
        b.blank();
        b.commands(&[
            "GATEWAY_IP=$GATEWAY_ADDRESS; [[ \"$GATEWAY_ADDRESS\" =~ ^[0-9.]+$ ]] || GATEWAY_IP=$(dig +short \"$GATEWAY_ADDRESS\" | grep -E '^[0-9.]+$' | head -n 1)".into(),
            format!("echo \"$GATEWAY_IP {h}\"   # add this line to /etc/hosts for the tests below; remove it afterwards"),
        ]);
    }
    b.line("Then, still through the Gateway, do what users do:");
    b.blank();
    b.line(format!("1. **Large upload.** Point a client at the Gateway ({}), run {}, and upload an artifact or pipeline code larger than 10 MB. A 413 means a body limit; a 504 after a fixed time means a route timeout.", if host.is_some() { "through the hosts entry".to_string() } else { "use its address".to_string() }, code(&format!("zenml login {}", url("")))));
    b.line(if host.is_some() {
        "2. **Login.** Log in to the dashboard through the same hosts entry and open a pipeline run."
    } else {
        "2. **Login.** Log in to the dashboard at the Gateway's address and open a pipeline run."
    });
    b.line("3. **Event stream** (only if your server streams run events: the chart's `streaming.streamBrokerImplementationSource`; otherwise the endpoint answers 501 on both paths). The chart's event-stream rule matches `/api/v1/runs/` with exactly `Accept: text/event-stream` and has no timeout; the stream must stay open past a minute (the server sends a heartbeat every 30 s):");
    b.blank();
    let stream = match host {
        Some(h) => q(&format!("{scheme}://{h}{path}/api/v1/runs/")).into_owned(),
        None => format!("\"{scheme}://$GATEWAY_ADDRESS\"{}", q(&format!("{path}/api/v1/runs/"))),
    };
    b.commands(&[
        "ZENML_TOKEN=${ZENML_TOKEN:?an API token of a ZenML user or service account}".into(),
        "RUN_ID=${RUN_ID:?the id of a running pipeline run}".into(),
        format!(
            "curl -N -sS --max-time 90 {reach}-H 'Accept: text/event-stream' -H \"Authorization: Bearer $ZENML_TOKEN\" {stream}\"$RUN_ID\"/events/stream   # events and heartbeats for 90 s, then curl stops (exit 28); a cut before that is a timeout"
        ),
    ]);
    if host.is_some() {
        b.line("Remove the hosts entry afterwards.");
    }
    b.blank();
}

/// The implementation's own objects the runbook creates beside gateway.yaml (Istio's access log).
fn runbook_objects(b: &mut Book, c: &Context) {
    for object in c.model.implementation.emit.runbook_objects(c.model) {
        b.line(object.why);
        b.blank();
        let mut lines = vec!["kubectl create -f - <<'EOF'".to_string()];
        lines.extend(crate::yaml::to_yaml(&object.object).lines().map(str::to_string));
        lines.push("EOF".to_string());
        b.commands(&lines);
    }
}

/// Step 5 for a name that can be moved: DNS moves to the Gateway.
fn dns_cutover(b: &mut Book, c: &Context) {
    let model = c.model;
    let gwns_w = &c.gwns_w;
    b.heading("## 5. Phase 2: DNS cutover");
    if let (Tls::CertManager(CertManagerTls { secret, .. }), Some(_)) = (&model.tls, &model.host) {
        b.line("First, the Gateway's certificate should be Ready (pre-issued or DNS-01, step 3). If it is not and you rely on HTTP-01 alone, it can only be issued once DNS points at the Gateway, and HTTPS fails on the Gateway from the switch until then (minutes): add a DNS-01 solver first, or accept that window.");
        b.blank();
        b.commands(&[format!(
            "kubectl wait --for=condition=Ready certificates.cert-manager.io/{} -n {gwns_w} --timeout=2m",
            q(&secret.name)
        )]);
    }
    match model.host.as_deref() {
        Some(h) if model.external_dns => external_dns_timeline(b, c, h),
        Some(h) => ttl_timeline(b, h),
        None => {
            b.line("This plan has no hostname, so there is no record to move: users reach ZenML by the load balancer's address. Give them `$GATEWAY_ADDRESS` and the time the old address stops working (phase 3), or re-plan with `--host` to move a DNS name.");
            b.blank();
        }
    }
    if let Some(h) = model.host.as_deref() {
        watch_switch(b, c, h);
    }
}

/// The switch when external-dns owns the record: ownership moves from the Ingress to the route.
fn external_dns_timeline(b: &mut Book, c: &Context, h: &str) {
    let model = c.model;
    let ingress_key = format!("{}.ingress.annotations", model.target_key.as_str());
    b.line(format!("external-dns manages {}: do not edit the record by hand, external-dns would undo it. The switch moves the record's ownership from the Ingress to the HTTPRoute:", code(h)));
    b.blank();
    b.line("| When | What |");
    b.line("|---|---|");
    b.line("| Now | Read the record's TTL from its authoritative name server (first commands below; a resolver shows only what is left of its cache). Call it OLD_TTL. |");
    b.line(format!("| At least OLD_TTL before the switch | Add `external-dns.alpha.kubernetes.io/ttl: \"60\"` under `{ingress_key}` and `{}.gateway.annotations` and {}. |", model.target_key.as_str(), c.delivery.again()));
    b.line(format!("| Switch | Add `external-dns.alpha.kubernetes.io/controller: none` under `{ingress_key}` and upgrade: external-dns stops publishing the Ingress and points {} at the Gateway, while the Ingress keeps serving clients with cached answers. |", code_in_cell(h)));
    b.line("| Switch + 60 s to OLD_TTL | Watch (commands below) and `kubectl logs deploy/external-dns -n external-dns` (adjust to your install) for the update. Rolling back: see step 7. |");
    b.line("| After a quiet day | Go on to phase 3, which removes the Ingress. |");
    b.blank();
}

/// The switch by hand, planned around the record's TTL.
fn ttl_timeline(b: &mut Book, h: &str) {
    b.line("Plan the switch around the record's TTL so that no client keeps the old address for long:");
    b.blank();
    b.line("| When | What |");
    b.line("|---|---|");
    b.line("| Now | Read the record's TTL from its authoritative name server (first commands below; a resolver shows only what is left of its cache). Call it OLD_TTL. |");
    b.line(format!(
        "| At least OLD_TTL before the switch | Lower the TTL of {} to 60 seconds, keeping the old address. |",
        code_in_cell(h)
    ));
    b.line(format!(
        "| Switch | Point {} at the Gateway's address, TTL 60: an A record for an IP address, a CNAME for a DNS name (an alias record if {} is a zone apex, where a CNAME cannot be). The commands below say which. |",
        code_in_cell(h),
        code_in_cell(h)
    ));
    b.line("| Switch + 60 s to OLD_TTL | Watch (commands below). The Ingress keeps serving clients with cached answers, so both paths must work. |");
    b.line("| After a quiet day | Restore the TTL to its old value. Go on to phase 3. |");
    b.blank();
}

/// The record's TTL, both paths compared during the switch, and the Gateway's side of it.
fn watch_switch(b: &mut Book, c: &Context, h: &str) {
    let model = c.model;
    let imp = model.implementation;
    let (gw, gwns, route) = (&model.gateway_name, &model.gateway_namespace, &model.fullname);
    let ns_w = &c.ns_w;
    let url = |suffix: &str| c.url(suffix);
    let h_w = q(h);
    b.commands(&[
        // The first SOA owner that is a suffix of the name: a CNAME's target zone is not it.
        format!("ZONE=$(dig +noall +answer +authority SOA {h_w} | awk -v name={} '$4 == \"SOA\" && (name == $1 || substr(name, length(name) - length($1)) == \".\" $1) {{print $1; exit}}')   # the zone that holds the record", q(&format!("{h}."))),
        "NAMESERVER=$(dig +short NS \"$ZONE\" | head -n 1)".into(),
        format!("dig +norecurse +noall +answer @\"$NAMESERVER\" {h_w}   # second column: the TTL as configured"),
    ]);
    b.line("During the switch, compare the two paths: the same requests through the Ingress and through the Gateway, with their status codes and mean time. Both must answer 200; run it again at each step of the table.");
    b.blank();
    let port = c.port();
    let mut compare = vec![];
    if model.ingress_active {
        compare.push(format!(
            "INGRESS_ADDRESS=$(kubectl get ingress {} -n {ns_w} -o jsonpath='{{.status.loadBalancer.ingress[0].ip}}{{.status.loadBalancer.ingress[0].hostname}}')",
            q(route)
        ));
    }
    compare.push(format!(
        "for address in {}\"$GATEWAY_ADDRESS\"; do echo \"== $address\"; for i in $(seq 20); do curl -s -o /dev/null -w '%{{http_code}} %{{time_total}}\\n' --connect-to {}\"$address\":{port} {}; done | awk '{{codes[$1]++; total += $2}} END {{for (c in codes) print \"status\", c, codes[c] \"x\"; printf \"mean %.3f s\\n\", total / NR}}'; done",
        if model.ingress_active { "\"$INGRESS_ADDRESS\" " } else { "" },
        q(&format!("{h}:{port}:")),
        url("/health")
    ));
    b.commands(&compare);
    b.commands(&[
        "if [[ \"$GATEWAY_ADDRESS\" =~ ^[0-9.]+$ ]]; then echo \"A record: $GATEWAY_ADDRESS\"; elif [[ \"$GATEWAY_ADDRESS\" == *:* ]]; then echo \"AAAA record: $GATEWAY_ADDRESS\"; else echo \"CNAME (or alias) record: $GATEWAY_ADDRESS\"; fi".into(),
        format!("dig +short {}   # shows the Gateway address once the change is out", q(h)),
        format!("curl -fsS {}", url("/health")),
        format!("{}   # requests arriving at the Gateway", imp.logs(gw, gwns)),
    ]);
}

/// Step 6: the Ingress turned off, once nothing uses it.
fn turn_ingress_off(b: &mut Book, c: &Context, awaiting_new_name: bool) {
    let (model, delivery) = (c.model, &c.delivery);
    let route = &model.fullname;
    let ns_w = &c.ns_w;
    let url = |suffix: &str| c.url(suffix);
    b.heading("## 6. Phase 3: turn the Ingress off");
    if awaiting_new_name {
        b.line("Not from this plan: its values keep the old name. The plan made with the Gateway's address (step 5) turns the Ingress off once users have moved.");
        return;
    }
    if !model.ingress_active {
        b.line("The Ingress is already off in your values: `values-final.yaml` only makes that explicit. Use it as your values file from now on.");
    }
    b.line("After the old TTL has passed and the Ingress controller logs show no more ZenML requests:");
    b.blank();
    ingress_unused_checks(b, c);
    b.step(
        delivery.apply(FileName::ValuesFinal, FileName::OverlayFinal),
        &[format!("kubectl get ingress -n {ns_w}   # {route} is gone"), format!("curl -fsS {}", url("/health"))],
    );
    b.line(if crate::behaviour::controller_of(&model.release) == crate::behaviour::Controller::AwsAlb {
        "Keep `values-final.yaml` as your values file from now on. Keep the AWS Load Balancer Controller: it also runs the Gateway's load balancer."
    } else {
        "Keep `values-final.yaml` as your values file from now on. Uninstall the old ingress controller only when no other Ingress uses it (`kubectl get ingress -A`)."
    });
    if let Some(address) = &model.static_address {
        move_static_address(b, c, address);
    }
    if model.release.ingress.generate_certs.value && model.release.ingress.tls_enabled.value {
        b.line(format!(
            "Helm deletes the generated Secret {} in this step; the Gateway does not use it.",
            code(&model.release.ingress.secret_name.value)
        ));
    }
}

/// What shows that no client uses the Ingress any more, where its controller can tell.
fn ingress_unused_checks(b: &mut Book, c: &Context) {
    let model = c.model;
    let (ns, route) = (&model.namespace, &model.fullname);
    if model.ingress_active && crate::behaviour::controller_of(&model.release) == crate::behaviour::Controller::AwsAlb {
        b.line("The ALB keeps no log in the cluster: its CloudWatch metric `RequestCount` (namespace `AWS/ApplicationELB`, dimension `LoadBalancer`) must drop to 0 first.");
        b.blank();
    }
    if model.ingress_active && model.release.ingress.class_name.value == "nginx" {
        // ingress-nginx's default log format has no host; it names the upstream
        // `[<namespace>-<service>-<port>]` (controller-v1.15.1 config.go, util.go upstreamName).
        let upstream = format!("[{ns}-{route}-{}]", model.release.service_port.value);
        b.line(format!(
        "If this class is ingress-nginx: its default access log has no hostname, but names each request's upstream, here {}. Its metric `nginx_ingress_controller_requests` counts the same by `namespace` and `ingress`:",
        code(&upstream)
    ));
        // The chart's ServiceMonitor relabels the request's namespace as exported_namespace.
        b.blank();
        b.commands(&[
        format!(
            "kubectl logs -n ingress-nginx -l app.kubernetes.io/name=ingress-nginx,app.kubernetes.io/component=controller --since=1h --tail=-1 --max-log-requests=20 | grep -cF -e {}   # every controller pod; 0 when no client uses the Ingress any more (adjust namespace and labels to your install)",
            q(&upstream)
        ),
        format!(
            "# Prometheus: sum by (status) (increase(nginx_ingress_controller_requests{{exported_namespace=\"{ns}\",ingress=\"{route}\"}}[1h]))   # 0 when unused (the label is namespace without a ServiceMonitor; no data is not 0)"
        ),
    ]);
    }
}

/// GKE: the Ingress's reserved address moves to the Gateway, in an outage window of its own.
fn move_static_address(b: &mut Book, c: &Context, address: &StaticAddress) {
    let (gwns_w, gw_res) = (&c.gwns_w, &c.gw_res);
    b.blank();
    b.line(format!(
    "**Only if clients or firewalls know the old IP by number:** move {} to the Gateway now that the Ingress has released it. This is an outage: GKE replaces the Gateway's forwarding rule, and for minutes neither address serves. Plan a window, then point DNS back at the old IP; skip it if DNS names are all anyone uses.",
    code(&address.ingress)
));
    b.blank();
    b.commands(&[
    format!(
        "gcloud compute addresses describe {} --global --format='value(address,status)'   # RESERVED, not IN_USE: the Ingress has let it go",
        q(&address.ingress)
    ),
    format!(
        "kubectl patch {gw_res} -n {gwns_w} --type=merge -p {}",
        q(&serde_json::json!({"spec": {"addresses": [{"type": "NamedAddress", "value": address.ingress}]}}).to_string())
    ),
    format!("kubectl wait --for=condition=Programmed {gw_res} -n {gwns_w} --timeout=15m"),
]);
}

/// Step 7: going back from each phase, and removing the platform side.
fn rollback(b: &mut Book, c: &Context, policies: &[Policy], awaiting_new_name: bool) {
    let (model, delivery) = (c.model, &c.delivery);
    let route = &model.fullname;
    let ns_w = &c.ns_w;
    let host = model.host.as_deref();
    b.heading("## 7. Rollback");
    b.line("- **During phase 1** (DNS untouched): remove the route by going back to your original values. The Ingress never stopped serving.");
    b.blank();
    b.step(delivery.revert("values.yaml", "phase 1"), &[]);
    let cleanup = cleanup(c, policies);
    b.line("To remove the platform side as well (never delete the GatewayClass, which other Gateways share):");
    b.blank();
    b.commands(&cleanup);
    if awaiting_new_name {
        b.line("- **Later phases**: in the runbook of the plan made with the Gateway's address.");
    } else if let (Some(old), true) = (&model.moved_from, model.ingress_active) {
        b.line(format!(
            "- **During phase 2**: users go back to {}, which the Ingress still serves; your original values restore `serverURL` and remove the route.",
            code(old)
        ));
        b.line("- **After phase 3**: your original values bring the Ingress back with the old name and URL; wait for its address, which the old name must still hold.");
        b.blank();
        b.step(
            delivery.revert("values.yaml", "phase 3 and phase 1"),
            &[format!("kubectl get ingress {} -n {ns_w} -w   # wait for ADDRESS", q(route))],
        );
    } else if model.ingress_active && model.external_dns && host.is_some() {
        let key = model.target_key.as_str();
        b.line(format!("- **During phase 2** (external-dns): external-dns keeps the record with its current owner, the HTTPRoute, so removing the Ingress's `controller: none` alone changes nothing. Add `external-dns.alpha.kubernetes.io/controller: none` under `{key}.gateway.annotations`, remove it from `{key}.ingress.annotations`, and upgrade: the record goes back to the Ingress. Do not edit the record by hand."));
        b.line("- **After phase 3**: bring the Ingress back with the phase 1 values, then move record ownership back as for phase 2.");
        b.blank();
        b.step(
            delivery.revert(FileName::ValuesParallel.as_str(), "phase 3"),
            &[format!("kubectl get ingress {} -n {ns_w} -w   # wait for ADDRESS", q(route))],
        );
    } else if model.ingress_active {
        let address = code(&format!("kubectl get ingress -n {ns_w} -o wide"));
        b.line(if host.is_some() {
            format!("- **During phase 2**: point the DNS record back at the Ingress's address ({address}); with the 60 s TTL clients follow within minutes. The Gateway route may stay.")
        } else {
            format!("- **During phase 2**: hand users the Ingress's address again ({address}).")
        });
        b.line("- **After phase 3**: bring the Ingress back beside the Gateway with the phase 1 values, wait for its address, then move DNS back if needed.");
        b.blank();
        b.step(
            delivery.revert(FileName::ValuesParallel.as_str(), "phase 3"),
            &[format!("kubectl get ingress {} -n {ns_w} -w   # wait for ADDRESS", q(route))],
        );
        if model.release.ingress.tls_enabled.value && !model.release.ingress.generate_certs.value {
            let labelled = matches!(model.tls, Tls::ExistingSecret { .. })
                && model.implementation.emit.certificate_secret_labels().is_some();
            b.line(format!(
                "The Ingress's TLS Secret {} is untouched by this plan{}, so the restored Ingress serves its certificate again.",
                code(&model.release.ingress.secret_name.value),
                if labelled { " but for a label" } else { "" }
            ));
        }
    } else {
        b.line("- **Later**: there was no Ingress before; going back means the phase 1 rollback above, and pointing DNS away from the Gateway.");
    }
}

/// What removes the platform side the plan created, newest first.
fn cleanup(c: &Context, policies: &[Policy]) -> Vec<String> {
    let model = c.model;
    let imp = model.implementation;
    let gw = &model.gateway_name;
    let (ns_w, gwns_w, gw_res) = (&c.ns_w, &c.gwns_w, &c.gw_res);
    let mut cleanup = Vec::new();
    if model.has_https_listener() {
        cleanup.push(format!(
            "kubectl delete {} -n {gwns_w}",
            q(&format!("httproutes.gateway.networking.k8s.io/{gw}-https-redirect"))
        ));
    }
    if matches!(model.tls, Tls::ExistingSecret { .. }) && model.cross_namespace() {
        cleanup.push(format!(
            "kubectl delete {} -n {ns_w}",
            q(&format!("referencegrants.gateway.networking.k8s.io/{}-tls-from-{gw}", model.fullname))
        ));
    }
    if policies.iter().any(|p| !p.applied_by_runbook()) {
        cleanup.insert(
            0,
            "kubectl delete -f policies.yaml   # the policies would attach again to a re-created route".to_string(),
        );
    }
    for p in policies.iter().filter(|p| p.applied_by_runbook()) {
        cleanup.insert(
            0,
            format!("kubectl delete {} -n {}", q(&format!("{}/{}", p.kind.resource, p.name)), q(&p.namespace)),
        );
    }
    for object in imp.emit.runbook_objects(model) {
        cleanup.push(format!(
            "kubectl delete {} -n {}",
            q(&format!("{}/{}", object.resource, object.name)),
            q(&object.namespace)
        ));
    }
    // The route is gone once the phase 1 rollback above ran, unless the values had it before.
    let service_annotations = imp.emit.service_annotations(model, c.behaviour);
    if !service_annotations.is_empty() && !model.release.gateway.enabled.value {
        let keys: Vec<String> = service_annotations.iter().map(|a| q(&format!("{}-", a.key)).into_owned()).collect();
        cleanup.push(format!(
            "kubectl annotate service {} -n {ns_w} {}   # only once the route is gone",
            q(&model.fullname),
            keys.join(" ")
        ));
    }
    if let (Tls::ExistingSecret { secret }, Some(labels)) = (&model.tls, imp.emit.certificate_secret_labels()) {
        let keys: Vec<String> = labels.labels.iter().map(|(k, _)| q(&format!("{k}-")).into_owned()).collect();
        cleanup.push(format!(
            "kubectl label secret {} -n {} {}   # unless something else reads it through {}",
            q(&secret.name),
            q(&secret.namespace),
            keys.join(" "),
            imp.display_name
        ));
    }
    for object in imp.emit.backend_objects(model) {
        cleanup.push(format!(
            "kubectl delete {} -n {}   # once no route of the Gateway sends ZenML traffic",
            q(&format!("{}/{}", object.resource, object.name)),
            q(&object.namespace)
        ));
    }
    // Settings the implementation holds while a Gateway names them go after the Gateway.
    let outlive_the_gateway = imp.emit.infrastructure(model).is_some_and(|i| i.outlive_the_gateway);
    let data_plane = crate::emit::gateway::data_plane_objects_to_delete(model);
    if !outlive_the_gateway {
        for object in &data_plane {
            cleanup.push(format!("kubectl delete {} -n {gwns_w}   # with the Gateway only", q(object)));
        }
    }
    if let Tls::CertManager(CertManagerTls { origin: IssuerOrigin::Existing, gateway_issuer: copy, .. }) = &model.tls {
        let resource = copy.kind.resource();
        let ns = if copy.kind == IssuerKind::Issuer { format!(" -n {gwns_w}") } else { String::new() };
        cleanup.push(format!(
            "kubectl delete {}{ns}   # the issuer copy made for the Gateway",
            q(&format!("{resource}/{}", copy.name))
        ));
    }
    cleanup.push(format!(
        "kubectl delete {gw_res} -n {gwns_w}   # only if it was created for ZenML and serves nothing else"
    ));
    if outlive_the_gateway {
        for object in &data_plane {
            cleanup.push(format!(
                "kubectl delete {} -n {gwns_w}   # with the Gateway only, after it: a Gateway that names it keeps it from going",
                q(object)
            ));
        }
    }
    cleanup.extend(imp.emit.uninstall());
    cleanup
}

/// Step 8: every finding that is not just information.
fn findings_to_act_on(b: &mut Book, findings: &[Finding]) {
    let notes: Vec<&Finding> = findings.iter().filter(|f| f.severity != Severity::Info).collect();
    if !notes.is_empty() {
        b.heading("## 8. Findings to act on");
        for f in notes {
            let at = f
                .path
                .as_deref()
                .map(|p| format!(" ({}{})", code(p), f.line.map(|l| format!(", line {l}")).unwrap_or_default()))
                .unwrap_or_default();
            b.line(format!("- **{}** `{}`{at}: {}", f.severity.as_str(), f.code, f.message));
        }
    }
}

/// Phase 2 for a host whose record cannot be moved: users move to a new name instead of DNS
/// moving under them.
fn new_name_section(b: &mut Book, c: &Context, old: &str) {
    let (model, delivery) = (c.model, &c.delivery);
    let wildcard = match &model.host_kind {
        HostKind::WildcardDns { prefix, service } => Some((prefix.as_str(), service.as_str())),
        _ => None,
    };
    match (model.gateway_address.as_deref(), model.host.as_deref()) {
        (Some(address), Some(new)) if new != old => {
            b.heading("## 5. Phase 2: users move to the new name");
            b.line(format!(
                "{} cannot be pointed at the Gateway, so ZenML gets a new name, {}, made from the Gateway's address {} (no DNS record to create and no TTL to wait for: it resolves by itself). Since phase 1, `serverURL` names it; the old name keeps working through the Ingress until phase 3. Check the new name, then move every client: `zenml login` on each machine, CI secrets and service connectors that hold the URL, bookmarks.",
                code(old),
                code(new),
                code(address)
            ));
            b.blank();
            let url = model.new_public_url().unwrap_or_default();
            if let Tls::CertManager(CertManagerTls { secret, .. }) = &model.tls {
                b.line("First, the certificate for the new name must be Ready (cert-manager validates it through the Gateway, which the new name already reaches):");
                b.blank();
                b.commands(&[format!(
                    "kubectl wait --for=condition=Ready certificates.cert-manager.io/{} -n {} --timeout=10m",
                    q(&secret.name),
                    q(&model.gateway_namespace)
                )]);
            }
            b.commands(&[
                format!("dig +short {}   # the Gateway's address", q(new)),
                format!("curl -fsS {}   # expect: OK", q(&format!("{url}/health"))),
                format!("zenml login {}", q(&url)),
            ]);
            b.line("Go on to phase 3 when the Ingress sees no more ZenML requests (the commands in step 6).");
            b.blank();
        }
        _ => {
            b.heading("## 5. Phase 2: a new name for ZenML");
            b.line(format!(
                "{} cannot be pointed at the Gateway: {} There is no record to move and no TTL to plan around: derive the new name from the Gateway's address:",
                code(old),
                if wildcard.is_some() {
                    "it is a wildcard-DNS name, which resolves to the IP written in it."
                } else {
                    "it is the ingress load balancer's own name, which goes away with it."
                }
            ));
            b.blank();
            let derive = match wildcard {
                Some((prefix, service)) => {
                    let at = if prefix.is_empty() { String::new() } else { format!("{prefix}.") };
                    format!(
                        "if [[ \"$GATEWAY_ADDRESS\" =~ ^[0-9.]+$ ]]; then NEW_HOST={}\"$GATEWAY_ADDRESS\"{}; else NEW_HOST=$GATEWAY_ADDRESS; fi   # a DNS name (EKS) resolves by itself",
                        q(&at),
                        q(&format!(".{service}"))
                    )
                }
                None => "NEW_HOST=$GATEWAY_ADDRESS   # a DNS name (EKS); if this is an IP address, use a name you own that points at it".into(),
            };
            b.commands(&[derive, "echo \"$NEW_HOST\"".into()]);
            b.line(format!(
                "Enter the Gateway's address in the planner (the Gateway address field; CLI: {}) and plan again. That plan moves the route, the certificate and `serverURL` to the new name, and holds the rest of the move: continue with its runbook from step 4 (the Gateway from step 3 stays as it is).{}",
                code("--gateway-address \"$GATEWAY_ADDRESS\""),
                match delivery.kind() {
                    DeployedWith::Helm => "",
                    _ => " Its values go to Git like this plan's.",
                }
            ));
            b.blank();
        }
    }
}

/// Shows an ACM certificate's status and names. The ARN names its region; the CLI's default
/// region may differ.
fn describe_certificate(arn: &str) -> String {
    let region =
        arn.split(':').nth(3).filter(|r| !r.is_empty()).map(|r| format!(" --region {}", q(r))).unwrap_or_default();
    format!(
        "aws acm describe-certificate --certificate-arn {}{region} --query 'Certificate.[Status,DomainName,SubjectAlternativeNames]'",
        q(arn)
    )
}

/// The ZenML Service annotations the implementation reads, set on the live Service before the
/// route exists: the plan writes only the values' `ingress` and `gateway` keys.
fn service_annotation_steps(b: &mut Book, c: &Context, annotations: &[ObjectAnnotation]) {
    let model = c.model;
    let imp = model.implementation;
    let (service, ns) = (q(&model.fullname), &c.ns_w);
    b.line(format!(
        "{} reads these annotations on ZenML's Service {}. The chart sets Service annotations from `{}.service.annotations`, but this plan changes only the `ingress` and `gateway` keys of your values, so set them on the Service now, before the upgrade creates the route:",
        imp.display_name,
        code(&model.fullname),
        model.target_key.as_str()
    ));
    b.blank();
    for a in annotations {
        b.line(format!("- {}: {}.", code(&format!("{}: \"{}\"", a.key, a.value)), a.why));
    }
    b.blank();
    let pairs: Vec<String> = annotations.iter().map(|a| q(&format!("{}={}", a.key, a.value)).into_owned()).collect();
    let keys: Vec<String> = annotations.iter().map(|a| a.key.replace('.', "\\.")).collect();
    b.commands(&[
        format!("kubectl annotate service {service} -n {ns} --overwrite {}", pairs.join(" ")),
        format!(
            "kubectl get service {service} -n {ns} -o jsonpath='{}'",
            keys.iter().map(|k| format!("{{.metadata.annotations.{k}}}{{\"\\n\"}}")).collect::<String>()
        ) + "   # the values above, one per line",
    ]);
    b.line(format!(
        "{}; the `{}` finding says how to keep them in your values as well.",
        match model.deployed_with {
            DeployedWith::Helm => "Helm keeps annotations it did not set across upgrades (its three-way merge, or server-side apply, leaves fields it does not own), so the upgrades below keep them",
            DeployedWith::ArgoCd => "Argo CD syncs like `kubectl apply`, which keeps annotations it did not set (unless the Application syncs with `Replace=true`), so the syncs below keep them",
            DeployedWith::Flux => "Flux's helm-controller upgrades with Helm, which keeps annotations it did not set (its three-way merge, or server-side apply, leaves fields it does not own), so the reconciliations below keep them",
        },
        FindingCode::ServiceAnnotations
    ));
    b.blank();
}

/// `key=value` pairs, space-separated.
fn label_words(labels: SecretLabels) -> String {
    labels.labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")
}

/// Labels a certificate Secret the implementation reads only when labelled. cert-manager writes
/// its Secrets with server-side apply, so a label set here stays through renewals.
fn label_secret(b: &mut Book, model: &Model, name: &str, namespace: &str) {
    let Some(labels) = model.implementation.emit.certificate_secret_labels() else { return };
    let pairs: Vec<String> = labels.labels.iter().map(|(k, v)| q(&format!("{k}={v}")).into_owned()).collect();
    b.line(format!(
        "Label the Secret {}, because {} (cert-manager keeps a label it did not set when it renews a certificate):",
        code(&label_words(labels)),
        labels.why
    ));
    b.blank();
    b.commands(&[format!("kubectl label secret {} -n {} --overwrite {}", q(name), q(namespace), pairs.join(" "))]);
}

/// The overview's TLS row.
fn tls_summary(model: &Model) -> String {
    match &model.tls {
        Tls::CertManager(cert_manager) => format!(
            "cert-manager {} writes Secret {} in {}",
            code_in_cell(&cert_manager.gateway_issuer.to_string()),
            code_in_cell(&cert_manager.secret.name),
            code_in_cell(&model.gateway_namespace)
        ),
        Tls::ExistingSecret { secret: CertificateSecret { name, namespace } } => {
            format!("existing Secret {}", code_in_cell(&format!("{namespace}/{name}")))
        }
        Tls::CloudLb(CloudLbTls::AwsNlbAcm { certificate_arn }) => format!(
            "at the AWS NLB (ACM {})",
            certificate_arn.as_deref().map(code_in_cell).unwrap_or_else(|| "certificate not given".into())
        ),
        Tls::CloudLb(CloudLbTls::GkeCertificateMap { certificate_map }) => {
            format!("at the Google load balancer (certificate map {})", code_in_cell(certificate_map))
        }
        Tls::CloudLb(CloudLbTls::AwsAlbAcm { certificate_arn, .. }) => format!(
            "at the AWS ALB the Gateway is (ACM {})",
            certificate_arn.as_deref().map(code_in_cell).unwrap_or_else(|| "certificate found by hostname".into())
        ),
        Tls::None => "none (plain HTTP)".into(),
    }
}

/// Step 3 with cert-manager: its Gateway API support, the Gateway's issuer, and the certificate.
fn cert_manager_steps(b: &mut Book, c: &Context, cert_manager: &CertManagerTls) {
    cert_manager_gateway_api(b, c);
    gateway_issuer_steps(b, c, cert_manager);
    certificate_steps(b, c, cert_manager);
}

/// cert-manager watches Gateways only with its Gateway API support on.
fn cert_manager_gateway_api(b: &mut Book, c: &Context) {
    b.line("cert-manager (1.15 or later) must watch Gateways. Turn its Gateway API support on, keeping the version you run (after the Gateway API CRDs exist; restart it if they came later):");
    b.blank();
    b.commands(&[
        "helm list -n cert-manager   # CHART shows cert-manager-vX.Y.Z".into(),
        "CERT_MANAGER_VERSION=$(helm list -n cert-manager -o json | jq -r '.[] | select(.name==\"cert-manager\") | .chart | sub(\"^cert-manager-\"; \"\")')".into(),
        // The controller decodes its configuration strictly: the 1.21 key stops a 1.16-1.20
        // controller from starting, so the key follows the version that runs.
        "case \"${CERT_MANAGER_VERSION:?cert-manager not found: install it (below)}\" in v1.15.*) GATEWAY_API_SET=(--set config.enableGatewayAPI=true --set config.apiVersion=controller.config.cert-manager.io/v1alpha1 --set config.kind=ControllerConfiguration);; v1.1[6-9].*|v1.20.*) GATEWAY_API_SET=(--set config.enableGatewayAPI=true);; *) GATEWAY_API_SET=(--set config.gatewayAPI.enabled=true);; esac".into(),
        "helm upgrade cert-manager oci://quay.io/jetstack/charts/cert-manager -n cert-manager --version \"$CERT_MANAGER_VERSION\" --reuse-values \"${GATEWAY_API_SET[@]}\"".into(),
        "kubectl rollout status deployment cert-manager -n cert-manager --timeout=5m   # the controller restarts with Gateway API support".into(),
        "# not installed yet: helm install cert-manager oci://quay.io/jetstack/charts/cert-manager --version v1.21.1 -n cert-manager --create-namespace --set crds.enabled=true --set config.gatewayAPI.enabled=true".into(),
    ]);
    if let Some(note) = c.delivery.other_release_note() {
        b.line(note);
        b.blank();
    }
}

/// The issuer the Gateway's annotation names: a copy of the Ingress's, or one tls.yaml creates.
fn gateway_issuer_steps(b: &mut Book, c: &Context, cert_manager: &CertManagerTls) {
    let model = c.model;
    let gwns = &model.gateway_namespace;
    let gwns_w = &c.gwns_w;
    let issuer = &cert_manager.issuer;
    let kind_res = issuer.kind.resource();
    let issuer_w = q(&issuer.name);
    let issuer_text = code(&issuer.to_string());
    let gateway_issuer = &cert_manager.gateway_issuer;
    let gateway_issuer_text = code(&gateway_issuer.to_string());
    let gateway_issuer_w = q(&gateway_issuer.name);
    let gateway_ns_flag =
        if gateway_issuer.kind == IssuerKind::Issuer { format!(" -n {gwns_w}") } else { String::new() };
    if cert_manager.origin == IssuerOrigin::Existing {
        // Never apply over the Ingress's issuer or edit its solvers: with several solvers and no
        // selectors, which one cert-manager picks decides whose renewals break. The Gateway gets a
        // copy of its own, created (never applied over) from the cluster's object.
        let source_ns =
            if issuer.kind == IssuerKind::Issuer { format!(" -n {}", q(&model.namespace)) } else { String::new() };
        let solver = serde_json::to_string(&crate::emit::tls::gateway_solver(model)).expect("solvers serialise");
        let metadata = if gateway_issuer.kind == IssuerKind::Issuer {
            "{name: $name, namespace: $namespace}"
        } else {
            "{name: $name}"
        };
        b.line(format!(
            "The Ingress's issuer {issuer_text} stays as it is: the Ingress renews with it until phase 3. The Gateway gets its own issuer {gateway_issuer_text}, a copy whose HTTP-01 solvers are replaced by one that answers through the Gateway's {} listener; its DNS-01 solvers stay and, where their selectors match, issue before the cutover. A CA, Vault or other non-ACME issuer is copied as it is{}. `kubectl create` never changes an object that exists:",
            code(&model.listeners.http.name),
            if gateway_issuer.kind == IssuerKind::Issuer && model.cross_namespace() {
                format!(" (a CA issuer's Secret must exist in {} too)", code(gwns))
            } else {
                String::new()
            }
        ));
        b.blank();
        b.commands(&[
            format!("SOLVER={}", q(&solver)),
            format!(
                "kubectl get {kind_res} {issuer_w}{source_ns} -o json | jq --arg name {gateway_issuer_w} --arg namespace {gwns_w} --argjson solver \"$SOLVER\" '{{apiVersion, kind, metadata: {metadata}, spec: (.spec | if .acme then (.acme.privateKeySecretRef.name = ($name + \"-account-key\") | .acme.solvers = ([.acme.solvers[]? | select(.dns01 != null)] + [$solver])) else . end)}}' | kubectl create -f -"
            ),
            format!(
                "kubectl get {kind_res} {gateway_issuer_w}{gateway_ns_flag} -o jsonpath='{{.status.conditions[?(@.type==\"Ready\")].status}}{{\"\\n\"}}'   # True"
            ),
        ]);
        if issuer.kind == IssuerKind::Issuer && model.cross_namespace() {
            // A namespaced CA issuer signs with a Secret of its own namespace.
            b.line(format!("A CA Issuer signs with a Secret in its own namespace: if the Ingress's issuer is one, copy that Secret to {} too, or the copy never becomes Ready:", code(gwns)));
            b.blank();
            b.commands(&[
                format!("CA_SECRET=$(kubectl get {kind_res} {issuer_w}{source_ns} -o jsonpath='{{.spec.ca.secretName}}')"),
                format!("[ -z \"$CA_SECRET\" ] || kubectl get secret \"$CA_SECRET\"{source_ns} -o json | jq '{{apiVersion, kind, type, data, metadata: {{name: .metadata.name}}}}' | kubectl create -n {gwns_w} -f -"),
            ]);
        }
    } else {
        b.line(if cert_manager.origin == IssuerOrigin::SelfSigned {
            format!("tls.yaml holds {gateway_issuer_text}, a self-signed issuer that replaces the certificate the chart generated for the Ingress.")
        } else {
            format!(
                "tls.yaml holds {gateway_issuer_text}, a new ACME issuer (Let's Encrypt) with an HTTP-01 solver that answers through the Gateway's {} listener. `kubectl create` never changes an issuer that exists: if it says AlreadyExists, check that one is yours.",
                code(&model.listeners.http.name)
            )
        });
        b.blank();
        b.commands(&[
            "kubectl create -f tls.yaml".into(),
            format!(
                "kubectl get {kind_res} {gateway_issuer_w}{gateway_ns_flag} -o jsonpath='{{.status.conditions[?(@.type==\"Ready\")].status}}{{\"\\n\"}}'   # True"
            ),
        ]);
    }
}

/// The certificate before phase 1: copied from the Ingress, or how to follow its issuance.
fn certificate_steps(b: &mut Book, c: &Context, cert_manager: &CertManagerTls) {
    let model = c.model;
    let gwns_w = &c.gwns_w;
    let gateway_issuer = &cert_manager.gateway_issuer;
    let gateway_issuer_text = code(&gateway_issuer.to_string());
    let gateway_issuer_w = q(&gateway_issuer.name);
    let gateway_kind = gateway_issuer.kind.as_str();
    let secret = &cert_manager.secret;
    if let Some(host) = &model.host {
        let copyable = model.ingress_active && model.release.ingress.tls_enabled.value;
        if !cert_manager.self_signed() && copyable {
            b.line(if model.moved_from.is_some() {
                format!(
                    "{} cannot reach the Gateway, so cert-manager issues only for the new name (step 5). For phase 1's tests through the old name, copy the Ingress's current certificate into the Secret the Gateway's HTTPS listener serves; the new name's Certificate replaces it later.",
                    code(host)
                )
            } else {
                format!(
                    "An ACME issuer's HTTP-01 cannot succeed until {} resolves to the Gateway (phase 2), and an HTTPS listener without its certificate is not programmed. Have the certificate before phase 1's checks: copy the Ingress's current one into the Secret the Gateway uses (cert-manager renews it through the Gateway later), or add a `dns01` solver for your DNS provider to {gateway_issuer_text}.",
                    code(host)
                )
            });
            b.blank();
            let labels = model.implementation.emit.certificate_secret_labels();
            b.line(format!("cert-manager keeps a copied certificate only if the Secret's annotations name the Gateway's issuer and its Certificate (named after the Secret), and the certificate's names equal the listener's hostname; otherwise it re-issues at once, which HTTP-01 cannot do yet. The copy sets exactly those annotations{}:", labels.map(|l| format!(", and the labels {} because {}", code(&label_words(l)), l.why)).unwrap_or_default()));
            b.blank();
            let labels_jq = labels
                .map(|l| {
                    let fields: Vec<String> = l.labels.iter().map(|(k, v)| format!("\"{k}\": \"{v}\"")).collect();
                    format!(", labels: {{{}}}", fields.join(", "))
                })
                .unwrap_or_default();
            b.commands(&[format!(
                "kubectl get secret {} -n {} -o json | jq --arg name {} --arg issuer {gateway_issuer_w} --arg kind {gateway_kind} '{{apiVersion, kind, type, data, metadata: {{name: $name, annotations: {{\"cert-manager.io/issuer-name\": $issuer, \"cert-manager.io/issuer-kind\": $kind, \"cert-manager.io/issuer-group\": \"cert-manager.io\", \"cert-manager.io/certificate-name\": $name}}{labels_jq}}}}}' | kubectl create -n {gwns_w} -f -",
                q(&model.release.ingress.secret_name.value),
                q(&model.namespace),
                q(&secret.name)
            )]);
        }
        if !cert_manager.self_signed() && !copyable && model.moved_from.is_none() {
            b.line(format!(
                "The Ingress has no certificate to copy, and an ACME issuer's HTTP-01 cannot reach the Gateway until {} resolves to it (phase 2). Before phase 1, add a `dns01` solver for your DNS provider to {gateway_issuer_text} (cert-manager's ACME DNS-01 documentation lists them); without one the HTTPS listener has no certificate until after the switch: phase 1's HTTPS tests fail, and HTTPS fails on the Gateway for the minutes HTTP-01 then takes.",
                code(host)
            ));
            b.blank();
        }
        let certificate = crate::emit::tls::certificate(model);
        if cert_manager.origin == IssuerOrigin::Existing && certificate.is_some() {
            b.line("tls.yaml holds the Certificate for the new name (gateway-shim issues only for listener hostnames, and the listeners carry none):");
            b.blank();
            b.commands(&["kubectl create -f tls.yaml".into()]);
        }
        if model.listeners.hostname.is_none() && certificate.is_none() {
            return;
        }
        b.line("After applying gateway.yaml below, follow the certificate:");
        b.blank();
        b.commands(&[
            format!(
                "kubectl get certificates.cert-manager.io {} -n {gwns_w}   # READY True once issued",
                q(&secret.name)
            ),
            "kubectl get challenges.acme.cert-manager.io -A   # pending HTTP-01 challenges and why".into(),
        ]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{build_model, Choices, TlsModel};
    use crate::ImplementationId;

    fn model(values: &str, choices: &Choices) -> Model {
        build_model(values, choices, &mut Vec::new()).unwrap()
    }

    #[test]
    fn the_platform_cleanup_removes_the_issuer_copy_it_made_and_only_that() {
        let c = Choices::new(ImplementationId::EnvoyGateway);
        let named = "server:\n  ingress:\n    host: zenml.example.com\n    annotations:\n      cert-manager.io/cluster-issuer: letsencrypt-prod\n";
        let m = model(named, &c);
        let commands = cleanup(&Context::new(&m, &Behaviour::of(&m.release)), &[]);
        assert!(
            commands.iter().any(|l| l.contains("clusterissuers.cert-manager.io/letsencrypt-prod-gateway")),
            "{commands:?}"
        );
        assert!(!commands.iter().any(|l| l.contains("/letsencrypt-prod ")), "the Ingress's issuer stays: {commands:?}");
        let m = model("server:\n  ingress:\n    host: zenml.example.com\n", &c);
        assert!(!cleanup(&Context::new(&m, &Behaviour::of(&m.release)), &[])
            .iter()
            .any(|l| l.contains("cert-manager.io")));
    }

    #[test]
    fn tests_reach_the_gateway_by_its_address_until_dns_moves() {
        let mut c = Choices::new(ImplementationId::Istio);
        c.tls = Some(TlsModel::CertManager);
        let m = model("server:\n  ingress:\n    host: zenml.example.com\n", &c);
        let behaviour = Behaviour::of(&m.release);
        let context = Context::new(&m, &behaviour);
        assert_eq!(context.reach(), "--connect-to zenml.example.com:443:\"$GATEWAY_ADDRESS\":443 ");
        assert_eq!(context.url("/health"), "https://zenml.example.com/health");
        // No hostname: the Gateway's own address, with an untrusted certificate for it.
        let m = model("server:\n  ingress:\n    enabled: true\n", &c);
        let behaviour = Behaviour::of(&m.release);
        let context = Context::new(&m, &behaviour);
        assert_eq!(context.reach(), "-k ");
        assert_eq!(context.url("/health"), "\"https://$GATEWAY_ADDRESS\"/health");
    }
}
