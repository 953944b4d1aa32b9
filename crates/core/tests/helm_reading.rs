//! The planner reads values files as Helm does, and every values file it writes renders with the
//! chart. Properties over the golden inputs and hand-made merge-key cases:
//! - merge keys (`<<`) resolve with Helm's precedence (go-yaml v2: document order, the first of a
//!   list of sources wins, shallow), for the annotations the plan reads and for the whole tree;
//! - every written values file, and every overlay on top of the input, renders with a model of
//!   the chart's render rules (the Ingress's TLS annotations, `tls` as a mapping, the required
//!   `gatewayRef.name`);
//! - findings name keys as the file spells them: each path starts with a top-level key the file
//!   has (or, for a chart default, the key the file keeps its settings under).

mod common;

use planner::values::{Document, Release};
use planner::{plan, Choices, FindingCode, ImplementationId, TlsModel};
use serde_json::{json, Map, Value};

/// The effective annotations of a file, as the plan reads them.
fn annotations(text: &str) -> Value {
    let doc = Document::parse(text).expect("parses");
    let release = Release::read(&doc).expect("reads");
    Value::Object(release.ingress.annotations.iter().map(|a| (a.key.clone(), json!(a.value))).collect())
}

#[test]
fn merge_keys_in_annotations_resolve_as_helm_reads_them() {
    // Each expectation follows go-yaml v2's decoder (decode.go `mapping` and `merge`, v2.4.3, the
    // version under sigs.k8s.io/yaml v1.6.0 in Helm v3.21 and v4.2): entries apply in document
    // order, a merge copies its source's keys where it stands, and `<<: [*a, *b]` applies b then a.
    let anchors = "a: &a {x: from-a, y: from-a}\nb: &b {x: from-b, z: from-b}\n";
    let cases: &[(&str, Value)] = &[
        // A key after the merge overrides it.
        ("{<<: *a, x: own}", json!({"x": "own", "y": "from-a"})),
        // A merge after a key overrides that key.
        ("{x: own, <<: *a}", json!({"x": "from-a", "y": "from-a"})),
        // The first source of a list wins.
        ("{<<: [*a, *b]}", json!({"x": "from-a", "y": "from-a", "z": "from-b"})),
        ("{<<: [*b, *a]}", json!({"x": "from-b", "y": "from-a", "z": "from-b"})),
        // Two merge keys apply in order: the later one wins.
        ("\n      <<: *a\n      <<: *b", json!({"x": "from-b", "y": "from-a", "z": "from-b"})),
        ("\n      <<: *a\n      x: own\n      <<: *b", json!({"x": "from-b", "y": "from-a", "z": "from-b"})),
        // Block style, keys on both sides.
        ("\n      w: own\n      <<: *a\n      y: own", json!({"w": "own", "x": "from-a", "y": "own"})),
    ];
    for (annotations_text, want) in cases {
        let text = format!("{anchors}server:\n  ingress:\n    annotations: {annotations_text}\n");
        assert_eq!(&annotations(&text), want, "{text}");
    }
    // Merges of merges are followed; a quoted `<<` is an ordinary key.
    let nested =
        "c: &c {x: from-c}\nd: &d {<<: *c, y: from-d}\nserver:\n  ingress:\n    annotations: {<<: *d, \"<<\": q}\n";
    assert_eq!(annotations(nested), json!({"x": "from-c", "y": "from-d", "<<": "q"}));
}

#[test]
fn merged_blocks_read_as_helm_reads_them() {
    let text = concat!(
        "base: &base\n  enabled: true\n  host: base.example.com\n  tls: {enabled: true, secretName: base-tls}\n",
        "server:\n  ingress:\n    host: own.example.com\n    <<: *base\n    tls: {enabled: true}\n"
    );
    let doc = Document::parse(text).unwrap();
    let tree = doc.root.as_ref().unwrap().to_json(&mut 1000).unwrap();
    // The merge after `host` overrides it; `tls` after the merge replaces the merged mapping
    // whole (merging is shallow), so the chart default `zenml-tls-certs` applies to secretName.
    assert_eq!(
        tree["server"]["ingress"],
        json!({"host": "base.example.com", "enabled": true, "tls": {"enabled": true}})
    );
    let release = Release::read(&doc).unwrap();
    assert_eq!(release.ingress.host.unwrap().value, "base.example.com");
    assert_eq!(release.ingress.secret_name.value, "zenml-tls-certs");
    assert_eq!(release.overridden.len(), 1, "{:?}", release.overridden);
    assert_eq!(release.overridden[0].path, "server.ingress.host");
}

/// Helm's coalesce of a values tree over the chart defaults: maps merge, null deletes the key.
fn coalesce(defaults: &Value, over: &Value) -> Value {
    let mut out = defaults.as_object().cloned().unwrap_or_default();
    for (k, v) in over.as_object().into_iter().flatten() {
        match (v, out.get(k)) {
            (Value::Null, _) => {
                out.remove(k);
            }
            (Value::Object(_), Some(d @ Value::Object(_))) => {
                let merged = coalesce(d, v);
                out.insert(k.clone(), merged);
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Object(out)
}

/// Helm's merge of `-f` files: the later file's maps merge into the earlier's, other values replace.
fn merge_files(a: &Value, b: &Value) -> Value {
    let mut out = a.as_object().cloned().unwrap_or_default();
    for (k, v) in b.as_object().into_iter().flatten() {
        let merged = match (out.get(k), v) {
            (Some(x @ Value::Object(_)), Value::Object(_)) => merge_files(x, v),
            _ => v.clone(),
        };
        out.insert(k.clone(), merged);
    }
    Value::Object(out)
}

/// sprig's mustMergeOverwrite, as `zenml.serverValues` merges `zenml:` over `server:`.
fn merge_overwrite(dst: &Value, src: &Value) -> Value {
    let mut out = dst.as_object().cloned().unwrap_or_default();
    for (k, v) in src.as_object().into_iter().flatten() {
        match (out.get(k), v) {
            (Some(d @ Value::Object(_)), Value::Object(_)) => {
                let merged = merge_overwrite(d, v);
                out.insert(k.clone(), merged);
            }
            (Some(_), Value::Null) => {}
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Object(out)
}

/// Go template truth.
fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

/// The chart's render, reduced to what can make it fail (zenml-chart.md sections 2 and 5):
/// `Ok((ingress, route))` says what it renders.
fn render(files: &[Value]) -> Result<(bool, bool), String> {
    let defaults = json!({"server": {
        "ingress": {"enabled": true, "className": "nginx", "annotations": null, "host": null, "path": "/",
                    "tls": {"enabled": false, "generateCerts": false, "secretName": "zenml-tls-certs"}},
        "gateway": {"enabled": false, "annotations": {}, "gatewayRef": {"name": "", "namespace": ""},
                    "sectionName": "", "host": "", "path": "/"},
        "service": {"port": 80}
    }});
    let user = files.iter().fold(json!({}), |acc, f| merge_files(&acc, f));
    let values = coalesce(&defaults, &user);
    let server = merge_overwrite(&values["server"], values.get("zenml").unwrap_or(&Value::Null));
    let ingress = &server["ingress"];
    let ingress_on = truthy(ingress.get("enabled"));
    if ingress_on {
        let tls = ingress.get("tls");
        if matches!(tls, Some(Value::Array(_))) {
            return Err("server-ingress.yaml: can't evaluate field enabled in a list".into());
        }
        let tls_on = truthy(tls.and_then(|t| t.get("enabled")));
        if tls_on && ingress.get("className") == Some(&json!("nginx")) && !ingress["annotations"].is_object() {
            return Err("server-ingress.yaml: wrong type for value; expected map".into());
        }
    }
    let gateway = &server["gateway"];
    let route_on = truthy(gateway.get("enabled"));
    if route_on && !truthy(gateway.get("gatewayRef").and_then(|r| r.get("name"))) {
        return Err("gateway.gatewayRef.name is required when gateway.enabled=true".into());
    }
    Ok((ingress_on, route_on))
}

fn tree(text: &str) -> Value {
    let doc = Document::parse_edited(text).expect("a written values file parses");
    doc.root.map(|r| r.to_json(&mut 1_000_000).expect("small")).unwrap_or(json!({}))
}

#[test]
fn every_written_values_file_renders_with_the_chart() {
    let mut inputs = common::corpus();
    // The trap of issue 11: TLS on nginx without annotations; and the same under `zenml:`
    // with the ingress block from a merge key.
    inputs.push((
        "tls-without-annotations".into(),
        "server:\n  ingress:\n    host: zenml.example.com\n    tls:\n      enabled: true\n".into(),
    ));
    inputs.push((
        "merged-tls-without-annotations".into(),
        "d: &d {host: zenml.example.com, tls: {enabled: true}}\nzenml:\n  ingress: {<<: *d}\n".into(),
    ));
    let mut checked = 0;
    for (name, text) in &inputs {
        for implementation in [ImplementationId::EnvoyGateway, ImplementationId::Gke] {
            for tls in [None, Some(TlsModel::None)] {
                let mut choices = Choices::new(implementation);
                choices.tls = tls;
                let Ok(p) = plan(text, &choices) else { continue };
                let original = tree(text);
                let file = |n: &str| tree(p.file(n).unwrap());
                let (ingress, _) = render(std::slice::from_ref(&original)).unwrap_or((true, false));
                for (label, files) in [
                    ("values-parallel.yaml", vec![file("values-parallel.yaml")]),
                    ("values-final.yaml", vec![file("values-final.yaml")]),
                    ("values.yaml + overlay-parallel.yaml", vec![original.clone(), file("overlay-parallel.yaml")]),
                    ("values.yaml + overlay-final.yaml", vec![original.clone(), file("overlay-final.yaml")]),
                ] {
                    let rendered = render(&files).unwrap_or_else(|e| panic!("{name}: {label} does not render: {e}"));
                    let want = if label.contains("final") { (false, true) } else { (ingress, true) };
                    assert_eq!(rendered, want, "{name}: {label} renders (Ingress, HTTPRoute)");
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 150, "{checked} plans checked");
}

#[test]
fn finding_paths_start_with_the_files_own_top_level_key() {
    let mut checked = 0;
    for (name, text) in common::corpus() {
        let doc = Document::parse(&text).expect("golden inputs parse");
        let top: Vec<String> = doc
            .root
            .as_ref()
            .and_then(|r| r.merged_entries())
            .unwrap_or_default()
            .iter()
            .map(|e| e.key.clone())
            .collect();
        for implementation in [ImplementationId::EnvoyGateway, ImplementationId::Istio] {
            let Ok(p) = plan(&text, &Choices::new(implementation)) else { continue };
            for f in &p.findings {
                let Some(path) = &f.path else { continue };
                let first = path.split(['.', '[']).next().unwrap_or("");
                assert!(
                    top.iter().any(|k| k == first) || (first == p.resolved.values_key.as_str() && f.line.is_none()),
                    "{name}: finding {} names `{path}`, but the file's top-level keys are {top:?}",
                    f.code
                );
                // A file under `zenml:` only never reads `server.` in its findings.
                if top.iter().any(|k| k == "zenml") && !top.iter().any(|k| k == "server") {
                    assert!(!f.message.contains("`server."), "{name}: {}: {}", f.code, f.message);
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 80, "{checked}");
}

#[test]
fn keys_the_chart_does_not_read_get_a_finding_each() {
    let text = concat!(
        "server:\n  ingress:\n    Enabled: false\n    ingressClassName: traefik\n    host: zenml.example.com\n",
        "    hosts: [zenml.example.com]\n  gateway:\n    enable: true\n    parentRefs: [{name: gw}]\n",
        "    timeouts: {request: 0s}\n    gatewayRef: {name: gw, nmespace: infra}\n"
    );
    let p = plan(text, &Choices::new(ImplementationId::EnvoyGateway)).unwrap();
    let unread: Map<String, Value> = p
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::UnreadKey)
        .map(|f| (f.path.clone().unwrap(), json!([f.line, f.column])))
        .collect();
    assert_eq!(
        Value::Object(unread),
        json!({
            "server.ingress.Enabled": [3, 5],
            "server.ingress.ingressClassName": [4, 5],
            "server.ingress.hosts": [6, 5],
            "server.gateway.enable": [8, 5],
            "server.gateway.parentRefs": [9, 5],
            "server.gateway.timeouts": [10, 5],
            "server.gateway.gatewayRef.nmespace": [11, 28],
        })
    );
    // `Enabled: false` is not `enabled`: the chart renders the Ingress, and the plan knows it.
    assert!(p.resolved.ingress_active);
    let class = p.findings.iter().find(|f| f.path.as_deref() == Some("server.ingress.ingressClassName")).unwrap();
    assert!(class.message.contains("`nginx`, `className`'s default, not `traefik`"), "{}", class.message);
}
