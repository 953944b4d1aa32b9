//! The migrated values: the user's own file edited in place for each phase, and the minimal
//! overlays that give the same result with `helm upgrade -f values.yaml -f overlay.yaml`.

use crate::implementations::ObjectAnnotation;
use crate::plan::Model;
use crate::values::edit::{apply, Assignment};
use crate::values::LocatedError;
use crate::yaml;
use crate::FileName;
use serde_json::{json, Map, Value};

/// The `gateway` keys the plan sets, as (path under `gateway`, value). Keys that already hold the
/// wanted value are left out, so an already-migrated file is not touched needlessly.
fn gateway_settings(model: &Model, route_annotations: &[ObjectAnnotation]) -> Vec<(Vec<&'static str>, Value)> {
    let gw = &model.release.gateway;
    let mut out: Vec<(Vec<&'static str>, Value)> = Vec::new();
    let differs = |current: Option<&str>, wanted: &str| current != Some(wanted);
    if !gw.enabled.value || gw.enabled.is_default() {
        out.push((vec!["enabled"], json!(true)));
    }
    if differs(gw.gateway_ref_name.as_ref().map(|s| s.value.as_str()), &model.gateway_name) {
        out.push((vec!["gatewayRef", "name"], json!(model.gateway_name)));
    }
    if differs(gw.gateway_ref_namespace.as_ref().map(|s| s.value.as_str()), &model.gateway_namespace) {
        out.push((vec!["gatewayRef", "namespace"], json!(model.gateway_namespace)));
    }
    let section_name = model.listeners.section_name();
    if differs(gw.section_name.as_ref().map(|s| s.value.as_str()), section_name) {
        out.push((vec!["sectionName"], json!(section_name)));
    }
    if let Some(host) = &model.host {
        if differs(gw.host.as_ref().map(|s| s.value.as_str()), host) {
            out.push((vec!["host"], json!(host)));
        }
    }
    if gw.path.value != model.path || gw.path.is_default() && model.path != "/" {
        out.push((vec!["path"], json!(model.path)));
    }
    for a in added_route_annotations(model, route_annotations) {
        out.push((vec!["annotations", a.key], json!(a.value)));
    }
    out
}

/// The route annotations the plan adds: a key the values set already stays as the user wrote it
/// (a finding says what the plan needed there).
pub fn added_route_annotations<'a>(
    model: &Model,
    route_annotations: &'a [ObjectAnnotation],
) -> Vec<&'a ObjectAnnotation> {
    route_annotations.iter().filter(|a| !model.release.gateway.annotations.iter().any(|u| u.key == a.key)).collect()
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => yaml::string(s),
        other => other.to_string(),
    }
}

/// The gateway keys of phase 1.
fn gateway_assignments(model: &Model, route_annotations: &[ObjectAnnotation]) -> Vec<Assignment> {
    let top = model.target_key.as_str();
    gateway_settings(model, route_annotations)
        .into_iter()
        .map(|(sub, value)| {
            let mut path = vec![top, "gateway"];
            path.extend(sub);
            Assignment::new(&path, scalar_text(&value)).after("ingress")
        })
        .collect()
}

/// The chart cannot render a TLS Ingress of class nginx without annotations: it adds
/// `ssl-redirect` to `ingress.annotations`, which is null unless the values set it (`wrong type
/// for value; expected map`). Such a file cannot be what is deployed, but the planned files must
/// render, so phase 1 writes the smallest fix, `annotations: {}`, beside the Ingress it keeps.
pub fn needs_empty_annotations(model: &Model) -> bool {
    let ing = &model.release.ingress;
    model.ingress_active && ing.tls_enabled.value && ing.class_name.value == "nginx" && !ing.annotations_set
}

fn render_fix(model: &Model) -> Vec<Assignment> {
    if needs_empty_annotations(model) {
        vec![Assignment::new(&[model.target_key.as_str(), "ingress", "annotations"], "{}")]
    } else {
        Vec::new()
    }
}

/// Phase 3 on top of phase 1: the Ingress turned off explicitly (its default is on).
fn disable_ingress(model: &Model) -> Vec<Assignment> {
    let ingress = &model.release.ingress.enabled;
    if ingress.value || ingress.is_default() {
        vec![Assignment::new(&[model.target_key.as_str(), "ingress", "enabled"], "false")]
    } else {
        Vec::new()
    }
}

/// The URLs ZenML announces, when users move to a new name because the old one cannot be moved:
/// `serverURL` always, `dashboardURL` when the file sets it.
fn url_settings(model: &Model) -> Vec<(&'static str, String)> {
    let (Some(_), Some(url)) = (&model.moved_from, model.new_public_url()) else { return Vec::new() };
    let mut out = vec![("serverURL", url.clone())];
    if model.release.dashboard_url.is_some() {
        out.push(("dashboardURL", url));
    }
    out.retain(|(key, url)| {
        let current = if *key == "serverURL" { &model.release.server_url } else { &model.release.dashboard_url };
        current.as_ref().map(|s| s.value.as_str()) != Some(url.as_str())
    });
    out
}

fn url_assignments(model: &Model) -> Vec<Assignment> {
    let top = model.target_key.as_str();
    url_settings(model).into_iter().map(|(key, url)| Assignment::new(&[top, key], yaml::string(&url))).collect()
}

fn overlay(model: &Model, route_annotations: &[ObjectAnnotation], disable_ingress: bool) -> Value {
    let mut gateway = Map::new();
    gateway.insert("enabled".into(), json!(true));
    let added = added_route_annotations(model, route_annotations);
    if !added.is_empty() {
        let annotations: Map<String, Value> = added.iter().map(|a| (a.key.to_string(), json!(a.value))).collect();
        gateway.insert("annotations".into(), Value::Object(annotations));
    }
    gateway.insert("gatewayRef".into(), json!({"name": model.gateway_name, "namespace": model.gateway_namespace}));
    gateway.insert("sectionName".into(), json!(model.listeners.section_name()));
    if let Some(host) = &model.host {
        gateway.insert("host".into(), json!(host));
    }
    gateway.insert("path".into(), json!(model.path));
    let mut server = Map::new();
    if disable_ingress {
        server.insert("ingress".into(), json!({"enabled": false}));
    } else if needs_empty_annotations(model) {
        server.insert("ingress".into(), json!({"annotations": {}}));
    }
    server.insert("gateway".into(), Value::Object(gateway));
    for (key, url) in url_settings(model) {
        server.insert(key.into(), json!(url));
    }
    json!({ model.target_key.as_str(): server })
}

pub struct MigratedValues {
    pub parallel: String,
    pub final_phase: String,
    pub overlay_parallel: String,
    pub overlay_final: String,
}

pub fn migrated_values(model: &Model, route_annotations: &[ObjectAnnotation]) -> Result<MigratedValues, LocatedError> {
    let mut parallel_keys = render_fix(model);
    parallel_keys.extend(gateway_assignments(model, route_annotations));
    parallel_keys.extend(url_assignments(model));
    let parallel_doc = apply(&model.document, &parallel_keys)?;
    // Phase 3 edits the phase 1 file: the same bytes as editing the original with all keys,
    // with one parse of the file per key fewer.
    let disable = disable_ingress(model);
    let final_phase = if disable.is_empty() { parallel_doc.text.clone() } else { apply(&parallel_doc, &disable)?.text };
    let upgrade = |overlay: FileName| {
        format!(
            "helm upgrade {} oci://public.ecr.aws/zenml/zenml -n {} -f values.yaml -f {overlay}",
            model.release_name, model.namespace
        )
    };
    let header = |phase: &str, overlay: FileName| {
        format!(
            "# Gateway Planner overlay: {phase}.\n# Use on top of your values file: {}\n# Written under `{}:` because your file keeps its server settings there.\n{}",
            upgrade(overlay),
            model.target_key.as_str(),
            if needs_empty_annotations(model) && overlay == FileName::OverlayParallel {
                "# `ingress.annotations: {}` lets the chart render your TLS Ingress on nginx (see the chart-render-error finding).\n"
            } else {
                ""
            }
        )
    };
    Ok(MigratedValues {
        parallel: parallel_doc.text,
        final_phase,
        overlay_parallel: header("phase 1, Gateway beside the Ingress", FileName::OverlayParallel)
            + &yaml::to_yaml(&overlay(model, route_annotations, false)),
        overlay_final: header("phase 3, Ingress off", FileName::OverlayFinal)
            + &yaml::to_yaml(&overlay(model, route_annotations, true)),
    })
}
