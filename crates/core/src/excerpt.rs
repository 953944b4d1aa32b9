//! A user's value quoted in a message. Shared by the values reader's errors, the plan's checks
//! and the findings, so it sits below all of them.

/// A user's value shortened for a message: a megabyte-long host must not become a megabyte-long
/// finding.
pub fn clip(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}
