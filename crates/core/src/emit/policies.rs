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
}

impl Policy {
    /// An Istio resource rather than a Gateway API policy attachment.
    pub fn istio_resource(&self) -> bool {
        self.object["apiVersion"].as_str().is_some_and(|v| v.contains("istio.io/"))
    }
}

pub(crate) fn policy<S: Serialize>(api: &'static str, kind: &'static str, meta: Meta, spec: S, why: String) -> Policy {
    let name = meta.name.clone();
    let namespace = meta.namespace.clone().unwrap_or_default();
    Policy { kind, name, namespace, why, object: Manifest::new(api, kind, meta, spec).to_value() }
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
