//! "Help me choose": three questions (where the cluster runs, what serves its Ingress today, who
//! ends TLS today) and the implementation and TLS model they point to, with the reasons. The
//! answers only suggest; the user applies them with one click and can change either choice after.
//! TLS models an implementation refuses, and cloud certificates it cannot use, are read from the
//! implementation registry, so a suggestion is always a plan the core makes.

use planner::{CloudLoadBalancer, Implementation, ImplementationId, TlsModel};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cloud {
    Aws,
    Google,
    Elsewhere,
}

impl Cloud {
    pub const ALL: [Cloud; 3] = [Cloud::Aws, Cloud::Google, Cloud::Elsewhere];

    pub fn label(self) -> &'static str {
        match self {
            Cloud::Aws => "AWS (EKS)",
            Cloud::Google => "Google Cloud (GKE)",
            Cloud::Elsewhere => "Elsewhere (another cloud, on premises, kind)",
        }
    }
}

/// What serves the cluster's Ingress (or its mesh) today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunsToday {
    IngressNginx,
    Istio,
    Traefik,
    Kong,
    AwsAlb,
    GkeIngress,
}

impl RunsToday {
    pub const ALL: [RunsToday; 6] = [
        RunsToday::IngressNginx,
        RunsToday::Istio,
        RunsToday::Traefik,
        RunsToday::Kong,
        RunsToday::AwsAlb,
        RunsToday::GkeIngress,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RunsToday::IngressNginx => "ingress-nginx, or nothing else",
            RunsToday::Istio => "Istio",
            RunsToday::Traefik => "Traefik",
            RunsToday::Kong => "Kong",
            RunsToday::AwsAlb => "An AWS ALB (AWS Load Balancer Controller)",
            RunsToday::GkeIngress => "GKE's own Ingress (a Google load balancer)",
        }
    }
}

/// Who ends TLS for ZenML today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsToday {
    CertManager,
    OwnSecret,
    CloudCertificate,
    Nobody,
}

impl TlsToday {
    pub const ALL: [TlsToday; 4] =
        [TlsToday::CertManager, TlsToday::OwnSecret, TlsToday::CloudCertificate, TlsToday::Nobody];

    pub fn label(self) -> &'static str {
        match self {
            TlsToday::CertManager => "cert-manager issues the certificate",
            TlsToday::OwnSecret => "A TLS Secret we manage ourselves",
            TlsToday::CloudCertificate => "The cloud load balancer (an ACM or Google certificate)",
            TlsToday::Nobody => "Nobody: plain HTTP",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answers {
    pub cloud: Cloud,
    pub runs: RunsToday,
    pub tls: TlsToday,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub implementation: ImplementationId,
    pub tls: TlsModel,
    /// Why, one sentence per decision, in the order they were made.
    pub why: Vec<String>,
}

/// The cloud certificate `implementation` can take at the cloud's load balancer, on `cloud`.
fn cloud_certificate_fits(implementation: ImplementationId, cloud: Cloud) -> bool {
    match Implementation::get(implementation).cloud_load_balancer {
        CloudLoadBalancer::AwsNlbAcm | CloudLoadBalancer::AwsAlbAcm => cloud == Cloud::Aws,
        CloudLoadBalancer::GkeCertificateMap => cloud == Cloud::Google,
    }
}

pub fn suggest(answers: Answers) -> Suggestion {
    use ImplementationId as Id;
    let mut why = Vec::new();
    let name = |id: Id| Implementation::get(id).display_name;

    // The implementation: keep what the cluster runs, where it serves Gateway API itself.
    let mut implementation = match (answers.runs, answers.cloud) {
        (RunsToday::Istio, _) => {
            why.push("Istio serves Gateway API itself: nothing new runs in the cluster.".to_string());
            Id::Istio
        }
        (RunsToday::Traefik, _) => {
            why.push(
                "Traefik serves Gateway API too: the same proxy, with its Gateway provider turned on.".to_string(),
            );
            Id::Traefik
        }
        (RunsToday::Kong, _) => {
            why.push("Kong Operator serves Gateway API for the Kong you run.".to_string());
            Id::Kong
        }
        (RunsToday::AwsAlb, Cloud::Aws) => {
            why.push(
                "The AWS Load Balancer Controller makes the Gateway an ALB, as the Ingress is today: no proxies in the cluster."
                    .to_string(),
            );
            Id::AwsLoadBalancerController
        }
        (RunsToday::GkeIngress, Cloud::Google) => {
            why.push(
                "GKE's managed Gateway keeps a Google load balancer, as the Ingress has today: nothing to install."
                    .to_string(),
            );
            Id::Gke
        }
        (RunsToday::AwsAlb, _) | (RunsToday::GkeIngress, _) => {
            why.push(format!(
                "{} is a fit where no Gateway API implementation runs yet (an ALB needs AWS, GKE's Gateway needs GKE).",
                name(Id::EnvoyGateway)
            ));
            Id::EnvoyGateway
        }
        (RunsToday::IngressNginx, _) => {
            why.push(format!(
                "{} is a fit where no Gateway API implementation runs yet, with policies for ZenML's uploads and timeouts ({} is the NGINX-based choice).",
                name(Id::EnvoyGateway),
                name(Id::NginxGatewayFabric)
            ));
            Id::EnvoyGateway
        }
    };

    // The TLS model: keep who ends TLS today, where the implementation can.
    let mut tls = match answers.tls {
        TlsToday::CertManager => TlsModel::CertManager,
        TlsToday::OwnSecret => TlsModel::ExistingSecret,
        TlsToday::CloudCertificate => TlsModel::CloudLb,
        TlsToday::Nobody => TlsModel::None,
    };
    if tls == TlsModel::CloudLb && !cloud_certificate_fits(implementation, answers.cloud) {
        if answers.cloud == Cloud::Google && matches!(answers.runs, RunsToday::IngressNginx | RunsToday::GkeIngress) {
            why.push(format!(
                "A Google certificate stays at the load balancer only with {}, whose Gateway is that load balancer.",
                name(Id::Gke)
            ));
            implementation = Id::Gke;
        } else {
            why.push(format!(
                "{} cannot take a certificate at this cloud's load balancer (the planner knows AWS ACM and Google certificate maps): cert-manager issues one for the Gateway instead.",
                name(implementation)
            ));
            tls = TlsModel::CertManager;
        }
    }
    if let Some(refusal) = Implementation::get(implementation).refusal(tls) {
        let instead = if cloud_certificate_fits(implementation, answers.cloud) {
            TlsModel::CloudLb
        } else {
            TlsModel::CertManager
        };
        // The registry's reason names CLI options; the page names its fields.
        let refusal = crate::wording::page_words(refusal).text;
        why.push(format!("{}: {}.", name(implementation), refusal.trim_end_matches('.')));
        tls = instead;
    }
    why.push(match tls {
        TlsModel::CertManager => "cert-manager issues the Gateway's certificate.".to_string(),
        TlsModel::ExistingSecret => "The Gateway serves the Secret the Ingress serves today.".to_string(),
        TlsModel::CloudLb => "TLS keeps ending at the cloud load balancer.".to_string(),
        TlsModel::None => "Plain HTTP, as today: only for a release nobody reaches over https.".to_string(),
    });
    Suggestion { implementation, tls, why }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_answer() -> impl Iterator<Item = Answers> {
        Cloud::ALL.into_iter().flat_map(|cloud| {
            RunsToday::ALL
                .into_iter()
                .flat_map(move |runs| TlsToday::ALL.into_iter().map(move |tls| Answers { cloud, runs, tls }))
        })
    }

    /// Whatever the answers, the suggestion is a pair the planner plans: the implementation
    /// serves the TLS model, and a cloud certificate suits the cloud.
    #[test]
    fn every_suggestion_is_a_plan_the_core_makes() {
        let values = "server:\n  ingress:\n    enabled: true\n    host: zenml.example.com\n";
        for answers in every_answer() {
            let s = suggest(answers);
            assert_eq!(Implementation::get(s.implementation).refusal(s.tls), None, "{answers:?}");
            if s.tls == TlsModel::CloudLb {
                assert!(cloud_certificate_fits(s.implementation, answers.cloud), "{answers:?}");
            }
            let mut choices = planner::Choices::new(s.implementation);
            choices.tls = Some(s.tls);
            choices.certificate_arn = Some("arn:aws:acm:eu-west-1:123456789012:certificate/abc".into());
            assert!(planner::plan(values, &choices).is_ok(), "{answers:?} -> {s:?}");
            assert!(!s.why.is_empty() && s.why.iter().all(|w| w.ends_with('.')), "{answers:?}: {:?}", s.why);
            assert!(
                s.why.iter().all(|w| !w.contains("--")),
                "{answers:?}: the page's words, no CLI option: {:?}",
                s.why
            );
        }
    }

    #[test]
    fn what_runs_today_is_kept_where_it_serves_gateway_api() {
        let with = |cloud, runs, tls| suggest(Answers { cloud, runs, tls });
        assert_eq!(
            with(Cloud::Elsewhere, RunsToday::Istio, TlsToday::CertManager).implementation,
            ImplementationId::Istio
        );
        assert_eq!(with(Cloud::Aws, RunsToday::Kong, TlsToday::OwnSecret).implementation, ImplementationId::Kong);
        assert_eq!(with(Cloud::Elsewhere, RunsToday::Traefik, TlsToday::Nobody).tls, TlsModel::None);
        let alb = with(Cloud::Aws, RunsToday::AwsAlb, TlsToday::CloudCertificate);
        assert_eq!((alb.implementation, alb.tls), (ImplementationId::AwsLoadBalancerController, TlsModel::CloudLb));
        let gke = with(Cloud::Google, RunsToday::GkeIngress, TlsToday::CloudCertificate);
        assert_eq!((gke.implementation, gke.tls), (ImplementationId::Gke, TlsModel::CloudLb));
        let nginx = with(Cloud::Aws, RunsToday::IngressNginx, TlsToday::CertManager);
        assert_eq!((nginx.implementation, nginx.tls), (ImplementationId::EnvoyGateway, TlsModel::CertManager));
    }

    /// An ALB cannot serve a cert-manager certificate: the suggestion says so and keeps TLS at
    /// the ALB with ACM.
    #[test]
    fn a_refused_tls_model_is_replaced_and_said_why() {
        let s = suggest(Answers { cloud: Cloud::Aws, runs: RunsToday::AwsAlb, tls: TlsToday::CertManager });
        assert_eq!((s.implementation, s.tls), (ImplementationId::AwsLoadBalancerController, TlsModel::CloudLb));
        assert!(s.why.iter().any(|w| w.starts_with("AWS Load Balancer Controller: ")), "{:?}", s.why);
        let s = suggest(Answers {
            cloud: Cloud::Elsewhere,
            runs: RunsToday::IngressNginx,
            tls: TlsToday::CloudCertificate,
        });
        assert_eq!(s.tls, TlsModel::CertManager, "{:?}", s.why);
    }
}
