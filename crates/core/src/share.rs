//! Share links: the user's choices and only the part of the values a plan reads, compressed into
//! a URL fragment (`#plan=1.…`), which browsers never send to a server.
//!
//! What the link carries is chosen by key, not by guessing what looks secret: under `server:` and
//! `zenml:` the ingress and gateway blocks, `service.port`, the URLs and `proxyHeaders`; at the top
//! `nameOverride` and `fullnameOverride`. Everything else (database URLs, `jwtSecretKey`, store
//! credentials, `secretEnvironment`, comments) stays on the sender's machine. The kept keys are
//! cut out of the user's text in place, other lines left blank, so a finding's line and column
//! are the same on both sides; when a layout does not allow that (flow style, merge keys) the
//! kept settings are written out afresh instead.
//!
//! A link is `plan=<format>.<base64url of the zlib-compressed payload>`; the payload is plain
//! text (`name=value` lines for the choices, a blank line, then the values). The browser
//! compresses with its own `CompressionStream` (no compressor in the wasm); natively the `zlib`
//! feature does it with miniz_oxide ([`link`], [`read_link`]).

use crate::excerpt::clip;
use crate::plan::{Choices, DeployedWith, PlanError, TlsModel};
use crate::values::document::LocatedError;
use crate::values::document::{Kind, Node, Style, MAX_INPUT_BYTES};
use crate::values::{Document, Pos};
use crate::{plan, FileName, Implementation, Plan};
use serde_json::{json, Map, Value};
use std::fmt;

/// The most a payload may unpack to: a values file at the size limit plus its choices.
pub const MAX_PAYLOAD_BYTES: usize = MAX_INPUT_BYTES + 64 * 1024;

/// The link format this planner writes and reads. A link from a newer planner says so.
pub const FORMAT: u32 = 1;
const PARAMETER: &str = "plan=";
/// Longer links than this are not links this planner made (the values part is capped too).
const MAX_LINK_CHARS: usize = 4 * 1024 * 1024;

/// Settings read under `server:` / `zenml:` that the link carries whole.
const SHARED_SERVER_KEYS: &[&str] = &["ingress", "gateway", "serverURL", "dashboardURL", "rootUrlPath", "proxyHeaders"];
/// Top-level settings the link carries.
const SHARED_ROOT_KEYS: &[&str] = &["nameOverride", "fullnameOverride"];
/// The one setting read from `service:`.
const SHARED_SERVICE_KEY: &str = "port";

/// What a link will carry, before compression, and what it leaves out.
#[derive(Clone, Debug, PartialEq)]
pub struct Payload {
    /// The plain-text payload (see the module notes); compress it and pass it to [`fragment`].
    pub text: String,
    pub left_out: Vec<String>,
    /// False when the kept settings had to be rewritten, so finding lines differ.
    pub same_lines: bool,
}

/// What a link holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Shared {
    pub values: String,
    pub choices: Choices,
    pub left_out: Vec<String>,
    pub same_lines: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// The fragment is not a share link at all.
    NotALink,
    /// Made by a newer planner.
    NewerFormat(u32),
    /// Cut off, altered, or not made by this planner.
    Damaged(String),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::NotALink => write!(f, "This address holds no Gateway Planner share link."),
            ShareError::NewerFormat(v) => write!(
                f,
                "This share link was made by a newer Gateway Planner (link format {v}; this page reads format {FORMAT}). \
                 Open it in the newer planner, or ask its sender for the values file."
            ),
            ShareError::Damaged(why) => write!(
                f,
                "This share link is damaged or incomplete ({why}). It may have been cut off when it was copied; \
                 ask its sender for a fresh link."
            ),
        }
    }
}

impl std::error::Error for ShareError {}

/// What a link for these values and choices carries. The file must plan: a link to an error
/// helps nobody, and planning both texts is how the link is checked to reproduce the plan.
pub fn payload(values_text: &str, choices: &Choices) -> Result<Payload, PlanError> {
    let original = plan(values_text, choices)?;
    let doc = Document::parse(values_text)?;
    let (in_place, redacted_whole, mut left_out) = cut_out(&doc);
    // What the link must reproduce: the sender's plan, with the redacted values redacted in it too.
    let reference = if redacted_whole == doc.text { original } else { plan(&redacted_whole, choices)? };
    let (values, same_lines) = if same_plan(&reference, &in_place, choices) {
        (in_place, true)
    } else {
        let rewritten = rewrite(&doc, &mut left_out);
        if let Err(e) = plan(&rewritten, choices) {
            return Err(PlanError::Values(LocatedError::at(
                Pos::START,
                format!("this file's settings cannot be written into a link ({e}); share the values file itself"),
            )));
        }
        (rewritten, false)
    };
    left_out.dedup();
    let mut text = choices_to_text(choices);
    for item in &left_out {
        text.push_str(&line("leftOut", item));
    }
    text.push_str(&line("sameLines", if same_lines { "true" } else { "false" }));
    text.push('\n');
    text.push_str(&values);
    Ok(Payload { text, left_out, same_lines })
}

/// The fragment (without `#`) for a compressed payload.
pub fn fragment(compressed: &[u8]) -> String {
    format!("{PARAMETER}{FORMAT}.{}", base64url::encode(compressed))
}

/// The compressed payload of a link's fragment (with or without the leading `#`).
pub fn compressed_payload(fragment: &str) -> Result<Vec<u8>, ShareError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(rest) = fragment.strip_prefix(PARAMETER) else { return Err(ShareError::NotALink) };
    if rest.len() > MAX_LINK_CHARS {
        return Err(ShareError::Damaged("it is far longer than any link the planner makes".into()));
    }
    let (version, data) = rest.split_once('.').ok_or_else(|| ShareError::Damaged("no format number".into()))?;
    let version: u32 = version.parse().map_err(|_| ShareError::Damaged("the format number is not a number".into()))?;
    if version > FORMAT {
        return Err(ShareError::NewerFormat(version));
    }
    if version != FORMAT {
        return Err(ShareError::Damaged(format!("format {version} was never written by any planner")));
    }
    base64url::decode(data).map_err(ShareError::Damaged)
}

/// Reads an unpacked payload.
pub fn read_payload(bytes: &[u8]) -> Result<Shared, ShareError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ShareError::Damaged("its contents are not text".into()))?;
    let (head, values) = text.split_once("\n\n").ok_or_else(|| ShareError::Damaged("its contents end early".into()))?;
    let mut fields = Vec::new();
    for entry in head.split('\n') {
        let (name, value) =
            entry.split_once('=').ok_or_else(|| ShareError::Damaged("a line of its contents has no `=`".into()))?;
        fields.push((name, unescape(value).map_err(ShareError::Damaged)?));
    }
    let choices = choices_from_fields(&fields).map_err(ShareError::Damaged)?;
    let left_out = fields.iter().filter(|(n, _)| *n == "leftOut").map(|(_, v)| v.clone()).collect();
    let same_lines = match fields.iter().find(|(n, _)| *n == "sameLines").map(|(_, v)| v.as_str()) {
        Some("true") => true,
        Some("false") => false,
        _ => return Err(ShareError::Damaged("`sameLines` is missing or not true or false".into())),
    };
    Ok(Shared { values: values.to_string(), choices, left_out, same_lines })
}

/// The whole link for values and choices, compressed with miniz_oxide (native builds and tests).
#[cfg(feature = "zlib")]
pub fn link(values_text: &str, choices: &Choices) -> Result<(String, Payload), PlanError> {
    let made = payload(values_text, choices)?;
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(made.text.as_bytes(), 9);
    Ok((fragment(&compressed), made))
}

/// Reads a whole link, unpacking it with miniz_oxide (native builds and tests).
#[cfg(feature = "zlib")]
pub fn read_link(fragment: &str) -> Result<Shared, ShareError> {
    let compressed = compressed_payload(fragment)?;
    let bytes =
        miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&compressed, MAX_PAYLOAD_BYTES).map_err(|e| {
            ShareError::Damaged(match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                    "it unpacks to more than a values file can be".into()
                }
                miniz_oxide::inflate::TINFLStatus::Adler32Mismatch => "its checksum does not match".into(),
                _ => "the data ends early or was changed".into(),
            })
        })?;
    read_payload(&bytes)
}

/// The plan from the shared text matches the original in every file but the two full values
/// files (which are the user's own file, of which only a part is shared).
fn same_plan(original: &Plan, shared_text: &str, choices: &Choices) -> bool {
    let Ok(shared) = plan(shared_text, choices) else { return false };
    let compared = |p: &Plan| -> Vec<(FileName, String)> {
        p.files.iter().filter(|f| !f.name.is_whole_values_file()).map(|f| (f.name, f.content.clone())).collect()
    };
    compared(original) == compared(&shared) && original.resolved == shared.resolved
}

/// The kept settings' own text, every other character blanked, comments dropped; line breaks
/// stay so lines and columns do not move. Also returns the whole file with only the redactions
/// made (the text whose plan the link must reproduce) and lists what was left out, by key.
fn cut_out(doc: &Document) -> (String, String, Vec<String>) {
    let text = &doc.text;
    let mut keep: Vec<(usize, usize)> = Vec::new();
    let mut scalars: Vec<(usize, usize)> = Vec::new();
    // Kept values that are replaced: annotation values the plan does not read, and values
    // holding credentials. (start, end, what the link holds instead)
    let mut redacted: Vec<(usize, usize, String)> = Vec::new();
    let mut unread_annotations: Vec<String> = Vec::new();
    let mut left_out = Vec::new();
    let Some(root) = doc.root.as_ref().and_then(Node::entries) else {
        return (String::new(), text.clone(), left_out);
    };
    let key_only = |entry: &crate::values::document::Entry| {
        let end = entry.key_node.end.byte;
        (entry.key_node.start.byte, end + text[end..].find(':').map_or(0, |i| i + 1))
    };
    let whole = |entry: &crate::values::document::Entry| {
        (entry.key_node.start.byte, entry.value.end.byte.max(entry.key_node.end.byte))
    };
    let mut kept_values: Vec<&Node> = Vec::new();
    for top in root {
        if SHARED_ROOT_KEYS.contains(&top.key.as_str()) {
            keep.push(whole(top));
            collect_scalars(&top.key_node, &mut scalars);
            collect_scalars(&top.value, &mut scalars);
            kept_values.push(&top.value);
            continue;
        }
        let Some(children) = (top.key == "server" || top.key == "zenml").then(|| top.value.entries()).flatten() else {
            left_out.push(format!("`{}`", clip(&top.key, 80)));
            continue;
        };
        keep.push(key_only(top));
        collect_scalars(&top.key_node, &mut scalars);
        for child in children {
            if SHARED_SERVER_KEYS.contains(&child.key.as_str()) {
                keep.push(whole(child));
                collect_scalars(&child.key_node, &mut scalars);
                collect_scalars(&child.value, &mut scalars);
                let Kind::Mapping(entries) = &child.value.kind else {
                    kept_values.push(&child.value);
                    continue;
                };
                for entry in entries {
                    if entry.key != "annotations" {
                        kept_values.push(&entry.value);
                        continue;
                    }
                    for annotation in entry.value.entries().unwrap_or(&[]) {
                        let value = &annotation.value;
                        if annotation_value_kept(&annotation.key) {
                            kept_values.push(value);
                        } else if matches!(value.kind, Kind::Scalar { .. })
                            && !value.is_null()
                            && value.end.byte > value.start.byte
                        {
                            redacted.push((value.start.byte, value.end.byte, REDACTED.into()));
                            unread_annotations.push(format!("`{}`", clip(&annotation.key, 80)));
                        }
                    }
                }
            } else if child.key == "service" && child.value.entries().is_some() {
                keep.push(key_only(child));
                collect_scalars(&child.key_node, &mut scalars);
                for setting in child.value.entries().unwrap_or(&[]) {
                    if setting.key == SHARED_SERVICE_KEY {
                        keep.push(whole(setting));
                        collect_scalars(&setting.key_node, &mut scalars);
                        collect_scalars(&setting.value, &mut scalars);
                        kept_values.push(&setting.value);
                    } else {
                        left_out.push(format!("`{}.service.{}`", top.key, clip(&setting.key, 80)));
                    }
                }
            } else {
                left_out.push(format!("`{}.{}`", top.key, clip(&child.key, 80)));
            }
        }
    }
    if !unread_annotations.is_empty() {
        left_out.push(unread_annotations_note(&unread_annotations));
    }
    // Credentials inside the values that are kept.
    let mut credentials = false;
    let mut values: Vec<&Node> = Vec::new();
    for node in kept_values {
        collect_value_scalars(node, &mut values);
    }
    for node in values {
        let Kind::Scalar { text: value, style, .. } = &node.kind else { continue };
        if node.end.byte <= node.start.byte || redacted.iter().any(|r| r.0 == node.start.byte) {
            continue;
        }
        if let Some(clean) = redact_secrets(value) {
            credentials = true;
            // A block scalar's text spans lines of its own: the whole value goes.
            let written = if *style == Style::Block || clean.contains(['\n', '\r']) {
                REDACTED.to_string()
            } else {
                serde_json::to_string(&clean).unwrap_or_else(|_| REDACTED.into())
            };
            redacted.push((node.start.byte, node.end.byte, written));
        }
    }
    if credentials {
        left_out.push(CREDENTIALS.into());
    }
    keep.sort_unstable();
    scalars.sort_unstable();
    redacted.sort_unstable();
    redacted.dedup_by_key(|r| r.0);
    let inside = |spans: &[(usize, usize)], at: usize| {
        let i = spans.partition_point(|&(start, _)| start <= at);
        i > 0 && at < spans[i - 1].1
    };
    let redacted_spans: Vec<(usize, usize)> = redacted.iter().map(|r| (r.0, r.1)).collect();
    let mut out = String::with_capacity(text.len());
    let mut in_comment = false;
    let mut previous = '\n';
    for (at, c) in text.char_indices() {
        if c == '\n' || c == '\r' {
            in_comment = false;
            out.push(c);
        } else if inside(&redacted_spans, at) {
            if let Ok(i) = redacted.binary_search_by(|r| r.0.cmp(&at)) {
                out.push_str(&redacted[i].2);
            }
        } else if in_comment || !inside(&keep, at) {
            out.push(' ');
        } else if c == '#' && previous.is_whitespace() && !inside(&scalars, at) {
            in_comment = true;
            out.push(' ');
        } else {
            out.push(c);
        }
        previous = c;
    }
    left_out.push("comments".into());
    // The whole file with only the redactions made, for the plan the link must reproduce.
    let mut whole = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end, written) in &redacted {
        whole.push_str(&text[last..*start]);
        whole.push_str(written);
        whole.extend(text[*start..*end].chars().filter(|&c| c == '\n' || c == '\r'));
        last = *end;
    }
    whole.push_str(&text[last..]);
    (tidy(&out), whole, left_out)
}

/// One entry for every annotation whose value stays behind, naming the first ones.
fn unread_annotations_note(keys: &[String]) -> String {
    const NAMED: usize = 20;
    let more = keys.len().saturating_sub(NAMED);
    format!(
        "the values of annotations the plan does not read (shown as REDACTED): {}{}",
        keys[..keys.len().min(NAMED)].join(", "),
        if more > 0 { format!(" and {more} more") } else { String::new() }
    )
}

/// The scalar values (not keys) under a node, in mappings and lists; aliases are not followed
/// (the anchored node is kept, and looked at, where it is written).
fn collect_value_scalars<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
    match &node.kind {
        Kind::Scalar { .. } => out.push(node),
        Kind::Mapping(entries) => entries.iter().for_each(|e| collect_value_scalars(&e.value, out)),
        Kind::Sequence(items) => items.iter().for_each(|i| collect_value_scalars(i, out)),
        Kind::Alias(_) => {}
    }
}

/// Blank lines lose their spaces, the file ends after the last kept line, and a first line left
/// blank says what the reader is looking at.
fn tidy(blanked: &str) -> String {
    let mut lines: Vec<&str> = blanked.split_inclusive('\n').collect();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let mut out = String::with_capacity(blanked.len());
    for (i, line) in lines.iter().enumerate() {
        let ending = if line.ends_with("\r\n") {
            "\r\n"
        } else if line.ends_with('\n') {
            "\n"
        } else {
            ""
        };
        let content = line.trim_end_matches(['\n', '\r']).trim_end_matches(' ');
        if i == 0 && content.is_empty() && lines.len() > 1 {
            out.push_str(
                "# Shared from Gateway Planner: only the settings the plan reads; blank lines keep line numbers.",
            );
        } else {
            out.push_str(content);
        }
        out.push_str(ending);
    }
    out
}

fn collect_scalars(node: &Node, out: &mut Vec<(usize, usize)>) {
    match &node.kind {
        Kind::Scalar { .. } => out.push((node.start.byte, node.end.byte)),
        Kind::Mapping(entries) => {
            for e in entries {
                collect_scalars(&e.key_node, out);
                collect_scalars(&e.value, out);
            }
        }
        Kind::Sequence(items) => items.iter().for_each(|i| collect_scalars(i, out)),
        // The anchored node is written elsewhere; the alias itself is `*name`.
        Kind::Alias(_) => {}
    }
}

/// The kept settings written afresh from the keys the plan reads (merge keys and aliases
/// resolved, nothing else of a block carried along), for layouts the in-place cut cannot keep.
fn rewrite(doc: &Document, left_out: &mut Vec<String>) -> String {
    fn scalar(node: Option<&Node>) -> Option<Value> {
        node.filter(|n| !n.is_mapping() && !matches!(n.resolved().kind, Kind::Sequence(_)))
            .and_then(|n| n.to_json(&mut 1))
    }
    fn settings(node: &Node, leaves: &[&[&str]]) -> Map<String, Value> {
        let mut out = Map::new();
        for leaf in leaves {
            let Some(value) = scalar(node.get_path(leaf)) else { continue };
            let mut at = &mut out;
            for key in &leaf[..leaf.len() - 1] {
                at = at.entry(key.to_string()).or_insert_with(|| json!({})).as_object_mut().expect("built as objects");
            }
            at.insert(leaf[leaf.len() - 1].to_string(), value);
        }
        if let Some(entries) = node.get("annotations").and_then(Node::merged_entries) {
            let mut annotations = Map::new();
            // Merge keys applied as Helm applies them. Longer keys are no Kubernetes annotation
            // (prefix 253 + name 63) and no simple YAML key.
            for a in entries.into_iter().filter(|a| a.key.len() <= 317) {
                let value = if annotation_value_kept(&a.key) {
                    scalar(Some(&a.value))
                } else {
                    scalar(Some(&a.value)).map(|v| if v.is_null() { v } else { Value::String(REDACTED.into()) })
                };
                annotations.insert(a.key.clone(), value.unwrap_or(Value::Null));
            }
            out.insert("annotations".into(), Value::Object(annotations));
        }
        out
    }
    let mut out = Map::new();
    let Some(root) = &doc.root else { return String::new() };
    for key in SHARED_ROOT_KEYS {
        if let Some(v) = scalar(root.get(key)) {
            out.insert(key.to_string(), v);
        }
    }
    for top in ["server", "zenml"] {
        let Some(node) = root.get(top).filter(|n| n.is_mapping()) else { continue };
        let mut kept = Map::new();
        let blocks: [(&str, &[&[&str]]); 3] = [
            (
                "ingress",
                &[
                    &["enabled"],
                    &["className"],
                    &["host"],
                    &["path"],
                    &["tls", "enabled"],
                    &["tls", "generateCerts"],
                    &["tls", "secretName"],
                ],
            ),
            (
                "gateway",
                &[
                    &["enabled"],
                    &["gatewayRef", "name"],
                    &["gatewayRef", "namespace"],
                    &["sectionName"],
                    &["host"],
                    &["path"],
                ],
            ),
            ("proxyHeaders", &[&["enabled"], &["forwardedAllowIPs"]]),
        ];
        for (block, leaves) in blocks {
            if let Some(b) = node.get(block).filter(|n| n.is_mapping()) {
                kept.insert(block.into(), Value::Object(settings(b, leaves)));
            }
        }
        for key in ["serverURL", "dashboardURL", "rootUrlPath"] {
            if let Some(v) = scalar(node.get(key)) {
                kept.insert(key.into(), v);
            }
        }
        if let Some(port) = scalar(node.get_path(&["service", SHARED_SERVICE_KEY])) {
            kept.insert("service".into(), json!({ SHARED_SERVICE_KEY: port }));
        }
        out.insert(top.to_string(), Value::Object(kept));
    }
    let mut out = Value::Object(out);
    if redact_json(&mut out) && !left_out.iter().any(|l| l == CREDENTIALS) {
        left_out.push(CREDENTIALS.into());
    }
    crate::yaml::to_yaml(&out)
}

/// Redacts credentials in every string of a JSON value; true when any went.
fn redact_json(value: &mut Value) -> bool {
    match value {
        Value::String(s) => match redact_secrets(s) {
            Some(clean) => {
                *s = clean;
                true
            }
            None => false,
        },
        Value::Array(items) => items.iter_mut().fold(false, |any, v| redact_json(v) | any),
        Value::Object(map) => map.values_mut().fold(false, |any, v| redact_json(v) | any),
        _ => false,
    }
}

const REDACTED: &str = "REDACTED";
const CREDENTIALS: &str = "credentials written into URLs or headers (shown as REDACTED)";

/// The annotations whose values the planner reads (`behaviour.rs`, `plan.rs`, the Gateway and the
/// findings that quote them by name); every other annotation travels as its key with the value
/// `REDACTED`, so a finding still names it. Snippets, auth settings, webhooks and whatever else a
/// controller takes as free text never enter a link.
const READ_ANNOTATIONS: &[&str] = &[
    "kubernetes.io/ingress.class",
    "kubernetes.io/tls-acme",
    "kubernetes.io/ingress.global-static-ip-name",
    "cert-manager.io/cluster-issuer",
    "cert-manager.io/issuer",
    "nginx.ingress.kubernetes.io/proxy-body-size",
    "nginx.ingress.kubernetes.io/proxy-read-timeout",
    "nginx.ingress.kubernetes.io/proxy-send-timeout",
    "nginx.ingress.kubernetes.io/proxy-connect-timeout",
    "nginx.ingress.kubernetes.io/affinity",
    "nginx.ingress.kubernetes.io/session-cookie-name",
    "nginx.ingress.kubernetes.io/session-cookie-max-age",
    "nginx.ingress.kubernetes.io/session-cookie-expires",
    "nginx.ingress.kubernetes.io/whitelist-source-range",
    "nginx.ingress.kubernetes.io/allowlist-source-range",
    "nginx.ingress.kubernetes.io/denylist-source-range",
    "nginx.ingress.kubernetes.io/blacklist-source-range",
    "nginx.ingress.kubernetes.io/rewrite-target",
    "alb.ingress.kubernetes.io/certificate-arn",
    "alb.ingress.kubernetes.io/scheme",
    "alb.ingress.kubernetes.io/load-balancer-attributes",
    "alb.ingress.kubernetes.io/inbound-cidrs",
    "alb.ingress.kubernetes.io/target-type",
    "alb.ingress.kubernetes.io/listen-ports",
    "alb.ingress.kubernetes.io/healthcheck-path",
    "traefik.ingress.kubernetes.io/router.entrypoints",
    "traefik.ingress.kubernetes.io/router.tls",
];

/// Whether a link carries this annotation's value (nginx snippets never, whatever their name).
fn annotation_value_kept(annotation: &str) -> bool {
    READ_ANNOTATIONS.contains(&annotation) && !annotation.ends_with("-snippet")
}

/// Query parameters (and `name=value` pairs in fragments) named like these hold credentials.
const SECRET_NAMES: &[&str] =
    &["token", "key", "secret", "sig", "password", "passwd", "pwd", "auth", "credential", "session", "code"];

/// A value with the credentials in it replaced by `REDACTED`, or `None` when it holds none:
/// - in URLs (`scheme://…`): the user info (everything up to the last `@` before the host, so a
///   password may hold spaces, quotes, `/`, `#`, `?` or `@`), the whole fragment, query values
///   named like secrets or looking like tokens, and path segments that look like tokens
///   (webhook URLs carry their secret in the path);
/// - `Authorization:`-style header values and `Bearer`/`Basic`/`Token` credentials.
///
/// A value that is one URL is parsed as one (it may hold spaces); inside other text a URL ends
/// at white space or a quote unless its user info is still open there.
pub fn redact_secrets(value: &str) -> Option<String> {
    let urls = redact_urls(value);
    let headers = redact_headers(urls.as_deref().unwrap_or(value));
    headers.or(urls).filter(|v| v != value)
}

fn redact_urls(value: &str) -> Option<String> {
    let trimmed = value.trim();
    let whole_url = !trimmed.contains(['\n', '\r']) && scheme_len(trimmed).is_some();
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    let mut changed = false;
    while let Some(i) = rest.find("://") {
        let (before, after) = rest.split_at(i + 3);
        out.push_str(before);
        // `scheme://` only: a lone `://` in prose is no URL.
        if !before[..i].ends_with(|c: char| c.is_ascii_alphanumeric()) {
            rest = after;
            continue;
        }
        let line_end = after.find(['\n', '\r']).unwrap_or(after.len());
        let end = if whole_url {
            after[..line_end].trim_end().len()
        } else {
            after[..line_end]
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>'))
                .unwrap_or(line_end)
        };
        // The authority ends at the first `/`, `?` or `#`; user info is up to its last `@`. When
        // the authority is no `host[:port]` (a password cut it short: `user:pa/ss@host`, `user:pa
        // ss@host`, `user:"x"@host`), the user info runs to the last `@` on the line that is
        // followed by a host.
        let authority_end = after[..end].find(['/', '?', '#']).unwrap_or(end);
        let authority = &after[..authority_end];
        let user_info_end = authority.rfind('@').or_else(|| {
            if is_host(authority) {
                None
            } else {
                last_at_before_host(&after[..line_end])
            }
        });
        let (url, tail) = match user_info_end {
            Some(at) => {
                changed = true;
                out.push_str(REDACTED);
                out.push('@');
                let tail_end = if whole_url {
                    after[..line_end].trim_end().len()
                } else {
                    at + 1
                        + after[at + 1..line_end]
                            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>'))
                            .unwrap_or(line_end - at - 1)
                };
                (&after[at + 1..tail_end], &after[tail_end..])
            }
            None => (&after[..end], &after[end..]),
        };
        let (clean, c) = redact_url_rest(url);
        changed |= c;
        out.push_str(&clean);
        rest = tail;
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// The length of a `scheme://` prefix.
fn scheme_len(text: &str) -> Option<usize> {
    let i = text.find("://")?;
    let scheme = &text[..i];
    (!scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(i + 3)
}

/// `host`, `host:port`, `[v6]:port`: what an authority without user info looks like.
fn is_host(authority: &str) -> bool {
    let (host, port) = match authority.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((v6, after)) if v6.chars().all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.')) => ("v6", after),
            _ => return false,
        },
        None => authority.find(':').map_or((authority, ""), |i| authority.split_at(i)),
    };
    let port_ok = port.is_empty()
        || port.strip_prefix(':').is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    !host.is_empty() && host.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '%')) && port_ok
}

/// The last `@` on a line that a host follows.
fn last_at_before_host(line: &str) -> Option<usize> {
    line.char_indices().filter(|&(_, c)| c == '@').map(|(i, _)| i).rev().find(|&i| {
        let after = &line[i + 1..];
        let host_end = after
            .find(|c: char| c.is_whitespace() || matches!(c, '/' | '?' | '#' | '"' | '\'' | '`' | '<' | '>'))
            .unwrap_or(after.len());
        is_host(&after[..host_end])
    })
}

/// Redacts the path, query and fragment of a URL after its user info.
fn redact_url_rest(url: &str) -> (String, bool) {
    let mut changed = false;
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let (before_query, query) = match before_fragment.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (before_fragment, None),
    };
    let mut out = String::with_capacity(url.len());
    // Host, then path segments.
    for (i, segment) in before_query.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        if i > 0 && looks_like_token(segment) {
            out.push_str(REDACTED);
            changed = true;
        } else {
            out.push_str(segment);
        }
    }
    if let Some(query) = query {
        out.push('?');
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, value)) if !value.is_empty() && (named_like_secret(name) || looks_like_token(value)) => {
                    changed = true;
                    format!("{name}={REDACTED}")
                }
                _ => pair.to_string(),
            })
            .collect();
        out.push_str(&pairs.join("&"));
    }
    if let Some(fragment) = fragment {
        out.push('#');
        // Fragments carry OAuth tokens (`#access_token=…`) and are never needed for a plan.
        if !fragment.is_empty() {
            out.push_str(REDACTED);
            changed = true;
        }
    }
    (out, changed)
}

fn named_like_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SECRET_NAMES.iter().any(|s| name.contains(s))
}

/// A path segment or query value that reads like a generated credential: 20 or more token
/// characters mixing at least two of lower case, upper case and digits (webhook secrets, API
/// keys, signatures), which names, words, versions and dates do not.
fn looks_like_token(text: &str) -> bool {
    let classes = [
        text.bytes().any(|b| b.is_ascii_lowercase()),
        text.bytes().any(|b| b.is_ascii_uppercase()),
        text.bytes().any(|b| b.is_ascii_digit()),
    ];
    text.len() >= 20
        && text != REDACTED
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'+' | b'=' | b'%'))
        && classes.iter().filter(|&&c| c).count() >= 2
}

/// Header-style credentials: the value after `Authorization`, `Proxy-Authorization`, `X-Api-Key`,
/// `Api-Key`, `X-Auth-Token`, `Private-Token` or `Cookie` (to the end of the line, a closing
/// quote or `;`), and the credential after `Bearer`, `Basic` or `Token`.
fn redact_headers(value: &str) -> Option<String> {
    const HEADERS: &[&str] =
        &["authorization", "x-api-key", "api-key", "apikey", "x-auth-token", "private-token", "cookie"];
    const SCHEMES: &[&str] = &["bearer", "basic", "token", "negotiate", "digest"];
    // ASCII lower case keeps every byte where it was.
    let lower = value.to_ascii_lowercase();
    let is_word_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for header in HEADERS {
        for (at, _) in lower.match_indices(header) {
            let before_ok = at == 0 || !is_word_byte(lower.as_bytes()[at - 1]);
            let after = at + header.len();
            let rest = &value[after..];
            // `Authorization: x`, `authorization="x"`, `Authorization "x"` (nginx).
            let skip = rest.len() - rest.trim_start_matches([' ', '\t', ':', '=', '"', '\'']).len();
            let separated = rest[..skip].contains([':', '=', ' ', '\t', '"', '\'']);
            if !before_ok || !separated || rest.starts_with(|c: char| is_word_byte(c as u8) && c.is_ascii()) {
                continue;
            }
            let start = after + skip;
            let len = value[start..].find(['\n', '\r', '"', '\'', ';', ',']).unwrap_or(value.len() - start);
            if value[start..start + len].trim() != REDACTED && !value[start..start + len].trim().is_empty() {
                spans.push((start, start + value[start..start + len].trim_end().len()));
            }
        }
    }
    for scheme in SCHEMES {
        for (at, _) in lower.match_indices(scheme) {
            let after = at + scheme.len();
            let before_ok = at == 0 || !is_word_byte(lower.as_bytes()[at - 1]);
            let rest = &value[after..];
            let skip = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            if !before_ok || skip == 0 {
                continue;
            }
            let start = after + skip;
            let len = value[start..]
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ';' | ','))
                .unwrap_or(value.len() - start);
            let credential = &value[start..start + len];
            // A credential is one long word: "Basic auth for x" is prose.
            if credential.len() >= 8
                && credential != REDACTED
                && credential.bytes().any(|b| b.is_ascii_digit() || b == b'=' || b.is_ascii_uppercase())
            {
                spans.push((start, start + len));
            }
        }
    }
    if spans.is_empty() {
        return None;
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(value.len());
    let mut last = 0;
    for (start, end) in spans {
        if start < last {
            continue;
        }
        out.push_str(&value[last..start]);
        out.push_str(REDACTED);
        last = end;
    }
    out.push_str(&value[last..]);
    Some(out)
}

/// One `name=value` line; the value has `\\` and line breaks escaped.
fn line(name: &str, value: &str) -> String {
    format!("{name}={}\n", value.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r"))
}

fn unescape(value: &str) -> Result<String, String> {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            _ => return Err("a value has a broken escape".into()),
        }
    }
    Ok(out)
}

const CHOICE_NAMES: [&str; 9] = [
    "gatewayName",
    "gatewayNamespace",
    "namespace",
    "release",
    "issuer",
    "certificateArn",
    "host",
    "chartVersion",
    "gatewayAddress",
];

fn choice_texts(c: &Choices) -> [&Option<String>; 9] {
    [
        &c.gateway_name,
        &c.gateway_namespace,
        &c.namespace,
        &c.release,
        &c.issuer,
        &c.certificate_arn,
        &c.host,
        &c.chart_version,
        &c.gateway_address,
    ]
}

/// The choices as `name=value` lines, for links and for remembering them on a device.
pub fn choices_to_text(c: &Choices) -> String {
    let mut out = line("implementation", Implementation::get(c.implementation).slug);
    if let Some(tls) = c.tls {
        out.push_str(&line("tls", tls.slug()));
    }
    for (name, value) in CHOICE_NAMES.iter().zip(choice_texts(c)) {
        if let Some(v) = value {
            out.push_str(&line(name, v));
        }
    }
    // Absent: follow the values (links made before Off existed only ever wrote `true`).
    if let Some(on) = c.external_dns {
        out.push_str(&line("externalDns", if on { "true" } else { "false" }));
    }
    // Helm is the default: links made before the choice existed read the same.
    if c.deployed_with != DeployedWith::Helm {
        out.push_str(&line("deployedWith", c.deployed_with.slug()));
    }
    out
}

/// Choices back from [`choices_to_text`]; the error names the choice that is wrong.
pub fn choices_from_text(text: &str) -> Result<Choices, String> {
    let mut fields = Vec::new();
    for entry in text.lines().filter(|l| !l.is_empty()) {
        let (name, value) = entry.split_once('=').ok_or("a line has no `=`")?;
        fields.push((name, unescape(value)?));
    }
    choices_from_fields(&fields)
}

fn choices_from_fields(fields: &[(&str, String)]) -> Result<Choices, String> {
    let get = |name: &str| fields.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone());
    let is_choice = |name: &str| {
        CHOICE_NAMES.contains(&name) || matches!(name, "implementation" | "tls" | "externalDns" | "deployedWith")
    };
    if let Some((name, _)) = fields.iter().find(|(n, v)| is_choice(n) && v.len() > 1024) {
        return Err(format!("the choice `{name}` is too long"));
    }
    let slug = get("implementation").ok_or("no implementation is chosen")?;
    let implementation = Implementation::from_slug(&slug).ok_or_else(|| format!("unknown implementation `{slug}`"))?.id;
    let tls = match get("tls") {
        None => None,
        Some(s) => Some(TlsModel::from_slug(&s).ok_or_else(|| format!("unknown TLS model `{s}`"))?),
    };
    let external_dns = match get("externalDns").as_deref() {
        None => None,
        Some("false") => Some(false),
        Some("true") => Some(true),
        Some(_) => return Err("the choice `externalDns` is not true or false".into()),
    };
    let deployed_with = match get("deployedWith") {
        None => DeployedWith::Helm,
        Some(s) => DeployedWith::from_slug(&s).ok_or_else(|| format!("unknown way of deploying `{s}`"))?,
    };
    let mut choices = Choices::new(implementation);
    choices.tls = tls;
    choices.external_dns = external_dns;
    choices.deployed_with = deployed_with;
    let [gateway_name, gateway_namespace, namespace, release, issuer, certificate_arn, host, chart_version, gateway_address] =
        CHOICE_NAMES.map(get);
    Ok(Choices {
        gateway_name,
        gateway_namespace,
        namespace,
        release,
        issuer,
        certificate_arn,
        host,
        chart_version,
        gateway_address,
        ..choices
    })
}

/// URL-safe base64 without padding (RFC 4648 §5): the fragment needs no escaping.
mod base64url {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
            for i in 0..=chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    }

    pub fn decode(text: &str) -> Result<Vec<u8>, String> {
        let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
        let (mut acc, mut bits) = (0u32, 0u32);
        for (i, c) in text.bytes().enumerate() {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'-' => 62,
                b'_' => 63,
                _ => return Err(format!("character {} is not part of a link", i + 1)),
            };
            acc = (acc << 6) | v as u32;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
        if bits >= 6 || acc != 0 {
            return Err("it ends in the middle of a character".into());
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::base64url;

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..64u8 {
            let bytes: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37).wrapping_add(200)).collect();
            let text = base64url::encode(&bytes);
            assert!(!text.contains(['+', '/', '=']));
            assert_eq!(base64url::decode(&text).unwrap(), bytes);
        }
        assert!(base64url::decode("a").is_err(), "one character cannot end a link");
        assert!(base64url::decode("ab+c").is_err());
    }
}
