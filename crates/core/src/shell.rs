//! Values in shell commands. Every value the runbook puts into a command goes through [`quote`],
//! so a value the plan's checks let through is still one word of data to the shell, whatever it
//! holds (a share link is someone else's values file, and the runbook runs with cluster
//! credentials).

use std::borrow::Cow;

pub mod layout;

/// Characters that never mean anything to bash inside a word (the set Python's `shlex.quote`
/// leaves bare). Everything else, `*`, `~`, `$`, quotes, spaces and line breaks included, is
/// quoted.
fn is_plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'@' | b'%' | b'+' | b'=' | b':' | b',' | b'.' | b'/' | b'-')
}

/// One shell word holding exactly `value`: bare when it has only plain characters, else in single
/// quotes with each `'` written as `'\''`.
pub fn quote(value: &str) -> Cow<'_, str> {
    if !value.is_empty() && value.bytes().all(is_plain) {
        return Cow::Borrowed(value);
    }
    Cow::Owned(format!("'{}'", value.replace('\'', r"'\''")))
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn plain_names_stay_bare() {
        for v in [
            "zenml",
            "gateway-infra",
            "zenml.example.com",
            "/zenml/",
            "arn:aws:acm:eu-west-1:123456789012:certificate/ab-12",
            "0.94.3",
        ] {
            assert_eq!(quote(v), v);
        }
    }

    #[test]
    fn everything_else_is_single_quoted() {
        assert_eq!(quote(""), "''");
        assert_eq!(quote("*.example.com"), "'*.example.com'");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("$(touch x)"), "'$(touch x)'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("~root"), "'~root'");
        assert_eq!(quote("a\nb"), "'a\nb'");
    }
}
