//! Long commands in the runbook's bash blocks, broken into `\` continuation lines. Every bash
//! block of the runbook goes through [`break_long_lines`].
//!
//! Bash removes a backslash-newline pair before it splits a line into words, everywhere but
//! inside single quotes, comments and here-document bodies. So a line broken at a run of blanks
//! that separates two words, as `part \`, newline, indentation, `rest`, is read as `part` and
//! `rest` with blanks between them: the same words as before. The lexer below therefore finds
//! blanks at the top level of a line's word structure only: outside quotes, `$(…)`, `${…}`,
//! backticks, `(…)`, `((…))`, `[[…]]` and `[…]`, before any comment and before any here-document
//! operator. A line it cannot read whole (one that starts or ends inside a quote or a
//! parenthesis, a continuation line, a here-document body, a comment line) stays as it is.

use std::collections::VecDeque;

/// The widest a command line may be before it is broken, indentation included and a trailing
/// comment not (a comment cannot be continued, and it stays at the end of the command's last
/// line). 100 columns: wide enough that a `kubectl` or `helm` command with its namespace and a
/// couple of options stays on one line (80 would split nearly every one), narrow enough that each
/// line of a broken command reads without scrolling sideways in a code block or a terminal of
/// ordinary width.
pub const LINE_LIMIT: usize = 100;

/// What continuation lines add to the indentation of the line they continue.
pub const CONTINUATION_INDENT: &str = "  ";

/// Breaks every command line of `block` (a bash script, lines separated by `\n`) whose command is
/// wider than [`LINE_LIMIT`] into continuation lines: `part \`, then the rest indented two more
/// than the line. It breaks at top-level blanks between words only, never between an option and
/// its value, and picks the layout that leaves no line wider than the limit that could still be
/// split, then has the fewest lines, then breaks at the best places: before `|`, `||` and `&&`
/// and after `;` first (each stage of a broken pipeline on its own line), then before an option
/// or a redirection, then between other words. A word wider than the limit gets a line of its own
/// and stays whole. Everything else stays byte for byte: joining each `\`, line break and the
/// indentation after it gives the block back.
pub fn break_long_lines(block: &str) -> String {
    let mut lexer = Lexer::default();
    let mut out = String::with_capacity(block.len() + block.len() / 8);
    let mut heredocs: VecDeque<Heredoc> = VecDeque::new();
    let (mut continued, mut lost, mut body_continued) = (false, false, false);
    for (n, line) in block.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        if lost {
            out.push_str(line);
            continue;
        }
        if let Some(h) = heredocs.front() {
            let body = if h.strip_tabs { line.trim_start_matches('\t') } else { line };
            if !body_continued && body.as_bytes() == h.delimiter.as_slice() {
                heredocs.pop_front();
                body_continued = false;
            } else {
                // In an unquoted here-document a backslash joins the next line to this one, so
                // the next line cannot end it.
                let backslashes = line.len() - line.trim_end_matches('\\').len();
                body_continued = !h.quoted && backslashes % 2 == 1;
            }
            out.push_str(line);
            continue;
        }
        let starts_at_top = lexer.stack.is_empty() && !continued;
        let scan = lexer.scan_line(line);
        continued = scan.continued;
        heredocs.extend(scan.heredocs.iter().cloned());
        // A here-document whose body would start after a continued line or inside a quote: the
        // lexer would lose count, so the rest of the block stays as it is.
        lost = scan.lost || (!heredocs.is_empty() && (continued || lexer.stack.iter().any(|c| c.is_quote())));
        let whole = starts_at_top && lexer.stack.is_empty() && !continued && !lost;
        match whole.then(|| broken(line, &scan)).flatten() {
            Some(b) => out.push_str(&b),
            None => out.push_str(line),
        }
    }
    out
}

/// Where the lexer is inside a line's word structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ctx {
    /// `'…'`
    Single,
    /// `$'…'`
    AnsiC,
    /// `"…"`
    Double,
    /// `` `…` ``
    Backtick,
    /// `$(…)`, a subshell `(…)`, `<(…)`, an array `=(…)`
    Paren,
    /// `((…))`, `$((…))`
    Arith,
    /// `${…}`
    Brace,
    /// `[[ … ]]` or `[ … ]`, with the word that closes it
    Test(&'static str),
}

impl Ctx {
    fn is_quote(self) -> bool {
        matches!(self, Ctx::Single | Ctx::AnsiC | Ctx::Double | Ctx::Backtick)
    }
}

#[derive(Clone, Debug)]
struct Heredoc {
    delimiter: Vec<u8>,
    /// `<<-`: the terminator may be indented with tabs.
    strip_tabs: bool,
    /// The delimiter was quoted: the body is taken as it is.
    quoted: bool,
}

/// What the lexer found in one line.
#[derive(Default)]
struct LineScan {
    /// Byte ranges of the runs of blanks at the top level, before any here-document operator.
    gaps: Vec<(usize, usize)>,
    /// Byte positions of top-level control operator characters (`;`, `|`, `&`) and of the `)`
    /// that ends a `case` pattern.
    ops: Vec<usize>,
    /// Where a top-level comment starts (its `#`).
    comment: Option<usize>,
    /// The line ends with a backslash that continues it.
    continued: bool,
    /// Here-documents opened on this line, in order.
    heredocs: Vec<Heredoc>,
    /// Something the lexer cannot follow (a here-document operator without a delimiter).
    lost: bool,
}

#[derive(Default)]
struct Lexer {
    stack: Vec<Ctx>,
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

impl Lexer {
    /// Reads one line, carrying quotes and parentheses over from the lines before.
    fn scan_line(&mut self, line: &str) -> LineScan {
        let b = line.as_bytes();
        let mut s = LineScan::default();
        let mut after_heredoc = false;
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            let word_start =
                i == 0 || matches!(b[i - 1], b' ' | b'\t' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>');
            match self.stack.last().copied() {
                Some(Ctx::Single) => {
                    if c == b'\'' {
                        self.stack.pop();
                    }
                    i += 1;
                }
                Some(Ctx::AnsiC) => match c {
                    b'\\' => i += 2,
                    b'\'' => {
                        self.stack.pop();
                        i += 1;
                    }
                    _ => i += 1,
                },
                Some(ctx @ (Ctx::Double | Ctx::Backtick)) => match c {
                    b'\\' => {
                        s.continued = i + 1 == b.len();
                        i += 2;
                    }
                    b'"' if ctx == Ctx::Double => {
                        self.stack.pop();
                        i += 1;
                    }
                    b'`' if ctx == Ctx::Backtick => {
                        self.stack.pop();
                        i += 1;
                    }
                    b'`' => {
                        self.stack.push(Ctx::Backtick);
                        i += 1;
                    }
                    b'$' if ctx == Ctx::Double => i += self.dollar(b, i, true),
                    _ => i += 1,
                },
                Some(Ctx::Brace) => match c {
                    b'\\' => {
                        s.continued = i + 1 == b.len();
                        i += 2;
                    }
                    b'}' => {
                        self.stack.pop();
                        i += 1;
                    }
                    // Bash counts braces inside `${…}`, and matches quotes in it even within "…".
                    b'{' | b'\'' | b'"' | b'`' => {
                        self.stack.push(match c {
                            b'{' => Ctx::Brace,
                            b'\'' => Ctx::Single,
                            b'"' => Ctx::Double,
                            _ => Ctx::Backtick,
                        });
                        i += 1;
                    }
                    b'$' => i += self.dollar(b, i, false),
                    _ => i += 1,
                },
                ctx @ (None | Some(Ctx::Paren | Ctx::Arith | Ctx::Test(_))) => {
                    let top = ctx.is_none();
                    let arith = ctx == Some(Ctx::Arith);
                    match c {
                        b'\\' => {
                            s.continued = i + 1 == b.len();
                            i += 2;
                        }
                        b'\'' | b'"' | b'`' => {
                            self.stack.push(match c {
                                b'\'' => Ctx::Single,
                                b'"' => Ctx::Double,
                                _ => Ctx::Backtick,
                            });
                            i += 1;
                        }
                        b'$' => i += self.dollar(b, i, false),
                        b'#' if word_start && !arith => {
                            if top {
                                s.comment = Some(i);
                            }
                            break;
                        }
                        b'(' if word_start && !arith && b.get(i + 1) == Some(&b'(') => {
                            self.stack.extend([Ctx::Arith, Ctx::Arith]);
                            i += 2;
                        }
                        b'(' => {
                            self.stack.push(if arith { Ctx::Arith } else { Ctx::Paren });
                            i += 1;
                        }
                        b')' => {
                            if matches!(ctx, Some(Ctx::Paren | Ctx::Arith)) {
                                self.stack.pop();
                            } else if top {
                                s.ops.push(i);
                            }
                            i += 1;
                        }
                        b'[' if word_start && matches!(ctx, None | Some(Ctx::Paren)) && opens_test(&b[i..]) => {
                            let close = if b.get(i + 1) == Some(&b'[') { "]]" } else { "]" };
                            self.stack.push(Ctx::Test(close));
                            i += close.len();
                        }
                        b']' if matches!(ctx, Some(Ctx::Test(close)) if word_start && closes_test(&b[i..], close)) => {
                            let Some(Ctx::Test(close)) = self.stack.pop() else { unreachable!() };
                            i += close.len();
                        }
                        b'<' if b.get(i + 1) == Some(&b'<') && matches!(ctx, None | Some(Ctx::Paren)) => {
                            if b.get(i + 2) == Some(&b'<') {
                                i += 3;
                                continue;
                            }
                            match heredoc(b, i + 2) {
                                Some((h, end)) => {
                                    s.heredocs.push(h);
                                    after_heredoc |= top;
                                    i = end;
                                }
                                None => {
                                    s.lost = true;
                                    break;
                                }
                            }
                        }
                        b' ' | b'\t' if top => {
                            let start = i;
                            while i < b.len() && is_blank(b[i]) {
                                i += 1;
                            }
                            if start > 0 && !after_heredoc && b[..start].iter().any(|&x| !is_blank(x)) {
                                s.gaps.push((start, i));
                            }
                        }
                        b';' | b'|' | b'&' if top => {
                            s.ops.push(i);
                            i += 1;
                        }
                        _ => i += 1,
                    }
                }
            }
        }
        s
    }

    /// Reads what a `$` at `i` starts; returns how many bytes it took. Inside "…", `$'` and `$"`
    /// are a plain `$` followed by a quote character.
    fn dollar(&mut self, b: &[u8], i: usize, in_double: bool) -> usize {
        match b.get(i + 1) {
            Some(b'(') if b.get(i + 2) == Some(&b'(') => {
                self.stack.extend([Ctx::Arith, Ctx::Arith]);
                3
            }
            Some(b'(') => {
                self.stack.push(Ctx::Paren);
                2
            }
            Some(b'{') => {
                self.stack.push(Ctx::Brace);
                2
            }
            Some(b'\'') if !in_double => {
                self.stack.push(Ctx::AnsiC);
                2
            }
            Some(b'"') if !in_double => {
                self.stack.push(Ctx::Double);
                2
            }
            _ => 1,
        }
    }
}

/// `[[` or `[` as a word of its own.
fn opens_test(rest: &[u8]) -> bool {
    let word = if rest.starts_with(b"[[") { 2 } else { 1 };
    rest.get(word).is_some_and(|&c| is_blank(c))
}

/// `close` (`]]` or `]`) as a word of its own, ending the test.
fn closes_test(rest: &[u8], close: &str) -> bool {
    rest.starts_with(close.as_bytes())
        && rest.get(close.len()).is_none_or(|&c| matches!(c, b' ' | b'\t' | b';' | b'&' | b'|' | b')'))
}

/// The here-document whose delimiter word starts at `i` (after `<<`), and where the word ends.
/// Quotes are removed from the delimiter as bash does.
fn heredoc(b: &[u8], mut i: usize) -> Option<(Heredoc, usize)> {
    let strip_tabs = b.get(i) == Some(&b'-');
    if strip_tabs {
        i += 1;
    }
    while i < b.len() && is_blank(b[i]) {
        i += 1;
    }
    let mut delimiter = Vec::new();
    let mut quoted = false;
    while i < b.len() && !is_blank(b[i]) && !b";|&<>()".contains(&b[i]) {
        match b[i] {
            q @ (b'\'' | b'"') => {
                quoted = true;
                let close = i + 1 + b[i + 1..].iter().position(|&x| x == q)?;
                delimiter.extend_from_slice(&b[i + 1..close]);
                i = close + 1;
            }
            b'\\' => {
                quoted = true;
                delimiter.push(*b.get(i + 1)?);
                i += 2;
            }
            x => {
                delimiter.push(x);
                i += 1;
            }
        }
    }
    (!delimiter.is_empty()).then_some((Heredoc { delimiter, strip_tabs, quoted }, i))
}

/// How good a place a run of blanks is to break a line at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Break {
    /// Between a word and its argument: after an option that takes a value (`-n zenml`, and both
    /// of `--arg name value`), a redirection operator, a keyword that starts a command (`if`,
    /// `for`), `|` or `&&`, and after a `case` pattern; before `;`, `then`, `do`, `in` or a
    /// here-document operator.
    Never,
    /// Between any other two words.
    Plain,
    /// Before an option or a redirection.
    Option,
    /// After `then`, `do` or `else`.
    Keyword,
    /// After `;`, `;;` or `&`.
    List,
    /// Before `||` or `&&`.
    AndOr,
    /// Before `|`.
    Pipe,
}

impl Break {
    /// What breaking here costs, against 2 for each line.
    fn penalty(self) -> usize {
        match self {
            Break::Pipe | Break::AndOr | Break::List => 0,
            Break::Keyword | Break::Option => 1,
            Break::Plain | Break::Never => 5,
        }
    }
}

/// What a `|` left inside a line of a broken command costs: once a command takes several lines,
/// each stage of a pipeline starts its own.
const PIPE_KEPT: usize = 3;

/// Words after which the next word belongs on the same line.
const KEYWORDS: &[&str] = &["if", "elif", "while", "until", "for", "case", "select", "function", "time", "!", "{"];

/// Options followed by two values (jq's).
const TWO_VALUE_OPTIONS: &[&str] = &["--arg", "--argjson", "--slurpfile", "--rawfile"];

/// An option word: `-n`, `-fsS`, `--set`, `--timeout=2m`.
fn is_option(word: &str) -> bool {
    let flag = word.strip_prefix("--").or_else(|| word.strip_prefix('-')).unwrap_or_default();
    word.starts_with('-') && flag.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// A redirection, with its target attached (`>file`, `2>&1`, `<<'EOF'`) or not (`>`).
fn is_redirection(word: &str) -> bool {
    let w = word.trim_start_matches(|c: char| c.is_ascii_digit());
    (w.starts_with(['>', '<']) && !w.starts_with("<(") && !w.starts_with(">(")) || w.starts_with("&>")
}

/// A redirection operator whose target is the next word.
fn is_bare_redirection(word: &str) -> bool {
    let w = word.trim_start_matches(|c: char| c.is_ascii_digit());
    matches!(w, ">" | ">>" | "<" | "<>" | ">|" | "&>" | "&>>" | "<<<" | ">&" | "<&")
}

/// The place between `words[k]` and `words[k + 1]` (byte ranges in `line`); `ops` are the
/// positions of top-level control operator characters.
fn classify(line: &str, ops: &[usize], words: &[(usize, usize)], k: usize) -> Break {
    let text = |w: (usize, usize)| &line[w.0..w.1];
    let (p, n) = (text(words[k]), text(words[k + 1]));
    let is_op = |i: usize| ops.binary_search(&i).is_ok();
    // A here-document's operator stays with the command it feeds (`-f - <<'EOF'`).
    if matches!(n, "then" | "do" | "in") || (n.starts_with("<<") && !n.starts_with("<<<")) {
        return Break::Never;
    }
    if is_op(words[k].1 - 1) {
        let after_pipe = p.ends_with("&&") || p.ends_with('|') || p.ends_with("|&");
        // A `)` among the operators ends a `case` pattern.
        return if after_pipe || p.ends_with(')') { Break::Never } else { Break::List };
    }
    if is_op(words[k + 1].0) {
        if n.starts_with("||") || n.starts_with("&&") {
            return Break::AndOr;
        }
        if n.starts_with('|') {
            return Break::Pipe;
        }
        if !n.starts_with("&>") {
            return Break::Never;
        }
    }
    let two_values = k > 0 && TWO_VALUE_OPTIONS.contains(&text(words[k - 1]));
    if matches!(p, "then" | "do" | "else") {
        Break::Keyword
    } else if KEYWORDS.contains(&p) || is_bare_redirection(p) || two_values {
        Break::Never
    } else if is_option(n) || is_redirection(n) {
        Break::Option
    } else if is_option(p) && !p.contains('=') {
        Break::Never
    } else {
        Break::Plain
    }
}

/// Columns: one per character (a tab counts as one; the planner writes none).
fn width(s: &str) -> usize {
    s.chars().count()
}

/// `line` broken into continuation lines, or `None` when it is short enough or has no place to
/// break at.
fn broken(line: &str, scan: &LineScan) -> Option<String> {
    let code = line.trim_start_matches([' ', '\t']);
    let indent = &line[..line.len() - code.len()];
    if code.is_empty() || scan.comment == Some(indent.len()) {
        return None;
    }
    // The command ends where the blanks before its comment (or the end of the line) start.
    let code_end = line[..scan.comment.unwrap_or(line.len())].trim_end_matches([' ', '\t']).len();
    if width(&line[..code_end]) <= LINE_LIMIT {
        return None;
    }
    let gaps: Vec<(usize, usize)> =
        scan.gaps.iter().copied().filter(|&(start, end)| start > indent.len() && end < code_end).collect();
    // The words between the gaps (a word here may hold several shell words joined by operators).
    let words: Vec<(usize, usize)> = std::iter::once(indent.len())
        .chain(gaps.iter().map(|g| g.1))
        .zip(gaps.iter().map(|g| g.0).chain([code_end]))
        .collect();
    let places: Vec<(usize, usize, Break)> = (0..gaps.len())
        .map(|k| (gaps[k].0, gaps[k].1, classify(line, &scan.ops, &words, k)))
        .filter(|p| p.2 != Break::Never)
        .collect();
    let continuation = format!("{indent}{CONTINUATION_INDENT}");
    // Columns (as `width` counts them) before each byte position.
    let mut cols = vec![0; line.len() + 1];
    for (i, c) in line.char_indices() {
        cols[i + c.len_utf8()] = cols[i] + 1;
    }
    // best[k]: the best layout of the rest of the command from the line that starts at
    // starts[k], as its cost and the place it breaks at next. The cost counts first the lines
    // wider than the limit that could have been broken further (they hold a place to break at),
    // then 2 for each line plus the penalties of the places broken at and of the `|` kept inside
    // a line. Among equals, the layout whose first line is fullest wins.
    let starts: Vec<usize> = std::iter::once(indent.len()).chain(places.iter().map(|p| p.1)).collect();
    let prefix = |k: usize| if k == 0 { width(indent) } else { width(&continuation) };
    let too_wide =
        |k: usize, to: usize, backslash: usize| prefix(k) + cols[to] - cols[starts[k]] + backslash > LINE_LIMIT;
    let pipes_kept =
        |from: usize, to: usize| places[from..to].iter().filter(|p| p.2 == Break::Pipe).count() * PIPE_KEPT;
    let mut best: Vec<((usize, usize), Option<usize>)> = vec![((0, 0), None); places.len() + 1];
    for k in (0..=places.len()).rev() {
        let last_bad = too_wide(k, code_end, 0) && k < places.len();
        let kept = if k == 0 { 0 } else { pipes_kept(k, places.len()) };
        let mut choice = ((usize::from(last_bad), 2 + kept), None);
        for j in (k..places.len()).rev() {
            let bad = too_wide(k, places[j].1, 1) && j > k;
            let (rest, _) = best[j + 1];
            let cost = (rest.0 + usize::from(bad), rest.1 + 2 + places[j].2.penalty() + pipes_kept(k, j));
            if cost < choice.0 {
                choice = (cost, Some(j));
            }
        }
        best[k] = choice;
    }
    best[0].1?;
    let mut out = String::from(indent);
    let mut k = 0;
    while let Some(j) = best[k].1 {
        out.push_str(&line[starts[k]..places[j].1]);
        out.push_str("\\\n");
        out.push_str(&continuation);
        k = j + 1;
    }
    out.push_str(&line[starts[k]..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long(s: &str) -> String {
        format!("{s} {}", "x".repeat(LINE_LIMIT))
    }

    #[test]
    fn short_lines_stay() {
        for l in ["kubectl get pods -n zenml", "", "# a comment", "  echo hi   # why"] {
            assert_eq!(break_long_lines(l), l);
        }
    }

    #[test]
    fn breaks_before_options_and_keeps_values_with_them() {
        let l = format!(
            "helm upgrade zenml oci://public.ecr.aws/zenml/zenml --version \"${{CHART_VERSION:?}}\" -n zenml -f {}.yaml",
            "v".repeat(30)
        );
        let b = break_long_lines(&l);
        assert_eq!(
            b,
            format!(
                "helm upgrade zenml oci://public.ecr.aws/zenml/zenml --version \"${{CHART_VERSION:?}}\" -n zenml \\\n  -f {}.yaml",
                "v".repeat(30)
            )
        );
    }

    #[test]
    fn prefers_pipes_and_lists() {
        let l = format!("{} | grep -c x && echo found", long("kubectl get pods -n zenml -o name"));
        let b = break_long_lines(&l);
        assert!(b.contains("\\\n  | grep -c x && echo found") || b.contains("\\\n  && echo found"), "{b}");
    }

    #[test]
    fn comments_stay_at_the_end_of_the_last_line() {
        let l = format!("{}   # why it matters", long("kubectl get pods -n zenml"));
        let b = break_long_lines(&l);
        assert!(b.ends_with("   # why it matters"), "{b}");
        assert!(b.lines().all(|l| !l.contains('#') || !l.ends_with('\\')), "{b}");
    }

    #[test]
    fn never_inside_quotes_substitutions_or_tests() {
        let words = [
            format!("X=$(kubectl get pods -n zenml -o name {})", "y ".repeat(60)),
            format!("'{}'", "a b ".repeat(40)),
            format!("\"${{X:?{}}}\"", "msg with spaces ".repeat(10)),
            format!("`{}`", "a b ".repeat(40)),
        ];
        for w in words {
            assert_eq!(break_long_lines(&w), w);
            // A word too wide for any line gets a line of its own, whole.
            assert_eq!(break_long_lines(&format!("echo {w}")), format!("echo \\\n  {w}"));
        }
        for l in [format!("[[ {} ]]", "-n x && ".repeat(20) + "-n y"), format!("(( {} ))", "1 + ".repeat(40) + "1")] {
            assert_eq!(break_long_lines(&l), l);
        }
    }

    #[test]
    fn heredoc_bodies_stay() {
        let body = ["x"; 80].join(" ");
        let block = format!("{} <<'EOF'\n{body}\nEOF\n{body}", long("cat"));
        let b = break_long_lines(&block);
        assert!(b.contains(&format!("\n{body}\nEOF\n")), "{b}");
        assert!(
            b.rsplit("\nEOF\n").next().unwrap().contains(" x \\\n  x x"),
            "after the body, lines are broken again: {b}"
        );
    }

    #[test]
    fn a_backslash_in_an_unquoted_heredoc_carries_its_body_on() {
        let l = long("kubectl get pods -n zenml");
        let block = format!("cat <<END\n{l} \\\nEND\n{l}\nEND\n{l}");
        let b = break_long_lines(&block);
        assert!(b.starts_with(&format!("cat <<END\n{l} \\\nEND\n{l}\nEND\nkubectl get pods -n zenml \\\n")), "{b}");
    }

    #[test]
    fn continued_and_open_lines_stay() {
        let l = long("kubectl get pods -n zenml");
        for block in [format!("{l} \\\n  {l}"), format!("echo 'a\n{l}\n'")] {
            assert_eq!(break_long_lines(&block), block);
        }
    }

    #[test]
    fn options_and_redirections() {
        assert!(is_option("-n") && is_option("--set") && is_option("--for=x") && is_option("-fsS"));
        assert!(!is_option("-") && !is_option("--") && !is_option("-1") && !is_option("x-y"));
        assert!(is_redirection(">x") && is_redirection("2>&1") && is_redirection("<<'EOF'"));
        assert!(!is_redirection("<(ls)") && !is_redirection("x>y"));
    }
}
