//! Long commands in the runbook's bash blocks are broken into `\` continuation lines
//! (`planner::shell::layout`). These tests hold, for every golden runbook and for a corpus of
//! tricky blocks (quotes with spaces, `$(…)`, `"${VAR:?msg with spaces}"`, here-documents,
//! trailing comments, lines already continued, tabs, multi-line quoted values), that:
//!
//! - the layout only splits lines: each output line is an input line, or an input line cut at
//!   blanks into pieces, every piece but the last ending in a blank and `\` (nothing after it,
//!   and no comment before it), every piece but the first indented two more than the line;
//!   joining each `\`, line break and indentation gives the input back;
//! - bash reads the output exactly as the input. Each block becomes the body of a function, which
//!   bash parses but never runs, and `declare -f` prints bash's own reading of it: every command
//!   with its words as written (quotes included), redirections, here-document bodies and compound
//!   commands, without comments and line continuations. The same print for input and output
//!   means the same commands made of the same words: a break inside quotes would leave a
//!   backslash and a line break in a word, one inside a comment would turn the comment's end into
//!   a command, one inside a here-document would change the document. Unlike comparing the
//!   words `set -- <line>` gives, this holds for every line, not only for simple commands, and
//!   runs nothing (a `$(…)` in the line would run). `bash -n` accepts every output whose input it
//!   accepts;
//! - no piece is wider than the limit unless it is one unit that cannot be split: one word, or an
//!   option and its value (or a keyword and what must follow it). A trailing comment does not
//!   count: it cannot be continued, and stays at the end of the command's last line.
//!
//! The word structure is read here by a lexer of this test's own, not the one the layout uses.

mod common;

use planner::shell::layout::{break_long_lines, LINE_LIMIT};
use proptest::prelude::*;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The runbook's bash blocks, as a Markdown reader finds them.
fn bash_blocks(runbook: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new_ext(runbook, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                assert_eq!(&*info, "bash", "every code block of the runbook is a bash block");
                current = Some(String::new())
            }
            Event::Text(t) if current.is_some() => current.as_mut().unwrap().push_str(&t),
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take().map(|b| b.trim_end_matches('\n').into())),
            _ => {}
        }
    }
    blocks
}

// ---- bash ----

/// Runs `script` in bash with `args`; returns whether bash succeeded, and its output.
fn bash(args: &[&str], script: &str) -> (bool, String) {
    let mut child = Command::new("bash")
        .args(args)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash runs");
    child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Each block as the body of a function, defined and printed back, never called.
fn functions(blocks: &[&str]) -> String {
    let mut script = String::new();
    for (i, block) in blocks.iter().enumerate() {
        // `:` first: a block of comments alone would leave the body empty.
        script.push_str(&format!("f{i}() {{\n:\n{block}\n}}\n"));
    }
    let names: Vec<String> = (0..blocks.len()).map(|i| format!("f{i}")).collect();
    script.push_str(&format!("declare -f {}\n", names.join(" ")));
    script
}

/// Whether `bash -n` accepts `script`.
fn bash_accepts(script: &str) -> bool {
    bash(&["-n", "-s"], script).0
}

/// bash's reading of each block (see the top of this file), or `None` when bash rejects them.
fn bash_reading(blocks: &[&str]) -> Option<String> {
    let (ok, printed) = bash(&["-s"], &functions(blocks));
    ok.then_some(printed)
}

/// The shell reads `output` exactly as `input` (blocks in the same order).
fn assert_same_reading(label: &str, input: &[&str], output: &[&str]) {
    let script_in: String = input.iter().map(|b| format!("{b}\n")).collect();
    let script_out: String = output.iter().map(|b| format!("{b}\n")).collect();
    if !bash_accepts(&script_in) {
        return;
    }
    assert!(bash_accepts(&script_out), "{label}: bash -n refuses the broken text:\n{script_out}");
    let before = bash_reading(input).unwrap_or_else(|| panic!("{label}: bash cannot read the input:\n{script_in}"));
    let after = bash_reading(output).unwrap_or_else(|| panic!("{label}: bash cannot read the output"));
    assert_eq!(before, after, "{label}: bash reads the broken text differently:\n{script_out}");
}

// ---- this test's own lexer ----

/// What a line holds, read on its own from the top level.
#[derive(Debug, Default)]
struct Reading {
    /// Byte ranges of the words at the top level, before any comment.
    words: Vec<(usize, usize)>,
    /// Where a top-level comment starts.
    comment: Option<usize>,
    /// The line ends in a backslash at the top level or inside `"…"`, `$(…)` and the like: the
    /// shell joins the next line to it.
    continued: bool,
    /// The line ends inside a quote or a parenthesis.
    open: bool,
    /// Here-documents the line starts: delimiter, `<<-`, quoted.
    heredocs: Vec<(String, bool, bool)>,
}

/// Reads `line` starting with the closers in `stack` still expected (`'`, `"`, `` ` ``, `)`,
/// `}`, `]` for `[[`); leaves in `stack` what is still open at its end.
fn read(line: &str, stack: &mut Vec<u8>) -> Reading {
    let b = line.as_bytes();
    let mut r = Reading::default();
    let mut word_start: Option<usize> = None;
    let mut i = 0;
    let blank = |c: u8| c == b' ' || c == b'\t';
    let boundary = |i: usize| i == 0 || b" \t;&|()<>".contains(&b[i - 1]);
    while i < b.len() {
        let c = b[i];
        if stack.is_empty() && word_start.is_none() && !blank(c) && c != b'#' {
            word_start = Some(i);
        }
        let code = matches!(stack.last(), None | Some(b')') | Some(b']'));
        match (stack.last().copied(), c) {
            (Some(b'\''), b'\'') => {
                stack.pop();
            }
            (Some(b'\''), _) => {}
            (Some(b'"' | b'`' | b'}'), b'\\') | (None | Some(b')' | b']'), b'\\') => {
                if i + 1 == b.len() {
                    r.continued = true;
                }
                i += 1;
            }
            (Some(close @ (b'"' | b'`' | b'}')), x) if x == close => {
                stack.pop();
            }
            (Some(b'`'), _) => {}
            (Some(b'}'), b'{') => stack.push(b'}'),
            (Some(b'}' | b'"'), b'$') | (None | Some(b')' | b']'), b'$') => match b.get(i + 1) {
                Some(b'(') => {
                    stack.push(b')');
                    i += 1;
                }
                Some(b'{') => {
                    stack.push(b'}');
                    i += 1;
                }
                Some(b'\'') if code => {
                    // $'…': a quote where \' does not close it.
                    let mut j = i + 2;
                    while j < b.len() && b[j] != b'\'' {
                        j += if b[j] == b'\\' { 2 } else { 1 };
                    }
                    if j >= b.len() {
                        stack.push(b'\'');
                    }
                    i = j;
                }
                _ => {}
            },
            (Some(b'"'), b'`') => stack.push(b'`'),
            (Some(b'"'), _) => {}
            (_, b'\'') => stack.push(b'\''),
            (_, b'"') => stack.push(b'"'),
            (_, b'`') => stack.push(b'`'),
            (Some(b'}'), _) => {}
            (_, b'#') if boundary(i) => {
                if stack.is_empty() {
                    r.comment = Some(i);
                }
                break;
            }
            (_, b'(') => stack.push(b')'),
            (Some(b')'), b')') => {
                stack.pop();
            }
            (None, b'[') if boundary(i) && line[i..].starts_with("[[ ") => {
                stack.push(b']');
                i += 1;
            }
            (Some(b']'), b']') if boundary(i) && line[i..].starts_with("]]") => {
                stack.pop();
                i += 1;
            }
            (None | Some(b')'), b'<') if line[i..].starts_with("<<") && !line[i..].starts_with("<<<") => {
                let rest = &line[i + 2..];
                let strip = rest.starts_with('-');
                let rest = rest.trim_start_matches('-').trim_start();
                let word: String = rest.chars().take_while(|c| !" \t;|&<>()".contains(*c)).collect();
                i = line.len() - rest.len() + word.len() - 1;
                let quoted = word.contains(['\'', '"', '\\']);
                r.heredocs.push((word.replace(['\'', '"', '\\'], ""), strip, quoted));
            }
            (None, x) if blank(x) => {
                if let Some(s) = word_start.take() {
                    r.words.push((s, i));
                }
            }
            _ => {}
        }
        i += 1;
    }
    let end = r.comment.unwrap_or(line.len());
    if let Some(s) = word_start.filter(|&s| s < end) {
        let w = line[s..end].trim_end_matches([' ', '\t']);
        if !w.is_empty() {
            r.words.push((s, s + w.len()));
        }
    }
    r.open = !stack.is_empty();
    r
}

/// Each line of a block: `Some(reading)` for a line read from the top level (a command line, or
/// a line that continues one), `None` for a line inside a here-document, a quote or a
/// parenthesis.
fn lines_of(block: &str) -> Vec<(&str, Option<Reading>)> {
    let mut out = Vec::new();
    let mut stack = Vec::new();
    let mut heredocs: Vec<(String, bool, bool)> = Vec::new();
    let mut joined = false;
    for line in block.split('\n') {
        if let Some((end, strip, quoted)) = heredocs.first() {
            let body = if *strip { line.trim_start_matches('\t') } else { line };
            let was_joined = std::mem::replace(&mut joined, false);
            if !was_joined && body == end {
                heredocs.remove(0);
            } else if !quoted {
                // A backslash at the end of an unquoted here-document's line joins the next.
                joined = (line.len() - line.trim_end_matches('\\').len()) % 2 == 1;
            }
            out.push((line, None));
            continue;
        }
        let at_top = stack.is_empty();
        let r = read(line, &mut stack);
        heredocs.extend(r.heredocs.iter().cloned());
        out.push((line, at_top.then_some(r)));
    }
    out
}

// ---- what a piece too wide may hold ----

fn is_option(w: &str) -> bool {
    let flag = w.trim_start_matches('-');
    w.starts_with('-') && w.len() - flag.len() <= 2 && flag.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// Whether the blank between words `w[k]` and `w[k + 1]` must not be broken at: an option and
/// its value, both values of jq's `--arg name value`, a keyword and what follows it, a
/// redirection and its target, a `case` pattern and its command, an operator and its command.
fn kept_together(w: &[&str], k: usize) -> bool {
    let (a, b) = (w[k], w[k + 1]);
    let redirection = |x: &str| {
        matches!(x.trim_start_matches(|c: char| c.is_ascii_digit()), ">" | ">>" | "<" | "&>" | "<<<" | ">&" | "<&")
    };
    (is_option(a) && !a.contains('=') && !is_option(b))
        || (k > 0 && ["--arg", "--argjson", "--slurpfile", "--rawfile"].contains(&w[k - 1]))
        || ["if", "elif", "while", "until", "for", "case", "select", "function", "time", "!", "{"].contains(&a)
        || ["then", "do", "in"].contains(&b)
        || redirection(a)
        || b.starts_with("<<")
        || a.ends_with('|')
        || a.ends_with("&&")
        || (a.ends_with(')') && !a.contains('('))
        || b.starts_with(';')
        || (b.starts_with('&') && !b.starts_with("&&") && !b.starts_with("&>"))
}

/// A line's code (indentation, a trailing ` \` and a trailing comment left out) may be wider
/// than the limit only when it is one unit that cannot be split.
fn assert_fits(label: &str, line: &str, reading: &Reading) {
    let code_end = reading.words.last().map_or(0, |w| w.1);
    if line[..code_end].chars().count() <= LINE_LIMIT || (reading.continued && line.chars().count() <= LINE_LIMIT) {
        return;
    }
    let mut words: Vec<&str> = reading.words.iter().map(|&(s, e)| &line[s..e]).collect();
    if reading.continued {
        // The trailing `\` is a word of its own after the blank that precedes it.
        assert_eq!(words.pop(), Some("\\"), "{label}: {line}");
    }
    let splittable = (0..words.len().saturating_sub(1)).filter(|&k| !kept_together(&words, k)).count();
    assert_eq!(splittable, 0, "{label}: a line wider than {LINE_LIMIT} that could be split:\n{line}");
}

// ---- the layout's output against its input ----

/// Checks `output = break_long_lines(input)` line by line (see the top of this file); returns how
/// many input lines were broken.
fn check_layout(label: &str, input: &str, output: &str) -> usize {
    assert_eq!(common::join_continuations(output), common::join_continuations(input), "{label}: joined back");
    let out_lines: Vec<&str> = output.split('\n').collect();
    let mut j = 0;
    let mut broken = 0;
    for line in input.split('\n') {
        let piece = out_lines.get(j).copied().unwrap_or_else(|| panic!("{label}: the output ends early"));
        if piece == line {
            j += 1;
            continue;
        }
        broken += 1;
        let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        let continuation = format!("{indent}  ");
        let (mut joined, mut first) = (String::new(), true);
        loop {
            let piece = out_lines.get(j).copied().unwrap_or_else(|| panic!("{label}: {line:?} is cut short"));
            j += 1;
            let text = if first {
                piece
            } else {
                let rest = piece
                    .strip_prefix(continuation.as_str())
                    .unwrap_or_else(|| panic!("{label}: {piece:?} continues {line:?} indented by two more"));
                assert!(!rest.starts_with([' ', '\t']), "{label}: {piece:?}");
                rest
            };
            first = false;
            // Each piece read on its own: a continuation line starts at the top level.
            let reading = read(piece, &mut Vec::new());
            assert!(!reading.open, "{label}: {piece:?}");
            assert_fits(label, piece, &reading);
            if joined.len() + text.len() == line.len() {
                joined.push_str(text);
                break;
            }
            let head = text.strip_suffix('\\').unwrap_or_else(|| panic!("{label}: {piece:?} ends in `\\`"));
            assert!(head.ends_with([' ', '\t']), "{label}: a break at a blank: {piece:?}");
            assert!(reading.continued && reading.comment.is_none(), "{label}: {piece:?} continues the command");
            joined.push_str(head);
        }
        assert_eq!(joined, line, "{label}: the pieces give the line back");
    }
    assert_eq!(j, out_lines.len(), "{label}: the output has lines the input has not");
    broken
}

// ---- the golden runbooks ----

fn golden_runbooks() -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path().join("expected/runbook.md")).ok()?;
            Some((e.file_name().to_string_lossy().into_owned(), text))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_golden_runbook_is_laid_out_by_the_rule_and_reads_the_same() {
    let runbooks = golden_runbooks();
    assert!(runbooks.len() >= 60, "{} golden runbooks", runbooks.len());
    let (mut lines, mut broken, mut wide_left) = (0, 0, 0);
    for (name, runbook) in &runbooks {
        let blocks = bash_blocks(runbook);
        // Each command on one line, as the planner wrote it before the layout.
        let joined: Vec<String> = blocks.iter().map(|b| common::join_continuations(b)).collect();
        for (block, one_line) in blocks.iter().zip(&joined) {
            // Every block went through the layout (none kept a long line it could break).
            assert_eq!(&break_long_lines(one_line), block, "{name}: a block the layout would lay out otherwise");
            lines += one_line.lines().count();
            broken += check_layout(name, one_line, block);
            for (line, reading) in lines_of(block) {
                assert!(!line.ends_with("\\ ") && !line.ends_with("\\\t"), "{name}: {line:?}");
                match reading {
                    // A command line: a `\` at its end is a continuation, and it fits.
                    Some(r) if !r.words.is_empty() => {
                        assert_eq!(line.ends_with('\\'), r.continued, "{name}: {line:?}");
                        assert_fits(name, line, &r);
                        wide_left += usize::from(line.chars().count() > LINE_LIMIT);
                    }
                    // A comment, or a here-document's line: no `\` at its end for the join.
                    _ => {
                        assert!(!line.ends_with('\\'), "{name}: a line ending in `\\` that continues nothing: {line}");
                        wide_left += usize::from(line.chars().count() > LINE_LIMIT);
                    }
                }
            }
        }
        let blocks: Vec<&str> = blocks.iter().map(String::as_str).collect();
        let joined: Vec<&str> = joined.iter().map(String::as_str).collect();
        assert_same_reading(name, &joined, &blocks);
    }
    eprintln!(
        "{} runbooks: {broken} of {lines} command lines broken; {wide_left} lines still wider than {LINE_LIMIT} (a comment, or one unit)",
        runbooks.len()
    );
    assert!(broken > 1000, "{broken}");
}

// ---- a corpus of tricky blocks ----

/// Blocks that each hold one of the traps: the layout must leave the trap as it is.
fn tricky_blocks() -> Vec<String> {
    let long = "kubectl get gateways.gateway.networking.k8s.io/shared-gateway -n gateway-infra";
    let words = "x".repeat(120);
    vec![
        format!("{long} -o jsonpath='{{range .status.listeners[*]}}{{.name}}{{\" \"}}{{end}}' --sort-by '{{.metadata.name with spaces}}'"),
        format!("{long} -l \"a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o p\""),
        format!("X=$(kubectl get pods -n zenml -o name | head -n 1 | cut -d / -f 2 | tr a-z A-Z | sed 's/A/B/g') {long} -o json"),
        format!("echo \"${{GATEWAY_ADDRESS:?the Gateway has no address yet: wait for Programmed (it takes a minute or two)}}\" {long}"),
        format!("{long} -o yaml   # a comment with 'quotes', $(substitutions), a | pipe and a \\"),
        format!("{long} \\\n  -o jsonpath='{{.status}}' --output-watch-events --show-managed-fields --sort-by=.metadata.name"),
        format!("{long}\t-o\tjsonpath='{{.a}}'\t--watch\t--output-watch-events\t--show-managed-fields\t--chunk-size=500"),
        format!("cat <<'EOF' | {long} --dry-run=client -f - --field-manager=gateway-planner\n{words} a b c \\\nEOF\n{long} --chunk-size=500 --output-watch-events"),
        format!("cat <<-EOF >/dev/null\n\t$(date) {words} {words}\n\tEOF\n{long} --chunk-size=500 --output-watch-events"),
        format!("kubectl annotate svc zenml -n zenml 'example.com/a=it'\\''s  a value with  spaces' example.com/b=\"$(printf %s 'x y')\" --overwrite --dry-run=server"),
        format!("echo 'a value over\ntwo lines {words}' {long} --chunk-size=500 --output-watch-events"),
        format!("[[ \"$GATEWAY_ADDRESS\" =~ ^[0-9.]+$ && -n \"$GATEWAY_IP\" && \"$GATEWAY_IP\" != \"$GATEWAY_ADDRESS\" ]] || GATEWAY_IP=$(dig +short \"$GATEWAY_ADDRESS\" | head -n 1)"),
        format!("(( COUNT = 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11 + 12 + 13 + 14 + 15 + 16 + 17 + 18 + 19 + 20 )) && {long}"),
        format!("case \"${{V:?no version (see above)}}\" in v1.15.*) A=(--set a=b --set c=d);; v1.1[6-9].*|v1.20.*) A=(--set e=f);; *) A=(--set g=h --set i=j --set k=l);; esac"),
        format!("if {long} >/dev/null 2>&1; then echo found it, now the second part of a long line; else echo missing; fi   # why"),
        format!("for a in \"$X\" \"$Y\"; do for i in $(seq 20); do curl -s -o /dev/null -w '%{{http_code}} %{{time_total}}\\n' https://example.com/health; done | awk '{{print $1}}'; done"),
        format!("  {long} --output-watch-events --show-managed-fields --chunk-size=500   # indented: continuations indent further"),
        format!("echo $'tab\\there \\'quoted\\'' a\\ b \\#not-a-comment a#b $# ${{#X}} `date -u +%s` $((1 + 2)) <(sort a b) {long}"),
        format!("kubectl get secret x -o json | jq --arg name a-long-secret-name-here --arg issuer an-issuer-name --arg kind ClusterIssuer '{{apiVersion, kind}}' | kubectl create -f -"),
        format!("# {long} --output-watch-events --show-managed-fields --chunk-size=500 (a comment line stays)"),
        format!("{long} --chunk-size=500 >/dev/null 2>&1 & echo started in the background, its output thrown away on purpose; wait"),
        format!("echo 'ünïcödé wörds and more ünïcödé' {long} --chunk-size=500 --output-watch-events"),
        format!("echo {words}"),
        format!("{long} -o jsonpath='{words}'   # the value stays whole"),
    ]
}

#[test]
fn tricky_blocks_read_the_same() {
    for (i, block) in tricky_blocks().iter().enumerate() {
        let out = break_long_lines(block);
        let label = format!("tricky block {i}");
        check_layout(&label, block, &out);
        assert_same_reading(&label, &[block], &[&out]);
    }
    // The traps themselves stay whole.
    let out: Vec<String> = tricky_blocks().iter().map(|b| break_long_lines(b)).collect();
    assert!(out[0].contains("'{.metadata.name with spaces}'") && out[0].contains("\\\n  --sort-by"), "{}", out[0]);
    assert!(out[2].starts_with("X=$(kubectl get pods -n zenml -o name | head -n 1 |"), "{}", out[2]);
    assert!(out[4].ends_with("   # a comment with 'quotes', $(substitutions), a | pipe and a \\"), "{}", out[4]);
    assert_eq!(out[5], tricky_blocks()[5], "a line already continued stays");
    assert!(out[7].contains(&format!("\n{} a b c \\\nEOF\n", "x".repeat(120))), "{}", out[7]);
    assert!(out[10].starts_with("echo 'a value over\ntwo lines"), "{}", out[10]);
    assert_eq!(out[19], tricky_blocks()[19], "a comment line stays");
    assert!(out[23].starts_with(
        "kubectl get gateways.gateway.networking.k8s.io/shared-gateway -n gateway-infra \\\n  -o jsonpath='x"
    ));
}

const COMMANDS: &[&str] = &[
    "kubectl get",
    "helm upgrade zenml oci://public.ecr.aws/zenml/zenml",
    "curl -fsS",
    "echo",
    "X=1 env",
    "jq -r",
    "[[ -n \"$X\" && $Y == a* ]] && kubectl apply",
    "! grep -q x",
    "ZONE=$(dig +noall +answer SOA example.com | awk '{print $1}')",
];

const ARGUMENTS: &[&str] = &[
    "get",
    "pods",
    "-n zenml",
    "--set a.b=c",
    "--timeout=2m",
    "-o jsonpath='{.items[*].metadata.name}{\"\\n\"}'",
    "'a b  c'",
    "\"x y $HOME\"",
    "$'tab\\there'",
    "\"it's\"",
    "'say \"hi\"'",
    "\"$(kubectl get x -n y -o name | head -n 1)\"",
    "$(echo a   b)",
    "\"${VAR:?msg with spaces (see below)}\"",
    "${X:-default}",
    "`date -u +%s`",
    "$((1 + 2))",
    "\"${#X}\"",
    "$#",
    "a\\ b",
    "\\#not-a-comment",
    "a#b",
    "2>&1",
    ">/dev/null",
    "< /dev/null",
    "<(sort a b)",
    "--arg name value",
    "--connect-to zenml.example.com:443:\"$GATEWAY_ADDRESS\":443",
    "'{\"spec\":{\"addresses\":[{\"type\":\"NamedAddress\", \"value\":\"zenml-ip\"}]}}'",
    "\"${A}\"/path/\"$B\"",
    "-",
    "'https://example.com/a?b=c&d=e'",
    "ünïcödé",
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'",
];

const TAILS: &[&str] =
    &["", "| grep -c x", "| jq -r '.a | .b'", "&& echo done", "|| true", "; echo next", "2>&1 | tee out.log"];

const COMMENTS: &[&str] =
    &["", "   # why: it's fine", "  # $(not run) \"half a quote", "   # ends in a backslash \\", "\t# | pipes && ops"];

const SEPARATORS: &[&str] = &[" ", " ", " ", "\t", "  "];

/// One command line: a command, arguments, maybe a pipeline or list after it, maybe a comment.
fn command_line() -> impl Strategy<Value = String> {
    (
        prop::sample::select(COMMANDS),
        prop::collection::vec((prop::sample::select(SEPARATORS), prop::sample::select(ARGUMENTS)), 3..24),
        prop::sample::select(TAILS),
        prop::sample::select(COMMENTS),
        prop::sample::select(&["", "", "  ", "\t"][..]),
    )
        .prop_map(|(command, args, tail, comment, indent)| {
            let args: String = args.into_iter().map(|(sep, a)| format!("{sep}{a}")).collect();
            let tail = if tail.is_empty() { String::new() } else { format!(" {tail}") };
            format!("{indent}{command}{args}{tail}{comment}")
        })
}

/// A block of command lines and the traps around them.
fn block() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        4 => command_line(),
        1 => command_line().prop_map(|l| format!("{l} \\\n  --already-continued {l}")),
        1 => (command_line(), command_line()).prop_map(|(a, b)| {
            format!("cat <<'EOF' >/dev/null\n{a} \\\n{b}\nEOF")
        }),
        // A line of an unquoted here-document that ends in `\` takes the next one with it.
        1 => command_line().prop_map(|l| format!("cat <<-END >/dev/null\n\t{l}\n\tmore of the body\n\tEND")),
        1 => command_line().prop_map(|l| format!("echo 'a value over\n{}' --more words after it", l.replace('\'', "'\\''"))),
        1 => command_line().prop_map(|l| format!("# {l}")),
        1 => (command_line(), command_line()).prop_map(|(a, b)| format!("if true; then\n  {a}\nelse\n  {b}\nfi")),
    ];
    prop::collection::vec(part, 1..4).prop_map(|parts| parts.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn generated_blocks_read_the_same(block in block()) {
        let out = break_long_lines(&block);
        check_layout("generated block", &block, &out);
        assert_same_reading("generated block", &[&block], &[&out]);
    }
}

#[test]
fn the_corpus_is_valid_bash_with_lines_to_break() {
    use proptest::strategy::ValueTree;
    // The corpus tests something only if bash accepts its blocks and some lines get broken.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut accepted, mut broken) = (0, 0);
    for _ in 0..40 {
        let block = block().new_tree(&mut runner).unwrap().current();
        accepted += usize::from(bash_accepts(&format!("{block}\n")));
        broken += usize::from(break_long_lines(&block) != block);
    }
    assert!(accepted >= 36 && broken >= 30, "{accepted} accepted, {broken} broken of 40");
    for block in tricky_blocks() {
        assert!(bash_accepts(&format!("{block}\n")), "{block}");
    }
}

/// Values a plan lets through that are shell syntax (a Gateway API path may hold `;`, `&`, `'`,
/// `!` and `=`): quoted as one word each, they stay whole wherever a command around them breaks.
#[test]
fn commands_with_quoted_values_read_the_same() {
    let long = format!("/zenml;uname&&uname'{}", "/a'b;c=d!e&f".repeat(6));
    let mut checked = 0;
    for path in ["/zenml;uname&&uname'", "/a'b;c=d!e&f", "/~root/x:y@z,w", long.as_str()] {
        let values = format!(
            "server:\n  ingress:\n    enabled: true\n    host: zenml.example.com\n    path: {}\n    annotations:\n      cert-manager.io/cluster-issuer: letsencrypt-prod\n    tls:\n      enabled: true\n      secretName: zenml-tls\n",
            serde_json::to_string(path).unwrap()
        );
        for implementation in planner::IMPLEMENTATIONS {
            for tls in planner::TlsModel::ALL {
                let mut choices = planner::Choices::new(implementation.id);
                choices.tls = Some(tls);
                let Ok(plan) = planner::plan(&values, &choices) else { continue };
                let runbook = plan.file("runbook.md").unwrap();
                assert!(runbook.contains(&path.replace('\'', r"'\''")), "{path}: the value is in the commands");
                let blocks = bash_blocks(runbook);
                let joined: Vec<String> = blocks.iter().map(|b| common::join_continuations(b)).collect();
                let label = format!("{path} ({:?}, {tls:?})", implementation.id);
                for (block, one_line) in blocks.iter().zip(&joined) {
                    check_layout(&label, one_line, block);
                }
                let blocks: Vec<&str> = blocks.iter().map(String::as_str).collect();
                let joined: Vec<&str> = joined.iter().map(String::as_str).collect();
                assert_same_reading(&label, &joined, &blocks);
                checked += 1;
            }
        }
    }
    assert!(checked >= 40, "{checked} runbooks");
}
