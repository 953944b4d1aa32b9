//! The runbook as HTML, with nothing from the input able to become markup: raw HTML is shown as
//! text, links keep only safe destinations, and images are reduced to their alt text (so nothing
//! is ever fetched).

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

/// The heading ids given so far, each with the number to try next for a heading that would
/// share it.
type Ids = std::collections::BTreeMap<String, usize>;

/// A heading's id: `step-` and its words, lower case, joined by `-` (`step-4-phase-1-...`),
/// numbered when two headings would share one.
fn heading_id(title: &str, taken: &mut Ids) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let base = format!("step-{}", words.join("-"));
    // Numbers below the one to try next are taken (a runbook of repeated titles stays linear).
    let mut n = taken.get(&base).copied().unwrap_or(1);
    let mut id = if n == 1 { base.clone() } else { format!("{base}-{n}") };
    while taken.contains_key(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    taken.insert(base, n + 1);
    taken.entry(id.clone()).or_insert(1);
    id
}

/// Renders the runbook to HTML that is safe to insert into the page, for the page: headings one
/// level under the page's own, each with an id (the steps link to the `##` ones); every code block
/// named (its section and number), scrollable by keyboard, with a Copy button (`data-copy`; the
/// page copies the block's text); every table in a region that scrolls by keyboard.
///
/// The runbook is Markdown the planner writes, in a small part of CommonMark with GFM tables: ATX
/// headings, paragraphs, `-` and `1.` lists, fenced code blocks (fences of any length, an info
/// string), pipe tables with their alignment row (`\|` in a cell), code spans of any backtick
/// length, `**strong**` and backslash escapes. This reads that part (and emphasis, inline links
/// and images) as CommonMark does, to the HTML pulldown-cmark wrote for it (the tests compare the
/// two on every runbook). Everything else is text: nothing from the input becomes markup.
pub fn render(markdown: &str) -> Rendered {
    let markdown = page_prose(markdown);
    let lines: Vec<&str> = markdown.lines().collect();
    let mut page = Page {
        html: String::with_capacity(markdown.len() * 3 / 2),
        steps: Vec::new(),
        taken: Ids::new(),
        section: String::from("Runbook"),
        blocks: 0,
    };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if blank(line) {
            continue;
        }
        if let Some(open) = fence(line) {
            let mut code = String::new();
            while i < lines.len() && !closes(lines[i], &open) {
                // The content loses the opening fence's indent.
                let (indent, _) = indented(lines[i]);
                code.push_str(&lines[i][indent.min(open.indent)..]);
                if i + 1 < lines.len() || markdown.ends_with('\n') {
                    code.push('\n');
                }
                i += 1;
            }
            i += 1;
            page.code_block(open.info, &code);
        } else if let Some((level, text)) = heading(line) {
            page.heading(level, text);
        } else if let Some(item) = list_item(line) {
            i = page.list(&lines, i, item);
        } else if let Some(columns) = table_head(line, lines.get(i)) {
            i = page.table(&lines, i + 1, line, &columns);
        } else {
            let mut text = line.trim_start_matches([' ', '\t']).to_string();
            while i < lines.len() && !interrupts(&lines, i) {
                text.push('\n');
                text.push_str(lines[i].trim_start_matches([' ', '\t']));
                i += 1;
            }
            page.html.push_str("<p>");
            write(&mut page.html, &inline(&text));
            page.html.push_str("</p>\n");
        }
    }
    Rendered { html: page.html, steps: page.steps }
}

/// The rendered runbook, while it is written.
struct Page {
    html: String,
    steps: Vec<Step>,
    /// The heading ids given so far.
    taken: Ids,
    /// The section a code block or table belongs to, and how many code blocks it has had.
    section: String,
    blocks: usize,
}

impl Page {
    fn heading(&mut self, level: usize, text: &str) {
        let pieces = inline(text);
        let title = title(&pieces);
        let id = heading_id(&title, &mut self.taken);
        let shifted = (level + HEADING_OFFSET).min(6);
        // Focusable from the step list, but not in the Tab order.
        self.html.push_str(&format!("<h{shifted} id=\"{}\" tabindex=\"-1\">", escape(&id)));
        write(&mut self.html, &pieces);
        self.html.push_str(&format!("</h{shifted}>\n"));
        if level == 2 {
            self.steps.push(Step { id, title: title.clone() });
        }
        if level <= 2 {
            (self.section, self.blocks) = (title, 0);
        }
    }

    fn code_block(&mut self, info: &str, code: &str) {
        self.blocks += 1;
        let language: String = info
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let name = escape(&format!("{}: code {}", self.section, self.blocks));
        self.html.push_str(&format!(
            "<figure class=\"runbook-code\"><figcaption class=\"code-head\"><span class=\"code-language\">{language}</span>\
             <button type=\"button\" class=\"button small\" data-copy aria-label=\"Copy {name}\">Copy</button></figcaption>\
             <pre tabindex=\"0\" aria-label=\"{name}\"><code>"
        ));
        push_text(&mut self.html, code);
        self.html.push_str("</code></pre></figure>\n");
    }

    /// A list from its first item (`lines[i - 1]`); returns the line after it.
    fn list(&mut self, lines: &[&str], mut i: usize, first: Item) -> usize {
        let (mut items, mut text, mut loose) = (Vec::new(), first.text.to_string(), false);
        loop {
            // The item's paragraph goes on until a blank line or another block.
            while i < lines.len()
                && !blank(lines[i])
                && list_item(lines[i]).is_none()
                && fence(lines[i]).is_none()
                && heading(lines[i]).is_none()
            {
                text.push('\n');
                text.push_str(lines[i].trim_start_matches([' ', '\t']));
                i += 1;
            }
            items.push(std::mem::take(&mut text));
            let next = (i..lines.len()).find(|&j| !blank(lines[j])).unwrap_or(lines.len());
            match lines.get(next).and_then(|l| list_item(l)) {
                Some(item) if item.marker == first.marker => {
                    // Items apart make a loose list: each in a paragraph.
                    loose |= next > i;
                    text = item.text.to_string();
                    i = next + 1;
                }
                _ => break,
            }
        }
        let tag = match first.start {
            None => "ul".to_string(),
            Some(1) => "ol".to_string(),
            Some(start) => format!("ol start=\"{start}\""),
        };
        self.html.push_str(&format!("<{tag}>\n"));
        for item in items {
            self.html.push_str(if loose && !item.is_empty() { "<li>\n<p>" } else { "<li>" });
            write(&mut self.html, &inline(&item));
            self.html.push_str(if loose && !item.is_empty() { "</p>\n</li>\n" } else { "</li>\n" });
        }
        self.html.push_str(if first.start.is_some() { "</ol>\n" } else { "</ul>\n" });
        i
    }

    /// A table: its head row `head`, its body from `lines[i]` on; returns the line after it.
    fn table(&mut self, lines: &[&str], mut i: usize, head: &str, columns: &[&str]) -> usize {
        let name = escape(&format!("{}: table", self.section));
        self.html.push_str(&format!(
            "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{name}\"><table><thead><tr>"
        ));
        self.row(head, "th", columns);
        self.html.push_str("</tr></thead><tbody>\n");
        let mut added = 0;
        while let Some(line) = lines.get(i) {
            if blank(line) || fence(line).is_some() || heading(line).is_some() || list_item(line).is_some() {
                break;
            }
            // Cells added to short rows are limited, as pulldown-cmark limits them: a wide table
            // of empty rows would otherwise grow the page by the square of the input.
            let found = cells(line).len();
            if found == 0 || added + columns.len().saturating_sub(found) > MAX_ADDED_CELLS {
                break;
            }
            added += columns.len().saturating_sub(found);
            self.html.push_str("<tr>");
            self.row(line, "td", columns);
            self.html.push_str("</tr>\n");
            i += 1;
        }
        self.html.push_str("</tbody></table>\n</div>\n");
        i
    }

    /// A table row's cells, as many as the table has columns.
    fn row(&mut self, line: &str, cell: &str, columns: &[&str]) {
        let cells = cells(line);
        for (n, style) in columns.iter().enumerate() {
            self.html.push_str(&format!("<{cell}{style}>"));
            // `\|` is a `|` in a cell, code spans included.
            let text = cells.get(n).map_or(String::new(), |c| c.replace("\\|", "|"));
            write(&mut self.html, &inline(&text));
            self.html.push_str(&format!("</{cell}>"));
        }
    }
}

/// How many empty cells a table's short rows may get, in all.
const MAX_ADDED_CELLS: usize = 1 << 18;

/// Whether a line has nothing but spaces and tabs.
fn blank(line: &str) -> bool {
    line.trim_start_matches([' ', '\t']).is_empty()
}

/// How many spaces a line starts with, and the rest.
fn indented(line: &str) -> (usize, &str) {
    let rest = line.trim_start_matches(' ');
    (line.len() - rest.len(), rest)
}

/// A code block's opening fence.
struct Fence<'a> {
    mark: u8,
    len: usize,
    indent: usize,
    info: &'a str,
}

fn fence(line: &str) -> Option<Fence<'_>> {
    let (indent, rest) = indented(line);
    let mark = *rest.as_bytes().first().filter(|&&b| b == b'`' || b == b'~')?;
    let len = rest.bytes().take_while(|&b| b == mark).count();
    let info = rest[len..].trim_matches([' ', '\t']);
    (indent <= 3 && len >= 3 && !(mark == b'`' && info.contains('`'))).then_some(Fence { mark, len, indent, info })
}

/// Whether a line closes the code block `open` opened.
fn closes(line: &str, open: &Fence) -> bool {
    let (indent, rest) = indented(line);
    let len = rest.bytes().take_while(|&b| b == open.mark).count();
    indent <= 3 && len >= open.len && blank(&rest[len..])
}

/// An ATX heading: its level and its text.
fn heading(line: &str) -> Option<(usize, &str)> {
    let (indent, rest) = indented(line);
    let level = rest.bytes().take_while(|&b| b == b'#').count();
    let text = &rest[level..];
    if indent > 3 || !(1..=6).contains(&level) || !(text.is_empty() || text.starts_with([' ', '\t'])) {
        return None;
    }
    let text = text.trim_matches([' ', '\t']);
    // A closing run of `#` (after a space) is not part of the text.
    let open = text.trim_end_matches('#');
    Some((
        level,
        match open {
            "" => "",
            _ if open.ends_with([' ', '\t']) => open.trim_end_matches([' ', '\t']),
            _ => text,
        },
    ))
}

/// A list item's line: its marker (`-`, `*`, `+`, or the `.` or `)` after a number), the number
/// an ordered list starts with, and its text.
struct Item<'a> {
    marker: u8,
    start: Option<u32>,
    text: &'a str,
}

fn list_item(line: &str) -> Option<Item<'_>> {
    let (indent, rest) = indented(line);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let marker = *rest.as_bytes().get(digits)?;
    let start = match digits {
        0 if matches!(marker, b'-' | b'*' | b'+') => None,
        1..=9 if matches!(marker, b'.' | b')') => Some(rest[..digits].parse().ok()?),
        _ => return None,
    };
    let text = &rest[digits + 1..];
    (indent <= 3 && (text.is_empty() || text.starts_with([' ', '\t']))).then(|| Item {
        marker,
        start,
        text: text.trim_matches([' ', '\t']),
    })
}

/// Whether `lines[i]` ends the paragraph before it.
fn interrupts(lines: &[&str], i: usize) -> bool {
    let line = lines[i];
    blank(line)
        || fence(line).is_some()
        || heading(line).is_some()
        // Only a list that starts at 1 with some text may interrupt a paragraph.
        || list_item(line).is_some_and(|item| !item.text.is_empty() && item.start.is_none_or(|n| n == 1))
        || line.trim_start_matches([' ', '\t']).starts_with('|') && table_head(line, lines.get(i + 1)).is_some()
}

/// The cells of a table row: split at each `|` without a backslash before it, the outer ones
/// optional.
fn cells(line: &str) -> Vec<&str> {
    let row = line.trim_start_matches([' ', '\t']);
    let mut row = row.strip_prefix('|').unwrap_or(row);
    let mut cells = Vec::new();
    loop {
        let bytes = row.as_bytes();
        match (0..bytes.len()).find(|&i| bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\')) {
            Some(end) => {
                cells.push(row[..end].trim_matches([' ', '\t']));
                row = &row[end + 1..];
            }
            None => {
                if !blank(row) {
                    cells.push(row.trim_matches([' ', '\t']));
                }
                return cells;
            }
        }
    }
}

/// A table's head row `line` and alignment row `next`: the alignment of each column, as the cell
/// tags' attributes.
fn table_head(line: &str, next: Option<&&str>) -> Option<Vec<&'static str>> {
    let (indent, rest) = indented(next?);
    let (mut pipe, rest) = rest.strip_prefix('|').map_or((false, rest), |r| (true, r));
    let (mut columns, mut dash) = (Vec::new(), false);
    // The column so far: whether it has a character, a `-`, a `:` first, a `:` last.
    let (mut started, mut dashes, mut left, mut right) = (false, false, false, false);
    let align = |left: bool, right: bool| match (left, right) {
        (true, true) => " style=\"text-align: center\"",
        (true, false) => " style=\"text-align: left\"",
        (false, true) => " style=\"text-align: right\"",
        (false, false) => "",
    };
    for b in rest.bytes() {
        match b {
            b' ' => {}
            b':' if !started => (started, left) = (true, true),
            b':' => right = true,
            b'-' => (started, dashes, dash) = (true, true, true),
            b'|' if dashes => {
                columns.push(align(left, right));
                pipe = true;
                (started, dashes, left, right) = (false, false, false, false);
            }
            _ => return None,
        }
    }
    if started {
        columns.push(align(left, right));
    }
    (indent <= 3 && pipe && dash && columns.len() == cells(line).len()).then_some(columns)
}

/// A piece of a paragraph, heading or cell, as it is written.
enum Piece {
    /// Text from the input, written escaped.
    Text(String),
    /// A code span's content, written escaped.
    Code(String),
    /// Markup of the renderer's own (tags, a safe link's destination escaped).
    Markup(String),
    /// A run of `*` or `_`.
    Delim(Delim),
}

/// A run of `*` or `_`: what is left of it after emphasis took its part is text.
struct Delim {
    mark: u8,
    remaining: usize,
    /// Its length in the input.
    length: usize,
    open: bool,
    close: bool,
    /// Closing tags before what is left, opening tags after it (the innermost first).
    before: Vec<&'static str>,
    after: Vec<&'static str>,
}

/// An opening `[` or `![` not closed yet.
struct Bracket {
    piece: usize,
    image: bool,
    /// The runs of `*` and `_` before it.
    delims: usize,
    /// Cleared when a link closes around it: links do not nest.
    active: bool,
}

/// Inline Markdown in pieces, as CommonMark reads it: code spans, backslash escapes, emphasis,
/// inline links and images (reduced to their text), soft and hard line breaks. Everything else
/// is text.
fn inline(text: &str) -> Vec<Piece> {
    // Spaces at the end are no hard break.
    let text = text.trim_end_matches([' ', '\t']);
    let bytes = text.as_bytes();
    let (mut pieces, mut buf) = (Vec::new(), String::new());
    let (mut delims, mut brackets) = (Vec::new(), Vec::<Bracket>::new());
    fn flush(buf: &mut String, pieces: &mut Vec<Piece>) {
        if !buf.is_empty() {
            pieces.push(Piece::Text(std::mem::take(buf)));
        }
    }
    let run = |i: usize| bytes[i..].iter().take_while(|&&b| b == bytes[i]).count();
    // Where the runs of backticks start, by length: a code span closes at the next run of exactly
    // as many backticks.
    let mut ticks = std::collections::BTreeMap::<usize, Vec<usize>>::new();
    let mut i = 0;
    while i < bytes.len() {
        let n = run(i);
        if bytes[i] == b'`' {
            ticks.entry(n).or_default().push(i);
        }
        i += n;
    }
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if bytes.get(i + 1).is_some_and(u8::is_ascii_punctuation) => {
                buf.push(char::from(bytes[i + 1]));
                i += 2;
            }
            b'\\' if bytes.get(i + 1) == Some(&b'\n') => {
                flush(&mut buf, &mut pieces);
                pieces.push(Piece::Markup("<br />\n".into()));
                i += 2;
            }
            b'\n' => {
                // Spaces end a line; two or more make a hard break.
                let kept = buf.trim_end_matches(' ').len();
                let hard = buf.len() - kept >= 2;
                buf.truncate(kept);
                flush(&mut buf, &mut pieces);
                pieces.push(Piece::Markup(if hard { "<br />\n" } else { "\n" }.into()));
                i += 1;
            }
            b'`' => {
                let n = run(i);
                let close = ticks.get(&n).and_then(|starts| starts.get(starts.partition_point(|&s| s < i + n)));
                match close {
                    Some(&end) => {
                        flush(&mut buf, &mut pieces);
                        let code = text[i + n..end].replace('\n', " ");
                        // One space inside each end is stripped, unless the span is all spaces.
                        let stripped = code.len() >= 2
                            && code.starts_with(' ')
                            && code.ends_with(' ')
                            && code.bytes().any(|b| b != b' ');
                        pieces.push(Piece::Code(if stripped { code[1..code.len() - 1].to_string() } else { code }));
                        i = end + n;
                    }
                    None => {
                        buf.push_str(&text[i..i + n]);
                        i += n;
                    }
                }
            }
            mark @ (b'*' | b'_') => {
                let n = run(i);
                let (before, after) = (text[..i].chars().next_back(), text[i + n..].chars().next());
                let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
                let punct = |c: Option<char>| c.is_some_and(|c| c.is_ascii_punctuation());
                let left = !space(after) && (!punct(after) || space(before) || punct(before));
                let right = !space(before) && (!punct(before) || space(after) || punct(after));
                // `_` does not open or close inside a word.
                let (open, close) = match mark {
                    b'*' => (left, right),
                    _ => (left && (!right || punct(before)), right && (!left || punct(after))),
                };
                flush(&mut buf, &mut pieces);
                delims.push(pieces.len());
                let delim = Delim { mark, remaining: n, length: n, open, close, before: Vec::new(), after: Vec::new() };
                pieces.push(Piece::Delim(delim));
                i += n;
            }
            b'[' | b'!' if bytes[i] == b'[' || bytes.get(i + 1) == Some(&b'[') => {
                let image = bytes[i] == b'!';
                flush(&mut buf, &mut pieces);
                brackets.push(Bracket { piece: pieces.len(), image, delims: delims.len(), active: true });
                pieces.push(Piece::Text(if image { "![" } else { "[" }.into()));
                i += if image { 2 } else { 1 };
            }
            b']' => {
                let opener = brackets.pop().filter(|b| b.active);
                match opener.and_then(|b| Some((b, link_tail(text, i + 1)?))) {
                    Some((opener, (url, title, end))) => {
                        flush(&mut buf, &mut pieces);
                        emphasis(&mut pieces, &mut delims, opener.delims);
                        // An image is its text; a link keeps its tags for a safe destination.
                        pieces[opener.piece] = Piece::Text(String::new());
                        if !opener.image {
                            if safe_url(&url) {
                                let mut tag = String::from("<a href=\"");
                                push_href(&mut tag, &url);
                                if !title.is_empty() {
                                    tag.push_str("\" title=\"");
                                    tag.push_str(&escape(&title));
                                }
                                tag.push_str("\">");
                                pieces[opener.piece] = Piece::Markup(tag);
                                pieces.push(Piece::Markup("</a>".into()));
                            }
                            brackets.iter_mut().filter(|b| !b.image).for_each(|b| b.active = false);
                        }
                        i = end;
                    }
                    None => {
                        buf.push(']');
                        i += 1;
                    }
                }
            }
            _ => {
                let c = text[i..].chars().next().unwrap_or_default();
                buf.push(c);
                i += c.len_utf8();
            }
        }
    }
    flush(&mut buf, &mut pieces);
    emphasis(&mut pieces, &mut delims, 0);
    pieces
}

fn delim(pieces: &mut [Piece], i: usize) -> &mut Delim {
    match &mut pieces[i] {
        Piece::Delim(d) => d,
        _ => unreachable!("only runs of `*` and `_` are on the stack"),
    }
}

/// Matches the runs of `*` and `_` on the stack from `bottom` up into emphasis, as CommonMark's
/// "process emphasis" does, and takes them off the stack.
fn emphasis(pieces: &mut [Piece], delims: &mut Vec<usize>, bottom: usize) {
    let runs = &delims[bottom..];
    // The run before each that is still on the stack.
    let mut prev: Vec<Option<usize>> = (0..runs.len()).map(|k| k.checked_sub(1)).collect();
    // Below which no opener was found, for a closer's mark, whether it opens too, its length % 3.
    let mut floor = [[[-1isize; 3]; 2]; 2];
    let mut k = 0;
    while k < runs.len() {
        let c = delim(pieces, runs[k]);
        let (mark, length, open, remaining) = (c.mark, c.length, c.open, c.remaining);
        if !c.close || remaining == 0 {
            k += 1;
            continue;
        }
        let bound = &mut floor[usize::from(mark == b'_')][usize::from(open)][length % 3];
        let mut candidate = prev[k];
        let opener = loop {
            let Some(o) = candidate.filter(|&o| o as isize > *bound) else { break None };
            let d = delim(pieces, runs[o]);
            // The "multiple of 3" rule.
            let odd = (d.close || open)
                && (d.length + length).is_multiple_of(3)
                && !(d.length.is_multiple_of(3) && length.is_multiple_of(3));
            if d.mark == mark && d.open && !odd {
                break Some(o);
            }
            candidate = prev[o];
        };
        match opener {
            Some(o) => {
                let d = delim(pieces, runs[o]);
                let strong = d.remaining >= 2 && remaining >= 2;
                let used = if strong { 2 } else { 1 };
                d.remaining -= used;
                d.after.push(if strong { "<strong>" } else { "<em>" });
                let opener_remaining = d.remaining;
                let c = delim(pieces, runs[k]);
                c.remaining -= used;
                c.before.push(if strong { "</strong>" } else { "</em>" });
                // The runs between them are text now.
                prev[k] = if opener_remaining == 0 { prev[o] } else { Some(o) };
                if c.remaining == 0 {
                    let before = prev[k];
                    if let Some(next) = prev.get_mut(k + 1) {
                        *next = before;
                    }
                    k += 1;
                }
            }
            None => {
                *bound = prev[k].map_or(-1, |p| p as isize);
                if !open {
                    let before = prev[k];
                    if let Some(next) = prev.get_mut(k + 1) {
                        *next = before;
                    }
                }
                k += 1;
            }
        }
    }
    delims.truncate(bottom);
}

/// An inline link's `(destination "title")` from `text[i]` on: the destination, the title (both
/// unescaped) and where the link ends.
fn link_tail(text: &str, i: usize) -> Option<(String, String, usize)> {
    let bytes = text.as_bytes();
    // Spaces and tabs, and at most one line break.
    let space = |mut j: usize| {
        let mut breaks = 0;
        while let Some(&b) = bytes.get(j) {
            match b {
                b' ' | b'\t' => {}
                b'\n' if breaks == 0 => breaks += 1,
                _ => break,
            }
            j += 1;
        }
        j
    };
    // One character of a destination or title, unescaped; `None` at the end.
    let next = |j: usize, out: &mut String| -> Option<usize> {
        match bytes.get(j)? {
            b'\\' if bytes.get(j + 1).is_some_and(u8::is_ascii_punctuation) => {
                out.push(char::from(bytes[j + 1]));
                Some(j + 2)
            }
            _ => {
                let c = text[j..].chars().next()?;
                out.push(c);
                Some(j + c.len_utf8())
            }
        }
    };
    if bytes.get(i) != Some(&b'(') {
        return None;
    }
    let mut j = space(i + 1);
    let mut url = String::new();
    if bytes.get(j) == Some(&b'<') {
        j += 1;
        while *bytes.get(j)? != b'>' {
            if matches!(bytes[j], b'<' | b'\n') {
                return None;
            }
            j = next(j, &mut url)?;
        }
        j += 1;
    } else {
        let mut depth = 0usize;
        while let Some(&b) = bytes.get(j) {
            match b {
                // As pulldown-cmark, which stops at 32 nested parentheses.
                b'(' if depth > 32 => return None,
                b'(' => depth += 1,
                b')' if depth == 0 => break,
                b')' => depth -= 1,
                b if b <= b' ' => break,
                _ => {}
            }
            j = next(j, &mut url)?;
        }
        if depth > 0 {
            return None;
        }
    }
    let mut end = space(j);
    let mut title = String::new();
    if let Some(&quote) = bytes.get(end).filter(|&&q| end > j && matches!(q, b'"' | b'\'' | b'(')) {
        let close = if quote == b'(' { b')' } else { quote };
        let mut k = end + 1;
        while *bytes.get(k)? != close {
            if quote == b'(' && bytes[k] == b'(' {
                return None;
            }
            k = next(k, &mut title)?;
        }
        end = space(k + 1);
    }
    (bytes.get(end) == Some(&b')')).then_some((url, title, end + 1))
}

/// Text for element content: `&`, `<` and `>` escaped (quotes need not be, outside attributes).
fn push_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// A link's destination for an `href`: every byte outside the URL-safe ASCII characters
/// percent-encoded (`&` and `'` as entities), as pulldown-cmark wrote it.
fn push_href(out: &mut String, url: &str) {
    for b in url.bytes() {
        match b {
            b'&' => out.push_str("&amp;"),
            b'\'' => out.push_str("&#x27;"),
            b if b.is_ascii_alphanumeric() || b"!#$%()*+,-./:;=?@^_~".contains(&b) => out.push(char::from(b)),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
}

/// The text of inline pieces, without their markup (a heading's title).
fn title(pieces: &[Piece]) -> String {
    let mut title = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) | Piece::Code(t) => title.push_str(t),
            Piece::Markup(_) => {}
            Piece::Delim(d) => title.extend(std::iter::repeat_n(char::from(d.mark), d.remaining)),
        }
    }
    title
}

/// Inline pieces as HTML.
fn write(out: &mut String, pieces: &[Piece]) {
    for piece in pieces {
        match piece {
            Piece::Text(t) => push_text(out, t),
            Piece::Code(t) => {
                out.push_str("<code>");
                push_text(out, t);
                out.push_str("</code>");
            }
            Piece::Markup(m) => out.push_str(m),
            Piece::Delim(d) => {
                d.before.iter().for_each(|m| out.push_str(m));
                out.extend(std::iter::repeat_n(char::from(d.mark), d.remaining));
                d.after.iter().rev().for_each(|m| out.push_str(m));
            }
        }
    }
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
mod reference;

#[cfg(test)]
mod tests {
    use super::{render, steps};
    use proptest::prelude::*;

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

    /// Tags the renderer writes, and their attributes.
    const TAGS: [&str; 25] = [
        "p",
        "h3",
        "h4",
        "h5",
        "h6",
        "code",
        "pre",
        "figure",
        "figcaption",
        "span",
        "button",
        "div",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "a",
        "br",
    ];
    const ATTRIBUTES: [&str; 11] =
        ["id", "tabindex", "class", "type", "data-copy", "aria-label", "role", "style", "href", "title", "start"];

    /// Text between tags: `<` and `>` only as entities, and only the entities the renderer writes.
    fn assert_text(input: &str, text: &str) {
        assert!(!text.contains('>'), "{input:?}: a bare > in {text:?}");
        for (at, _) in text.match_indices('&') {
            let entity =
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#x27;"].iter().any(|e| text[at..].starts_with(e));
            assert!(entity, "{input:?}: a bare & in {text:?}");
        }
    }

    /// Only the renderer's own markup: every tag one it writes, with its attributes, quoted, and
    /// links only to http(s), mailto, relative and fragment destinations.
    fn assert_only_own_markup(input: &str, html: &str) {
        assert!(!html.contains("<script") && !html.contains("<img"), "{input:?}: {html}");
        let mut rest = html;
        while let Some(open) = rest.find('<') {
            assert_text(input, &rest[..open]);
            let close = open + rest[open..].find('>').unwrap_or_else(|| panic!("{input:?}: an unclosed tag in {html}"));
            let tag = &rest[open + 1..close];
            let tag = tag.strip_prefix('/').unwrap_or(tag);
            let tag = tag.strip_suffix(" /").unwrap_or(tag);
            let (name, mut attributes) = tag.split_once(' ').unwrap_or((tag, ""));
            assert!(TAGS.contains(&name), "{input:?}: <{tag}> in {html}");
            while !attributes.is_empty() {
                let end = attributes.find([' ', '=']).unwrap_or(attributes.len());
                let attribute = &attributes[..end];
                assert!(ATTRIBUTES.contains(&attribute), "{input:?}: {attribute} in <{tag}>");
                attributes = &attributes[end..];
                if let Some(quoted) = attributes.strip_prefix("=\"") {
                    let end = quoted.find('"').unwrap_or_else(|| panic!("{input:?}: an unquoted value in <{tag}>"));
                    let value = &quoted[..end];
                    assert_text(input, value);
                    assert!(!value.contains('<'), "{input:?}: {value:?} in <{tag}>");
                    if attribute == "href" {
                        let url = value.replace("&amp;", "&").to_ascii_lowercase();
                        let scheme = url.find([':', '/', '?', '#']).filter(|&i| url.as_bytes()[i] == b':');
                        assert!(
                            scheme.is_none_or(|i| matches!(&url[..i], "http" | "https" | "mailto")),
                            "{input:?}: href {value:?}"
                        );
                    }
                    attributes = &quoted[end + 1..];
                }
                attributes = attributes.strip_prefix(' ').unwrap_or(attributes);
            }
            rest = &rest[close + 1..];
        }
        assert_text(input, rest);
    }

    /// Markdown and HTML a hostile runbook could hold, in pieces.
    const HOSTILE: &[&str] = &[
        "`",
        "``",
        "```",
        "````",
        "~~~",
        "|",
        "\\|",
        "|---|",
        "| :-: |",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">",
        "&",
        "&amp;",
        "&lt;script&gt;",
        "&#60;",
        "\r\n",
        "\n",
        "\n\n",
        "\r",
        "\t",
        " ",
        "    ",
        "# ",
        "## ",
        "###### ",
        "- ",
        "* ",
        "1. ",
        "2) ",
        "*",
        "**",
        "_",
        "__",
        "[",
        "]",
        "(",
        ")",
        "![",
        "](javascript:alert(1))",
        "](<java\tscript:x>)",
        "](http://ok/a?b=1&c)",
        "](//evil.example)",
        "](data:text/html,<b>)",
        "](x \"t\\\"<>\")",
        "<https://x>",
        "\"",
        "'",
        "\\",
        "é",
        "😀",
        "\u{0}",
        "\u{202e}",
        "\u{feff}",
        "onerror=",
        "x",
        "zenml",
    ];

    fn hostile() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            6 => prop::sample::select(HOSTILE).prop_map(str::to_string),
            1 => "[ -~]{0,20}",
            1 => any::<String>(),
        ];
        prop::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn any_text_renders_without_panicking_and_with_only_the_renderers_markup(input in hostile()) {
            let rendered = render(&input);
            assert_only_own_markup(&input, &rendered.html);
            for step in &rendered.steps {
                assert!(step.id.starts_with("step-") && step.id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
            }
        }
    }

    #[test]
    fn long_and_unclosed_input_renders_in_linear_time() {
        let long = 200_000;
        let start = std::time::Instant::now();
        for input in [
            "*a".repeat(long / 2),
            "_a*".repeat(long / 3),
            "`".repeat(long),
            (1..600).map(|n| "`".repeat(n) + "x").collect(),
            "[".repeat(long),
            "[](".repeat(long / 3),
            "[a](<".repeat(long / 5),
            "![".repeat(long / 2) + &"]".repeat(long / 2),
            "```\n".to_string() + &"<script>\n".repeat(long / 9),
            "~~~~\n".repeat(long / 5),
            "|".repeat(long / 2) + "\n" + &"|-".repeat(long / 4) + "|\n" + &"|\n".repeat(long / 2),
            "| a |\n|---|\n".to_string() + &"x\n".repeat(long / 2),
            "- a\n".repeat(long / 4),
            "- a\n\n".repeat(long / 5),
            "## Same\n".repeat(long / 8),
            "a  \n".repeat(long / 4),
            "\\".repeat(long),
            "&<>\"'".repeat(long / 5),
            "x\r".repeat(long / 2),
        ] {
            let rendered = render(&input);
            assert_only_own_markup(&input[..100.min(input.len())], &rendered.html);
        }
        // Linear: well under a second each in a release build, seconds in a debug one.
        assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
    }

    #[test]
    fn a_runbook_of_hostile_values_renders_only_the_renderers_markup() {
        use planner::markdown::{code, code_in_cell, fence};
        for value in HOSTILE.iter().map(|v| v.to_string()).chain([HOSTILE.concat(), String::new()]) {
            let fence = fence(&value);
            let runbook = format!(
                "# Moving {}\n\n| | |\n|---|---|\n| Release | {} |\n\n## 1. Step {}\n\n- **warning** {}\n\n{fence}bash\nkubectl {value}\n{fence}\n",
                code(&value),
                code_in_cell(&value),
                code(&value),
                code(&value)
            );
            let rendered = render(&runbook);
            assert_only_own_markup(&runbook, &rendered.html);
            assert_eq!(rendered.steps.len(), 1, "{runbook}");
        }
    }
}
