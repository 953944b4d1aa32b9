//! The runbook as HTML, with nothing from the input able to become markup: raw HTML is shown as
//! text, links keep only safe destinations, and images are reduced to their alt text (so nothing
//! is ever fetched).

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

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

/// Renders CommonMark (with tables) to HTML that is safe to insert into the page.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // One entry per open link: whether its tags are kept.
    let mut links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
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
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn raw_html_blocks_and_inline_html_become_text() {
        let html = render("<script>alert(1)</script>\n\nhello <img src=x onerror=alert(1)> world\n");
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
            let html = render(&format!("[click me](<{url}>) and <{url}>"));
            assert!(!html.contains("href"), "{url}: {html}");
            assert!(html.contains("click me"), "{url}: {html}");
        }
    }

    #[test]
    fn safe_links_tables_and_code_survive() {
        let html = render("[docs](https://docs.zenml.io) [top](#top) [rel](runbook.md)\n\n| a | b |\n|---|---|\n| `x` | y |\n\n```bash\nkubectl get gateway\n```\n");
        assert!(html.contains(r#"<a href="https://docs.zenml.io">docs</a>"#), "{html}");
        assert!(html.contains(r##"<a href="#top">top</a>"##), "{html}");
        assert!(html.contains(r#"<a href="runbook.md">rel</a>"#), "{html}");
        assert!(html.contains("<table>") && html.contains("<code>x</code>"), "{html}");
        assert!(html.contains("kubectl get gateway"), "{html}");
    }

    #[test]
    fn images_are_never_loaded() {
        let html = render("![a diagram](https://example.com/x.png) ![b](data:image/png;base64,AAAA)");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("a diagram"), "{html}");
    }
}
