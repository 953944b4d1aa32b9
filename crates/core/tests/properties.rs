//! Property: for any values file the planner accepts, each migrated file re-parses to the
//! original tree except for the keys the plan sets (`ingress` and `gateway` under `server:` or
//! `zenml:`), and every comment of the original is still there.

use planner::values::Document;
use planner::{plan, Choices, TlsModel, IMPLEMENTATIONS};
use proptest::prelude::*;
use serde_json::Value;

#[derive(Debug, Clone)]
enum Tree {
    Scalar(String),
    Map(Vec<(String, Tree)>),
    List(Vec<Tree>),
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("true".to_string()),
        Just("false".to_string()),
        Just("80".to_string()),
        Just("\"quoted: value\"".to_string()),
        Just("'single'".to_string()),
        Just("zenml.example.com".to_string()),
        Just("/zenml".to_string()),
        Just("".to_string()),
        Just("{}".to_string()),
        Just("[]".to_string()),
        "[a-z][a-z0-9.-]{0,12}",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("ingress".to_string()),
        Just("gateway".to_string()),
        Just("enabled".to_string()),
        Just("host".to_string()),
        Just("tls".to_string()),
        Just("annotations".to_string()),
        Just("image".to_string()),
        Just("database".to_string()),
        "[a-z][a-zA-Z0-9_]{0,8}",
    ]
}

fn tree() -> impl Strategy<Value = Tree> {
    scalar().prop_map(Tree::Scalar).prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec((key(), inner.clone()), 1..5).prop_map(|entries| {
                let mut seen = std::collections::HashSet::new();
                Tree::Map(entries.into_iter().filter(|(k, _)| seen.insert(k.clone())).collect())
            }),
            prop::collection::vec(inner, 1..4).prop_map(Tree::List),
        ]
    })
}

/// A whole file: some top-level keys, usually a `server:` or `zenml:` block.
fn values_file() -> impl Strategy<Value = (Vec<(String, Tree)>, usize, u32)> {
    let top_key = prop_oneof![Just("server".to_string()), Just("zenml".to_string()), key()];
    (prop::collection::vec((top_key, tree()), 0..4), prop_oneof![Just(2usize), Just(4usize)], any::<u32>())
}

struct Writer {
    out: String,
    step: usize,
    seed: u32,
    comments: usize,
}

impl Writer {
    fn coin(&mut self) -> bool {
        self.seed = self.seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (self.seed >> 16).is_multiple_of(3)
    }

    fn comment(&mut self, indent: usize) {
        if self.coin() {
            self.comments += 1;
            self.out.push_str(&format!("{}# comment {}\n", " ".repeat(indent), self.comments));
        }
        if self.coin() {
            self.out.push('\n');
        }
    }

    fn trailing(&mut self) -> String {
        if self.coin() {
            self.comments += 1;
            format!("  # trailing {}", self.comments)
        } else {
            String::new()
        }
    }

    fn map(&mut self, entries: &[(String, Tree)], indent: usize) {
        for (k, v) in entries {
            self.comment(indent);
            let pad = " ".repeat(indent);
            match v {
                Tree::Scalar(s) => {
                    let t = self.trailing();
                    self.out.push_str(&format!("{pad}{k}: {s}{t}\n"));
                }
                Tree::Map(children) => {
                    let t = self.trailing();
                    self.out.push_str(&format!("{pad}{k}:{t}\n"));
                    self.map(children, indent + self.step);
                }
                Tree::List(items) => {
                    self.out.push_str(&format!("{pad}{k}:\n"));
                    self.list(items, indent + self.step);
                }
            }
        }
    }

    fn list(&mut self, items: &[Tree], indent: usize) {
        let pad = " ".repeat(indent);
        for item in items {
            match item {
                Tree::Scalar(s) if s.is_empty() => self.out.push_str(&format!("{pad}- x\n")),
                Tree::Scalar(s) => self.out.push_str(&format!("{pad}- {s}\n")),
                Tree::Map(children) => {
                    self.out.push_str(&format!("{pad}-\n"));
                    self.map(children, indent + self.step);
                }
                Tree::List(inner) => {
                    self.out.push_str(&format!("{pad}-\n"));
                    self.list(inner, indent + self.step);
                }
            }
        }
    }
}

fn tree_of(text: &str) -> Value {
    let doc = Document::parse(text).unwrap_or_else(|e| panic!("the edited file must parse: {e}\n{text}"));
    doc.root.map(|r| r.to_json(&mut 1_000_000).unwrap()).unwrap_or(Value::Null)
}

/// The tree without the keys the plan may set.
fn without_planned_keys(mut tree: Value) -> Value {
    if let Value::Object(map) = &mut tree {
        for top in ["server", "zenml"] {
            // `server:` left empty is null, which Helm treats like no key at all.
            let now_empty = match map.get_mut(top) {
                Some(Value::Null) => true,
                Some(Value::Object(inner)) => {
                    inner.remove("ingress");
                    inner.remove("gateway");
                    inner.is_empty()
                }
                _ => false,
            };
            if now_empty {
                map.remove(top);
            }
        }
        if map.is_empty() {
            return Value::Null;
        }
    }
    tree
}

fn comment_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .lines()
        .filter_map(|l| l.find('#').map(|i| l[i..].trim_end().to_string()))
        .filter(|c| c.starts_with("# comment") || c.starts_with("# trailing"))
        .collect();
    lines.sort();
    lines
}

fn render(entries: Vec<(String, Tree)>, step: usize, seed: u32) -> String {
    let mut w = Writer { out: String::new(), step, seed, comments: 0 };
    let mut seen = std::collections::HashSet::new();
    let entries: Vec<(String, Tree)> = entries.into_iter().filter(|(k, _)| seen.insert(k.clone())).collect();
    w.map(&entries, 0);
    w.comment(0);
    w.out
}

/// The property is only as good as the share of generated files the planner accepts.
#[test]
fn most_generated_files_are_accepted() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut accepted = 0;
    for _ in 0..300 {
        let (entries, step, seed) = values_file().new_tree(&mut runner).unwrap().current();
        let text = render(entries, step, seed);
        if plan(&text, &Choices::new(IMPLEMENTATIONS[0].id)).is_ok() {
            accepted += 1;
        }
    }
    assert!(accepted >= 150, "only {accepted} of 300 generated files were accepted");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn edits_touch_only_the_planned_keys((entries, step, seed) in values_file(), imp in 0usize..4, tls in 0usize..4) {
        let text = render(entries, step, seed);
        let mut choices = Choices::new(IMPLEMENTATIONS[imp].id);
        choices.tls = Some(TlsModel::ALL[tls]);
        choices.certificate_arn = Some("arn:aws:acm:us-east-1:123456789012:certificate/x".into());
        let Ok(plan) = plan(&text, &choices) else { return Ok(()) };
        let original = without_planned_keys(tree_of(&text));
        for name in ["values-parallel.yaml", "values-final.yaml"] {
            let edited = plan.file(name).unwrap();
            prop_assert_eq!(&without_planned_keys(tree_of(edited)), &original, "{} changed other keys:\n--- original\n{}\n--- edited\n{}", name, text, edited);
            let before = comment_lines(&text);
            let after = comment_lines(edited);
            prop_assert_eq!(&before, &after, "{} lost or moved comments", name);
            // The planned keys did land: the gateway is enabled in the edited tree.
            let tree = tree_of(edited);
            let key = plan.resolved.values_key.as_str();
            prop_assert_eq!(&tree[key]["gateway"]["enabled"], &Value::Bool(true), "{}:\n{}", name, edited);
            if name == "values-final.yaml" {
                prop_assert_eq!(&tree[key]["ingress"]["enabled"], &Value::Bool(false), "{}:\n{}", name, edited);
            }
        }
    }
}
