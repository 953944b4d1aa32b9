//! The model of a ZenML release as its values file configures it: the settings the migration
//! reads, with the chart's defaults applied and `zenml:` merged over `server:` the way the chart
//! merges them (`mustMergeOverwrite`: the legacy key wins on overlap).

use super::document::{Document, Kind, LocatedError, Node, Pos, Scalar};
use serde::Serialize;
use std::collections::HashMap;

/// More annotations than this on one block are not an Ingress anyone runs; each becomes a finding
/// and a row on the page, so the plan stops here with a located message.
pub const MAX_ANNOTATIONS: usize = 1000;
/// Kubernetes refuses an object whose annotations' keys and values add up to more than 256 KiB
/// (apimachinery `pkg/api/validation/objectmeta.go`, `TotalAnnotationSizeLimitB`).
pub const MAX_ANNOTATION_BYTES: usize = 256 * 1024;

/// Where the chart reads the server settings from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TopKey {
    Server,
    Zenml,
}

impl TopKey {
    pub fn as_str(self) -> &'static str {
        match self {
            TopKey::Server => "server",
            TopKey::Zenml => "zenml",
        }
    }
}

/// A setting's effective value and where it came from (`pos` is `None` for a chart default).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Setting<T> {
    pub value: T,
    pub path: String,
    pub pos: Option<Pos>,
}

impl<T> Setting<T> {
    pub fn is_default(&self) -> bool {
        self.pos.is_none()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Annotation {
    pub key: String,
    pub value: String,
    pub path: String,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ingress {
    pub enabled: Setting<bool>,
    pub class_name: Setting<String>,
    pub annotations: Vec<Annotation>,
    /// `annotations` is a mapping (maybe `{}`); unset or null, the chart cannot render TLS on nginx.
    pub annotations_set: bool,
    pub host: Option<Setting<String>>,
    pub path: Setting<String>,
    pub tls_enabled: Setting<bool>,
    pub generate_certs: Setting<bool>,
    pub secret_name: Setting<String>,
}

impl Ingress {
    /// The annotation with exactly this key.
    pub fn annotation(&self, key: &str) -> Option<&Annotation> {
        self.annotations.iter().find(|a| a.key == key)
    }

    /// Whether any annotation's key starts with `prefix` (a controller's or tool's namespace).
    pub fn has_annotation_prefix(&self, prefix: &str) -> bool {
        self.annotations.iter().any(|a| a.key.starts_with(prefix))
    }

    /// The Ingress carries external-dns's annotations, so external-dns probably manages its host.
    pub fn has_external_dns_annotations(&self) -> bool {
        self.has_annotation_prefix(EXTERNAL_DNS_ANNOTATIONS)
    }
}

/// The prefix of external-dns's annotations.
pub const EXTERNAL_DNS_ANNOTATIONS: &str = "external-dns.alpha.kubernetes.io/";

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GatewayValues {
    pub enabled: Setting<bool>,
    /// The HTTPRoute's annotations (`gateway.annotations`).
    pub annotations: Vec<Annotation>,
    pub gateway_ref_name: Option<Setting<String>>,
    pub gateway_ref_namespace: Option<Setting<String>>,
    pub section_name: Option<Setting<String>>,
    pub host: Option<Setting<String>>,
    pub path: Setting<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Release {
    /// `server:` holds a mapping in the file.
    pub has_server_key: bool,
    /// `zenml:` (deprecated since chart 0.94.2) holds a mapping in the file.
    pub has_zenml_key: bool,
    /// Where the `server:` and `zenml:` keys are, for findings about them.
    pub server_key_pos: Option<Pos>,
    pub zenml_key_pos: Option<Pos>,
    /// The key the planner writes under: the one the user already uses for these settings.
    pub target_key: TopKey,
    /// Settings given under both keys (the `zenml:` one wins).
    pub overlapping: Vec<Setting<String>>,
    pub ingress: Ingress,
    pub gateway: GatewayValues,
    pub service_port: Setting<i64>,
    pub fullname_override: Option<String>,
    pub name_override: Option<String>,
    pub server_url: Option<Setting<String>>,
    pub dashboard_url: Option<Setting<String>>,
    pub root_url_path: Option<Setting<String>>,
    pub proxy_headers_enabled: Setting<bool>,
    pub forwarded_allow_ips: Option<Setting<String>>,
    /// Keys in the ingress and gateway blocks that the chart does not read.
    pub unread: Vec<UnreadKey>,
    /// Keys written before a merge key (`<<`) that sets them again, so the merged value wins.
    pub overridden: Vec<OverriddenKey>,
}

/// A key the chart does not read, where the file has it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnreadKey {
    /// The block it sits in, below the top key: `ingress`, `ingress.tls`, `gateway` or
    /// `gateway.gatewayRef`.
    pub block: &'static str,
    pub key: String,
    /// The path as the file spells it, like `zenml.ingress.ingressClassName`.
    pub path: String,
    pub pos: Pos,
    /// The text values it holds (itself, a list's items, or the items' `host`), at most five.
    pub values: Vec<String>,
    /// What kind of value it is (`a list`, `a string`, ...).
    pub kind: &'static str,
}

/// A key written in a mapping before a merge key that sets it again: Helm applies merge keys in
/// document order, so the merged value wins.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OverriddenKey {
    pub path: String,
    pub pos: Pos,
    /// Where the merge key that wins stands.
    pub merge_pos: Pos,
    /// Where the value that wins is written (in the merged mapping).
    pub value_pos: Pos,
}

/// The keys the chart reads in each block (values.yaml and the templates, see
/// shared reference `zenml-chart.md` sections 1.1 and 1.2).
pub const CHART_KEYS: &[(&str, &[&str])] = &[
    ("ingress", &["enabled", "className", "annotations", "host", "path", "tls"]),
    ("ingress.tls", &["enabled", "generateCerts", "secretName"]),
    ("gateway", &["enabled", "annotations", "gatewayRef", "sectionName", "host", "path"]),
    ("gateway.gatewayRef", &["name", "namespace"]),
];

fn unread_keys(top: TopKey, node: &Node, out: &mut Vec<UnreadKey>) {
    for (block, known) in CHART_KEYS {
        let path: Vec<&str> = block.split('.').collect();
        let Some(map) = node.get_path(&path).filter(|n| n.is_mapping()) else { continue };
        for entry in map.merged_entries().unwrap_or_default() {
            // `tls` is read, but as a mapping: a list (the Ingress's `spec.tls`) is not.
            let tls_list =
                *block == "ingress" && entry.key == "tls" && matches!(entry.value.resolved().kind, Kind::Sequence(_));
            if known.contains(&entry.key.as_str()) && !tls_list {
                continue;
            }
            let value = entry.value.resolved();
            let text = |n: &Node| match n.scalar() {
                Some(Scalar::Str(s)) => Some(s.to_string()),
                Some(Scalar::Bool(b)) => Some(b.to_string()),
                Some(Scalar::Int(i)) => Some(i.to_string()),
                _ => None,
            };
            let values: Vec<String> = match &value.kind {
                Kind::Sequence(items) => items
                    .iter()
                    .filter_map(|item| match item.get("host") {
                        Some(host) => text(host),
                        None => text(item),
                    })
                    .take(5)
                    .collect(),
                _ => text(value).into_iter().collect(),
            };
            out.push(UnreadKey {
                block,
                key: entry.key.clone(),
                path: format!("{}.{block}.{}", top.as_str(), entry.key),
                pos: entry.key_node.start,
                values,
                kind: entry.value.describe(),
            });
        }
    }
}

/// The blocks whose keys the planner reads, for keys a later merge key overrides.
fn overridden_keys(path: &str, node: &Node, depth: usize, out: &mut Vec<OverriddenKey>) {
    let read: &[&str] = match depth {
        0 => &["ingress", "gateway", "service", "proxyHeaders"],
        1 if path.ends_with(".ingress") => &["tls", "annotations"],
        1 if path.ends_with(".gateway") => &["gatewayRef", "annotations"],
        _ => &[],
    };
    let Some(entries) = node.entries() else { return };
    if node.has_merge() {
        for (at, entry) in entries.iter().enumerate() {
            if entry.is_merge() {
                continue;
            }
            let Some(setter) = node.setter_index(&entry.key).filter(|&s| s > at) else { continue };
            let winner = node.effective_entry(&entry.key).map_or(entries[setter].key_node.start, |e| e.key_node.start);
            out.push(OverriddenKey {
                path: format!("{path}.{}", entry.key),
                pos: entry.key_node.start,
                merge_pos: entries[setter].key_node.start,
                value_pos: winner,
            });
        }
    }
    for key in read {
        if let Some(child) = node.get(key).filter(|n| n.is_mapping()) {
            overridden_keys(&format!("{path}.{key}"), child, depth + 1, out);
        }
    }
}

struct Reader<'a> {
    server: Option<&'a Node>,
    zenml: Option<&'a Node>,
    /// The key a chart default is named under: the one the file keeps its settings in.
    default_key: TopKey,
}

impl<'a> Reader<'a> {
    /// The effective node for a path under the server settings: `zenml:` first, then `server:`.
    /// Null counts as unset (Helm's coalesce drops it and the chart default shows through).
    fn find(&self, sub: &[&str]) -> Option<(TopKey, &'a Node)> {
        for (key, top) in [(TopKey::Zenml, self.zenml), (TopKey::Server, self.server)] {
            if let Some(node) = top.and_then(|t| t.get_path(sub)) {
                if !node.is_null() {
                    return Some((key, node));
                }
            }
        }
        None
    }

    fn path(key: TopKey, sub: &[&str]) -> String {
        format!("{}.{}", key.as_str(), sub.join("."))
    }

    fn mapping(&self, sub: &[&str]) -> Result<(), LocatedError> {
        if let Some((key, node)) = self.find(sub) {
            if !node.is_mapping() {
                return Err(LocatedError::at(
                    node.start,
                    format!("`{}` must be a mapping of settings, but it is {}", Self::path(key, sub), node.describe()),
                ));
            }
        }
        Ok(())
    }

    fn bool(&self, sub: &[&str], default: bool) -> Result<Setting<bool>, LocatedError> {
        match self.find(sub) {
            None => Ok(Setting { value: default, path: Self::path(self.default_key, sub), pos: None }),
            Some((key, node)) => match node.scalar() {
                Some(Scalar::Bool(b)) => Ok(Setting { value: b, path: Self::path(key, sub), pos: Some(node.start) }),
                Some(Scalar::Str(s)) => Err(LocatedError::at(
                    node.start,
                    format!(
                        "`{}` must be true or false, but it is the string {:?}; the chart treats every non-empty string as true, so write true or false without quotes",
                        Self::path(key, sub),
                        s
                    ),
                )),
                _ => Err(LocatedError::at(
                    node.start,
                    format!("`{}` must be true or false, but it is {}", Self::path(key, sub), node.describe()),
                )),
            },
        }
    }

    fn string(&self, sub: &[&str]) -> Result<Option<Setting<String>>, LocatedError> {
        match self.find(sub) {
            None => Ok(None),
            Some((key, node)) => {
                let value = match node.scalar() {
                    Some(Scalar::Str(s)) => s.to_string(),
                    Some(Scalar::Int(i)) => i.to_string(),
                    Some(Scalar::Float(f)) => f.to_string(),
                    _ => {
                        return Err(LocatedError::at(
                            node.start,
                            format!("`{}` must be a string, but it is {}", Self::path(key, sub), node.describe()),
                        ))
                    }
                };
                Ok(Some(Setting { value, path: Self::path(key, sub), pos: Some(node.start) }))
            }
        }
    }

    fn string_or(&self, sub: &[&str], default: &str) -> Result<Setting<String>, LocatedError> {
        Ok(self.string(sub)?.unwrap_or_else(|| Setting {
            value: default.to_string(),
            path: Self::path(self.default_key, sub),
            pos: None,
        }))
    }

    /// A non-empty string, or nothing: the chart treats `""` as unset for these keys.
    fn non_empty(&self, sub: &[&str]) -> Result<Option<Setting<String>>, LocatedError> {
        Ok(self.string(sub)?.filter(|s| !s.value.is_empty()))
    }

    fn annotations(&self, sub: &[&str]) -> Result<(Vec<Annotation>, usize), LocatedError> {
        self.mapping(sub)?;
        let mut out: Vec<Annotation> = Vec::new();
        // Where each key sits in `out`: one lookup per entry keeps a huge mapping linear.
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut total_bytes = 0usize;
        // server first, then zenml over it, so the legacy key wins per annotation.
        for (key, top) in [(TopKey::Server, self.server), (TopKey::Zenml, self.zenml)] {
            let Some(map) = top.and_then(|t| t.get_path(sub)).filter(|n| n.is_mapping()) else { continue };
            // Merge keys (`<<: *common`) applied as Helm applies them.
            let entries = map.merged_entries().ok_or_else(|| {
                LocatedError::at(
                    map.start,
                    format!(
                        "the merge keys (`<<`) under `{}` nest too deep to read; a values file merges once or twice",
                        Self::path(key, sub)
                    ),
                )
            })?;
            for entry in entries {
                if index.len() >= MAX_ANNOTATIONS && !index.contains_key(&entry.key) {
                    return Err(LocatedError::at(
                        entry.key_node.start,
                        format!(
                            "more than {MAX_ANNOTATIONS} annotations under `{}`; an Ingress needs a few dozen at most",
                            sub.join(".")
                        ),
                    ));
                }
                let value = match entry.value.scalar() {
                    Some(Scalar::Str(s)) => s.to_string(),
                    Some(Scalar::Null) => String::new(),
                    Some(Scalar::Bool(b)) => b.to_string(),
                    Some(Scalar::Int(i)) => i.to_string(),
                    Some(Scalar::Float(f)) => f.to_string(),
                    None => {
                        return Err(LocatedError::at(
                            entry.value.start,
                            format!(
                                "annotation `{}` must have a string value, but it is {}",
                                entry.key,
                                entry.value.describe()
                            ),
                        ))
                    }
                };
                let annotation = Annotation {
                    key: entry.key.clone(),
                    value,
                    path: format!("{}.{}[\"{}\"]", key.as_str(), sub.join("."), entry.key),
                    pos: entry.key_node.start,
                };
                total_bytes += annotation.key.len() + annotation.value.len();
                let replaced = index.get(&entry.key).map_or(0, |&at| out[at].key.len() + out[at].value.len());
                if total_bytes - replaced > MAX_ANNOTATION_BYTES {
                    return Err(LocatedError::at(
                        entry.key_node.start,
                        format!(
                            "the annotations under `{}` add up to more than 256 KiB (keys and values), which Kubernetes refuses on any object",
                            sub.join(".")
                        ),
                    ));
                }
                match index.get(&entry.key) {
                    Some(&at) => {
                        // The merged object holds the key once.
                        total_bytes -= out[at].key.len() + out[at].value.len();
                        out[at] = annotation;
                    }
                    None => {
                        index.insert(entry.key.clone(), out.len());
                        out.push(annotation);
                    }
                }
            }
        }
        let count = out.len();
        Ok((out, count))
    }
}

/// Leaf settings the planner reads; used to report the ones set under both keys.
const READ_LEAVES: &[&[&str]] = &[
    &["ingress", "enabled"],
    &["ingress", "className"],
    &["ingress", "host"],
    &["ingress", "path"],
    &["ingress", "tls", "enabled"],
    &["ingress", "tls", "generateCerts"],
    &["ingress", "tls", "secretName"],
    &["gateway", "enabled"],
    &["gateway", "gatewayRef", "name"],
    &["gateway", "gatewayRef", "namespace"],
    &["gateway", "sectionName"],
    &["gateway", "host"],
    &["gateway", "path"],
    &["service", "port"],
    &["serverURL"],
];

impl Release {
    pub fn read(doc: &Document) -> Result<Release, LocatedError> {
        let root = doc.root.as_ref();
        let top = |name: &str| -> Result<Option<&Node>, LocatedError> {
            match root.and_then(|r| r.get(name)) {
                None => Ok(None),
                Some(n) if n.is_null() => Ok(None),
                Some(n) if n.is_mapping() => Ok(Some(n)),
                Some(n) => Err(LocatedError::at(
                    n.start,
                    format!("`{name}` must be a mapping of server settings, but it is {}", n.describe()),
                )),
            }
        };
        let server = top("server")?;
        let zenml = top("zenml")?;
        let has_key = |n: Option<&Node>, k: &str| n.is_some_and(|n| n.get(k).is_some());
        let target_key = if has_key(zenml, "ingress") || has_key(zenml, "gateway") {
            TopKey::Zenml
        } else if server.is_some() {
            TopKey::Server
        } else if zenml.is_some() {
            TopKey::Zenml
        } else {
            TopKey::Server
        };
        let r = Reader { server, zenml, default_key: target_key };
        for sub in [&["ingress"][..], &["gateway"], &["gateway", "gatewayRef"], &["service"], &["proxyHeaders"]] {
            r.mapping(sub)?;
        }
        // `tls` as a list is the Kubernetes Ingress's own `spec.tls` shape. The chart reads
        // `tls.enabled` from a mapping, and Go templates cannot read a field of a list: while the
        // Ingress renders, Helm stops there. With the Ingress off nothing reads it.
        let ingress_on = r.bool(&["ingress", "enabled"], true)?.value;
        match r.find(&["ingress", "tls"]) {
            Some((key, node)) if matches!(node.resolved().kind, Kind::Sequence(_)) => {
                if ingress_on {
                    return Err(LocatedError::at(
                        node.start,
                        format!(
                            "`{}` is a list (the shape of the Ingress's `spec.tls`), but the chart reads `tls.enabled`, `tls.secretName` and `tls.generateCerts` from a mapping, and Helm fails to render the Ingress with a list here; write `tls:` as a mapping, like `tls: {{enabled: true, secretName: zenml-tls}}`",
                            Reader::path(key, &["ingress", "tls"])
                        ),
                    ));
                }
            }
            _ => r.mapping(&["ingress", "tls"])?,
        }

        let mut overlapping = Vec::new();
        if let (Some(s), Some(z)) = (server, zenml) {
            for leaf in READ_LEAVES {
                if let (Some(_), Some(zn)) = (s.get_path(leaf), z.get_path(leaf)) {
                    overlapping.push(Setting {
                        value: leaf.join("."),
                        path: Reader::path(TopKey::Zenml, leaf),
                        pos: Some(zn.start),
                    });
                }
            }
        }

        let (annotations, _) = r.annotations(&["ingress", "annotations"])?;
        let ingress = Ingress {
            enabled: r.bool(&["ingress", "enabled"], true)?,
            class_name: r.string_or(&["ingress", "className"], "nginx")?,
            annotations,
            annotations_set: r.find(&["ingress", "annotations"]).is_some_and(|(_, n)| n.is_mapping()),
            host: r.non_empty(&["ingress", "host"])?,
            path: r.string_or(&["ingress", "path"], "/")?,
            tls_enabled: r.bool(&["ingress", "tls", "enabled"], false)?,
            generate_certs: r.bool(&["ingress", "tls", "generateCerts"], false)?,
            secret_name: r.string_or(&["ingress", "tls", "secretName"], "zenml-tls-certs")?,
        };
        let (gateway_annotations, _) = r.annotations(&["gateway", "annotations"])?;
        let gateway = GatewayValues {
            enabled: r.bool(&["gateway", "enabled"], false)?,
            annotations: gateway_annotations,
            gateway_ref_name: r.non_empty(&["gateway", "gatewayRef", "name"])?,
            gateway_ref_namespace: r.non_empty(&["gateway", "gatewayRef", "namespace"])?,
            section_name: r.non_empty(&["gateway", "sectionName"])?,
            host: r.non_empty(&["gateway", "host"])?,
            path: r.string_or(&["gateway", "path"], "/")?,
        };
        let service_port = match r.find(&["service", "port"]) {
            None => Setting { value: 80, path: Reader::path(target_key, &["service", "port"]), pos: None },
            Some((key, node)) => match node.scalar() {
                Some(Scalar::Int(p)) if (1..=65535).contains(&p) => {
                    Setting { value: p, path: Reader::path(key, &["service", "port"]), pos: Some(node.start) }
                }
                _ => {
                    return Err(LocatedError::at(
                        node.start,
                        format!(
                            "`{}` must be a port number from 1 to 65535, but it is {}{}",
                            Reader::path(key, &["service", "port"]),
                            node.shown(),
                            match node.scalar() {
                                Some(Scalar::Str(s)) if s.trim().parse::<u16>().is_ok() => "; write it without quotes",
                                _ => "",
                            }
                        ),
                    ))
                }
            },
        };
        let root_string = |name: &str| -> Result<Option<String>, LocatedError> {
            match root.and_then(|r| r.get(name)) {
                None => Ok(None),
                Some(n) => match n.scalar() {
                    Some(Scalar::Null) => Ok(None),
                    Some(Scalar::Str(s)) => Ok(Some(s.to_string()).filter(|s| !s.is_empty())),
                    _ => {
                        Err(LocatedError::at(n.start, format!("`{name}` must be a string, but it is {}", n.describe())))
                    }
                },
            }
        };
        let key_pos = |name: &str| root.and_then(|r| r.effective_entry(name)).map(|e| e.key_node.start);
        let mut unread = Vec::new();
        let mut overridden = Vec::new();
        for (key, top) in [(TopKey::Server, server), (TopKey::Zenml, zenml)] {
            let Some(top) = top else { continue };
            unread_keys(key, top, &mut unread);
            overridden_keys(key.as_str(), top, 0, &mut overridden);
        }
        Ok(Release {
            server_key_pos: key_pos("server"),
            zenml_key_pos: key_pos("zenml"),
            has_server_key: server.is_some(),
            has_zenml_key: zenml.is_some(),
            target_key,
            overlapping,
            ingress,
            gateway,
            service_port,
            fullname_override: root_string("fullnameOverride")?,
            name_override: root_string("nameOverride")?,
            server_url: r.non_empty(&["serverURL"])?,
            dashboard_url: r.non_empty(&["dashboardURL"])?,
            root_url_path: r.non_empty(&["rootUrlPath"])?,
            proxy_headers_enabled: r.bool(&["proxyHeaders", "enabled"], false)?,
            forwarded_allow_ips: r.non_empty(&["proxyHeaders", "forwardedAllowIPs"])?,
            unread,
            overridden,
        })
    }

    /// The name the chart gives the Service, Ingress and HTTPRoute (`zenml.fullname`).
    pub fn fullname(&self, release: &str) -> String {
        fn trunc(s: &str) -> String {
            s.chars().take(63).collect::<String>().trim_end_matches('-').to_string()
        }
        if let Some(full) = &self.fullname_override {
            return trunc(full);
        }
        let name = self.name_override.as_deref().unwrap_or("zenml");
        if release.contains(name) {
            trunc(release)
        } else {
            trunc(&format!("{release}-{name}"))
        }
    }
}
