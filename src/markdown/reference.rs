//! The renderer the page used before `markdown::render` (pulldown-cmark, a dev-dependency now),
//! kept as the reference the page's renderer is compared with: on every runbook the planner
//! writes, both give the same HTML and steps.

use super::{escape, heading_id, page_prose, safe_url, Rendered, Step, HEADING_OFFSET};
use pulldown_cmark::{html, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

fn shifted(level: HeadingLevel) -> HeadingLevel {
    HeadingLevel::try_from((level as usize + HEADING_OFFSET).min(6)).unwrap_or(HeadingLevel::H6)
}

/// The runbook rendered by pulldown-cmark, with the page's additions (see `markdown::render`).
pub fn render(markdown: &str) -> Rendered {
    let markdown = &page_prose(markdown);
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // One entry per open link: whether its tags are kept.
    let mut links: Vec<bool> = Vec::new();
    let events: Vec<Event> = Parser::new_ext(markdown, options)
        .filter_map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => None,
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let keep = safe_url(&dest_url);
                links.push(keep);
                keep.then_some(Event::Start(Tag::Link { link_type, dest_url, title, id }))
            }
            Event::End(TagEnd::Link) => links.pop().unwrap_or(false).then_some(Event::End(TagEnd::Link)),
            other => Some(other),
        })
        .collect();

    let mut out: Vec<Event> = Vec::with_capacity(events.len() + 64);
    let mut steps = Vec::new();
    let mut taken = super::Ids::new();
    // The section a code block or table belongs to, and how many code blocks it has had.
    let (mut section, mut blocks) = (String::from("Runbook"), 0usize);
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading { level, classes, .. }) => {
                let end = events[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
                    .map_or(events.len(), |p| i + p);
                let title: String = events[i + 1..end]
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let id = heading_id(&title, &mut taken);
                if *level == HeadingLevel::H2 {
                    steps.push(Step { id: id.clone(), title: title.clone() });
                }
                if *level <= HeadingLevel::H2 {
                    (section, blocks) = (title, 0);
                }
                out.push(Event::Start(Tag::Heading {
                    level: shifted(*level),
                    id: Some(id.into()),
                    classes: classes.clone(),
                    // Focusable from the step list, but not in the Tab order.
                    attrs: vec![("tabindex".into(), Some("-1".into()))],
                }));
                out.extend(events[i + 1..end].iter().cloned());
                if let Some(Event::End(TagEnd::Heading(level))) = events.get(end) {
                    out.push(Event::End(TagEnd::Heading(shifted(*level))));
                }
                i = end + 1;
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                blocks += 1;
                let language: String = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .chars()
                        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                        .collect(),
                    CodeBlockKind::Indented => String::new(),
                };
                let name = escape(&format!("{section}: code {blocks}"));
                out.push(Event::Html(
                    format!(
                        "<figure class=\"runbook-code\"><figcaption class=\"code-head\"><span class=\"code-language\">{language}</span>\
                         <button type=\"button\" class=\"button small\" data-copy aria-label=\"Copy {name}\">Copy</button></figcaption>\
                         <pre tabindex=\"0\" aria-label=\"{name}\"><code>"
                    )
                    .into(),
                ));
            }
            Event::End(TagEnd::CodeBlock) => out.push(Event::Html("</code></pre></figure>\n".into())),
            Event::Start(Tag::Table(_)) => {
                let name = escape(&format!("{section}: table"));
                out.push(Event::Html(
                    format!("<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{name}\">").into(),
                ));
                out.push(events[i].clone());
            }
            Event::End(TagEnd::Table) => {
                out.push(events[i].clone());
                out.push(Event::Html("</div>\n".into()));
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut html, out.into_iter());
    Rendered { html, steps }
}

mod parity {
    use super::render as reference;
    use crate::markdown::render;
    use planner::markdown::{code, code_in_cell, fence};
    use planner::{Choices, TlsModel, IMPLEMENTATIONS};
    use proptest::prelude::*;
    use std::path::Path;

    /// The page's renderer gives what pulldown-cmark gave, HTML and steps, or the test says where
    /// they first differ.
    fn same(what: &str, markdown: &str) {
        let (ours, theirs) = (render(markdown), reference(markdown));
        if ours.html != theirs.html {
            let at = ours.html.bytes().zip(theirs.html.bytes()).take_while(|(a, b)| a == b).count();
            let around = |html: &str| {
                let start = html.floor_char_boundary(at.saturating_sub(300));
                html[start..html.ceil_char_boundary((at + 300).min(html.len()))].to_string()
            };
            panic!(
                "{what}: the HTML differs at byte {at}\n--- ours:\n{}\n--- pulldown-cmark:\n{}",
                around(&ours.html),
                around(&theirs.html)
            );
        }
        assert_eq!(ours.steps, theirs.steps, "{what}: the steps differ");
    }

    /// The files `name` in the folders under `dir` (`tests/golden/<case>/expected/runbook.md`), or
    /// the files in `dir` ending in `name` (`tests/browser/fixtures/*.yaml`).
    fn files(dir: &str, name: &str) -> Vec<(String, String)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|entry| {
                let path = entry.ok()?.path();
                let file = if path.is_dir() { path.join(name) } else { path.clone() };
                let text = file.to_string_lossy().ends_with(name).then(|| std::fs::read_to_string(&file).ok())??;
                Some((path.file_name()?.to_string_lossy().into_owned(), text))
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn every_golden_runbook_renders_as_pulldown_cmark_rendered_it() {
        let runbooks = files("tests/golden", "expected/runbook.md");
        assert!(runbooks.len() > 70, "{} golden runbooks", runbooks.len());
        for (case, runbook) in runbooks {
            same(&case, &runbook);
        }
    }

    #[test]
    fn every_fixture_planned_for_every_implementation_and_tls_model_renders_as_pulldown_cmark_rendered_it() {
        let fixtures = files("tests/browser/fixtures", ".yaml");
        assert!(fixtures.len() >= 7, "{} fixtures", fixtures.len());
        let mut plans = 0;
        for (fixture, values) in &fixtures {
            for implementation in IMPLEMENTATIONS {
                for tls in TlsModel::ALL {
                    let choices = Choices { tls: Some(tls), ..Choices::new(implementation.id) };
                    let Ok(plan) = planner::plan(values, &choices) else { continue };
                    let runbook = plan.file("runbook.md").expect("every plan has a runbook");
                    same(&format!("{fixture} {} {tls:?}", implementation.slug), runbook);
                    plans += 1;
                }
            }
        }
        assert!(plans > 100, "{plans} plans");
    }

    #[test]
    fn each_construct_the_renderer_reads_renders_as_pulldown_cmark_rendered_it() {
        for markdown in [
            // Headings, with a closing run of `#` and markup in the title.
            "# One\n## Two `code` **bold**\n### Three ###\n#### Four\n##### Five\n###### Six #\n#no\n",
            "## Same\n\n## Same\n\n## Same 2\n\n## Same\n",
            // Paragraphs over several lines, hard and soft breaks, trailing spaces.
            "one\ntwo  \nthree\\\nfour   \n\n  indented\n",
            // Lists: tight, loose, ordered from another number, lazy lines, a new marker.
            "- a\n- b\n- c\n\ntext\n",
            "- a\n\n- b\n",
            "1. one\n2. two\n3. three\n",
            "3. three\n4. four\n\n1) paren\n",
            "- item\nlazy line\n- next\n* other marker\n",
            "para\n- interrupts\n\npara\n2. does not\n",
            "-\n- empty first\n",
            // Code blocks: info strings, longer fences, tildes, indented fences, unclosed.
            "```bash\nkubectl get x\n```\n\n````yaml extra\n```\nnot closed\n````\n",
            "~~~\ntilde\n~~~\n\n  ```sh\n  two\n   three\n one\n  ```\n",
            "```\n```\n\n```\nunclosed\n",
            "para\n```\ncode\n```\n",
            // Tables: alignment, escaped pipes in code, short and long rows, no outer pipes.
            "| | |\n|---|---|\n| Release | `a\\|b` |\n| one |\n| x | y | z |\n",
            "| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n",
            "a | b\n--|--\nc | d\n",
            "text\n| a |\n|---|\n| b |\nrow without pipes\n\nafter\n",
            "| a |\n|---|\n- list ends it\n",
            // Code spans of any length, with the space rule.
            "`a` ``b`c`` ``` `` ``` `` `x` `` `  ` ` a` unclosed ` and ``\n",
            // Emphasis and strong, intraword, nested, unmatched.
            "**1.** a *b* _c_ ***d*** **e *f* g** snake_case_word *a **b** c* ** x ** 3*4*5\n",
            "**Only if:** text **x**: y *a*b* __u__ _a_b_ *\n",
            // Escapes, HTML as text, entities kept as they were typed.
            "\\*not\\* \\`code\\` \\\\ \\| <b>bold</b> a < b > c & d \"q\" 'q'\n",
            // Links and images.
            "[docs](https://docs.zenml.io) [t](/a \"title\") [e](<a b>) [u](javascript:x) ![alt *x*](y.png)\n",
            "[a [b](c) d](e) [no link] [x](y z) [](z) [p](a(b)c) ]\n",
        ] {
            same(markdown, markdown);
        }
    }

    /// A value from a user's file: any text, with what Markdown, HTML and the shell make much of
    /// more likely.
    fn value() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => "[a-z0-9.-]{1,12}",
            1 => Just("`".to_string()),
            1 => Just("``".to_string()),
            1 => Just("```".to_string()),
            1 => Just("|".to_string()),
            1 => Just("\\".to_string()),
            1 => Just("\\|".to_string()),
            1 => Just(" ".to_string()),
            1 => Just("  ".to_string()),
            1 => Just("<script>alert(1)</script>".to_string()),
            1 => Just("<img src=x onerror=alert(1)>".to_string()),
            1 => Just("&amp; &lt; &#60; &".to_string()),
            1 => Just("*".to_string()),
            1 => Just("**".to_string()),
            1 => Just("_".to_string()),
            1 => Just("[x](javascript:alert(1))".to_string()),
            1 => Just("![i](x.png)".to_string()),
            1 => Just("# ".to_string()),
            1 => Just("- ".to_string()),
            1 => Just("\n".to_string()),
            1 => Just("\r\n".to_string()),
            1 => Just("\t".to_string()),
            1 => Just("\"'".to_string()),
            1 => Just("~~~".to_string()),
            1 => Just("é😀\u{a0}".to_string()),
            1 => any::<String>(),
        ];
        // Not empty: `code("")` is two backticks, which is no code span (see the report).
        prop::collection::vec(piece, 1..6).prop_map(|pieces| pieces.concat()).prop_filter("a value", |v| !v.is_empty())
    }

    /// Prose as the planner writes it: words, `**strong**`, and values in code spans.
    fn prose() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            3 => "[A-Za-z][a-z]{0,8}[.,:;]?".prop_map(|w| w.to_string()),
            1 => "[A-Za-z][a-z ]{0,10}[a-z]".prop_map(|w| format!("**{w}**")),
            1 => "[A-Za-z ]{1,10}".prop_map(|w| format!("**{}.**", w.trim())),
            2 => value().prop_map(|v| code(&v)),
        ];
        prop::collection::vec(piece, 1..8).prop_map(|pieces| pieces.join(" "))
    }

    /// A runbook: the blocks the planner writes, with values where it puts them.
    fn runbook() -> impl Strategy<Value = String> {
        let block = prop_oneof![
            ((1usize..5), prose()).prop_map(|(level, title)| format!("{} {title}\n", "#".repeat(level))),
            prop::collection::vec(prose(), 1..3).prop_map(|lines| lines.join("\n") + "\n"),
            prop::collection::vec(prose(), 1..4)
                .prop_map(|items| items.iter().map(|item| format!("- {item}\n")).collect::<String>()),
            prop::collection::vec(prose(), 1..4).prop_map(|items| {
                items.iter().enumerate().map(|(n, item)| format!("{}. {item}\n", n + 1)).collect::<String>()
            }),
            (prop::collection::vec(value(), 0..4), "(bash|yaml|)").prop_map(|(lines, info)| {
                let content = lines.join("\n");
                let fence = fence(&content);
                format!("{fence}{info}\n{content}{}{fence}\n", if lines.is_empty() { "" } else { "\n" })
            }),
            (1usize..4, prop::collection::vec(prop::collection::vec(value(), 3), 0..4), "(|:|-)").prop_map(
                |(columns, rows, align)| {
                    let mut table = format!("|{}\n|{}\n", " |".repeat(columns), format!("{align}---|").repeat(columns));
                    for row in rows {
                        let cells: Vec<String> = row.iter().take(columns).map(|v| code_in_cell(v)).collect();
                        table.push_str(&format!("| {} |\n", cells.join(" | ")));
                    }
                    table
                }
            ),
        ];
        prop::collection::vec(block, 1..8).prop_map(|blocks| blocks.join("\n"))
    }

    proptest! {
        // 256 cases unless PROPTEST_CASES says otherwise.
        #[test]
        fn runbooks_with_any_values_render_as_pulldown_cmark_rendered_them(runbook in runbook()) {
            same("a generated runbook", &runbook);
        }
    }
}
