//! Implementation policies that carry the ingress's effective behaviour over (body size,
//! timeouts, affinity, allowed networks, rate limits), each targeting the HTTPRoute or Service
//! the chart renders (named like the release's Service) or the Gateway. Each implementation's
//! module builds its own, from typed structs per CRD, with the helpers here.

use crate::behaviour::Behaviour;
use crate::emit::gateway::GATEWAY_GROUP;
use crate::excerpt::clip;
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

/// A kind of object that carries the ingress's behaviour over: each implementation module
/// declares the kinds it writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyKind {
    /// The object's `kind`.
    pub kind: &'static str,
    pub api_version: &'static str,
    /// The fully qualified resource name kubectl needs (short names are ambiguous).
    pub resource: &'static str,
    /// Not a Gateway API policy (an implementation's own resource, like Istio's): the runbook
    /// applies it, and policies.yaml holds only policy attachments.
    pub applied_by_runbook: bool,
    /// It limits which client networks reach ZenML.
    pub filters_client_networks: bool,
}

impl std::fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.kind)
    }
}

impl Serialize for PolicyKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.kind)
    }
}

/// One part of why the plan made a policy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reason {
    pub text: String,
    /// The part describes what the ingress controller did: with no Ingress running, there was
    /// nothing it did, and the findings leave the part out.
    pub about_source: bool,
}

/// Why the plan made a policy, written as its parts joined by `; `.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Reasons(pub Vec<Reason>);

impl Reasons {
    /// A reason that holds whatever the ingress did (the setting, the target's default).
    pub fn of(text: impl Into<String>) -> Reasons {
        Reasons(vec![Reason { text: text.into(), about_source: false }])
    }

    pub fn and(mut self, text: impl Into<String>) -> Reasons {
        self.0.push(Reason { text: text.into(), about_source: false });
        self
    }

    /// A part about what the ingress controller did.
    pub fn and_source(mut self, text: impl Into<String>) -> Reasons {
        self.0.push(Reason { text: text.into(), about_source: true });
        self
    }

    /// The parts that hold without an Ingress.
    pub fn without_source(&self) -> String {
        self.0.iter().filter(|r| !r.about_source).map(|r| r.text.as_str()).collect::<Vec<_>>().join("; ")
    }
}

impl std::fmt::Display for Reasons {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join("; "))
    }
}

/// One policy and why the plan made it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Policy {
    pub kind: PolicyKind,
    pub name: String,
    pub namespace: String,
    pub why: Reasons,
    pub object: Value,
}

impl Policy {
    /// The runbook applies it rather than policies.yaml.
    pub fn applied_by_runbook(&self) -> bool {
        self.kind.applied_by_runbook
    }
}

pub(crate) fn policy<S: Serialize>(kind: PolicyKind, meta: Meta, spec: S, why: Reasons) -> Policy {
    let name = meta.name.clone();
    let namespace = meta.namespace.clone().unwrap_or_default();
    Policy { kind, name, namespace, why, object: Manifest::new(kind.api_version, kind.kind, meta, spec).to_value() }
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
