//! What users of the AWS Load Balancer Controller rely on, for every corpus input and TLS model:
//! a TLS model it cannot serve never yields a plan; no listener carries `certificateRefs` (the
//! controller does not read them), and the HTTPS listener gets its ACM certificate from the
//! LoadBalancerConfiguration the Gateway names; that configuration and ZenML's target group come
//! before the Gateway in gateway.yaml, the target group sends to the pods of ZenML's own Service
//! and checks their health; the idle timeout never cuts a wait the ingress allowed.

mod common;

use planner::behaviour::{Behaviour, TimeoutKind};
use planner::plan::{CloudLbTls, Tls};
use planner::values::Document;
use planner::{plan, ChoiceField, Choices, FindingCode, ImplementationId, PlanError, TlsModel};
use serde_json::Value;

const ALB: ImplementationId = ImplementationId::AwsLoadBalancerController;
const ARN: &str = "arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000000";

fn objects(gateway_yaml: &str) -> Vec<Value> {
    gateway_yaml
        .split("\n---\n")
        .map(|doc| Document::parse(doc).unwrap().root.unwrap().to_json(&mut 1_000_000).unwrap())
        .collect()
}

fn position(objects: &[Value], kind: &str) -> usize {
    objects.iter().position(|o| o["kind"] == kind).unwrap_or_else(|| panic!("no {kind}"))
}

#[test]
fn a_tls_model_the_alb_cannot_serve_never_yields_a_plan() {
    let mut refused = 0;
    for (case, text) in common::corpus() {
        for tls in [TlsModel::CertManager, TlsModel::ExistingSecret] {
            let mut choices = Choices::new(ALB);
            choices.tls = Some(tls);
            match plan(&text, &choices) {
                Err(PlanError::Choice { option, message }) => {
                    assert_eq!(option, ChoiceField::Tls, "{case}");
                    assert!(
                        message.contains("ACM") && message.ends_with("Choose cloud-lb, none."),
                        "{case}: {message}"
                    );
                    refused += 1;
                }
                // Values the planner refuses anyway are located errors, never a plan.
                Err(PlanError::Values(_)) => {}
                Ok(_) => panic!("{case}: {} planned for the ALB", tls.slug()),
            }
        }
    }
    assert!(refused > 50, "{refused}");
}

#[test]
fn the_alb_gets_its_certificate_and_settings_before_the_gateway() {
    let mut checked = 0;
    for (case, text) in common::corpus() {
        for (tls, arn) in [(TlsModel::CloudLb, Some(ARN)), (TlsModel::CloudLb, None), (TlsModel::None, None)] {
            let mut choices = Choices::new(ALB);
            choices.tls = Some(tls);
            choices.certificate_arn = arn.map(str::to_string);
            let Ok(plan) = plan(&text, &choices) else { continue };
            let what = format!("{case} {} {arn:?}", tls.slug());
            let model = planner::plan::build_model(&text, &choices, &mut Vec::new()).unwrap();
            let objects = objects(plan.file("gateway.yaml").unwrap());
            let (settings_at, target_group_at, gateway_at) = (
                position(&objects, "LoadBalancerConfiguration"),
                position(&objects, "TargetGroupConfiguration"),
                position(&objects, "Gateway"),
            );
            assert!(settings_at < gateway_at && target_group_at < gateway_at, "{what}: created before the Gateway");
            let (settings, target_group, gateway) =
                (&objects[settings_at], &objects[target_group_at], &objects[gateway_at]);

            // The Gateway names the settings, which live beside it (the controller looks there).
            let parameters = &gateway["spec"]["infrastructure"]["parametersRef"];
            assert_eq!(parameters["group"], "gateway.k8s.aws", "{what}");
            assert_eq!(parameters["name"], settings["metadata"]["name"], "{what}");
            assert_eq!(settings["metadata"]["namespace"], gateway["metadata"]["namespace"], "{what}");

            // No listener carries certificateRefs; the HTTPS one ends TLS with the ACM certificate.
            for listener in gateway["spec"]["listeners"].as_array().unwrap() {
                assert!(listener["tls"].is_null(), "{what}: {listener}");
            }
            let https: Vec<&Value> =
                gateway["spec"]["listeners"].as_array().unwrap().iter().filter(|l| l["protocol"] == "HTTPS").collect();
            assert_eq!(https.len(), usize::from(tls == TlsModel::CloudLb), "{what}");
            let listener_settings = &settings["spec"]["listenerConfigurations"];
            let certificate_arn = match &model.tls {
                Tls::CloudLb(CloudLbTls::AwsAlbAcm { certificate_arn, .. }) => certificate_arn.clone(),
                _ => None,
            };
            match &certificate_arn {
                Some(arn) => {
                    assert_eq!(listener_settings[0]["protocolPort"], "HTTPS:443", "{what}");
                    assert_eq!(listener_settings[0]["defaultCertificate"], arn.as_str(), "{what}");
                }
                None => assert!(listener_settings[0]["defaultCertificate"].is_null(), "{what}"),
            }
            if tls == TlsModel::CloudLb && certificate_arn.is_none() && model.listeners.hostname.is_none() {
                assert!(plan.findings.iter().any(|f| f.code == FindingCode::CertificateArnMissing), "{what}");
            }

            // ZenML's own Service, by pod IP, with a health check on a path.
            assert_eq!(target_group["metadata"]["namespace"], model.namespace.as_str(), "{what}");
            assert_eq!(target_group["spec"]["targetReference"]["name"], model.fullname.as_str(), "{what}");
            let props = &target_group["spec"]["defaultConfiguration"];
            assert_eq!(props["targetType"], "ip", "{what}");
            assert!(props["healthCheckConfig"]["healthCheckPath"].as_str().unwrap().starts_with('/'), "{what}");

            // The idle timeout never cuts what the ingress allowed, within what an ALB takes.
            let idle: u64 = settings["spec"]["loadBalancerAttributes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["key"] == "idle_timeout.timeout_seconds")
                .and_then(|a| a["value"].as_str()?.parse().ok())
                .unwrap_or_else(|| panic!("{what}: an idle timeout"));
            let b = Behaviour::of(&model.release);
            assert!((1..=4000).contains(&idle), "{what}: {idle}");
            match b.read_timeout_kind {
                TimeoutKind::Unlimited => assert_eq!(idle, 4000, "{what}"),
                _ => assert!(idle >= b.read_timeout_seconds.value.min(4000), "{what}: {idle}"),
            }
            assert!(["internal", "internet-facing"].contains(&settings["spec"]["scheme"].as_str().unwrap()), "{what}");
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn the_ingress_albs_scheme_certificates_and_target_group_carry_over() {
    let text = "server:\n  ingress:\n    className: alb\n    host: zenml.example.com\n    annotations:\n      alb.ingress.kubernetes.io/scheme: internet-facing\n      alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:eu-west-1:111122223333:certificate/a, arn:aws:acm:eu-west-1:111122223333:certificate/b\n      alb.ingress.kubernetes.io/ssl-policy: ELBSecurityPolicy-TLS13-1-2-2021-06\n      alb.ingress.kubernetes.io/load-balancer-attributes: idle_timeout.timeout_seconds=30,access_logs.s3.enabled=true,access_logs.s3.bucket=logs\n      alb.ingress.kubernetes.io/target-type: instance\n      alb.ingress.kubernetes.io/healthcheck-path: /ready\n      alb.ingress.kubernetes.io/success-codes: 200-299\n      alb.ingress.kubernetes.io/target-group-attributes: stickiness.enabled=true,stickiness.lb_cookie.duration_seconds=60\n";
    let plan = plan(text, &Choices::new(ALB)).expect("the ALB Ingress implies cloud-lb");
    assert_eq!(plan.resolved.tls, TlsModel::CloudLb);
    let objects = objects(plan.file("gateway.yaml").unwrap());
    let settings = &objects[position(&objects, "LoadBalancerConfiguration")]["spec"];
    assert_eq!(settings["scheme"], "internet-facing");
    let listener = &settings["listenerConfigurations"][0];
    assert_eq!(listener["defaultCertificate"], "arn:aws:acm:eu-west-1:111122223333:certificate/a");
    assert_eq!(listener["certificates"], serde_json::json!(["arn:aws:acm:eu-west-1:111122223333:certificate/b"]));
    assert_eq!(listener["sslPolicy"], "ELBSecurityPolicy-TLS13-1-2-2021-06");
    // The ALB Ingress's own idle timeout, and its access logs, as they were.
    assert_eq!(
        settings["loadBalancerAttributes"],
        serde_json::json!([
            {"key": "idle_timeout.timeout_seconds", "value": "30"},
            {"key": "access_logs.s3.enabled", "value": "true"},
            {"key": "access_logs.s3.bucket", "value": "logs"},
        ])
    );
    let props = &objects[position(&objects, "TargetGroupConfiguration")]["spec"]["defaultConfiguration"];
    // Instance targets cannot reach the chart's ClusterIP Service.
    assert_eq!(props["targetType"], "ip");
    assert_eq!(
        props["healthCheckConfig"],
        serde_json::json!({"healthCheckPath": "/ready", "matcher": {"httpCode": "200-299"}})
    );
    assert_eq!(
        props["targetGroupAttributes"],
        serde_json::json!([
            {"key": "stickiness.enabled", "value": "true"},
            {"key": "stickiness.lb_cookie.duration_seconds", "value": "60"},
        ])
    );
    // Every annotation gets a finding that names where it went, or that it stayed behind.
    let annotation_findings =
        plan.findings.iter().filter(|f| f.path.as_deref().is_some_and(|p| p.contains("alb.ingress"))).count();
    assert_eq!(annotation_findings, 8);
}
