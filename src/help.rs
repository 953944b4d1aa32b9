//! One line of help for each implementation and TLS model: what it is, and when it fits. Every
//! fact here is one the planner's own outputs rely on (versions, defaults, what it installs; see
//! the README's upstream table).

use planner::TlsModel;

/// The help for an implementation, by its slug (`--implementation`).
pub fn implementation_help(slug: &str) -> Option<&'static str> {
    Some(match slug {
        "envoy-gateway" => {
            "The Envoy project's Gateway API controller (v1.9.0, installed with Helm, Kubernetes 1.33 or later): \
             Envoy proxies per Gateway, with policies for timeouts, body size and allowed networks. \
             A fit for a cluster with no Gateway API implementation yet."
        }
        "istio" => {
            "Istio's istiod (1.30.3, Kubernetes 1.32 or later) serves Gateway API and creates the GatewayClass itself. \
             The fit when the cluster runs Istio already, or will."
        }
        "nginx-gateway-fabric" => {
            "NGINX's Gateway API controller (2.6.7, Kubernetes 1.31 or later), one NGINX per Gateway. \
             Like ingress-nginx it limits request bodies to 1m unless a policy says otherwise."
        }
        "gke" => {
            "Google's managed Gateway on GKE: nothing to install, Google Cloud load balancers carry the traffic. \
             Only for GKE clusters with the Gateway API turned on."
        }
        "traefik" => {
            "Traefik v3.7.11 with its Gateway API provider (chart 41.3.0): one Traefik install behind one Service \
             serves every Gateway of its class. The fit when Traefik serves your Ingress today."
        }
        "kong" => {
            "Kong through Kong Operator 2.2.3 (chart 1.3.1): the plan writes the kong GatewayClass, and a \
             GatewayConfiguration sets its proxies. The fit when Kong runs in the cluster already."
        }
        "aws-load-balancer-controller" => {
            "AWS Load Balancer Controller v3.5.0: the Gateway is an Application Load Balancer, with no proxies \
             in the cluster, and TLS only with ACM certificates. The fit on EKS, where an ALB serves the Ingress today."
        }
        _ => return None,
    })
}

pub fn tls_label(model: TlsModel) -> &'static str {
    match model {
        TlsModel::CertManager => "cert-manager",
        TlsModel::ExistingSecret => "Existing secret",
        TlsModel::CloudLb => "Cloud load balancer",
        TlsModel::None => "None",
    }
}

pub fn tls_help(model: TlsModel) -> &'static str {
    match model {
        TlsModel::CertManager => {
            "cert-manager issues the Gateway's certificate (an issuer your values name is copied for the Gateway, never edited). \
             The fit when cert-manager issues the Ingress's certificate today."
        }
        TlsModel::ExistingSecret => {
            "The Gateway's HTTPS listener serves the TLS Secret the Ingress uses today. \
             The fit when you manage that certificate yourself."
        }
        TlsModel::CloudLb => {
            "TLS ends at the cloud load balancer in front of the Gateway (an ACM certificate on an AWS NLB, a certificate map on GKE). \
             The fit when a cloud certificate ends TLS today."
        }
        TlsModel::None => {
            "The Gateway listens on plain HTTP only. Only for a release nobody reaches over https."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use planner::IMPLEMENTATIONS;

    #[test]
    fn every_implementation_has_one_line_of_help() {
        // An implementation added to the registry needs its line here.
        for implementation in IMPLEMENTATIONS {
            let help = implementation_help(implementation.slug)
                .unwrap_or_else(|| panic!("no help for {}", implementation.slug));
            assert!(help.len() < 260, "{}: keep it short", implementation.slug);
        }
        assert_eq!(implementation_help("not-an-implementation"), None);
    }

    #[test]
    fn every_tls_model_has_a_label_and_one_line_of_help() {
        for model in TlsModel::ALL {
            assert!(!tls_label(model).is_empty());
            assert!(tls_help(model).len() < 260, "{model:?}");
        }
    }
}
