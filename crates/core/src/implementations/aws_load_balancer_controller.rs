//! AWS Load Balancer Controller v3.5.0 (Helm chart eks/aws-load-balancer-controller 3.5.0): the
//! Gateway is an Application Load Balancer (class controller `gateway.k8s.aws/alb`), with no
//! proxies in the cluster. What the ingress did goes to two objects of gateway.yaml
//! (`gateway.k8s.aws/v1`): the LoadBalancerConfiguration the Gateway names (scheme, idle
//! timeout, ACM certificates, client networks, the ALB Ingress's load balancer settings) and a
//! TargetGroupConfiguration on ZenML's Service (IP targets, health check, stickiness). Listener
//! `certificateRefs` are not read, so only ACM certificates serve TLS.
//!
//! Facts from kubernetes-sigs/aws-load-balancer-controller at v3.5.0: docs/guide/gateway,
//! pkg/gateway (model, routeutils, crddetect), controllers/gateway, the CRDs of
//! config/crd/gateway, and the annotation mappings of its own migration tool
//! (pkg/ingress2gateway/translate); ALB limits from AWS's ELBv2 API reference.

use super::{
    derived_name, show_parameters_ref, AnnotationVerdict, CloudLoadBalancer, Defaults, Emit, Implementation,
    ImplementationId, Infrastructure, InstallStep, Note, Parameters, RouteTimeouts, RunbookObject, Seconds, TlsRefusal,
    STANDARD_PORTS,
};
use crate::annotations::Carry;
use crate::behaviour::{controller_of, Behaviour, Controller, TimeoutKind};
use crate::emit::findings::annotation_text;
use crate::emit::gateway::aws_load_balancer_scheme;
use crate::emit::policies::Policy;
use crate::excerpt::clip;
use crate::findings::{Finding, FindingCode, Severity};
use crate::manifest::{Manifest, Meta};
use crate::markdown::code;
use crate::plan::{CloudLbTls, Model, Tls, TlsModel};
use crate::shell::quote;
use crate::values::release::Annotation;
use serde::Serialize;
use std::collections::BTreeMap;

/// An ALB closes a connection on which nothing was sent or received for this long, unless its
/// `idle_timeout.timeout_seconds` attribute says otherwise (AWS's ALB attribute documentation).
const IDLE_TIMEOUT: Seconds = Seconds(60);
/// The longest idle timeout an ALB takes (ELBv2 API, LoadBalancerAttribute: 1-4000 seconds).
const MAX_IDLE_TIMEOUT: u64 = 4000;
/// An ALB's stickiness cookie lives 1 to 604800 seconds (7 days).
const MAX_COOKIE_SECONDS: u64 = 604_800;
/// ingress-nginx's affinity cookie without a max age is a session cookie; an ALB's cookie always
/// has a lifetime: the plan gives it one day.
const SESSION_COOKIE_SECONDS: u64 = 86_400;
/// ZenML's health endpoint (the chart's liveness probe), on the pod port the chart's Service
/// targets.
const HEALTH_PATH: &str = "/health";
const ZENML_POD_PORT: u16 = 8080;

const API_VERSION: &str = "gateway.k8s.aws/v1";
const GROUP: &str = "gateway.k8s.aws";
const ALB: &str = "alb.ingress.kubernetes.io/";

const NO_CERT_MANAGER: (Carry, &str) = (
    Carry::Lost,
    "the ALB serves only ACM certificates (TLS model cloud-lb): no certificate from cert-manager reaches it",
);

pub const IMPLEMENTATION: Implementation = Implementation {
    id: ImplementationId::AwsLoadBalancerController,
    slug: "aws-load-balancer-controller",
    display_name: "AWS Load Balancer Controller",
    version: "v3.5.0",
    // The name the controller's own migration tool gives it (pkg/ingress2gateway/utils).
    gateway_class: "aws-alb",
    controller_name: "gateway.k8s.aws/alb",
    install_creates_gateway_class: false,
    gateway_api_bundle: "v1.6.0",
    newer_bundle: "The AWS Load Balancer Controller checks only that the kinds it needs are served when it starts, not the bundle version; v3.5.0 is built on v1.6.0.",
    user_installs_crds: true,
    install: &[
        InstallStep {
            what: "Install the Gateway API v1.6.0 standard-channel CRDs, the bundle the AWS Load Balancer Controller v3.5.0 is built on (server-side apply, as its documentation does)",
            command: "kubectl apply --server-side=true -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.0/standard-install.yaml",
        },
        InstallStep {
            what: "Install or update the controller's own CRDs of v3.5.0 (TargetGroupBinding and the gateway.k8s.aws kinds): `helm upgrade` never updates CRDs, and the URL in the controller's documentation follows its main branch",
            command: "kubectl apply -f https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v3.5.0/helm/aws-load-balancer-controller/crds/crds.yaml -f https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v3.5.0/config/crd/gateway/gateway-crds.yaml",
        },
        InstallStep {
            what: "Add the EKS chart repository",
            command: "helm repo add eks https://aws.github.io/eks-charts && helm repo update",
        },
        InstallStep {
            what: "Upgrade the controller to chart 3.5.0 keeping its values (Helm 3.14 or later), or install it where none runs: that needs its IAM policy (docs/install/iam_policy.json of v3.5.0) and, with IRSA, its service account first, and your cluster's name for CLUSTER. The release is `aws-load-balancer-controller` in kube-system, as AWS's guide names it: adjust if yours differs",
            command: "if helm status aws-load-balancer-controller -n kube-system >/dev/null 2>&1; then helm upgrade aws-load-balancer-controller eks/aws-load-balancer-controller -n kube-system --version 3.5.0 --reset-then-reuse-values; else helm install aws-load-balancer-controller eks/aws-load-balancer-controller -n kube-system --version 3.5.0 --set clusterName=CLUSTER --set serviceAccount.create=false --set serviceAccount.name=aws-load-balancer-controller; fi",
        },
        InstallStep {
            what: "It turns its ALB Gateway support on only if every CRD it needs was served when it started: restart it now that they are, and wait",
            command: "kubectl rollout restart -n kube-system deployment/aws-load-balancer-controller && kubectl rollout status -n kube-system deployment/aws-load-balancer-controller --timeout=5m",
        },
        InstallStep {
            what: "Check that the support is on: this prints nothing then (otherwise a CRD is missing: apply it and restart again)",
            command: "kubectl logs -n kube-system deployment/aws-load-balancer-controller | grep 'Disabling ALBGatewayAPI'",
        },
    ],
    cluster_requirements: Some("The ALB needs subnets the controller can find: tagged `kubernetes.io/role/elb` for an internet-facing ALB, `kubernetes.io/role/internal-elb` for an internal one (untagged VPCs: public or private by their route tables). Its `ip` targets need pods with VPC addresses (the Amazon VPC CNI), and the controller's IAM role needs v3.5.0's policy."),
    data_plane_service: "aws elbv2 describe-load-balancers --load-balancer-arns \"$(kubectl get gateways.gateway.networking.k8s.io {gateway} -n {namespace} -o jsonpath='{.status.conditions[?(@.type==\"Programmed\")].message}')\" --query 'LoadBalancers[0].[DNSName,Scheme,State.Code]' --output text   # the ALB; the Programmed condition's message is its ARN",
    min_kubernetes: Some("1.22"),
    logs_command: "aws cloudwatch get-metric-statistics --namespace AWS/ApplicationELB --metric-name RequestCount --dimensions Name=LoadBalancer,Value=\"$(kubectl get gateways.gateway.networking.k8s.io {gateway} -n {namespace} -o jsonpath='{.status.conditions[?(@.type==\"Programmed\")].message}' | sed 's|.*:loadbalancer/||')\" --statistics Sum --period 60 --start-time \"$(date -u -d '10 minutes ago' +%Y-%m-%dT%H:%M:%SZ)\" --end-time \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" --query 'sort_by(Datapoints,&Timestamp)[].[Timestamp,Sum]' --output text   # per minute: the ALB keeps no log in the cluster (GNU date; macOS: date -u -v-10M)",
    listener_ports: STANDARD_PORTS,
    // The idle timeout bounds the wait between two packets, as ingress-nginx's read timeout does.
    defaults: Defaults { request_timeout: None, per_read_timeout: Some(IDLE_TIMEOUT), body_limit: None, connect_timeout: None },
    route_timeouts: RouteTimeouts::Ignored("The AWS Load Balancer Controller does not support `HTTPRoute.rules[].timeouts` and ignores them without a word, so the chart's 0 s on the event-stream rule does nothing: the ALB's idle timeout (60 s unless gateway.yaml's LoadBalancerConfiguration sets `idle_timeout.timeout_seconds`, at most 4000 s) closes any request that sends nothing for that long, an event stream between two events included. The event-stream check in step 4 holds a stream open for 90 s."),
    cloud_load_balancer: CloudLoadBalancer::AwsAlbAcm,
    refused_tls: &[
        TlsRefusal {
            model: TlsModel::CertManager,
            why: "its ALB serves only ACM certificates (v3.5.0 does not read a listener's `certificateRefs`, so a certificate cert-manager writes into a Secret never reaches it); keep TLS at the ALB with an ACM certificate, TLS model cloud-lb with --certificate-arn or the ALB Ingress's `alb.ingress.kubernetes.io/certificate-arn` (ACM can issue one for your hostname)",
        },
        TlsRefusal {
            model: TlsModel::ExistingSecret,
            why: "its ALB serves only ACM certificates (v3.5.0 does not read a listener's `certificateRefs`, so the Ingress's Secret never reaches it); import that certificate into ACM (`aws acm import-certificate`) and use TLS model cloud-lb with its ARN (--certificate-arn)",
        },
    ],
    proxy_protocol: None,
    load_balancer_health_check: Some("on the Gateway's ALB, gateway.yaml's TargetGroupConfiguration sets the target group's health check (ZenML's `/health` unless the Ingress named another path)"),
    google_named_address: false,
    annotations: &[
        ("nginx.ingress.kubernetes.io/proxy-body-size", Carry::Same, "the ALB limits request headers, not bodies"),
        ("nginx.ingress.kubernetes.io/proxy-read-timeout", Carry::Gateway, "the ALB's idle timeout, `idle_timeout.timeout_seconds` in the LoadBalancerConfiguration (time without data, 60s by default, at most 4000s)"),
        ("nginx.ingress.kubernetes.io/proxy-send-timeout", Carry::Gateway, "the same idle timeout, which counts silence in either direction"),
        ("nginx.ingress.kubernetes.io/proxy-connect-timeout", Carry::Lost, "no ALB load balancer or target group attribute sets a connect timeout"),
        ("nginx.ingress.kubernetes.io/affinity", Carry::Gateway, "target group stickiness (`stickiness.enabled` in the TargetGroupConfiguration), with the ALB's own cookie"),
        ("nginx.ingress.kubernetes.io/session-cookie-*", Carry::Lost, "the ALB names its own cookie; only the lifetime carries over (`stickiness.lb_cookie.duration_seconds`, at most 7 days; one day for a session cookie)"),
        ("nginx.ingress.kubernetes.io/whitelist-source-range", Carry::Gateway, "`sourceRanges` in the LoadBalancerConfiguration: the ALB's security group, so every listener and route of the Gateway"),
        ("nginx.ingress.kubernetes.io/allowlist-source-range", Carry::Gateway, "`sourceRanges` in the LoadBalancerConfiguration: the ALB's security group, so every listener and route of the Gateway"),
        ("nginx.ingress.kubernetes.io/denylist-source-range", Carry::Lost, "an ALB's security group can only allow: refuse networks with an AWS WAF web ACL (`wafV2` in the LoadBalancerConfiguration)"),
        ("nginx.ingress.kubernetes.io/blacklist-source-range", Carry::Lost, "an ALB's security group can only allow: refuse networks with an AWS WAF web ACL (`wafV2` in the LoadBalancerConfiguration)"),
        ("nginx.ingress.kubernetes.io/limit-rps", Carry::Lost, "the ALB has no per-client rate limit (an AWS WAF rate-based rule has); ZenML rate-limits logins itself"),
        ("alb.ingress.kubernetes.io/certificate-arn", Carry::Tls, "the HTTPS listener of the Gateway's ALB, in the LoadBalancerConfiguration (the first as `defaultCertificate`, the rest as `certificates`; TLS model cloud-lb)"),
        ("alb.ingress.kubernetes.io/load-balancer-attributes", Carry::Gateway, "`loadBalancerAttributes` in the LoadBalancerConfiguration, each as it was"),
        ("alb.ingress.kubernetes.io/inbound-cidrs", Carry::Gateway, "`sourceRanges` in the LoadBalancerConfiguration"),
        ("kubernetes.io/ingress.global-static-ip-name", Carry::Lost, "an ALB has no fixed IP address: DNS points at its DNS name"),
        // Where this implementation differs from the common outcome.
        ("alb.ingress.kubernetes.io/*", Carry::Gateway, "scheme, subnets, security groups, IP address type, tags, WAF, Shield and SSL policy go to gateway.yaml's LoadBalancerConfiguration, health check and target group attributes to its TargetGroupConfiguration (targets become `ip`); the finding names each, and what stays behind"),
        ("cert-manager.io/*", NO_CERT_MANAGER.0, NO_CERT_MANAGER.1),
        ("kubernetes.io/tls-acme", NO_CERT_MANAGER.0, NO_CERT_MANAGER.1),
        ("networking.gke.io/managed-certificates", Carry::Tls, "an ACM certificate at the ALB takes its place (TLS model cloud-lb)"),
    ],
    notes: &[
        Note {
            code: FindingCode::AlbCrdDetection,
            severity: Severity::Warning,
            text: "The AWS Load Balancer Controller turns its ALB Gateway support on only if, when it starts, the cluster serves Gateway, GatewayClass, HTTPRoute and GRPCRoute (`gateway.networking.k8s.io/v1`) and its own TargetGroupConfiguration, LoadBalancerConfiguration and ListenerRuleConfiguration (`gateway.k8s.aws/v1`); otherwise it logs `Disabling ALBGatewayAPI: missing required CRDs` and leaves every Gateway alone (the GatewayClass is never Accepted). Step 2 installs the CRDs, then restarts it; restart it again after any later CRD install.",
        },
        Note {
            code: FindingCode::AlbListenersOnRoute,
            severity: Severity::Info,
            text: "The ALB opens a port only for a Gateway listener a route attaches to: 80 comes with the redirect route in gateway.yaml, 443 (or 80 with TLS model none) with ZenML's route in phase 1. Before that, requests to the port get no answer, even with the Gateway Programmed.",
        },
        Note {
            code: FindingCode::AlbTargetType,
            severity: Severity::Info,
            text: "The controller's default target type is `instance`, which needs a NodePort or LoadBalancer Service, and ZenML's Service is ClusterIP by default: gateway.yaml's TargetGroupConfiguration makes the ALB send to the pods' IP addresses (`ip`), which needs pods with VPC addresses (the Amazon VPC CNI). With another CNI, set `server.service.type: NodePort` and `targetType: instance` instead.",
        },
        Note {
            code: FindingCode::AlbReplaced,
            severity: Severity::Warning,
            text: "Deleting the Gateway deletes its ALB, and changing `spec.scheme` in its LoadBalancerConfiguration replaces it: either way the DNS name the cutover points at is gone for good, and a new ALB gets another. Settle the scheme before step 3, and never delete or re-scheme the Gateway while DNS points at it.",
        },
        Note {
            code: FindingCode::AlbNoProxies,
            severity: Severity::Info,
            text: "No Gateway proxies run in the cluster: the ALB is the data plane, and AWS runs and scales it, so there are no replicas or disruption budget to plan. The checks before the DNS switch (step 4) read the ALB and its targets with the AWS CLI, whose region must be the cluster's. The ALB keeps no log in the cluster: it writes access logs only to S3, and only when its attributes turn them on (`access_logs.s3.enabled`, `access_logs.s3.bucket`, carried over when the ALB Ingress had them); how the controller built it, or why it could not (subnets, certificates, permissions), is in `kubectl logs -n kube-system deployment/aws-load-balancer-controller` and the Gateway's events.",
        },
    ],
    emit: &AwsLoadBalancerController,
};

#[derive(Debug)]
pub struct AwsLoadBalancerController;

impl Emit for AwsLoadBalancerController {
    /// Everything goes to gateway.yaml: the ALB's settings must exist before the Gateway (a
    /// scheme set later replaces the ALB), and the target group's before ZenML's route (instance
    /// targets on the ClusterIP Service would fail the Gateway's whole build).
    fn policies(&self, _model: &Model, _b: &Behaviour) -> Vec<Policy> {
        Vec::new()
    }

    fn no_client_network_policy(&self, _model: &Model) -> Option<&'static str> {
        Some("an ALB's security group can only allow networks, so its deny list has no place there (the allow list, if any, is in `sourceRanges`); refuse them with an AWS WAF web ACL (`wafV2` in gateway.yaml's LoadBalancerConfiguration)")
    }

    fn carries_client_networks(&self, _model: &Model, b: &Behaviour) -> bool {
        b.allowed_cidrs.is_some() && b.denied_cidrs.is_none()
    }

    fn infrastructure(&self, model: &Model) -> Option<Infrastructure> {
        let b = Behaviour::of(&model.release);
        let spec = load_balancer_spec(model, &b);
        let name = derived_name(&model.gateway_name, "alb");
        let object = Manifest::new(
            API_VERSION,
            "LoadBalancerConfiguration",
            Meta::new(&name, Some(&model.gateway_namespace)),
            spec.clone(),
        )
        .to_value();
        let settings = Parameters { group: GROUP, kind: "LoadBalancerConfiguration", name, object };
        let (gw_q, gwns_q) = (quote(&model.gateway_name), quote(&model.gateway_namespace));
        let idle = idle_timeout(&b);
        let mut asks = vec![format!("scheme {}", code(&spec.scheme)), format!("idle timeout {idle} s")];
        if let Some(ranges) = &spec.source_ranges {
            asks.push(format!("client networks {} only", code(&clip(&ranges.join(", "), 200))));
        }
        match certificates(model) {
            Some((Some(_), _)) => asks.push("the ACM certificate for port 443".into()),
            Some((None, _)) => asks.push("an ACM certificate found by hostname for port 443".into()),
            None => {}
        }
        let tg = target_group_name(model);
        let service_filter = format!(
            "jsonpath={{range .items[?(@.spec.serviceRef.name==\"{}\")]}}{{.spec.targetGroupARN}}{{\"\\n\"}}{{end}}",
            model.fullname
        );
        let checks = vec![
            show_parameters_ref(model, &settings),
            format!("LB_ARN=$(kubectl get gateways.gateway.networking.k8s.io {gw_q} -n {gwns_q} -o jsonpath='{{.status.conditions[?(@.type==\"Programmed\")].message}}')   # the ALB's ARN"),
            format!("aws elbv2 describe-load-balancers --load-balancer-arns \"$LB_ARN\" --query 'LoadBalancers[0].[Scheme,DNSName]' --output text   # {}", spec.scheme),
            format!("aws elbv2 describe-load-balancer-attributes --load-balancer-arn \"$LB_ARN\" --query \"Attributes[?Key=='idle_timeout.timeout_seconds'].Value\" --output text   # {idle}"),
            format!(
                "aws elbv2 describe-listeners --load-balancer-arn \"$LB_ARN\" --query 'Listeners[].[Port,Protocol,Certificates[0].CertificateArn]' --output text   # {}",
                if model.has_https_listener() { "443 HTTPS with the certificate, 80 HTTP" } else { "80 HTTP" }
            ),
            // The ALB Ingress has a binding for the same Service: the ALB's own target groups tell them apart.
            format!(
                "TG_ARN=$(kubectl get targetgroupbindings.elbv2.k8s.aws -n {} -o {} | grep -xF -f <(aws elbv2 describe-target-groups --load-balancer-arn \"$LB_ARN\" --query 'TargetGroups[].TargetGroupArn' --output text | tr '\\t' '\\n') | head -n 1)   # ZenML's target group on this ALB",
                quote(&model.namespace),
                quote(&service_filter)
            ),
            format!("aws elbv2 describe-target-groups --target-group-arns \"$TG_ARN\" --query 'TargetGroups[0].[TargetType,HealthCheckPath,HealthCheckPort]' --output text   # ip {} traffic-port", health_check_path(model)),
            format!("aws elbv2 describe-target-health --target-group-arn \"$TG_ARN\" --query 'TargetHealthDescriptions[].[Target.Id,Target.Port,TargetHealth.State]' --output text   # each ZenML pod's IP, {ZENML_POD_PORT}, healthy"),
        ];
        Some(Infrastructure {
            prose: format!(
                "The Gateway is an ALB, with no proxies in the cluster: the AWS Load Balancer Controller builds it from gateway.yaml's LoadBalancerConfiguration {} (named by the Gateway's `spec.infrastructure.parametersRef`: {}) and sends ZenML's traffic to a target group that the TargetGroupConfiguration {} shapes (`ip` targets, health check on {}). Check what AWS built before the DNS switch (the AWS CLI's region must be the cluster's):",
                code(&settings.name),
                asks.join(", "),
                code(&format!("{}/{tg}", model.namespace)),
                code(&health_check_path(model))
            ),
            checks,
            settings,
            resource: "loadbalancerconfigurations.gateway.k8s.aws",
            created_by_checks: Vec::new(),
            // Its finalizer stays while a Gateway uses it (controllers/gateway, v3.5.0).
            outlive_the_gateway: true,
        })
    }

    fn backend_objects(&self, model: &Model) -> Vec<RunbookObject> {
        let name = target_group_name(model);
        vec![RunbookObject {
            why: "gateway.yaml also holds a TargetGroupConfiguration in ZenML's namespace: the ALB must reach ZenML's ClusterIP Service by pod IP (`ip` targets) and check ZenML's health, and it must exist before ZenML's route does, or the controller fails the Gateway's whole build on `instance` targets.",
            resource: "targetgroupconfigurations.gateway.k8s.aws",
            object: Manifest::new(
                API_VERSION,
                "TargetGroupConfiguration",
                Meta::new(&name, Some(&model.namespace)),
                TargetGroupConfigurationSpec {
                    target_reference: TargetReference { name: model.fullname.clone() },
                    default_configuration: target_group_props(model, &Behaviour::of(&model.release)),
                },
            )
            .to_value(),
            name,
            namespace: model.namespace.clone(),
        }]
    }

    fn annotation_finding(&self, model: &Model, a: &Annotation) -> Option<AnnotationVerdict> {
        let key = a.key.as_str();
        if let Some(suffix) = key.strip_prefix(ALB) {
            return Some(alb_annotation(model, a, suffix));
        }
        let shown = annotation_text(a);
        let named = code(&clip(key, 120));
        let cloud_lb = model.tls.model() == TlsModel::CloudLb;
        if (key.starts_with("cert-manager.io/") || key == "kubernetes.io/tls-acme")
            && crate::plan::ingress_shim_acts(&model.release)
            && cloud_lb
        {
            return Some((
                Severity::Info,
                FindingCode::AnnotationReplaced,
                format!("{named} asks cert-manager for the Ingress's certificate; the Gateway's ALB serves an ACM certificate instead (TLS model cloud-lb), so cert-manager issues nothing for the Gateway."),
            ));
        }
        if let (true, Some(https)) =
            (key == "traefik.ingress.kubernetes.io/router.tls" && cloud_lb, &model.listeners.https)
        {
            return Some((
                Severity::Info,
                FindingCode::AnnotationReplaced,
                format!("{shown} made Traefik serve the route over TLS; the HTTPS listener {} of the Gateway's ALB ends TLS with the ACM certificate.", code(&https.name)),
            ));
        }
        None
    }

    fn findings(&self, model: &Model) -> Vec<Finding> {
        let b = Behaviour::of(&model.release);
        let mut out = Vec::new();
        let annotated = model.release.ingress.annotation(&format!("{ALB}scheme")).is_some();
        let scheme = scheme(model);
        if !annotated {
            out.push(if controller_of(&model.release) == Controller::AwsAlb {
                Finding::new(
                    Severity::Info,
                    FindingCode::AwsLoadBalancerScheme,
                    format!("The Ingress's ALB is internal (no `alb.ingress.kubernetes.io/scheme`: AWS's default), so the Gateway's is too: `spec.scheme: {scheme}` in gateway.yaml's LoadBalancerConfiguration."),
                )
            } else {
                let why = if model.ingress_active {
                    format!("users reached ZenML through {}'s load balancer, probably from outside the VPC", b.controller.name())
                } else {
                    "no Ingress runs today, so the plan assumes users come from outside the VPC".to_string()
                };
                Finding::new(
                    Severity::Warning,
                    FindingCode::AwsLoadBalancerScheme,
                    format!("The Gateway's ALB is {scheme} (`spec.scheme` in gateway.yaml's LoadBalancerConfiguration): {why}; the controller's own default would be internal. If ZenML must stay inside the VPC, change it to `internal` before step 3: a scheme changed later replaces the ALB and its DNS name."),
                )
            });
        }
        if b.controller == Controller::Gce {
            out.push(Finding::at(
                Severity::Warning,
                FindingCode::OtherCloud,
                "These values configure a Google load balancer (GKE Ingress), but the plan targets an AWS ALB: check that this is the cluster you mean to move.",
                &model.release.ingress.class_name,
            ));
        }
        let idle = idle_timeout(&b);
        if idle != IDLE_TIMEOUT.0 {
            let source = match (model.ingress_active, b.controller) {
                (false, _) => "no Ingress runs today".to_string(),
                (true, Controller::AwsAlb) => "the Ingress's ALB had the same".to_string(),
                (true, controller) => format!("{} {}", controller.name(), b.timeout_words()),
            };
            let capped = match b.read_timeout_kind {
                TimeoutKind::Unlimited => {
                    "; the ALB has no setting for no timeout, so it gets the longest it takes".to_string()
                }
                _ if b.read_timeout_seconds.value > MAX_IDLE_TIMEOUT => {
                    format!("; {MAX_IDLE_TIMEOUT} s is the longest an ALB takes")
                }
                _ => String::new(),
            };
            out.push(Finding::new(
                if capped.is_empty() { Severity::Info } else { Severity::Warning },
                FindingCode::AlbIdleTimeout,
                format!("gateway.yaml's LoadBalancerConfiguration sets the ALB's idle timeout to {idle} s (`idle_timeout.timeout_seconds`, {IDLE_TIMEOUT} by default): {source}{capped}. The ALB closes any connection that sends nothing for that long, in either direction, uploads and event streams included."),
            ));
        }
        out
    }
}

// ---- What the plan decides

/// The ALB's scheme: the ALB Ingress's, else what the ingress's reach implies (the NLB rule of
/// the other implementations). A value the ALB does not know falls back to its default.
fn scheme(model: &Model) -> String {
    let scheme = aws_load_balancer_scheme(model);
    if matches!(scheme.as_str(), "internal" | "internet-facing") {
        scheme
    } else {
        "internal".into()
    }
}

/// The ALB's idle timeout: never shorter than the wait between two reads the ingress allowed
/// (or its whole-response timeout), as an ALB Ingress had it, and the longest an ALB takes when
/// the ingress had no timeout.
fn idle_timeout(b: &Behaviour) -> u64 {
    let seconds = match b.read_timeout_kind {
        TimeoutKind::Unlimited => MAX_IDLE_TIMEOUT,
        _ if b.controller == Controller::AwsAlb => b.read_timeout_seconds.value,
        _ => b.read_timeout_seconds.value.max(IDLE_TIMEOUT.0),
    };
    seconds.clamp(1, MAX_IDLE_TIMEOUT)
}

/// The ALB's ACM certificates with TLS model cloud-lb: the default one (none when the
/// controller finds one by hostname) and the others, served by SNI.
fn certificates(model: &Model) -> Option<(Option<&str>, &[String])> {
    match &model.tls {
        Tls::CloudLb(CloudLbTls::AwsAlbAcm { certificate_arn, additional_certificate_arns }) => {
            Some((certificate_arn.as_deref(), additional_certificate_arns))
        }
        _ => None,
    }
}

fn alb_annotation_value<'a>(model: &'a Model, suffix: &str) -> Option<&'a str> {
    model.release.ingress.annotation(&format!("{ALB}{suffix}")).map(|a| a.value.trim())
}

/// `a,b, c` -> the non-empty items.
fn list(value: &str) -> Vec<String> {
    value.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_string).collect()
}

/// `k1=v1,k2=v2` -> the pairs, in order; items without `=` are skipped.
fn pairs(value: &str) -> Vec<(String, String)> {
    value
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

const IP_ADDRESS_TYPES: &[&str] = &["ipv4", "dualstack", "dualstack-without-public-ipv4"];
const HEALTH_CHECK_PROTOCOLS: &[&str] = &["HTTP", "HTTPS", "TCP"];

fn load_balancer_spec(model: &Model, b: &Behaviour) -> LoadBalancerConfigurationSpec {
    let idle = idle_timeout(b).to_string();
    let mut attributes = vec![Attribute { key: "idle_timeout.timeout_seconds".into(), value: idle }];
    if let Some(value) = alb_annotation_value(model, "load-balancer-attributes") {
        attributes.extend(
            pairs(value)
                .into_iter()
                .filter(|(k, _)| k != "idle_timeout.timeout_seconds")
                .map(|(key, value)| Attribute { key, value }),
        );
    }
    let listener = match (certificates(model), &model.listeners.https) {
        (Some((arn, more)), Some(https)) => Some(ListenerConfiguration {
            protocol_port: format!("HTTPS:{}", https.port),
            default_certificate: arn.map(str::to_string),
            certificates: (!more.is_empty()).then(|| more.to_vec()),
            ssl_policy: alb_annotation_value(model, "ssl-policy").filter(|p| !p.is_empty()).map(str::to_string),
        }),
        _ => None,
    };
    let listener = listener.filter(|l| l.default_certificate.is_some() || l.ssl_policy.is_some());
    let subnets = alb_annotation_value(model, "subnets").map(list).filter(|s| !s.is_empty());
    let tags: BTreeMap<String, String> =
        alb_annotation_value(model, "tags").map(pairs).unwrap_or_default().into_iter().collect();
    LoadBalancerConfigurationSpec {
        scheme: scheme(model),
        ip_address_type: alb_annotation_value(model, "ip-address-type")
            .filter(|t| IP_ADDRESS_TYPES.contains(t))
            .map(str::to_string),
        load_balancer_subnets: subnets
            .map(|s| s.into_iter().map(|identifier| SubnetConfiguration { identifier }).collect()),
        security_groups: alb_annotation_value(model, "security-groups").map(list).filter(|g| !g.is_empty()),
        manage_backend_security_group_rules: flag(model, "manage-backend-security-group-rules"),
        source_ranges: b.allowed_cidrs.as_ref().map(|c| c.value.clone()).filter(|c| !c.is_empty()),
        load_balancer_attributes: attributes,
        tags: (!tags.is_empty()).then_some(tags),
        listener_configurations: listener.map(|l| vec![l]),
        waf_v2: web_acl(model).map(|web_acl| WafV2 { web_acl }),
        shield_configuration: flag(model, "shield-advanced-protection").map(|enabled| ShieldConfiguration { enabled }),
    }
}

/// `"true"` or `"false"`, as the ALB Ingress's boolean annotations take them.
fn flag(model: &Model, suffix: &str) -> Option<bool> {
    alb_annotation_value(model, suffix).and_then(|v| v.parse().ok())
}

/// The ALB Ingress's web ACL, by ARN before name as the controller's migration tool takes them;
/// `none` removes one and carries nothing.
fn web_acl(model: &Model) -> Option<String> {
    ["wafv2-acl-arn", "wafv2-acl-name"]
        .into_iter()
        .find_map(|suffix| alb_annotation_value(model, suffix).filter(|v| !v.is_empty() && *v != "none"))
        .map(str::to_string)
}

fn target_group_name(model: &Model) -> String {
    model.fullname.clone()
}

/// The ALB Ingress's health check path when it is one (it goes into a command's comment, so
/// nothing that is not a plain path passes), else ZenML's health endpoint.
fn health_check_path(model: &Model) -> String {
    alb_annotation_value(model, "healthcheck-path").filter(|p| is_path(p)).unwrap_or(HEALTH_PATH).to_string()
}

fn is_path(value: &str) -> bool {
    value.starts_with('/') && crate::plan::check_gateway_path(value).is_ok()
}

fn number(model: &Model, suffix: &str) -> Option<u32> {
    alb_annotation_value(model, suffix).and_then(|v| v.parse().ok())
}

fn target_group_props(model: &Model, b: &Behaviour) -> TargetGroupProps {
    let mut attributes: Vec<Attribute> = alb_annotation_value(model, "target-group-attributes")
        .map(pairs)
        .unwrap_or_default()
        .into_iter()
        .map(|(key, value)| Attribute { key, value })
        .collect();
    if let Some(affinity) = &b.affinity {
        if !attributes.iter().any(|a| a.key == "stickiness.enabled") {
            let seconds = match affinity.max_age_seconds {
                0 => SESSION_COOKIE_SECONDS,
                s => s.min(MAX_COOKIE_SECONDS),
            };
            attributes.push(Attribute { key: "stickiness.enabled".into(), value: "true".into() });
            attributes
                .push(Attribute { key: "stickiness.lb_cookie.duration_seconds".into(), value: seconds.to_string() });
        }
    }
    TargetGroupProps {
        target_type: "ip".into(),
        health_check_config: HealthCheckConfig {
            health_check_path: health_check_path(model),
            health_check_protocol: alb_annotation_value(model, "healthcheck-protocol")
                .filter(|p| HEALTH_CHECK_PROTOCOLS.contains(p))
                .map(str::to_string),
            health_check_interval: number(model, "healthcheck-interval-seconds"),
            health_check_timeout: number(model, "healthcheck-timeout-seconds"),
            healthy_threshold_count: number(model, "healthy-threshold-count"),
            unhealthy_threshold_count: number(model, "unhealthy-threshold-count"),
            matcher: alb_annotation_value(model, "success-codes")
                .filter(|c| !c.is_empty())
                .map(|c| Matcher { http_code: c.to_string() }),
        },
        target_group_attributes: attributes,
    }
}

// ---- The ALB Ingress's own annotations

/// What becomes of one `alb.ingress.kubernetes.io/` annotation: carried into gateway.yaml where
/// the controller's migration tool maps it and ZenML's route allows, else said to stay behind.
fn alb_annotation(model: &Model, a: &Annotation, suffix: &str) -> AnnotationVerdict {
    let shown = annotation_text(a);
    let named = code(&clip(&a.key, 120));
    let value = a.value.trim();
    let https = model.has_https_listener();
    let lb = "gateway.yaml's LoadBalancerConfiguration";
    let tg = "gateway.yaml's TargetGroupConfiguration";
    let carried = |what: String| (Severity::Info, FindingCode::AnnotationGateway, what);
    let lost = |what: String| (Severity::Warning, FindingCode::AnnotationLost, what);
    match suffix {
        "scheme" if matches!(value, "internal" | "internet-facing") => carried(format!(
            "{shown} carries over: the Gateway's ALB gets `spec.scheme: {value}` in {lb}. A scheme changed later replaces the ALB and its DNS name."
        )),
        "scheme" => lost(format!(
            "{shown} is not a scheme an ALB has (`internal` or `internet-facing`): the Gateway's ALB gets `internal`, the default; set `spec.scheme` in {lb} if it must be internet-facing."
        )),
        "certificate-arn" if certificates(model).is_some() => {
            let listed = list(value).len();
            let chosen = certificates(model).and_then(|(arn, _)| arn);
            let message = if chosen.is_some() && chosen != list(value).first().map(String::as_str) {
                format!("{named}: the certificate --certificate-arn names serves the HTTPS listener of the Gateway's ALB instead of these.")
            } else if listed > 1 {
                format!(
                    "{named}: the ACM certificates move to the HTTPS listener of the Gateway's ALB ({lb}: the first as `defaultCertificate`, {} as `certificates`).",
                    if listed == 2 { "the second".to_string() } else { format!("the other {}", listed - 1) }
                )
            } else {
                format!("{named}: the ACM certificate moves to the HTTPS listener of the Gateway's ALB (`defaultCertificate` in {lb}).")
            };
            (Severity::Info, FindingCode::AnnotationTls, message)
        }
        "certificate-arn" => (
            Severity::Warning,
            FindingCode::AnnotationDropped,
            format!("{named}: with TLS model {} the Gateway has no HTTPS listener, so the ACM certificate serves nothing.", model.tls.model().slug()),
        ),
        "ssl-policy" if https => carried(format!("{shown} carries over to the HTTPS listener (`sslPolicy` in {lb}).")),
        "ssl-redirect" if https => (
            Severity::Info,
            FindingCode::AnnotationReplaced,
            format!("{named} is replaced by the HTTP -> HTTPS redirect route in gateway.yaml (301)."),
        ),
        "ssl-policy" | "ssl-redirect" => (
            Severity::Warning,
            FindingCode::AnnotationDropped,
            format!("{shown}: with TLS model none the Gateway has no HTTPS listener, so this is not carried over."),
        ),
        "listen-ports" => (
            Severity::Info,
            FindingCode::AnnotationReplaced,
            format!(
                "{shown}: the Gateway's listeners take its place: {}.",
                match &model.listeners.https {
                    Some(https_listener) => format!(
                        "{} on 80 (it only redirects) and {} on 443",
                        code(&model.listeners.http.name),
                        code(&https_listener.name)
                    ),
                    None => format!("{} on 80", code(&model.listeners.http.name)),
                }
            ),
        ),
        "subnets" => carried(format!("{shown} carries over: the Gateway's ALB uses the same subnets (`loadBalancerSubnets` in {lb}).")),
        "ip-address-type" if IP_ADDRESS_TYPES.contains(&value) => {
            carried(format!("{shown} carries over (`ipAddressType` in {lb})."))
        }
        "ip-address-type" => lost(format!("{shown} is not an IP address type an ALB has ({}): not carried over.", IP_ADDRESS_TYPES.join(", "))),
        "tags" => carried(format!("{shown} carries over: the Gateway's ALB gets the same tags (`tags` in {lb}).")),
        "security-groups" => (
            Severity::Warning,
            FindingCode::AnnotationGateway,
            format!("{shown} carries over (`securityGroups` in {lb}): the Gateway's ALB gets these groups instead of one the controller manages. The controller then opens no port to ZenML's pods unless `manageBackendSecurityGroupRules` is true: check that these groups let the ALB reach the pods on {ZENML_POD_PORT} (`ip` targets), not only a NodePort."),
        ),
        "manage-backend-security-group-rules" if value.parse::<bool>().is_ok() => {
            carried(format!("{shown} carries over (`manageBackendSecurityGroupRules` in {lb})."))
        }
        "shield-advanced-protection" if value.parse::<bool>().is_ok() => {
            carried(format!("{shown} carries over (`shieldConfiguration.enabled` in {lb})."))
        }
        "wafv2-acl-arn" | "wafv2-acl-name" if value == "none" => (
            Severity::Info,
            FindingCode::AnnotationSame,
            format!("{shown} keeps any web ACL off the Ingress's ALB; the Gateway's gets none either."),
        ),
        "wafv2-acl-arn" | "wafv2-acl-name" if web_acl(model).as_deref() != Some(value) => (
            Severity::Info,
            FindingCode::AnnotationReplaced,
            format!("{shown}: the web ACL `alb.ingress.kubernetes.io/wafv2-acl-arn` names goes to the Gateway's ALB instead (`wafV2.webACL` in {lb})."),
        ),
        "wafv2-acl-arn" | "wafv2-acl-name" => carried(format!(
            "{shown} carries over: the same AWS WAF web ACL protects the Gateway's ALB (`wafV2.webACL` in {lb})."
        )),
        "load-balancer-attributes" => carried(format!(
            "{shown} carries over: each attribute as it was (`loadBalancerAttributes` in {lb}), the idle timeout as `idle_timeout.timeout_seconds: \"{}\"`.",
            idle_timeout(&Behaviour::of(&model.release))
        )),
        "inbound-cidrs" => carried(format!(
            "{shown} carries over: only these networks reach the Gateway's ALB (`sourceRanges` in {lb}, the ALB's security group: every listener and route of the Gateway)."
        )),
        "target-type" if value == "ip" => carried(format!("{shown} carries over (`targetType: ip` in {tg}).")),
        "target-type" => (
            Severity::Warning,
            FindingCode::AnnotationReplaced,
            format!("{shown}: the Gateway's target group sends to pod IPs instead (`targetType: ip` in {tg}), which needs pods with VPC addresses (the Amazon VPC CNI): `instance` targets need a NodePort Service, and ZenML's is ClusterIP unless `server.service.type` says otherwise. If the cluster's pods have no VPC addresses, keep ZenML's Service a NodePort and change `targetType` to `instance` before step 3."),
        ),
        "healthcheck-path" if is_path(value) => {
            carried(format!("{shown} carries over to the target group's health check (`healthCheckPath` in {tg})."))
        }
        "healthcheck-protocol" if HEALTH_CHECK_PROTOCOLS.contains(&value) => {
            carried(format!("{shown} carries over to the target group's health check (`healthCheckProtocol` in {tg})."))
        }
        "healthcheck-interval-seconds" | "healthcheck-timeout-seconds" | "healthy-threshold-count"
        | "unhealthy-threshold-count"
            if value.parse::<u32>().is_ok() =>
        {
            carried(format!("{shown} carries over to the target group's health check ({tg})."))
        }
        "success-codes" if !value.is_empty() => {
            carried(format!("{shown} carries over to the target group's health check (`matcher.httpCode` in {tg})."))
        }
        "healthcheck-path" | "healthcheck-protocol" | "healthcheck-interval-seconds" | "healthcheck-timeout-seconds"
        | "healthy-threshold-count" | "unhealthy-threshold-count" | "success-codes" => lost(format!(
            "{shown} is not a value the target group's health check takes, so the plan's stays ({tg} checks {}).",
            code(&health_check_path(model))
        )),
        "healthcheck-port" => (
            Severity::Info,
            FindingCode::AnnotationReplaced,
            format!("{shown}: the Gateway's health check goes where the traffic goes (`traffic-port`): ZenML's pod port {ZENML_POD_PORT}, as `ip` targets are the pods."),
        ),
        "target-group-attributes" => {
            carried(format!("{shown} carries over: each attribute, as it was (`targetGroupAttributes` in {tg})."))
        }
        "backend-protocol" if value.eq_ignore_ascii_case("HTTP") => (
            Severity::Info,
            FindingCode::AnnotationSame,
            format!("{shown}: the Gateway's target group speaks HTTP to ZenML too; nothing to carry over."),
        ),
        "backend-protocol" | "backend-protocol-version" => lost(format!(
            "{shown} is not carried over: the Gateway's target group speaks HTTP to ZenML's port {ZENML_POD_PORT}, which serves plain HTTP; set `protocol` or `protocolVersion` in {tg} if yours does otherwise."
        )),
        "load-balancer-name" => lost(format!(
            "{shown} named the Ingress's ALB, and an ALB name is unique in its region and account: the Gateway's ALB, made while that one exists, gets a generated name. Set `loadBalancerName` in {lb} for another fixed name."
        )),
        "group.name" | "group.order" => (
            Severity::Info,
            FindingCode::AnnotationReplaced,
            format!("{shown} shared the Ingress's ALB with the other Ingresses of its group; on the Gateway side, the routes of the Gateway share its ALB instead, and the group's other Ingresses keep theirs."),
        ),
        _ => lost(format!(
            "{shown} is not carried over to the Gateway's ALB. The LoadBalancerConfiguration and TargetGroupConfiguration (`gateway.k8s.aws/v1`) have fields for many ALB settings (the controller's `lbc-migrate` maps them): add it to gateway.yaml by hand if ZenML needs it. Settings of a rule (actions, conditions, authentication) need a ListenerRuleConfiguration filter, which the chart's HTTPRoute cannot carry."
        )),
    }
}

// ---- LoadBalancerConfiguration and TargetGroupConfiguration (`gateway.k8s.aws/v1`, v3.5.0)

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancerConfigurationSpec {
    /// Always set: unset, the controller's `--default-load-balancer-scheme` (internal) decides.
    pub scheme: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_balancer_subnets: Option<Vec<SubnetConfiguration>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_groups: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manage_backend_security_group_rules: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_ranges: Option<Vec<String>>,
    pub load_balancer_attributes: Vec<Attribute>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listener_configurations: Option<Vec<ListenerConfiguration>>,
    #[serde(rename = "wafV2", skip_serializing_if = "Option::is_none")]
    pub waf_v2: Option<WafV2>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shield_configuration: Option<ShieldConfiguration>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct WafV2 {
    /// The web ACL's ARN or name.
    #[serde(rename = "webACL")]
    pub web_acl: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct ShieldConfiguration {
    pub enabled: bool,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct SubnetConfiguration {
    pub identifier: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Attribute {
    pub key: String,
    pub value: String,
}

/// The HTTPS listener's settings. Without `defaultCertificate`, the controller looks an ACM
/// certificate up by the listener's hostnames (and fails the Gateway when there are none).
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ListenerConfiguration {
    /// `HTTPS:443`.
    pub protocol_port: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_certificate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificates: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ssl_policy: Option<String>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TargetGroupConfigurationSpec {
    /// A Service in the configuration's own namespace (kind Service by default).
    pub target_reference: TargetReference,
    pub default_configuration: TargetGroupProps,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct TargetReference {
    pub name: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TargetGroupProps {
    pub target_type: String,
    pub health_check_config: HealthCheckConfig,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub target_group_attributes: Vec<Attribute>,
}

/// No `healthCheckPort`: the default, `traffic-port`, is the port the `ip` targets are
/// registered on, ZenML's 8080.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheckConfig {
    pub health_check_path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check_protocol: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check_interval: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check_timeout: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthy_threshold_count: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unhealthy_threshold_count: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matcher: Option<Matcher>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Matcher {
    pub http_code: String,
}
