//! Writing YAML: plain JSON-shaped values (what the typed Kubernetes structs serialise to) into
//! block-style YAML text, with strings quoted whenever Helm's YAML 1.1 reader could take them
//! for something else.

use crate::values::document::{resolve_scalar, Scalar, Style};
use serde_json::Value;

/// A mapping key, quoted only when it has to be.
pub fn key(k: &str) -> String {
    string(k)
}

/// A string scalar: plain when that reads back as the same string, double-quoted otherwise.
pub fn string(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// Always double-quoted, escaped for YAML.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_plain_safe(s: &str) -> bool {
    if s.is_empty() || s.trim() != s {
        return false;
    }
    if !matches!(resolve_scalar(s, Style::Plain, None), Scalar::Str(_)) {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    // A leading indicator makes the text mean something else; `-x` is fine, `- x` and `---` are not.
    let dash_is_text = first == '-' && s.len() > 1 && !s.starts_with("- ") && !s.starts_with("---");
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) && !dash_is_text {
        return false;
    }
    if first == '-' && s[1..].starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return false;
    }
    !(s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars().any(|c| c.is_control())
        || s.contains(['{', '}', '[', ']', ',']) && first == '-')
}

fn scalar(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(a) if a.is_empty() => "[]".to_string(),
        Value::Object(o) if o.is_empty() => "{}".to_string(),
        _ => return None,
    })
}

/// One YAML document for a value (no `---`).
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match scalar(v) {
        Some(s) => {
            out.push_str(&s);
            out.push('\n');
        }
        None => write_block(&mut out, v, 0),
    }
    out
}

/// Several documents separated by `---`.
pub fn to_yaml_stream<'a>(docs: impl IntoIterator<Item = &'a Value>) -> String {
    docs.into_iter().map(to_yaml).collect::<Vec<_>>().join("---\n")
}

/// Kubernetes readers expect identity first: `apiVersion`, `kind`, `metadata`, then `name`.
const LEADING_KEYS: &[&str] =
    &["apiVersion", "kind", "metadata", "name", "namespace", "protocol", "port", "hostname", "type"];

fn ordered(map: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by_key(|(k, _)| LEADING_KEYS.iter().position(|l| l == k).unwrap_or(LEADING_KEYS.len()));
    entries
}

fn write_block(out: &mut String, v: &Value, indent: usize) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(map) => {
            for (k, val) in ordered(map) {
                out.push_str(&pad);
                out.push_str(&key(k));
                out.push(':');
                write_after_key(out, val, indent);
            }
        }
        Value::Array(items) => {
            for item in items {
                out.push_str(&pad);
                out.push('-');
                match (item, scalar(item)) {
                    (_, Some(s)) => {
                        out.push(' ');
                        out.push_str(&s);
                        out.push('\n');
                    }
                    (Value::Object(map), None) => {
                        // The first key shares the dash's line; the rest line up under it.
                        let mut first = true;
                        for (k, val) in ordered(map) {
                            if first {
                                out.push(' ');
                                first = false;
                            } else {
                                out.push_str(&pad);
                                out.push_str("  ");
                            }
                            out.push_str(&key(k));
                            out.push(':');
                            write_after_key(out, val, indent + 2);
                        }
                    }
                    (nested, None) => {
                        out.push('\n');
                        write_block(out, nested, indent + 2);
                    }
                }
            }
        }
        other => {
            out.push_str(&pad);
            out.push_str(&scalar(other).unwrap_or_default());
            out.push('\n');
        }
    }
}

fn write_after_key(out: &mut String, val: &Value, indent: usize) {
    match scalar(val) {
        Some(s) => {
            out.push(' ');
            out.push_str(&s);
            out.push('\n');
        }
        None => {
            out.push('\n');
            let child = if val.is_array() { indent } else { indent + 2 };
            write_block(out, val, child);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_that_would_change_type_are_quoted() {
        for s in ["true", "yes", "on", "80", "1.5", "", "null", "~", " x", "a: b", "#x", "0x1F", "-1"] {
            assert!(string(s).starts_with('"'), "{s:?} must be quoted, got {}", string(s));
        }
        for s in
            ["zenml.example.com", "/zenml/", "https", "gateway-infra", "nginx.ingress.kubernetes.io/proxy-body-size"]
        {
            assert_eq!(string(s), s);
        }
    }

    #[test]
    fn nested_values_render_as_block_yaml() {
        let v = json!({"a": {"b": [{"c": 1, "d": "x"}, "z"], "e": {}}, "f": "true"});
        assert_eq!(to_yaml(&v), "a:\n  b:\n  - c: 1\n    d: x\n  - z\n  e: {}\nf: \"true\"\n");
    }
}
