//! Notices about the migration: what does not carry over, what needs a decision, what to check.

use crate::values::release::{Annotation, Setting};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The plan cannot work as is until the user acts.
    Error,
    /// Behaviour changes or is lost unless the user acts.
    Warning,
    /// Worth knowing; nothing breaks.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    /// The values key or annotation the notice is about (`None` for the plan as a whole).
    pub path: Option<String>,
    /// Where that key is in the pasted file, when it is there (1-based).
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Finding {
    pub fn new(severity: Severity, code: &str, message: impl Into<String>) -> Finding {
        Finding { severity, code: code.to_string(), message: message.into(), path: None, line: None, column: None }
    }

    pub fn at<T>(severity: Severity, code: &str, message: impl Into<String>, setting: &Setting<T>) -> Finding {
        Finding {
            path: Some(setting.path.clone()),
            line: setting.pos.map(|p| p.line),
            column: setting.pos.map(|p| p.column),
            ..Finding::new(severity, code, message)
        }
    }

    pub fn on_annotation(severity: Severity, code: &str, message: impl Into<String>, a: &Annotation) -> Finding {
        Finding {
            path: Some(a.path.clone()),
            line: Some(a.pos.line),
            column: Some(a.pos.column),
            ..Finding::new(severity, code, message)
        }
    }

    pub fn with_path(mut self, path: &str) -> Finding {
        self.path = Some(path.to_string());
        self
    }
}

/// A user's value shortened for a message: a megabyte-long host must not become a megabyte-long
/// finding.
pub fn clip(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}
