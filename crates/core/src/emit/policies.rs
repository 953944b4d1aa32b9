//! Implementation policies that carry the ingress's effective behaviour over (body size,
//! timeouts, affinity, allowed networks, rate limits), each targeting the HTTPRoute or Service
//! the chart renders (named like the release's Service) or the Gateway. Each implementation's
//! module builds its own, from typed structs per CRD, with the helpers here.

use crate::behaviour::Behaviour;
use crate::emit::gateway::GATEWAY_GROUP;
use crate::findings::clip;
use crate::manifest::{Manifest, Meta};
use crate::markdown::code;
use crate::plan::Model;
use serde::Serialize;
use serde_json::Value;

/// A reference to the object a policy attaches to.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct TargetRef {
    pub group: String,
    pub kind: String,
    pub name: String,
}

pub(crate) fn route_ref(model: &Model) -> TargetRef {
    TargetRef { group: GATEWAY_GROUP.into(), kind: "HTTPRoute".into(), name: model.fullname.clone() }
}

pub(crate) fn service_ref(model: &Model, core_group: &str) -> TargetRef {
    TargetRef { group: core_group.into(), kind: "Service".into(), name: model.fullname.clone() }
}

/// One policy and why the plan made it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Policy {
    pub kind: &'static str,
    pub name: String,
    pub namespace: String,
    pub why: String,
    pub object: Value,
    /// It limits which client networks reach ZenML (allow or deny lists).
    pub filters_client_networks: bool,
}

impl Policy {
    /// An Istio resource rather than a Gateway API policy attachment.
    pub fn istio_resource(&self) -> bool {
        self.object["apiVersion"].as_str().is_some_and(|v| v.contains("istio.io/"))
    }

    /// Marks a policy that limits which client networks reach ZenML.
    pub(crate) fn filtering_client_networks(mut self) -> Policy {
        self.filters_client_networks = true;
        self
    }

    /// kubectl's fully qualified resource name for its kind (short names are ambiguous): the
    /// lower-case plural and the API group, as the CRDs name them.
    pub fn resource(&self) -> String {
        let group = self.object["apiVersion"].as_str().and_then(|v| v.rsplit_once('/')).map_or("", |(g, _)| g);
        let kind = self.kind.to_ascii_lowercase();
        let plural = match kind.strip_suffix('y') {
            Some(stem) => format!("{stem}ies"),
            None => format!("{kind}s"),
        };
        format!("{plural}.{group}")
    }
}

pub(crate) fn policy<S: Serialize>(api: &'static str, kind: &'static str, meta: Meta, spec: S, why: String) -> Policy {
    let name = meta.name.clone();
    let namespace = meta.namespace.clone().unwrap_or_default();
    Policy {
        kind,
        name,
        namespace,
        why,
        object: Manifest::new(api, kind, meta, spec).to_value(),
        filters_client_networks: false,
    }
}

pub(crate) fn cidr_words(b: &Behaviour) -> String {
    let mut parts = Vec::new();
    if let Some(a) = &b.allowed_cidrs {
        parts.push(format!(
            "only {} allowed ({})",
            code(&clip(&a.value.join(", "), 400)),
            code(a.annotation.as_deref().unwrap_or(""))
        ));
    }
    if let Some(d) = &b.denied_cidrs {
        parts.push(format!(
            "{} refused ({})",
            code(&clip(&d.value.join(", "), 400)),
            code(d.annotation.as_deref().unwrap_or(""))
        ));
    }
    parts.join("; ")
}

/// The policies for the chosen implementation, from the ingress's effective behaviour.
pub fn policies(model: &Model, b: &Behaviour) -> Vec<Policy> {
    model.implementation.emit.policies(model, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy_of(api: &'static str, kind: &'static str) -> Policy {
        policy(api, kind, Meta::new("p", Some("ns")), serde_json::json!({}), String::new())
    }

    #[test]
    fn resource_names_are_the_plural_kind_and_the_group() {
        let cases = [
            ("gateway.envoyproxy.io/v1alpha1", "BackendTrafficPolicy", "backendtrafficpolicies.gateway.envoyproxy.io"),
            ("gateway.envoyproxy.io/v1alpha1", "SecurityPolicy", "securitypolicies.gateway.envoyproxy.io"),
            ("gateway.nginx.org/v1alpha1", "ClientSettingsPolicy", "clientsettingspolicies.gateway.nginx.org"),
            ("gateway.nginx.org/v1alpha1", "ProxySettingsPolicy", "proxysettingspolicies.gateway.nginx.org"),
            ("gateway.nginx.org/v1alpha1", "UpstreamSettingsPolicy", "upstreamsettingspolicies.gateway.nginx.org"),
            ("networking.gke.io/v1", "GCPBackendPolicy", "gcpbackendpolicies.networking.gke.io"),
            ("networking.gke.io/v1", "HealthCheckPolicy", "healthcheckpolicies.networking.gke.io"),
            ("networking.istio.io/v1", "DestinationRule", "destinationrules.networking.istio.io"),
            ("security.istio.io/v1", "AuthorizationPolicy", "authorizationpolicies.security.istio.io"),
        ];
        for (api, kind, resource) in cases {
            assert_eq!(policy_of(api, kind).resource(), resource);
        }
    }
}
