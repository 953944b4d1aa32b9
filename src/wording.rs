//! The core writes its findings and the runbook's prose for both of its surfaces, naming a choice
//! by the CLI option that sets it ("pass --host"). On the page a choice is a field: these
//! functions say "enter the Hostname" instead, and tell which fields a text asks for, so the page
//! can offer a way to each. The CLI keeps the core's words.

use planner::ChoiceField;

/// A choice as the page names it: its field's label (see `TextChoice::label`).
pub fn choice_label(field: ChoiceField) -> &'static str {
    match field {
        ChoiceField::Release => "Release name",
        ChoiceField::Namespace => "ZenML namespace",
        ChoiceField::GatewayName => "Gateway name",
        ChoiceField::GatewayNamespace => "Gateway namespace",
        ChoiceField::Host => "Hostname",
        ChoiceField::Tls => "TLS",
        ChoiceField::Issuer => "Issuer",
        ChoiceField::CertificateArn => "Certificate ARN",
        ChoiceField::ChartVersion => "Chart version",
        ChoiceField::GatewayAddress => "Gateway address",
    }
}

/// A text in the page's words, and the fields it asks for (in the order it names them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageWords {
    pub text: String,
    pub fields: Vec<ChoiceField>,
}

/// Where `flag` occurs in `text` as a whole option (not the start of a longer one).
fn find_flag(text: &str, flag: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(found) = text[at..].find(flag).map(|i| i + at) {
        let end = found + flag.len();
        let whole = !text[end..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-');
        if whole {
            return Some(found);
        }
        at = end;
    }
    None
}

/// Replaces `before` + flag + `after` by `with`, everywhere.
fn replace_around(text: &mut String, flag: &str, before: &str, after: &str, with: &str) -> bool {
    let mut changed = false;
    let mut from = 0;
    while let Some(at) = find_flag(text, flag, from) {
        let end = at + flag.len();
        if text[..at].ends_with(before) && text[end..].starts_with(after) {
            let start = at - before.len();
            text.replace_range(start..end + after.len(), with);
            from = start + with.len();
            changed = true;
        } else {
            from = end;
        }
    }
    changed
}

/// `text` (Markdown: code spans stay code spans) in the page's words.
pub fn page_words(text: &str) -> PageWords {
    let mut text = text.to_string();
    let mut named: Vec<(usize, ChoiceField)> = Vec::new();
    for field in ChoiceField::ALL {
        let flag = field.flag();
        let Some(first) = find_flag(&text, flag, 0) else { continue };
        named.push((first, field));
        let label = choice_label(field);
        // The runbook names both surfaces, "the Gateway address field; CLI: `--gateway-address ...`":
        // the page keeps its own.
        while let Some(at) = find_flag(&text, flag, 0).filter(|&at| text[..at].ends_with("; CLI: `")) {
            let close = text[at..].find('`').map_or(text.len(), |i| at + i + 1);
            text.replace_range(at - "; CLI: `".len()..close, "");
        }
        // A flag alone in a code span is a name, not a command.
        replace_around(&mut text, flag, "`", "`", flag);
        // The CLI's placeholder for its value.
        replace_around(&mut text, flag, "", " KIND/NAME", flag);
        replace_around(&mut text, flag, "re-plan with ", "", &format!("enter the {label}"));
        replace_around(&mut text, flag, "pass ", "", &format!("enter the {label}"));
        replace_around(&mut text, flag, "Pass ", "", &format!("Enter the {label}"));
        // "pass a DNS name with --host": "enter a DNS name in the Hostname field"; without a
        // "pass" before it, "... with the Certificate ARN field".
        while let Some(at) = find_flag(&text, flag, 0).filter(|&at| text[..at].ends_with(" with ")) {
            let sentence = text[..at].rfind(['.', ':', ';']).map_or(0, |i| i + 1);
            let with_at = at - " with ".len();
            match text[sentence..with_at].rfind("pass ").map(|i| i + sentence) {
                Some(pass) => {
                    text.replace_range(with_at..at + flag.len(), &format!(" in the {label} field"));
                    text.replace_range(pass..pass + "pass".len(), "enter");
                }
                None => text.replace_range(with_at..at + flag.len(), &format!(" with the {label} field")),
            }
        }
        replace_around(&mut text, flag, "(", ")", &format!("(the {label} field)"));
        replace_around(&mut text, flag, "and ", "", &format!("and the {label}"));
        replace_around(&mut text, flag, "", "", &format!("the {label} field"));
    }
    named.sort_by_key(|(at, _)| *at);
    PageWords { text, fields: named.into_iter().map(|(_, field)| field).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use planner::{Choices, ImplementationId, TlsModel, IMPLEMENTATIONS};

    /// The CLI's options that are not choices of a field (the page has no words for them to replace:
    /// no text of the core should name them).
    const OTHER_CLI_OPTIONS: [&str; 6] =
        ["--implementation", "--external-dns", "--no-external-dns", "--deployed-with", "--out", "--json"];

    /// Whether `text` names a CLI option of the planner.
    fn names_a_cli_option(text: &str) -> Option<&'static str> {
        ChoiceField::ALL
            .map(ChoiceField::flag)
            .into_iter()
            .chain(OTHER_CLI_OPTIONS)
            .find(|flag| find_flag(text, flag, 0).is_some())
    }

    fn words(text: &str) -> String {
        page_words(text).text
    }

    #[test]
    fn each_way_the_core_asks_for_an_option_reads_as_the_pages_field() {
        assert_eq!(
            words("Check with `helm list -A | grep zenml` and pass --release and --namespace if they differ."),
            "Check with `helm list -A | grep zenml` and enter the Release name and the ZenML namespace if they differ."
        );
        assert_eq!(
            words("the plan gives the Gateway `a.example.com` (--host)."),
            "the plan gives the Gateway `a.example.com` (the Hostname field)."
        );
        assert_eq!(words("set `host` (or pass --host) so"), "set `host` (or enter the Hostname) so");
        assert_eq!(
            words("Pass --issuer KIND/NAME to base it on one you have."),
            "Enter the Issuer to base it on one you have."
        );
        assert_eq!(words("Pass --certificate-arn; until then"), "Enter the Certificate ARN; until then");
        assert_eq!(words("(none given: pass --certificate-arn)"), "(none given: enter the Certificate ARN)");
        assert_eq!(
            words("any host on the listener); pass a DNS name with --host."),
            "any host on the listener); enter a DNS name in the Hostname field."
        );
        assert_eq!(words("or re-plan with `--host` to move a DNS name."), "or enter the Hostname to move a DNS name.");
        assert_eq!(
            words("Enter the Gateway's address in the planner (the Gateway address field; CLI: `--gateway-address \"$GATEWAY_ADDRESS\"`) and plan again."),
            "Enter the Gateway's address in the planner (the Gateway address field) and plan again."
        );
        assert_eq!(
            words("keep TLS at the ALB, TLS model cloud-lb with --certificate-arn or the ALB Ingress's annotation"),
            "keep TLS at the ALB, TLS model cloud-lb with the Certificate ARN field or the ALB Ingress's annotation"
        );
        assert_eq!(words("a bare --host here"), "a bare the Hostname field here");
    }

    #[test]
    fn the_fields_asked_for_are_listed_in_the_order_named_and_other_flags_stay() {
        let said = page_words("pass --release and --namespace; kubectl --namespace-x and --hostname stay");
        assert_eq!(said.fields, [ChoiceField::Release, ChoiceField::Namespace]);
        assert!(said.text.ends_with("kubectl --namespace-x and --hostname stay"), "{}", said.text);
        assert_eq!(page_words("nothing to do").fields, []);
    }

    /// Every values file of the golden corpus.
    fn corpus() -> Vec<(String, String)> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");
        let mut inputs: Vec<(String, String)> = std::fs::read_dir(root)
            .unwrap()
            .filter_map(|case| {
                let case = case.ok()?.path();
                let text = std::fs::read_to_string(case.join("values.yaml")).ok()?;
                Some((case.file_name()?.to_string_lossy().into_owned(), text))
            })
            .collect();
        inputs.sort();
        assert!(inputs.len() > 20, "the corpus is there");
        inputs
    }

    #[test]
    fn no_finding_problem_or_runbook_prose_names_a_cli_option_on_the_page() {
        let (mut plans, mut refused) = (0, 0);
        for (case, values) in corpus() {
            for implementation in IMPLEMENTATIONS {
                for tls in TlsModel::ALL.into_iter().map(Some).chain([None]) {
                    let id: ImplementationId = implementation.id;
                    let plan = match planner::plan(&values, &Choices { tls, ..Choices::new(id) }) {
                        Ok(plan) => plan,
                        Err(error) => {
                            // A refused choice or a problem in the values, as the page says it.
                            let said = crate::state::page_error(&error);
                            assert_eq!(names_a_cli_option(&said), None, "{case} {}: {said}", implementation.slug);
                            refused += 1;
                            continue;
                        }
                    };
                    plans += 1;
                    for finding in &plan.findings {
                        let said = page_words(&finding.message).text;
                        assert_eq!(names_a_cli_option(&said), None, "{case} {}: {said}", finding.code);
                    }
                    let runbook = plan.file("runbook.md").unwrap();
                    // The prose, as the page renders it (commands in code blocks keep their
                    // own tools' options).
                    let rendered = crate::markdown::render(runbook);
                    let prose: String = rendered
                        .html
                        .split("<pre")
                        .enumerate()
                        .map(
                            |(i, part)| {
                                if i == 0 {
                                    part
                                } else {
                                    part.split_once("</pre>").map_or("", |(_, rest)| rest)
                                }
                            },
                        )
                        .collect();
                    assert_eq!(names_a_cli_option(&prose), None, "{case} {}: the runbook", implementation.slug);
                }
            }
        }
        assert!(plans > 200 && refused > 10, "{plans} plans, {refused} refused");
    }
}
