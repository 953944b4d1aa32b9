//! What each fuzz target does with one input, shared by `fuzz/` (cargo-fuzz, nightly) and the
//! regression test that replays every saved input on a normal `cargo test`. A panic here is a bug.
#![allow(dead_code)] // each user calls only some of these

use planner::values::document::Document;
use planner::values::edit::{apply, Assignment};
use planner::values::release::Release;
use planner::{plan, Choices, TlsModel, IMPLEMENTATIONS};

/// Parser and editor: parse, read the release, and write the keys a plan writes.
pub fn values(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(doc) = Document::parse(text) else { return };
    let before = Release::read(&doc);
    let edits = [
        Assignment::new(&["server", "gateway", "enabled"], "true").after("ingress"),
        Assignment::new(&["server", "gateway", "host"], "zenml.example.com"),
        Assignment::new(&["zenml", "ingress", "enabled"], "false"),
    ];
    // `apply` checks that each edit parses and holds its key; here: nothing else the planner
    // reads changed.
    if let (Ok(edited), Ok(before)) = (apply(&doc, &edits), before) {
        let after = Release::read(&edited).unwrap_or_else(|e| {
            panic!("edited values no longer read: {e}\n--- input\n{text}\n--- edited\n{}", edited.text)
        });
        assert_eq!(before.ingress.host.map(|s| s.value), after.ingress.host.map(|s| s.value), "{}", edited.text);
        assert_eq!(before.ingress.annotations.len(), after.ingress.annotations.len(), "{}", edited.text);
        assert_eq!(before.service_port.value, after.service_port.value, "{}", edited.text);
    }
}

/// Choices from the first two bytes, values from the rest.
pub fn choices_and_values(data: &[u8]) -> Option<(Choices, &str)> {
    let (&[a, b], rest) = data.split_first_chunk::<2>()?;
    let text = std::str::from_utf8(rest).ok()?;
    let mut choices = Choices::new(IMPLEMENTATIONS[a as usize % IMPLEMENTATIONS.len()].id);
    choices.tls = match (a / 4) % 5 {
        0 => None,
        n => Some(TlsModel::ALL[n as usize - 1]),
    };
    choices.external_dns = match (b & 1 != 0, b & 128 != 0) {
        (true, _) => Some(true),
        (false, true) => Some(false),
        (false, false) => None,
    };
    if b & 2 != 0 {
        choices.namespace = Some("platform".into());
    }
    if b & 4 != 0 {
        choices.gateway_namespace = Some("gateways".into());
    }
    if b & 8 != 0 {
        choices.host = Some("zenml.example.org".into());
    }
    if b & 16 != 0 {
        choices.chart_version = Some("0.80.0".into());
    }
    if b & 32 != 0 {
        choices.issuer = Some("letsencrypt".into());
    }
    if b & 64 != 0 {
        choices.certificate_arn = Some("arn:aws:acm:eu-west-1:123456789012:certificate/abc".into());
    }
    Some((choices, text))
}

/// The whole plan: never a panic, and the edited values always parse again.
pub fn whole_plan(data: &[u8]) {
    let Some((choices, text)) = choices_and_values(data) else { return };
    if let Ok(result) = plan(text, &choices) {
        for name in ["values-parallel.yaml", "values-final.yaml", "overlay-parallel.yaml", "overlay-final.yaml"] {
            let file = result.file(name).expect("every plan has its values files");
            if let Err(e) = Document::parse_edited(file) {
                panic!("{name} does not parse: {e}\n--- input\n{text}\n--- output\n{file}");
            }
        }
    }
}

/// Share links, both ways: any text read as a link is refused or gives a plan input; any values
/// that plan give a link that reads back to the same choices and a plan with the same gateway.
pub fn share(data: &[u8]) {
    use planner::share::{link, read_link};
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(shared) = read_link(text) {
            let _ = plan(&shared.values, &shared.choices);
        }
    }
    let Some((choices, text)) = choices_and_values(data) else { return };
    let Ok(original) = plan(text, &choices) else { return };
    let fragment = match link(text, &choices) {
        Ok((fragment, _)) => fragment,
        // The one refusal: a layout that must be rewritten, and whose rewrite would not plan.
        Err(e) if e.to_string().contains("cannot be written into a link") => return,
        Err(e) => panic!("values that plan cannot be shared: {e}\n--- input\n{text}"),
    };
    let shared = read_link(&fragment).expect("a link just made reads back");
    assert_eq!(shared.choices, choices);
    let again = plan(&shared.values, &shared.choices).unwrap_or_else(|e| {
        panic!("the shared values do not plan: {e}\n--- input\n{text}\n--- shared\n{}", shared.values)
    });
    assert_eq!(
        original.file("gateway.yaml"),
        again.file("gateway.yaml"),
        "--- input\n{text}\n--- shared\n{}",
        shared.values
    );
}
