//! Values in the runbook's Markdown. A value from the user's file appears only inside a code span
//! or a code block that it cannot close: no line breaks in a span, and delimiters longer than any
//! backtick run in the value. So a value never becomes a heading, a list, a link or HTML, in the
//! page or in any Markdown viewer the downloaded runbook is opened with.

/// The longest run of backticks in `text`.
fn longest_backtick_run(text: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// An inline code span holding `value` on one line: line breaks are shown as `\n` (CommonMark
/// parses blocks before spans, so a line break could start a heading inside a span).
pub fn code(value: &str) -> String {
    let one_line: String = value.replace("\r\n", "\\n").replace(['\n', '\r'], "\\n");
    let ticks = "`".repeat(longest_backtick_run(&one_line) + 1);
    // A span that starts or ends with a backtick (or a space) needs a space inside each end,
    // which CommonMark strips again.
    let pad = if one_line.starts_with(['`', ' ']) || one_line.ends_with(['`', ' ']) { " " } else { "" };
    format!("{ticks}{pad}{one_line}{pad}{ticks}")
}

/// A code span for a table cell: GFM splits cells at `|` even inside code spans, unless escaped.
pub fn code_in_cell(value: &str) -> String {
    code(value).replace('|', "\\|")
}

/// The opening and closing fence for a code block holding `content`: longer than any backtick
/// run in it, so no line of the content closes the block.
pub fn fence(content: &str) -> String {
    "`".repeat((longest_backtick_run(content) + 1).max(3))
}

/// A piece of a message: plain text, or the content of a code span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Span<'a> {
    Text(&'a str),
    Code(&'a str),
}

/// Splits a one-line message into text and code spans the way CommonMark reads backtick runs: a
/// span opens with a run of N backticks and closes at the next run of exactly N; a run without a
/// partner is text. One space inside each end is stripped when both are there.
pub fn spans(message: &str) -> Vec<Span<'_>> {
    let bytes = message.as_bytes();
    let run_at = |i: usize| bytes[i..].iter().take_while(|&&b| b == b'`').count();
    let mut out = Vec::new();
    let (mut text_start, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let open = run_at(i);
        let content_start = i + open;
        let mut j = content_start;
        let mut close = None;
        while j < bytes.len() {
            if bytes[j] == b'`' {
                let run = run_at(j);
                if run == open {
                    close = Some(j);
                    break;
                }
                j += run;
            } else {
                j += 1;
            }
        }
        match close {
            Some(end) => {
                if text_start < i {
                    out.push(Span::Text(&message[text_start..i]));
                }
                let mut content = &message[content_start..end];
                if content.len() >= 2 && content.starts_with(' ') && content.ends_with(' ') && content.trim() != "" {
                    content = &content[1..content.len() - 1];
                }
                out.push(Span::Code(content));
                i = end + open;
                text_start = i;
            }
            None => i = content_start,
        }
    }
    if text_start < message.len() {
        out.push(Span::Text(&message[text_start..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_hold_any_value_on_one_line() {
        assert_eq!(code("zenml"), "`zenml`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("# h\n```\nrm"), "````# h\\n```\\nrm````");
        assert_eq!(code_in_cell("a|b"), "`a\\|b`");
    }

    #[test]
    fn fences_outgrow_the_content() {
        assert_eq!(fence("kubectl get x"), "```");
        assert_eq!(fence("a\n```\nb"), "````");
        assert_eq!(fence("``````"), "```````");
    }

    #[test]
    fn spans_read_back_what_code_wrote() {
        for value in ["zenml", "a`b", "`x`", "``", "line\nbreak", " padded ", "| pipe"] {
            let message = format!("before {} after", code(value));
            let parsed = spans(&message);
            assert_eq!(parsed.len(), 3, "{message}: {parsed:?}");
            assert_eq!(parsed[0], Span::Text("before "));
            assert_eq!(parsed[1], Span::Code(&value.replace('\n', "\\n")), "{message}");
            assert_eq!(parsed[2], Span::Text(" after"));
        }
        assert_eq!(spans("a ` lone"), vec![Span::Text("a ` lone")]);
        assert_eq!(spans("`a` and ``b`c``"), vec![Span::Code("a"), Span::Text(" and "), Span::Code("b`c")]);
    }
}
