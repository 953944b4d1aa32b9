//! The Gateway API implementations the planner targets, one module each. A module holds every
//! fact the plan needs about its implementation (an [`Implementation`]) and every object or
//! command only it produces (its [`Emit`]); the emitters ask these and never name an
//! implementation. Facts from `shared/reference/implementations.md` (researched 2026-08).
//!
//! Adding an implementation: a module like `envoy_gateway.rs`, its variant of [`ImplementationId`]
//! and its line in [`IMPLEMENTATIONS`]; the tests below say what is missing.

pub mod aws_load_balancer_controller;
pub mod envoy_gateway;
pub mod gke;
pub mod istio;
pub mod kong;
pub mod nginx_gateway_fabric;
pub mod traefik;

use crate::annotations::{Carry, Rule};
use crate::behaviour::Behaviour;
use crate::emit::policies::Policy;
use crate::findings::{Finding, FindingCode, Severity};
use crate::plan::{Model, TlsModel};
use crate::shell::quote;
use crate::values::release::Annotation;
use gateway_api::gatewayclasses::GatewayClassParametersRef;
use gateway_api::gateways::GatewayInfrastructureParametersRef;
use serde::Serialize;
use serde_json::Value;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImplementationId {
    EnvoyGateway,
    Istio,
    NginxGatewayFabric,
    Gke,
    Traefik,
    Kong,
    AwsLoadBalancerController,
}

/// Every implementation, in the order the web app, the CLI's usage and the README list them.
pub const IMPLEMENTATIONS: &[Implementation] = &[
    envoy_gateway::IMPLEMENTATION,
    istio::IMPLEMENTATION,
    nginx_gateway_fabric::IMPLEMENTATION,
    gke::IMPLEMENTATION,
    traefik::IMPLEMENTATION,
    kong::IMPLEMENTATION,
    aws_load_balancer_controller::IMPLEMENTATION,
];

/// How TLS terminated at a cloud load balancer reaches this implementation's Gateway.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CloudLoadBalancer {
    /// An AWS NLB with an ACM certificate, configured by annotations on the generated Service
    /// (through `Gateway.spec.infrastructure.annotations`); the 443 listener is plain HTTP.
    AwsNlbAcm,
    /// The Google load balancer the Gateway *is*, with a Certificate Manager certificate map.
    GkeCertificateMap,
    /// The AWS ALB the Gateway *is*, with ACM certificates its implementation's own settings
    /// name (listeners take no `certificateRefs`); its HTTPS listener ends TLS.
    AwsAlbAcm,
}

impl CloudLoadBalancer {
    /// The Gateway is the cloud's load balancer itself, not pods behind a LoadBalancer Service
    /// that the cloud's controller fronts with one.
    pub fn is_the_gateway(self) -> bool {
        match self {
            CloudLoadBalancer::AwsNlbAcm => false,
            CloudLoadBalancer::GkeCertificateMap | CloudLoadBalancer::AwsAlbAcm => true,
        }
    }

    /// The certificate is an ACM certificate, named by its ARN (`--certificate-arn`).
    pub fn takes_acm_certificate(self) -> bool {
        match self {
            CloudLoadBalancer::AwsNlbAcm | CloudLoadBalancer::AwsAlbAcm => true,
            CloudLoadBalancer::GkeCertificateMap => false,
        }
    }

    /// The listener serves every certificate the ALB Ingress listed (SNI), not only the first.
    pub fn serves_several_certificates(self) -> bool {
        match self {
            CloudLoadBalancer::AwsAlbAcm => true,
            CloudLoadBalancer::AwsNlbAcm | CloudLoadBalancer::GkeCertificateMap => false,
        }
    }

    /// A GCE Ingress's Google-managed or pre-shared certificates can stay at this load balancer.
    pub fn keeps_google_certificates(self) -> bool {
        match self {
            CloudLoadBalancer::AwsNlbAcm | CloudLoadBalancer::AwsAlbAcm => false,
            CloudLoadBalancer::GkeCertificateMap => true,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct InstallStep {
    pub what: &'static str,
    pub command: &'static str,
}

/// An install step that depends on the plan (values the install takes, derived from the ingress
/// and the TLS model). `command` may span lines (a here-document).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlannedStep {
    pub what: String,
    pub command: String,
}

/// A duration in whole seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Seconds(pub u64);

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} s", self.0)
    }
}

/// A size in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Bytes(pub u64);

impl Bytes {
    pub const MIB: Bytes = Bytes(1 << 20);
}

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 >= Bytes::MIB.0 && self.0.is_multiple_of(Bytes::MIB.0) {
            write!(f, "{} MB", self.0 / Bytes::MIB.0)
        } else {
            write!(f, "{} bytes", self.0)
        }
    }
}

/// What the implementation does to ZenML's traffic when no policy says otherwise. `None`: no
/// such limit.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Defaults {
    /// The longest a whole request and its response may take.
    pub request_timeout: Option<Seconds>,
    /// The longest wait between two reads from ZenML (nginx's `proxy_read_timeout`).
    pub per_read_timeout: Option<Seconds>,
    /// The largest request body (ZenML uploads artifacts and code through its API).
    pub body_limit: Option<Bytes>,
    /// The longest wait for a connection to ZenML.
    pub connect_timeout: Option<Seconds>,
}

/// What the implementation does with the `timeouts` of an HTTPRoute rule: the ZenML chart
/// always writes them on its event-stream rule (0 s, no timeout).
#[derive(Clone, Copy, Debug, Serialize)]
pub enum RouteTimeouts {
    Applied,
    /// Accepted and dropped: the warning says what applies instead.
    Ignored(&'static str),
    /// The route is not accepted with them: the error (phase 1 is blocked) says what to do.
    Rejected(&'static str),
}

/// The listener ports of the Gateway (the Service in front may expose others).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ListenerPorts {
    pub http: i32,
    pub https: i32,
}

/// The ports Gateway API implementations listen on unless they map their own.
pub const STANDARD_PORTS: ListenerPorts = ListenerPorts { http: 80, https: 443 };

/// A TLS model the implementation cannot serve, and why: the plan is refused, never quietly
/// made with another model.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct TlsRefusal {
    pub model: TlsModel,
    pub why: &'static str,
}

/// Something an operator must know about the implementation before the cutover, as the finding
/// every plan for it carries.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Note {
    pub code: FindingCode,
    pub severity: Severity,
    pub text: &'static str,
}

/// The implementation's word on an annotation rule: the rule's key, what carries it over, how.
/// Every rule without a common outcome needs one; a rule with a common outcome may get one where
/// this implementation differs.
pub type AnnotationOutcome = (&'static str, Carry, &'static str);

/// An annotation's finding as an implementation words it: severity, code, message.
pub type AnnotationVerdict = (Severity, FindingCode, String);

#[derive(Clone, Debug, Serialize)]
pub struct Implementation {
    pub id: ImplementationId,
    /// The value of `--implementation`.
    pub slug: &'static str,
    pub display_name: &'static str,
    pub version: &'static str,
    pub gateway_class: &'static str,
    pub controller_name: &'static str,
    /// False when the planner must emit the GatewayClass (the install does not create one).
    pub install_creates_gateway_class: bool,
    /// The Gateway API CRD bundle this version is built on and installs.
    pub gateway_api_bundle: &'static str,
    /// What this version does on a cluster whose CRD bundle is newer than its own.
    pub newer_bundle: &'static str,
    /// False on managed platforms that install and own the Gateway API CRDs.
    pub user_installs_crds: bool,
    pub install: &'static [InstallStep],
    /// What the cluster must have besides the install, said after it.
    pub cluster_requirements: Option<&'static str>,
    /// How to find the data-plane Service; `{gateway}` and `{namespace}` are filled in.
    pub data_plane_service: &'static str,
    /// The oldest Kubernetes minor this version supports; `None` when upstream states none.
    pub min_kubernetes: Option<&'static str>,
    /// Shows the latest requests reaching the Gateway; `{gateway}` and `{namespace}` are filled in.
    pub logs_command: &'static str,
    pub listener_ports: ListenerPorts,
    pub defaults: Defaults,
    pub route_timeouts: RouteTimeouts,
    pub cloud_load_balancer: CloudLoadBalancer,
    /// The TLS models it cannot serve (every other one it can).
    pub refused_tls: &'static [TlsRefusal],
    /// Its side of proxy protocol behind an AWS NLB, which passes the client's address only so.
    pub proxy_protocol: Option<&'static str>,
    /// What sets the cloud load balancer's health check of ZenML, when the load balancer checks
    /// ZenML itself rather than the Gateway's proxy.
    pub load_balancer_health_check: Option<&'static str>,
    /// The Gateway takes a reserved Google Cloud address by name (`spec.addresses`
    /// NamedAddress), so a GCE Ingress's reserved address has a successor.
    pub google_named_address: bool,
    /// Its outcome for every annotation rule that has no common one (`Rule::every`), and for
    /// those whose common one it does not share.
    pub annotations: &'static [AnnotationOutcome],
    pub notes: &'static [Note],
    /// The objects and commands only this implementation produces.
    #[serde(skip)]
    pub emit: &'static dyn Emit,
}

/// An implementation's own object that a `parametersRef` names: gateway.yaml creates it before
/// the object that names it.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameters {
    pub group: &'static str,
    pub kind: &'static str,
    pub name: String,
    pub object: Value,
}

/// The implementation's settings for the Gateway's infrastructure (its proxies, or the load
/// balancer it programs), named by the Gateway's `spec.infrastructure.parametersRef`.
#[derive(Clone, Debug, PartialEq)]
pub struct Infrastructure {
    pub settings: Parameters,
    /// kubectl's full resource name of the settings' kind, for the rollback.
    pub resource: &'static str,
    /// What the settings ask for, as one runbook sentence, and the commands that check it before
    /// the DNS switch.
    pub prose: String,
    pub checks: Vec<String>,
    /// Objects the checks create besides (`resource/name` in the Gateway's namespace), for the
    /// rollback.
    pub created_by_checks: Vec<String>,
    /// The implementation keeps the settings (a finalizer) while a Gateway names them: the
    /// rollback deletes them after the Gateway, or `kubectl delete` would wait forever.
    pub outlive_the_gateway: bool,
}

/// An object the runbook creates in phase 1 beside gateway.yaml, and removes in the rollback.
#[derive(Clone, Debug, PartialEq)]
pub struct RunbookObject {
    /// Why, as the runbook's sentence before the command.
    pub why: &'static str,
    /// kubectl's full resource name of its kind.
    pub resource: &'static str,
    pub name: String,
    pub namespace: String,
    pub object: Value,
}

/// An annotation the implementation reads on an object the chart renders, and why the plan sets
/// it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectAnnotation {
    pub key: &'static str,
    pub value: String,
    /// Why, as a clause the findings and the runbook quote.
    pub why: String,
}

/// Commands the runbook runs before the phase 1 upgrade creates the route, and the sentence
/// that says why.
#[derive(Clone, Debug, PartialEq)]
pub struct RunbookStep {
    pub prose: String,
    pub commands: Vec<String>,
}

/// Labels the implementation needs on a listener's certificate Secret before it reads it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SecretLabels {
    pub labels: &'static [(&'static str, &'static str)],
    /// Why, as a clause.
    pub why: &'static str,
}

/// The objects and commands only one implementation produces. Where most implementations
/// behave alike, a default method says how.
pub trait Emit: Sync + fmt::Debug {
    /// The policies that carry the ingress's effective behaviour over, or say it needs none.
    fn policies(&self, model: &Model, b: &Behaviour) -> Vec<Policy>;

    /// Shows whether `policy` attached; `object` (`resource/name`) and `namespace` are its shell
    /// words. By default the policy's `status.ancestors` (Gateway API policy attachment).
    fn policy_attached_check(&self, _policy: &Policy, object: &str, namespace: &str) -> String {
        format!("kubectl get {object} -n {namespace} -o jsonpath='{{.status.ancestors[*].conditions[?(@.type==\"Accepted\")].status}}{{\"\\n\"}}'   # True")
    }

    /// Why the plan has no client-network policy although the ingress limits client networks,
    /// when the reason is this implementation's.
    fn no_client_network_policy(&self, _model: &Model) -> Option<&'static str> {
        None
    }

    /// The settings the Gateway's `spec.infrastructure.parametersRef` names.
    fn infrastructure(&self, _model: &Model) -> Option<Infrastructure> {
        None
    }

    /// The object an emitted GatewayClass's `parametersRef` names.
    fn gateway_class_parameters(&self, _model: &Model) -> Option<Parameters> {
        None
    }

    /// Objects the runbook creates in phase 1, beside gateway.yaml.
    fn runbook_objects(&self, _model: &Model) -> Vec<RunbookObject> {
        Vec::new()
    }

    /// Install steps that depend on the plan, run after the fixed `install` steps: an
    /// implementation whose one proxy Deployment and Service serve every Gateway of its class is
    /// configured through its install, not per Gateway.
    fn planned_install(&self, _model: &Model) -> Vec<PlannedStep> {
        Vec::new()
    }

    /// Where the annotations of the Service in front of the proxies go, when that Service is
    /// the install's own and fronts every Gateway of the class (as words for the findings, e.g.
    /// "Traefik's Helm values (`service.annotations`)"). `None`: the implementation creates a
    /// Service per Gateway from the Gateway's `spec.infrastructure.annotations`.
    fn shared_service_annotations(&self) -> Option<&'static str> {
        None
    }

    /// How long a client may take to send a whole request, body included, when the
    /// implementation limits that by default: an upload slower than that fails, whatever the
    /// ingress allowed, unless the install raises it.
    fn request_read_timeout(&self) -> Option<Seconds> {
        None
    }

    /// Commands that remove the install itself, last in the rollback's cleanup; each says in its
    /// comment when it is safe (nothing else uses the install).
    fn uninstall(&self) -> Vec<String> {
        Vec::new()
    }

    /// Objects ZenML's Service needs before a route sends it traffic through this
    /// implementation: gateway.yaml creates them (in their own namespace) ahead of the Gateway,
    /// and the rollback removes them. `why` is the runbook's sentence about each.
    fn backend_objects(&self, _model: &Model) -> Vec<RunbookObject> {
        Vec::new()
    }

    /// The finding for an ingress annotation this implementation reads itself (the source
    /// controller's own settings it carries over); `None` leaves it to the common wording.
    fn annotation_finding(&self, _model: &Model, _annotation: &Annotation) -> Option<AnnotationVerdict> {
        None
    }

    /// The ingress's client networks are carried over outside policies.yaml (by the load
    /// balancer the Gateway is), so no finding calls them lost.
    fn carries_client_networks(&self, _model: &Model, _b: &Behaviour) -> bool {
        false
    }

    /// Findings about this plan only this implementation gives (what it decided, and why), after
    /// its notes.
    fn findings(&self, _model: &Model) -> Vec<Finding> {
        Vec::new()
    }

    /// Annotations on the chart's HTTPRoute (`gateway.annotations`, which the values carry).
    fn route_annotations(&self, _model: &Model, _b: &Behaviour) -> Vec<ObjectAnnotation> {
        Vec::new()
    }

    /// Annotations on ZenML's Service. The plan cannot write them into the values (the chart's
    /// `service.annotations` is outside the keys a migration changes): the runbook sets them on
    /// the Service before phase 1, and a finding asks to keep them in the values.
    fn service_annotations(&self, _model: &Model, _b: &Behaviour) -> Vec<ObjectAnnotation> {
        Vec::new()
    }

    /// What the runbook checks before the phase 1 upgrade creates the route.
    fn before_route(&self, _model: &Model) -> Option<RunbookStep> {
        None
    }

    /// What the runbook checks right after the route's own conditions, for what they do not show.
    fn after_route(&self, _model: &Model) -> Option<RunbookStep> {
        None
    }

    /// Its policies are named by annotations on the route or the Service rather than attached
    /// by `targetRefs`: they must exist before the route, which without them would serve with
    /// none of them (an allow list missing means open to every client).
    fn policies_before_route(&self) -> bool {
        false
    }

    /// The labels a listener's certificate Secret needs, when the implementation reads only
    /// labelled Secrets.
    fn certificate_secret_labels(&self) -> Option<SecretLabels> {
        None
    }
}

impl Parameters {
    pub fn infrastructure_ref(&self) -> GatewayInfrastructureParametersRef {
        GatewayInfrastructureParametersRef { group: self.group.into(), kind: self.kind.into(), name: self.name.clone() }
    }

    pub fn class_ref(&self) -> GatewayClassParametersRef {
        GatewayClassParametersRef {
            group: self.group.into(),
            kind: self.kind.into(),
            name: self.name.clone(),
            namespace: self.object["metadata"]["namespace"].as_str().map(str::to_string),
        }
    }
}

impl Implementation {
    pub fn get(id: ImplementationId) -> &'static Implementation {
        IMPLEMENTATIONS.iter().find(|i| i.id == id).expect("every id is in the registry")
    }

    pub fn from_slug(slug: &str) -> Option<&'static Implementation> {
        IMPLEMENTATIONS.iter().find(|i| i.slug == slug)
    }

    pub fn slugs() -> Vec<&'static str> {
        IMPLEMENTATIONS.iter().map(|i| i.slug).collect()
    }

    pub fn data_plane_command(&self, gateway: &str, namespace: &str) -> String {
        fill(self.data_plane_service, gateway, namespace)
    }

    pub fn logs(&self, gateway: &str, namespace: &str) -> String {
        fill(self.logs_command, gateway, namespace)
    }

    /// What becomes of the behaviour of an annotation `rule` on this implementation: its own
    /// word where it has one, else the common outcome.
    pub fn annotation_outcome(&self, rule: &Rule) -> (Carry, &'static str) {
        self.annotations
            .iter()
            .find(|(key, ..)| *key == rule.key)
            .map(|(_, carry, how)| (*carry, *how))
            .or(rule.every)
            .expect("every implementation answers every rule without a common outcome (tested)")
    }

    /// Why this implementation cannot serve TLS model `tls`, if it cannot.
    pub fn refusal(&self, tls: TlsModel) -> Option<&'static str> {
        self.refused_tls.iter().find(|r| r.model == tls).map(|r| r.why)
    }
}

/// A command template with the Gateway's name and namespace filled in as shell words. The
/// placeholders never stand inside quotes in the templates, so the quoting holds.
fn fill(template: &str, gateway: &str, namespace: &str) -> String {
    template.replace("{gateway}", &quote(gateway)).replace("{namespace}", &quote(namespace))
}

// --- Shared by the implementations that run the Gateway's proxies in the cluster -------------
//
// Envoy Gateway, NGINX Gateway Fabric and Istio run a Gateway's proxies as one replica by default;
// a node drain or a rollout then leaves the Gateway without a proxy for a while.

/// Replicas of the Gateway's proxy Deployment.
pub const DATA_PLANE_REPLICAS: i32 = 2;
/// Proxies a voluntary disruption (drain, eviction) must leave running.
pub const DATA_PLANE_MIN_AVAILABLE: i32 = 1;
/// Why the data plane gets two replicas and a budget, for the runbook's sentence.
const WHY_TWO_REPLICAS: &str = "a node drain or a rollout during the DNS switch would otherwise leave the Gateway without a proxy and drop traffic";
/// The label NGINX Gateway Fabric and Istio put on a Gateway's proxy pods.
const GATEWAY_NAME_LABEL: &str = "gateway.networking.k8s.io/gateway-name";

/// `<gateway>-<suffix>`, shortened to a valid object name (253 characters).
fn derived_name(gateway: &str, suffix: &str) -> String {
    let room = 253 - suffix.len() - 1;
    let base = if gateway.len() > room { gateway[..room].trim_end_matches(['-', '.']) } else { gateway };
    format!("{base}-{suffix}")
}

/// Shows which settings object the Gateway names: empty when the Gateway existed before.
fn show_parameters_ref(model: &Model, settings: &Parameters) -> String {
    format!(
        "kubectl get gateways.gateway.networking.k8s.io {} -n {} -o jsonpath='{{.spec.infrastructure.parametersRef.kind}}/{{.spec.infrastructure.parametersRef.name}}{{\"\\n\"}}'   # {}/{} (empty: the Gateway existed already; add gateway.yaml's spec.infrastructure.parametersRef to it)",
        quote(&model.gateway_name),
        quote(&model.gateway_namespace),
        settings.kind,
        quote(&settings.name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::RULES;
    use std::collections::HashSet;

    fn unique<T: Eq + std::hash::Hash>(items: impl Iterator<Item = T>) -> bool {
        let mut seen = HashSet::new();
        items.into_iter().all(|i| seen.insert(i))
    }

    #[test]
    fn ids_slugs_names_and_classes_are_unique_and_agree() {
        assert!(unique(IMPLEMENTATIONS.iter().map(|i| i.id)));
        assert!(unique(IMPLEMENTATIONS.iter().map(|i| i.slug)));
        assert!(unique(IMPLEMENTATIONS.iter().map(|i| i.display_name)));
        assert!(unique(IMPLEMENTATIONS.iter().map(|i| i.gateway_class)));
        for imp in IMPLEMENTATIONS {
            // The slug is the id as serialised (findings, share links).
            assert_eq!(serde_json::to_value(imp.id).unwrap(), imp.slug, "{}", imp.slug);
            assert_eq!(Implementation::get(imp.id).slug, imp.slug);
            assert_eq!(Implementation::from_slug(imp.slug).map(|i| i.id), Some(imp.id));
        }
    }

    #[test]
    fn every_implementation_answers_the_rules_without_a_common_outcome_and_only_known_rules() {
        let open: Vec<&str> = RULES.iter().filter(|r| r.every.is_none()).map(|r| r.key).collect();
        assert!(!open.is_empty());
        for imp in IMPLEMENTATIONS {
            let answered: Vec<&str> = imp.annotations.iter().map(|(key, ..)| *key).collect();
            assert!(unique(answered.iter()), "{}: a rule answered twice", imp.slug);
            for key in &open {
                assert!(answered.contains(key), "{} does not answer {key}", imp.slug);
            }
            for key in &answered {
                assert!(RULES.iter().any(|r| r.key == *key), "{} answers {key}, which is no rule", imp.slug);
            }
            for (key, _, how) in imp.annotations {
                assert!(!how.is_empty() && !how.ends_with('.'), "{} {key}: a clause the finding ends", imp.slug);
            }
        }
    }

    fn outcome(imp: &Implementation, key: &str) -> Carry {
        imp.annotation_outcome(RULES.iter().find(|r| r.key == key).unwrap()).0
    }

    #[test]
    fn the_defaults_agree_with_the_annotation_outcomes() {
        for imp in IMPLEMENTATIONS {
            let d = imp.defaults;
            // A body limit of its own is what a policy must raise; without one, nothing to carry.
            let body = outcome(imp, "nginx.ingress.kubernetes.io/proxy-body-size");
            assert_eq!(body == Carry::Policy, d.body_limit.is_some(), "{}", imp.slug);
            // A timeout of its own on ZenML's responses is what a policy, the Gateway's own settings
            // (or the runbook, where neither can) must lengthen. A limit on reading the whole request
            // is the install's (`request_read_timeout`), which the runbook raises without a response
            // timeout.
            let read = outcome(imp, "nginx.ingress.kubernetes.io/proxy-read-timeout");
            let response_timeout_carried = read == Carry::Policy
                || read == Carry::Gateway
                || read == Carry::Runbook && imp.emit.request_read_timeout().is_none();
            assert_eq!(
                response_timeout_carried,
                d.request_timeout.is_some() || d.per_read_timeout.is_some(),
                "{}",
                imp.slug
            );
            // A default connect timeout that stays is named where the table says it stays.
            if let Some(Seconds(s)) = d.connect_timeout {
                let rule = RULES.iter().find(|r| r.key == "nginx.ingress.kubernetes.io/proxy-connect-timeout").unwrap();
                let (carry, how) = imp.annotation_outcome(rule);
                assert!(
                    carry == Carry::Policy || carry == Carry::Runbook || how.contains(&format!("({s}s)")),
                    "{}: {how}",
                    imp.slug
                );
            }
        }
    }

    #[test]
    fn every_implementation_has_what_its_plans_use() {
        for imp in IMPLEMENTATIONS {
            let what = imp.slug;
            assert!(!imp.install.is_empty(), "{what}: install steps");
            assert!(imp.data_plane_service.contains("{gateway}"), "{what}: the data-plane command names the Gateway");
            assert!(imp.install_creates_gateway_class || !imp.controller_name.is_empty(), "{what}: the emitted class");
            let ports = imp.listener_ports;
            assert!(ports.http > 0 && ports.https > 0 && ports.http != ports.https, "{what}: listener ports");
            // Behind an AWS NLB the client's address needs the implementation's proxy protocol.
            assert_eq!(
                imp.proxy_protocol.is_some(),
                imp.cloud_load_balancer == CloudLoadBalancer::AwsNlbAcm,
                "{what}: proxy protocol"
            );
            assert!(TlsModel::ALL.iter().any(|t| imp.refusal(*t).is_none()), "{what}: some TLS model works");
            assert!(imp.refused_tls.iter().all(|r| !r.why.is_empty()), "{what}: refusals say why");
            assert!(unique(imp.notes.iter().map(|n| n.code)), "{what}: note codes");
            assert!(imp.notes.iter().all(|n| !n.text.is_empty()), "{what}: notes");
            match imp.route_timeouts {
                RouteTimeouts::Applied => {}
                RouteTimeouts::Ignored(text) | RouteTimeouts::Rejected(text) => {
                    assert!(text.contains("timeouts"), "{what}: {text}")
                }
            }
        }
    }

    #[test]
    fn sizes_and_durations_read_as_the_findings_say_them() {
        assert_eq!(Bytes::MIB.to_string(), "1 MB");
        assert_eq!(Bytes(1500).to_string(), "1500 bytes");
        assert_eq!(Seconds(15).to_string(), "15 s");
    }
}
