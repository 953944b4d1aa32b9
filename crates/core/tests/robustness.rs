//! Hostile and broken input: every case ends in a located error or a correct plan, never a panic,
//! and the work stays bounded.

use planner::{plan, ChoiceField, Choices, ImplementationId, PlanError};
use proptest::prelude::*;

fn choices() -> Choices {
    Choices::new(ImplementationId::EnvoyGateway)
}

fn located(text: &str) -> (usize, usize, String) {
    match plan(text, &choices()) {
        Err(PlanError::Values(e)) => (e.line, e.column, e.message),
        other => panic!("expected a located error, got {other:?}"),
    }
}

#[test]
fn invalid_yaml_is_reported_with_line_and_column() {
    let (line, column, message) = located("server:\n  ingress:\n    host: [unclosed\n");
    assert!(line >= 3, "{line}:{column} {message}");
    assert!(message.contains("invalid YAML"), "{message}");
}

#[test]
fn tabs_point_at_the_tab() {
    assert_eq!(located("server:\n  ingress:\n  \thost: x\n").0, 3);
    assert_eq!(located("server:\n  ingress:\n  \thost: x\n").1, 3);
}

#[test]
fn a_root_that_is_not_a_mapping_is_refused() {
    assert!(located("just a string\n").2.contains("mapping"));
    assert!(located("- a\n- b\n").2.contains("a list"));
}

#[test]
fn wrong_types_name_the_key_and_the_fix() {
    let (l, c, m) = located("server:\n  ingress:\n    enabled: \"yes\"\n");
    assert_eq!((l, c), (3, 14));
    assert!(m.contains("server.ingress.enabled") && m.contains("true or false"), "{m}");
    assert!(located("server:\n  service:\n    port: \"80\"\n").2.contains("port number"));
    assert!(located("server:\n  ingress: true\n").2.contains("must be a mapping"));
    assert!(located("zenml:\n  ingress:\n    host: [a, b]\n").2.contains("must be a string"));
    assert!(located("server: 3\n").2.contains("`server` must be a mapping"));
}

#[test]
fn yaml_1_1_booleans_count_as_booleans_like_helm() {
    let p = plan("server:\n  ingress:\n    enabled: yes\n    host: zenml.example.com\n", &choices()).unwrap();
    assert!(p.resolved.ingress_active);
    let p = plan("server:\n  ingress:\n    enabled: off\n", &choices()).unwrap();
    assert!(!p.resolved.ingress_active);
}

#[test]
fn duplicate_keys_are_refused_with_both_places() {
    let m = located("server:\n  ingress: {}\n  ingress: {}\n").2;
    assert!(m.contains("duplicate key `ingress`") && m.contains("line 2"), "{m}");
}

#[test]
fn an_alias_bomb_stays_small() {
    let mut text = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names: Vec<char> = ('b'..='j').collect();
    let mut prev = 'a';
    for n in names {
        text.push_str(&format!(
            "{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
        prev = n;
    }
    text.push_str("server:\n  ingress:\n    host: zenml.example.com\n");
    let p = plan(&text, &choices()).expect("aliases are shared, not expanded");
    assert_eq!(p.resolved.host.as_deref(), Some("zenml.example.com"));
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let text = "[".repeat(100_000);
    let (_, _, m) = located(&text);
    assert!(m.contains("nesting") || m.contains("invalid YAML"), "{m}");
    let mut block = String::new();
    for depth in 0..500 {
        block.push_str(&" ".repeat(depth));
        block.push_str("k:\n");
    }
    assert!(located(&block).2.contains("nesting"));
}

#[test]
fn a_five_megabyte_values_file_plans_and_a_larger_one_than_the_limit_is_refused() {
    let mut text = String::from("server:\n  ingress:\n    host: zenml.example.com\n  environment:\n");
    let mut i = 0;
    while text.len() < 5 * 1024 * 1024 {
        text.push_str(&format!("    VARIABLE_{i}: \"some configuration value that is fairly long {i}\"  # note {i}\n"));
        i += 1;
    }
    let p = plan(&text, &choices()).expect("a large file is still a values file");
    let parallel = p.file("values-parallel.yaml").unwrap();
    let block = "  gateway:\n    enabled: true\n    gatewayRef:\n      name: shared-gateway\n      namespace: gateway-infra\n    sectionName: http\n    host: zenml.example.com\n";
    assert!(parallel.contains(block), "{}", &parallel[..400]);
    assert_eq!(parallel.replacen(block, "", 1), text, "only the gateway block was added");

    let huge = text.repeat(2);
    let (line, column, message) = located(&huge);
    assert_eq!((line, column), (1, 1));
    assert!(message.contains("10.0 MiB") && message.contains("up to 8.0 MiB"), "{message}");
}

#[test]
fn more_nodes_or_aliases_than_the_limits_are_refused_with_a_reason() {
    let many = format!("server:\n  list: [{}]\n", "1,".repeat(600_000));
    assert!(located(&many).2.contains("more than 500000 keys and values"), "{}", located(&many).2);
    let aliases = format!("a: &a x\nlist: [{}]\n", "*a,".repeat(10_001));
    let (line, _, message) = located(&aliases);
    assert_eq!(line, 2);
    assert!(message.contains("more than 10000 aliases"), "{message}");
}

#[test]
fn invalid_choices_are_refused_by_name() {
    let text = "server:\n  ingress:\n    host: zenml.example.com\n";
    let mut c = choices();
    c.host = Some("10.0.0.1".into());
    assert!(matches!(plan(text, &c), Err(PlanError::Choice { option, .. }) if option == ChoiceField::Host));
    let mut c = choices();
    c.gateway_namespace = Some("Not Valid".into());
    assert!(matches!(plan(text, &c), Err(PlanError::Choice { option, .. }) if option == ChoiceField::GatewayNamespace));
    let mut c = choices();
    c.issuer = Some("letsencrypt".into());
    c.tls = Some(planner::TlsModel::CertManager);
    assert!(matches!(plan(text, &c), Err(PlanError::Choice { option, .. }) if option == ChoiceField::Issuer));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, .. ProptestConfig::default() })]

    /// Arbitrary text never panics the planner.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = plan(&text, &choices());
    }

    /// Text made of YAML's own punctuation never panics either.
    #[test]
    fn yaml_punctuation_never_panics(text in "[a-z:\\-\\[\\]{}&*!|>'\"#%@ \\t\\n,?~0-9]{0,300}") {
        let _ = plan(&text, &choices());
        let _ = plan(&format!("server:\n  ingress:\n    {text}"), &choices());
    }
}

/// Alias and merge trees stay cheap: nothing walks through aliases, and merge lookups have a
/// budget, and alias chains share the nesting limit. (Each of these took exponential time or
/// recursed without bound before.)
#[test]
fn alias_and_merge_trees_plan_without_expanding() {
    let mut tree = String::from("l0: &l0 {a: 1}\n");
    for level in 1..=8 {
        let items: Vec<String> = (1..=20).map(|k| format!("k{k}: *l{}", level - 1)).collect();
        tree.push_str(&format!("l{level}: &l{level} {{{}}}\n", items.join(", ")));
    }
    tree.push_str("x: *l8\nserver:\n  ingress:\n    host: zenml.example.com\n");
    let p = plan(&tree, &choices()).expect("an alias tree is a values file");
    assert_eq!(p.resolved.host.as_deref(), Some("zenml.example.com"));

    let mut merges = String::from("m0: &m0 {a: 1}\n");
    for level in 1..=9 {
        merges
            .push_str(&format!("m{level}: &m{level} {{<<: [{}]}}\n", vec![format!("*m{}", level - 1); 10].join(", ")));
    }
    merges.push_str(&format!("server:\n  <<: [{}]\n  ingress:\n    host: zenml.example.com\n", ["*m9"; 10].join(", ")));
    let p = plan(&merges, &choices()).expect("a merge tree is a values file");
    assert_eq!(p.resolved.host.as_deref(), Some("zenml.example.com"));

    let mut chain = String::from("c0: &c0 {a: 1}\n");
    for level in 1..5_000 {
        chain.push_str(&format!("c{level}: &c{level} {{<<: *c{}}}\n", level - 1));
    }
    chain.push_str("server:\n  <<: *c4999\n  ingress:\n    host: zenml.example.com\n");
    let (line, _, message) = located(&chain);
    assert!(line < 200 && message.contains("aliases inside aliases nest deeper than 200 levels"), "{line}: {message}");
}

#[test]
fn an_explicit_key_without_a_colon_at_the_end_is_refused_not_a_crash() {
    let text = "server:\n  ingress:\n    host: zenml.example.com\n  ? gateway";
    let (line, column, message) = located(text);
    assert_eq!((line, column), (4, 5), "{message}");
    assert!(message.contains("`? key`"), "{message}");
}

#[test]
fn a_long_non_ascii_line_parses_in_one_pass() {
    let items: Vec<String> = (0..60_000).map(|i| format!("k{i}: é{i}")).collect();
    let text = format!("server: {{ingress: {{host: zenml.example.com}}, environment: {{{}}}}}\n", items.join(", "));
    let p = plan(&text, &choices()).expect("one long line is a values file");
    assert_eq!(p.resolved.host.as_deref(), Some("zenml.example.com"));
}

fn annotations_file(count: usize, value: &str) -> String {
    let mut text = String::from("server:\n  ingress:\n    host: zenml.example.com\n    annotations:\n");
    for i in 0..count {
        text.push_str(&format!("      example.com/a{i}: {value}\n"));
    }
    text
}

#[test]
fn more_annotations_than_the_page_can_show_are_refused_at_the_first_one_too_many() {
    assert!(plan(&annotations_file(planner::values::release::MAX_ANNOTATIONS, "x"), &choices()).is_ok());
    let (line, column, message) = located(&annotations_file(planner::values::release::MAX_ANNOTATIONS + 1, "x"));
    assert_eq!((line, column), (5 + planner::values::release::MAX_ANNOTATIONS, 7));
    assert!(message.contains("more than 1000 annotations under `ingress.annotations`"), "{message}");
    // Kubernetes' own limit: 256 KiB of keys and values on one object.
    let (line, _, message) = located(&annotations_file(300, &"v".repeat(1000)));
    assert!(line > 5 && message.contains("256 KiB"), "{line}: {message}");
}

#[test]
fn the_same_annotations_under_both_keys_merge_once() {
    let block = |top: &str, value: &str| {
        let mut t = format!("{top}:\n  ingress:\n    annotations:\n");
        for i in 0..1000 {
            t.push_str(&format!("      example.com/a{i}: {value}\n"));
        }
        t
    };
    let text = format!("{}{}", block("server", "old"), block("zenml", "new"));
    let p = plan(&text, &choices()).expect("1000 keys under each top key are 1000 annotations");
    let annotation_findings =
        p.findings.iter().filter(|f| f.path.as_deref().is_some_and(|p| p.contains("annotations["))).count();
    assert_eq!(annotation_findings, 1000);
    assert!(p.findings.iter().all(|f| !f.message.contains(": old")));
}

#[test]
fn reading_annotations_grows_linearly_with_their_number() {
    // Time for 40 000 annotations over time for 4 000: about 10 when linear (the old
    // de-duplication made it 45). The minimum of several runs keeps scheduler noise out.
    let time = |count: usize| {
        let text = annotations_file(count, "x");
        (0..5)
            .map(|_| {
                let start = std::time::Instant::now();
                let _ = plan(&text, &choices());
                start.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let (small, large) = (time(4_000), time(40_000));
    let ratio = large / small;
    assert!(ratio < 20.0, "4 000 annotations: {small:.4}s, 40 000: {large:.4}s, ratio {ratio:.1}");
}
