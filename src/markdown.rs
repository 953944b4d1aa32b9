//! The runbook as HTML, with nothing from the input able to become markup: raw HTML is shown as
//! text, links keep only safe destinations, and images are reduced to their alt text (so nothing
//! is ever fetched).

use pulldown_cmark::{html, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Whether a link may keep its destination: relative links, fragments, http(s) and mailto.
fn safe_url(url: &str) -> bool {
    // Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
    let cleaned: String = url.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control()).collect();
    let lower = cleaned.to_ascii_lowercase();
    match lower.find([':', '/', '?', '#']) {
        Some(i) if lower.as_bytes()[i] == b':' => {
            matches!(&lower[..i], "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// A section of the rendered runbook (a `##` heading): where it is, and its title as text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Step {
    pub id: String,
    pub title: String,
}

/// The runbook as the page shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// Every `##` section, in order, for the step list.
    pub steps: Vec<Step>,
}

/// How far the runbook's headings sit below the page's own: the page's h1, the plan's h2, so the
/// runbook's `#` is an h3.
const HEADING_OFFSET: usize = 2;

fn shifted(level: HeadingLevel) -> HeadingLevel {
    HeadingLevel::try_from((level as usize + HEADING_OFFSET).min(6)).unwrap_or(HeadingLevel::H6)
}

/// Text for an HTML attribute value or element content.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A heading's id: `step-` and its words, lower case, joined by `-` (`step-4-phase-1-...`),
/// numbered when two headings would share one.
fn heading_id(title: &str, taken: &mut Vec<String>) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let base = format!("step-{}", words.join("-"));
    let mut id = base.clone();
    let mut n = 1;
    while taken.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    taken.push(id.clone());
    id
}

/// Renders CommonMark (with tables) to HTML that is safe to insert into the page, for the page:
/// headings one level under the page's own, each with an id (the steps link to the `##` ones);
/// every code block named (its section and number), scrollable by keyboard, with a Copy button
/// (`data-copy`; the page copies the block's text); every table in a region that scrolls by
/// keyboard. What the page adds is written here, after the input's own markup became text.
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
    let mut taken = Vec::new();
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

/// The runbook's prose in the page's words (see `wording`); fenced code blocks, the commands, stay
/// as they are.
fn page_prose(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    // The fence that opened the code block we are in.
    let mut fence: Option<String> = None;
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let run: String = trimmed.chars().take_while(|c| *c == '`' || *c == '~').collect();
        let is_fence = run.len() >= 3 && run.chars().all(|c| c == run.chars().next().unwrap_or('`'));
        match &fence {
            Some(open) => {
                if is_fence && run.starts_with(open.as_str()) && trimmed.trim_end() == run {
                    fence = None;
                }
                out.push_str(line);
            }
            None if is_fence => {
                fence = Some(run);
                out.push_str(line);
            }
            None => out.push_str(&crate::wording::page_words(line).text),
        }
    }
    out
}

/// The runbook's steps alone (as `render` names them).
pub fn steps(markdown: &str) -> Vec<Step> {
    render(markdown).steps
}

#[cfg(test)]
mod tests {
    use super::{render, steps};

    const RUNBOOK: &str = "# Moving `zenml`\n\nIntro.\n\n| | |\n|---|---|\n| Release | `zenml` |\n\n## 1. Prerequisites\n\n```bash\nkubectl version\nhelm list -n zenml\n```\n\n## 2. Install `eg` <now>\n\nText\n\n### Detail\n\n```yaml\na: \"<b>&\"\n```\n\n```\nplain\n```\n\n## 2. Install `eg` <now>\n";

    #[test]
    fn raw_html_blocks_and_inline_html_become_text() {
        let html = render("<script>alert(1)</script>\n\nhello <img src=x onerror=alert(1)> world\n").html;
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "{html}");
    }

    #[test]
    fn javascript_and_data_links_lose_their_destination_but_keep_their_text() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<b>x</b>",
            "vbscript:x",
        ] {
            let html = render(&format!("[click me](<{url}>) and <{url}>")).html;
            assert!(!html.contains("href"), "{url}: {html}");
            assert!(html.contains("click me"), "{url}: {html}");
        }
    }

    #[test]
    fn safe_links_tables_and_code_survive() {
        let html = render("[docs](https://docs.zenml.io) [top](#top) [rel](runbook.md)\n\n| a | b |\n|---|---|\n| `x` | y |\n\n```bash\nkubectl get gateway\n```\n").html;
        assert!(html.contains(r#"<a href="https://docs.zenml.io">docs</a>"#), "{html}");
        assert!(html.contains(r##"<a href="#top">top</a>"##), "{html}");
        assert!(html.contains(r#"<a href="runbook.md">rel</a>"#), "{html}");
        assert!(html.contains("<table>") && html.contains("<code>x</code>"), "{html}");
        assert!(html.contains("kubectl get gateway"), "{html}");
    }

    #[test]
    fn images_are_never_loaded() {
        let html = render("![a diagram](https://example.com/x.png) ![b](data:image/png;base64,AAAA)").html;
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("a diagram"), "{html}");
    }

    #[test]
    fn headings_sit_under_the_pages_own_and_each_section_is_a_step() {
        let rendered = render(RUNBOOK);
        let html = &rendered.html;
        assert!(html.contains(r#"<h3 id="step-moving-zenml" tabindex="-1">Moving <code>zenml</code></h3>"#), "{html}");
        assert!(html.contains(r#"<h4 id="step-1-prerequisites" tabindex="-1">1. Prerequisites</h4>"#), "{html}");
        assert!(html.contains(r#"<h5 id="step-detail" tabindex="-1">Detail</h5>"#), "{html}");
        assert!(!html.contains("<h1") && !html.contains("<h2"), "{html}");
        // Input markup in a title stays text; a repeated title gets its own id.
        let titles: Vec<(&str, &str)> = rendered.steps.iter().map(|s| (s.id.as_str(), s.title.as_str())).collect();
        assert_eq!(
            titles,
            [
                ("step-1-prerequisites", "1. Prerequisites"),
                ("step-2-install-eg-now", "2. Install eg <now>"),
                ("step-2-install-eg-now-2", "2. Install eg <now>"),
            ]
        );
        assert!(html.contains("2. Install <code>eg</code> &lt;now&gt;</h4>"), "{html}");
        assert_eq!(steps(RUNBOOK), rendered.steps);
    }

    #[test]
    fn every_code_block_is_named_focusable_and_has_a_copy_button() {
        let html = render(RUNBOOK).html;
        assert_eq!(html.matches("<pre").count(), 3, "{html}");
        assert_eq!(html.matches(r#"<pre tabindex="0" aria-label=""#).count(), 3, "{html}");
        assert_eq!(html.matches("data-copy").count(), 3, "{html}");
        assert!(html.contains(r#"aria-label="Copy 1. Prerequisites: code 1">Copy</button>"#), "{html}");
        assert!(
            html.contains(
                r#"<pre tabindex="0" aria-label="1. Prerequisites: code 1"><code>kubectl version
helm list -n zenml
</code></pre></figure>"#
            ),
            "{html}"
        );
        // A title's markup is escaped in the names; the count restarts with each section, not
        // with its subsections.
        assert!(html.contains(r#"aria-label="2. Install eg &lt;now&gt;: code 2""#), "{html}");
        assert!(html.contains(r#"<span class="code-language">yaml</span>"#), "{html}");
        // The code is text, escaped.
        assert!(html.contains("a: \"&lt;b&gt;&amp;\""), "{html}");
    }

    #[test]
    fn tables_scroll_in_a_named_focusable_region() {
        let html = render(RUNBOOK).html;
        assert!(
            html.contains(
                r#"<div class="table-scroll" tabindex="0" role="region" aria-label="Moving zenml: table"><table>"#
            ),
            "{html}"
        );
        assert!(html.contains("</table>\n</div>"), "{html}");
    }
}
