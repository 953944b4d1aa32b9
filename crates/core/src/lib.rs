//! Gateway Planner's core: a ZenML Helm `values.yaml` and the user's choices in, a complete
//! Ingress -> Gateway API migration plan out. Pure Rust with no web or OS dependencies: the
//! browser app, the CLI and the tests all call [`plan`].
//!
//! Pipeline: [`values`] (parse with positions, read the release, edit in place) ->
//! [`plan`](mod@plan) (the model: release + choices + derived names) -> [`emit`] (values,
//! gateway, tls, policies, findings, runbook), which asks [`implementations`] (one module per
//! target: its facts and its own objects).

pub mod annotations;
pub mod behaviour;
pub mod emit;
pub mod excerpt;
pub mod findings;
pub mod implementations;
pub mod manifest;
pub mod markdown;
pub mod plan;
pub mod share;
pub mod shell;
pub mod values;
pub mod yaml;

pub use findings::{Finding, FindingCode, Severity};
pub use implementations::{CloudLoadBalancer, Implementation, ImplementationId, IMPLEMENTATIONS};
pub use plan::{ChoiceField, Choices, DeployedWith, Model, PlanError, TlsModel};

use serde::Serialize;
use values::TopKey;

/// The files a plan can hold, in the order the CLI and the runbook list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileName {
    ValuesParallel,
    ValuesFinal,
    OverlayParallel,
    OverlayFinal,
    Gateway,
    Policies,
    Tls,
    Findings,
    Runbook,
}

impl FileName {
    /// The name the CLI writes the file under.
    pub fn as_str(self) -> &'static str {
        match self {
            FileName::ValuesParallel => "values-parallel.yaml",
            FileName::ValuesFinal => "values-final.yaml",
            FileName::OverlayParallel => "overlay-parallel.yaml",
            FileName::OverlayFinal => "overlay-final.yaml",
            FileName::Gateway => "gateway.yaml",
            FileName::Policies => "policies.yaml",
            FileName::Tls => "tls.yaml",
            FileName::Findings => "findings.json",
            FileName::Runbook => "runbook.md",
        }
    }

    /// The user's whole values file, edited: it holds their secrets (database URL, keys).
    pub fn is_whole_values_file(self) -> bool {
        matches!(self, FileName::ValuesParallel | FileName::ValuesFinal)
    }
}

impl std::fmt::Display for FileName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FileName {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One output file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanFile {
    pub name: FileName,
    pub content: String,
}

/// The derived settings, for showing the user what the plan assumed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Resolved {
    pub implementation: ImplementationId,
    pub tls: TlsModel,
    pub release: String,
    pub namespace: String,
    pub fullname: String,
    pub gateway_name: String,
    pub gateway_namespace: String,
    pub section_name: String,
    pub host: Option<String>,
    pub path: String,
    pub issuer: Option<String>,
    pub certificate_arn: Option<String>,
    pub values_key: TopKey,
    pub ingress_active: bool,
    pub deployed_with: DeployedWith,
    /// The host's record cannot be moved (wildcard DNS, a load balancer's own name): the
    /// Gateway's address decides the new name.
    pub host_moves: bool,
    /// The plan has external-dns manage the hostname (the user's word, or the values').
    pub external_dns: bool,
    /// The Ingress has external-dns annotations: what an unset choice follows.
    pub external_dns_in_values: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    pub resolved: Resolved,
    pub files: Vec<PlanFile>,
    pub findings: Vec<Finding>,
}

impl Plan {
    /// The file named `name` (`"gateway.yaml"`), when the plan has it.
    pub fn file(&self, name: &str) -> Option<&str> {
        self.files.iter().find(|f| f.name.as_str() == name).map(|f| f.content.as_str())
    }
}

fn yaml_file(header: &str, objects: &[serde_json::Value]) -> String {
    format!("{header}{}", yaml::to_yaml_stream(objects.iter()))
}

/// Makes the whole plan. Errors are located problems in the values, or invalid choices.
pub fn plan(values_text: &str, choices: &Choices) -> Result<Plan, PlanError> {
    let mut findings = Vec::new();
    let model = plan::build_model(values_text, choices, &mut findings)?;
    let behaviour = behaviour::Behaviour::of(&model.release);
    let policies = emit::policies::policies(&model, &behaviour);
    findings.extend(emit::findings::findings(&model));
    findings.extend(emit::findings::behaviour_findings(&model, &behaviour, &policies));
    findings.extend(emit::findings::annotation_settings(&model, &behaviour));
    // Most severe first; the order within a severity is the order of discovery.
    findings.sort_by_key(|f| f.severity);

    let route_annotations = model.implementation.emit.route_annotations(&model, &behaviour);
    let values = emit::values::migrated_values(&model, &route_annotations)?;
    let gateway_objects = emit::gateway::objects(&model);
    let tls_objects = emit::tls::objects(&model);

    let mut files = vec![
        PlanFile { name: FileName::ValuesParallel, content: values.parallel },
        PlanFile { name: FileName::ValuesFinal, content: values.final_phase },
        PlanFile { name: FileName::OverlayParallel, content: values.overlay_parallel },
        PlanFile { name: FileName::OverlayFinal, content: values.overlay_final },
        PlanFile {
            name: FileName::Gateway,
            content: yaml_file(
                &format!(
                    "# Gateway API objects for ZenML release {} ({}). Create with: kubectl create -f gateway.yaml (runbook step 3: never apply over an existing GatewayClass or shared Gateway)\n",
                    model.release_name, model.implementation.display_name
                ),
                &gateway_objects,
            ),
        },
    ];
    // Istio's own resources (no Gateway API policy exists for these) go in the runbook, so
    // policies.yaml holds only objects of the Gateway API policy CRDs.
    let in_file: Vec<&emit::policies::Policy> = policies.iter().filter(|p| !p.applied_by_runbook()).collect();
    if !in_file.is_empty() {
        let objects: Vec<serde_json::Value> = in_file.iter().map(|p| p.object.clone()).collect();
        files.push(PlanFile {
            name: FileName::Policies,
            content: yaml_file(
                &if model.implementation.emit.policies_before_route() {
                    format!(
                        "# {} policies that keep the ingress's behaviour for ZenML. Apply before the phase 1 helm upgrade (annotations on its HTTPRoute and Service name them, and a route that names a missing one is served without it): kubectl apply -f policies.yaml\n",
                        model.implementation.display_name
                    )
                } else {
                    format!(
                        "# {} policies that keep the ingress's behaviour for ZenML. Apply after the phase 1 helm upgrade (they target its HTTPRoute and Service): kubectl apply -f policies.yaml\n",
                        model.implementation.display_name
                    )
                },
                &objects,
            ),
        });
    }
    if !tls_objects.is_empty() {
        files.push(PlanFile {
            name: FileName::Tls,
            content: yaml_file(
                "# TLS objects the plan creates for the Gateway. Create with: kubectl create -f tls.yaml (it never changes an object that exists; runbook step 3)\n",
                &tls_objects,
            ),
        });
    }
    files.push(PlanFile {
        name: FileName::Findings,
        content: serde_json::to_string_pretty(&findings).expect("findings serialise") + "\n",
    });
    let mut names: Vec<FileName> = files.iter().map(|f| f.name).collect();
    names.push(FileName::Runbook);
    let runbook = emit::runbook::runbook(&model, &behaviour, &findings, &names, &policies);
    files.push(PlanFile { name: FileName::Runbook, content: runbook });

    let resolved = Resolved {
        implementation: model.implementation.id,
        tls: model.tls.model(),
        release: model.release_name.clone(),
        namespace: model.namespace.clone(),
        fullname: model.fullname.clone(),
        gateway_name: model.gateway_name.clone(),
        gateway_namespace: model.gateway_namespace.clone(),
        section_name: model.listeners.section_name().to_string(),
        host: model.host.clone(),
        path: model.path.clone(),
        issuer: model.tls.cert_manager().map(|c| c.issuer.to_string()),
        certificate_arn: match model.tls.cloud_lb() {
            Some(
                plan::CloudLbTls::AwsNlbAcm { certificate_arn } | plan::CloudLbTls::AwsAlbAcm { certificate_arn, .. },
            ) => certificate_arn.clone(),
            _ => None,
        },
        values_key: model.target_key,
        ingress_active: model.ingress_active,
        deployed_with: model.deployed_with,
        host_moves: model.moved_from.is_some(),
        external_dns: model.external_dns,
        external_dns_in_values: model.release.ingress.has_external_dns_annotations(),
    };
    Ok(Plan { resolved, files, findings })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json<T: Serialize>(value: T) -> String {
        serde_json::to_string(&value).unwrap()
    }

    /// `Resolved` holds ids; `--json` and the web app read them as the slugs the flags take.
    #[test]
    fn resolved_ids_serialise_as_their_slugs() {
        for imp in IMPLEMENTATIONS {
            assert_eq!(json(imp.id), format!("\"{}\"", imp.slug));
        }
        for model in TlsModel::ALL {
            assert_eq!(json(model), format!("\"{}\"", model.slug()));
        }
        for way in DeployedWith::ALL {
            assert_eq!(json(way), format!("\"{}\"", way.slug()));
        }
        for key in [TopKey::Server, TopKey::Zenml] {
            assert_eq!(json(key), format!("\"{}\"", key.as_str()));
        }
    }
}
