//! Gateway Planner's core: a ZenML Helm `values.yaml` and the user's choices in, a complete
//! Ingress -> Gateway API migration plan out. Pure Rust with no web or OS dependencies: the
//! browser app, the CLI and the tests all call [`plan`].
//!
//! Pipeline: [`values`] (parse with positions, read the release, edit in place) ->
//! [`plan`](mod@plan) (the model: release + choices + derived names) -> [`implementations`] (one
//! profile per target) -> [`emit`] (values, gateway, tls, findings, runbook).

pub mod annotations;
pub mod behaviour;
pub mod emit;
pub mod findings;
pub mod implementations;
pub mod manifest;
pub mod markdown;
pub mod plan;
pub mod share;
pub mod shell;
pub mod values;
pub mod yaml;

pub use findings::{Finding, Severity};
pub use implementations::{Implementation, ImplementationId, IMPLEMENTATIONS};
pub use plan::{Choices, DeployedWith, Model, PlanError, TlsModel};

use serde::Serialize;

/// One output file, named as the CLI writes it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanFile {
    pub name: String,
    pub content: String,
}

/// The derived settings, for showing the user what the plan assumed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Resolved {
    pub implementation: &'static str,
    pub tls: &'static str,
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
    pub values_key: &'static str,
    pub ingress_active: bool,
    pub deployed_with: &'static str,
    /// The host's record cannot be moved (wildcard DNS, a load balancer's own name): the
    /// Gateway's address decides the new name.
    pub host_moves: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    pub resolved: Resolved,
    pub files: Vec<PlanFile>,
    pub findings: Vec<Finding>,
}

impl Plan {
    pub fn file(&self, name: &str) -> Option<&str> {
        self.files.iter().find(|f| f.name == name).map(|f| f.content.as_str())
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
        PlanFile { name: "values-parallel.yaml".into(), content: values.parallel },
        PlanFile { name: "values-final.yaml".into(), content: values.final_phase },
        PlanFile { name: "overlay-parallel.yaml".into(), content: values.overlay_parallel },
        PlanFile { name: "overlay-final.yaml".into(), content: values.overlay_final },
        PlanFile {
            name: "gateway.yaml".into(),
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
    let in_file: Vec<&emit::policies::Policy> = policies.iter().filter(|p| !p.istio_resource()).collect();
    if !in_file.is_empty() {
        let objects: Vec<serde_json::Value> = in_file.iter().map(|p| p.object.clone()).collect();
        files.push(PlanFile {
            name: "policies.yaml".into(),
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
            name: "tls.yaml".into(),
            content: yaml_file(
                "# TLS objects the plan creates for the Gateway. Create with: kubectl create -f tls.yaml (it never changes an object that exists; runbook step 3)\n",
                &tls_objects,
            ),
        });
    }
    files.push(PlanFile {
        name: "findings.json".into(),
        content: serde_json::to_string_pretty(&findings).expect("findings serialise") + "\n",
    });
    let mut names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    names.push("runbook.md");
    let runbook = emit::runbook::runbook(&model, &behaviour, &findings, &names, &policies);
    files.push(PlanFile { name: "runbook.md".into(), content: runbook });

    let resolved = Resolved {
        implementation: model.implementation.slug,
        tls: model.tls.slug(),
        release: model.release_name.clone(),
        namespace: model.namespace.clone(),
        fullname: model.fullname.clone(),
        gateway_name: model.gateway_name.clone(),
        gateway_namespace: model.gateway_namespace.clone(),
        section_name: model.section_name.clone(),
        host: model.host.clone(),
        path: model.path.clone(),
        issuer: model.issuer.as_ref().map(|i| i.to_string()),
        certificate_arn: model.certificate_arn.clone(),
        values_key: model.target_key.as_str(),
        ingress_active: model.ingress_active,
        deployed_with: model.deployed_with.slug(),
        host_moves: model.moved_from.is_some(),
    };
    Ok(Plan { resolved, files, findings })
}
