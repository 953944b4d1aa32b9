//! Lossless edits of the user's values file: each edit splices new text in at the parser's spans
//! and leaves every other byte (comments, blank lines, key order, quoting, line endings) alone.

use super::document::{Document, Kind, LocatedError, Node, Style};

/// One key to set, as a path of mapping keys and the YAML text of the new scalar value.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub path: Vec<String>,
    pub value: String,
    /// When the key's parent mapping must be created, put it right after this sibling if present.
    pub after_sibling: Option<String>,
}

impl Assignment {
    pub fn new(path: &[&str], value: impl Into<String>) -> Self {
        Assignment { path: path.iter().map(|s| s.to_string()).collect(), value: value.into(), after_sibling: None }
    }

    pub fn after(mut self, sibling: &str) -> Self {
        self.after_sibling = Some(sibling.to_string());
        self
    }
}

/// Applies the assignments one after another to an already parsed file, re-parsing after each
/// so every splice works on fresh spans. Each result is checked: it must parse and hold the key,
/// so an odd layout the splicer misreads gives a located error instead of a broken file.
pub fn apply(doc: &Document, assignments: &[Assignment]) -> Result<Document, LocatedError> {
    let mut current: Option<Document> = None;
    let mut done = 0;
    // Writing out a merged block is a step that sets no key yet; each path has a few keys.
    let mut steps_left = assignments.iter().map(|a| a.path.len()).sum::<usize>() + assignments.len();
    while done < assignments.len() {
        let before = current.as_ref().unwrap_or(doc);
        // Keys that go into the same new block are written in one splice (one parse, not one
        // per key: the plan's gateway block is six keys).
        let (text, used) = set(before, &assignments[done..])?;
        steps_left = steps_left.checked_sub(1).ok_or_else(|| {
            LocatedError::at(
                deepest_existing(doc, &assignments[done].path.iter().map(String::as_str).collect::<Vec<_>>()),
                "the planner cannot write this setting out beside the merge keys (`<<`) here; write it by hand and plan again",
            )
        })?;
        let after = Document::parse_edited(&text);
        for assignment in &assignments[done..done + used] {
            let path: Vec<&str> = assignment.path.iter().map(String::as_str).collect();
            let refused = |why: String| {
                LocatedError::at(
                    deepest_existing(doc, &path),
                    format!(
                        "the planner cannot add `{}` to this part of the file without breaking it ({why}); \
                         write the setting here by hand and plan again",
                        path.join(".")
                    ),
                )
            };
            let after = after.as_ref().map_err(|e| refused(e.to_string()))?;
            // Read back as Helm reads it (merge keys applied): the key must hold the new value.
            let wanted = Document::parse_edited(&format!("v: {}", assignment.value))
                .ok()
                .and_then(|d| d.root.and_then(|r| r.get("v").and_then(|v| v.to_json(&mut 1000))));
            let read_back = after.root.as_ref().and_then(|r| r.get_path(&path)).and_then(|n| n.to_json(&mut 1000));
            if read_back.is_none() || read_back != wanted {
                return Err(refused("the key would not be read back".into()));
            }
        }
        current = Some(after.expect("checked above"));
        done += used;
    }
    Ok(current.unwrap_or_else(|| doc.clone()))
}

/// How many of `remaining` (from the first) go under `prefix`, the new block's key.
fn run_under(remaining: &[Assignment], prefix: &[&str], strictly_below: bool) -> usize {
    remaining
        .iter()
        .take_while(|a| {
            let longer = if strictly_below { a.path.len() > prefix.len() } else { a.path.len() >= prefix.len() };
            longer && a.path.iter().zip(prefix).all(|(k, p)| k == p)
        })
        .count()
        .max(1)
}

/// The run's paths below `from`, with their values, for one block.
fn tails(run: &[Assignment], from: usize) -> Vec<(Vec<&str>, &str)> {
    run.iter().map(|a| (a.path[from..].iter().map(String::as_str).collect(), a.value.as_str())).collect()
}

/// Where to point at when an edit is refused: the deepest key of the path the file has.
fn deepest_existing(doc: &Document, path: &[&str]) -> super::document::Pos {
    let mut pos = doc.root.as_ref().map(|r| r.start).unwrap_or_default();
    let mut node = doc.root.as_ref();
    for key in path {
        match node.and_then(|n| n.entry(key)) {
            Some(entry) => {
                pos = entry.key_node.start;
                node = Some(&entry.value);
            }
            None => break,
        }
    }
    if pos.line == 0 {
        super::document::Pos { byte: 0, line: 1, column: 1 }
    } else {
        pos
    }
}

/// Makes the first assignment of `remaining`, and with it the ones after it that go into the
/// same new block. Returns the new text and how many assignments it made.
fn set(doc: &Document, remaining: &[Assignment]) -> Result<(String, usize), LocatedError> {
    let text = &doc.text;
    let nl = doc.newline();
    let assignment = &remaining[0];
    let path: Vec<&str> = assignment.path.iter().map(String::as_str).collect();
    let Some(root) = &doc.root else {
        // An empty file (or one of comments only, or a null document such as `~`): the null goes,
        // and the whole path is appended at the end.
        let mut out = match doc.null_root {
            Some((from, to)) => format!("{}{}", &text[..from], &text[to..]),
            None => text.clone(),
        };
        if !out.is_empty() && !out.ends_with(['\n', '\r']) {
            out.push_str(nl);
        }
        let used = run_under(remaining, &path[..1], false);
        out.push_str(&block_tree(&tails(&remaining[..used], 0), 0, detect_indent_step(doc), nl));
        return Ok((out, used));
    };
    let step = detect_indent_step(doc);
    let mut node: &Node = root;
    for (i, key) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        // Helm applies merge keys (`<<`) in document order (see `Node::get`): the entry that sets
        // the key last wins. An edit never touches the merged mapping (other blocks share it); it
        // writes the key out in this mapping, after the merge key that sets it.
        let entries = node.entries().unwrap_or(&[]);
        let own = entries.iter().position(|e| !e.is_merge() && e.key == *key);
        match (own, node.setter_index(key)) {
            (Some(at), Some(setter)) if setter != at => {
                if last {
                    return Ok((move_after(doc, node, at, setter, &assignment.value)?, 1));
                }
                return Err(LocatedError::at(
                    entries[at].key_node.start,
                    format!(
                        "`{}` is written here, but the merge key (`<<`) on line {} sets it again and wins (Helm applies merge keys in document order); move `{key}` below that line and plan again",
                        path[..=i].join("."),
                        entries[setter].key_node.start.line
                    ),
                ));
            }
            (None, Some(setter)) => {
                let merged = node.get(key).expect("a merge key sets it");
                if last || merged.is_null() {
                    let used = run_under(remaining, &path[..=i], last);
                    return insert_into(doc, node, &remaining[..used], i, Some(setter), step);
                }
                if !merged.is_mapping() {
                    return Err(LocatedError::at(
                        merged.start,
                        format!(
                            "`{}` is {}, but the chart expects a mapping here",
                            path[..=i].join("."),
                            merged.describe()
                        ),
                    ));
                }
                // The merged block is written out as it reads, after the merge key; the next
                // step edits the copy.
                return Ok((write_out_merged(doc, node, key, merged, setter, step)?, 0));
            }
            _ => {}
        }
        match node.entry(key) {
            Some(entry) if last => return Ok((replace_value(text, entry, &assignment.value)?, 1)),
            Some(entry) => {
                let value = &entry.value;
                if matches!(value.kind, Kind::Alias(_)) {
                    return Err(LocatedError::at(
                        value.start,
                        format!(
                            "`{}` is an alias; the planner cannot edit through it, write the block out",
                            path[..=i].join(".")
                        ),
                    ));
                }
                if value.is_mapping() {
                    node = value;
                    continue;
                }
                if value.is_null() {
                    // `gateway:` with nothing after it: the rest of the path becomes its block,
                    // starting on the next line so a trailing comment stays where it was.
                    let indent = entry.key_node.start.column - 1 + step;
                    let used = run_under(remaining, &path[..=i], true);
                    let block = block_tree(&tails(&remaining[..used], i + 1), indent, step, nl);
                    let colon = colon_after_key(text, entry)?;
                    let has_text = value.start.byte > colon && value.end.byte > value.start.byte;
                    let (cut_from, cut_to) =
                        if has_text { (value.start.byte, value.end.byte) } else { (colon + 1, colon + 1) };
                    let mut out = String::with_capacity(text.len() + block.len() + 2);
                    out.push_str(&text[..cut_from]);
                    match next_line_start(text, cut_to) {
                        Some(next) => {
                            out.push_str(&text[cut_to..next]);
                            out.push_str(&block);
                            out.push_str(&text[next..]);
                        }
                        None => {
                            out.push_str(&text[cut_to..]);
                            out.push_str(nl);
                            out.push_str(&block);
                        }
                    }
                    return Ok((out, used));
                }
                return Err(LocatedError::at(
                    value.start,
                    format!("`{}` is {}, but the chart expects a mapping here", path[..=i].join("."), value.describe()),
                ));
            }
            None => {
                let used = run_under(remaining, &path[..=i], false);
                let after = assignment
                    .after_sibling
                    .as_deref()
                    .and_then(|sibling| entries.iter().position(|e| !e.is_merge() && e.key == sibling));
                return insert_into(doc, node, &remaining[..used], i, after, step);
            }
        }
    }
    unreachable!("the loop returns on the last key")
}

/// The splice for a value that has text already (or is empty after its colon).
fn replace_value(text: &str, entry: &super::document::Entry, value: &str) -> Result<String, LocatedError> {
    let node = &entry.value;
    let colon = colon_after_key(text, entry)?;
    let empty = node.end.byte <= node.start.byte;
    let plain_or_quoted = matches!(node.kind, Kind::Scalar { style, .. } if style != Style::Block);
    let (from, to, new) = if empty {
        (colon + 1, colon + 1, format!(" {value}"))
    } else if plain_or_quoted && node.start.byte > colon {
        (node.start.byte, node.end.byte, value.to_string())
    } else {
        // A block scalar's span is its content: its `|` header goes too.
        (colon + 1, node.end.byte.max(colon + 1), format!(" {value}"))
    };
    let mut out = String::with_capacity(text.len() + new.len());
    out.push_str(&text[..from]);
    out.push_str(&new);
    out.push_str(&text[to..]);
    Ok(out)
}

/// The `:` after an entry's key. A quoted key's span may stop before its closing quote, so it is
/// the first colon after the key and before the value; an explicit `? key` may have none.
fn colon_after_key(text: &str, entry: &super::document::Entry) -> Result<usize, LocatedError> {
    let from = entry.key_node.end.byte.min(text.len());
    let until = if entry.value.start.byte > from { entry.value.start.byte.min(text.len()) } else { text.len() };
    text[from..until].find(':').map(|i| from + i).ok_or_else(|| {
        LocatedError::at(
            entry.key_node.start,
            format!(
                "the planner cannot edit `{}` written as `? key` without a `:`; write it as `{}: value`",
                entry.key, entry.key
            ),
        )
    })
}

/// Adds the run's keys (their paths from `depth` on) to `map`, which lacks the first of them,
/// after the entry at index `after` (the last entry when `None`).
fn insert_into(
    doc: &Document,
    map: &Node,
    run: &[Assignment],
    depth: usize,
    after: Option<usize>,
    step: usize,
) -> Result<(String, usize), LocatedError> {
    let text = &doc.text;
    let nl = doc.newline();
    let entries = map.entries().unwrap_or(&[]);
    if map.flow {
        // `{}` or `{a: 1}`: add `key: {...}` inside the braces, staying in flow style.
        let close = map.end.byte.saturating_sub(1);
        let close = text[..map.end.byte].rfind('}').unwrap_or(close);
        // One key at a time in flow style: the next one goes into the braces just written.
        let rest: Vec<&str> = run[0].path[depth..].iter().map(String::as_str).collect();
        let piece = flow_piece(&rest, &run[0].value);
        let sep = if entries.is_empty() { "" } else { ", " };
        return Ok((format!("{}{}{}{}", text[..close].trim_end_matches(' '), sep, piece, &text[close..]), 1));
    }
    let indent = entries.first().map(|e| e.key_node.start.column - 1).unwrap_or(0);
    let anchor_entry = after.and_then(|at| entries.get(at)).or(entries.last());
    let block = block_tree(&tails(run, depth), indent, step, nl);
    let Some(anchor_entry) = anchor_entry else {
        return Err(LocatedError::at(map.start, "cannot add a key to an empty block mapping"));
    };
    let end = anchor_entry.value.end.byte.max(anchor_entry.key_node.end.byte);
    // Insert at the start of the line after the anchor entry's last line.
    let insert_at = next_line_start(text, end).unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + block.len() + 2);
    out.push_str(&text[..insert_at]);
    if insert_at == text.len() && !text.ends_with(['\n', '\r']) {
        out.push_str(nl);
    }
    out.push_str(&block);
    out.push_str(&text[insert_at..]);
    Ok((out, run.len()))
}

/// A key written before the merge key (`<<`) at `setter` that overrides it: the key's lines move
/// below the merge key with the new value, so it wins as Helm reads the file. The line keeps its
/// comment; nothing in the merged mapping changes.
fn move_after(doc: &Document, map: &Node, at: usize, setter: usize, value: &str) -> Result<String, LocatedError> {
    let text = &doc.text;
    let entries = map.entries().unwrap_or(&[]);
    let (entry, merge) = (&entries[at], &entries[setter]);
    let line_start = text[..entry.key_node.start.byte].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let alone = text[line_start..entry.key_node.start.byte].trim_matches(' ').is_empty();
    let entry_end = entry.value.end.byte.max(entry.key_node.end.byte);
    let (Some(chunk_end), false) = (next_line_start(text, entry_end), map.flow || !alone) else {
        return Err(LocatedError::at(
            entry.key_node.start,
            format!(
                "`{}` is written here, but the merge key (`<<`) on line {} sets it again and wins (Helm applies merge keys in document order); move `{}` below that line and plan again",
                entry.key, merge.key_node.start.line, entry.key
            ),
        ));
    };
    let edited = replace_value(text, entry, value)?;
    let delta = edited.len() as isize - text.len() as isize;
    let shift = |byte: usize| (byte as isize + delta) as usize;
    let chunk = &edited[line_start..shift(chunk_end)];
    let merge_end = shift(merge.value.end.byte.max(merge.key_node.end.byte));
    let nl = doc.newline();
    let mut out = String::with_capacity(edited.len() + nl.len());
    out.push_str(&edited[..line_start]);
    match next_line_start(&edited, merge_end) {
        Some(insert_at) => {
            out.push_str(&edited[shift(chunk_end)..insert_at]);
            out.push_str(chunk);
            out.push_str(&edited[insert_at..]);
        }
        None => {
            out.push_str(&edited[shift(chunk_end)..]);
            out.push_str(nl);
            out.push_str(chunk.trim_end_matches(['\n', '\r']));
        }
    }
    Ok(out)
}

/// A mapping a merge key (`<<`) gives `map` under `key`, written out as an explicit key right
/// after that merge key, with the content Helm reads from it (merges applied, aliases expanded),
/// so the next step can edit the copy and leave the shared mapping alone.
fn write_out_merged(
    doc: &Document,
    map: &Node,
    key: &str,
    merged: &Node,
    setter: usize,
    step: usize,
) -> Result<String, LocatedError> {
    let text = &doc.text;
    let nl = doc.newline();
    let entries = map.entries().unwrap_or(&[]);
    let merge = &entries[setter];
    let too_big = || {
        LocatedError::at(
            merge.key_node.start,
            format!("`{key}` comes from this merge key (`<<`) and is too large to write out; write `{key}` out in this mapping by hand and plan again"),
        )
    };
    let value = merged.to_json(&mut 10_000).ok_or_else(too_big)?;
    if map.flow {
        let close = text[..map.end.byte].rfind('}').unwrap_or(map.end.byte.saturating_sub(1));
        return Ok(format!(
            "{}, {}: {}{}",
            text[..close].trim_end_matches(' '),
            flow_text(key),
            flow_value(&value),
            &text[close..]
        ));
    }
    let indent = entries.first().map(|e| e.key_node.start.column - 1).unwrap_or(0);
    let mut block = String::new();
    block_value(&mut block, key, &value, indent, step, nl);
    let end = merge.value.end.byte.max(merge.key_node.end.byte);
    let mut out = String::with_capacity(text.len() + block.len() + nl.len());
    match next_line_start(text, end) {
        Some(insert_at) => {
            out.push_str(&text[..insert_at]);
            out.push_str(&block);
            out.push_str(&text[insert_at..]);
        }
        None => {
            out.push_str(text);
            out.push_str(nl);
            out.push_str(&block);
        }
    }
    Ok(out)
}

/// `key: value` in block style: mappings nest as blocks, lists and scalars are written in flow
/// style on the key's line.
fn block_value(out: &mut String, key: &str, value: &serde_json::Value, indent: usize, step: usize, nl: &str) {
    out.push_str(&" ".repeat(indent));
    out.push_str(&crate::yaml::key(key));
    out.push(':');
    match value {
        serde_json::Value::Object(map) if !map.is_empty() => {
            out.push_str(nl);
            for (k, v) in map {
                block_value(out, k, v, indent + step, step, nl);
            }
        }
        other => {
            out.push(' ');
            out.push_str(&flow_value(other));
            out.push_str(nl);
        }
    }
}

/// A value in flow style (`{a: 1, b: [x, y]}`), every string quoted where it could be read as
/// something else or end the flow collection.
fn flow_value(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "null".into(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => flow_text(s),
        serde_json::Value::Array(items) => {
            format!("[{}]", items.iter().map(flow_value).collect::<Vec<_>>().join(", "))
        }
        serde_json::Value::Object(map) => format!(
            "{{{}}}",
            map.iter().map(|(k, v)| format!("{}: {}", flow_text(k), flow_value(v))).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn flow_text(s: &str) -> String {
    let plain = crate::yaml::string(s);
    if !plain.starts_with('"') && s.contains([',', '[', ']', '{', '}']) {
        crate::yaml::quoted(s)
    } else {
        plain
    }
}

/// Where the line after the one holding `from` starts (after LF, CRLF or a lone CR).
fn next_line_start(text: &str, from: usize) -> Option<usize> {
    let at = from + text[from..].find(['\n', '\r'])?;
    Some(at + if text[at..].starts_with("\r\n") { 2 } else { 1 })
}

/// Nested `key:` lines for several paths (each with its value), at the given indentation; paths
/// that share leading keys share their lines: `a:\n  b: 1\n  c: 2\n`. Paths with a common
/// prefix must come one after another, as the plan lists them.
fn block_tree(items: &[(Vec<&str>, &str)], indent: usize, step: usize, nl: &str) -> String {
    let mut out = String::new();
    let mut open: Vec<&str> = Vec::new();
    for (path, value) in items {
        let common = open.iter().zip(path).take_while(|(a, b)| a == b).count();
        open.truncate(common);
        for (depth, key) in path.iter().enumerate().skip(common) {
            out.push_str(&" ".repeat(indent + depth * step));
            out.push_str(&crate::yaml::key(key));
            out.push(':');
            if depth + 1 == path.len() {
                out.push(' ');
                out.push_str(value);
            } else {
                open.push(key);
            }
            out.push_str(nl);
        }
    }
    out
}

fn flow_piece(path: &[&str], value: &str) -> String {
    match path.split_first() {
        Some((key, [])) => format!("{}: {}", crate::yaml::key(key), value),
        Some((key, rest)) => format!("{}: {{{}}}", crate::yaml::key(key), flow_piece(rest, value)),
        None => value.to_string(),
    }
}

/// The file's own indentation step: the smallest positive difference between a mapping's key
/// column and its nested mapping's key column. Two spaces when nothing tells.
pub fn detect_indent_step(doc: &Document) -> usize {
    fn walk(node: &Node, best: &mut Option<usize>, depth: usize) {
        if depth > 8 {
            return;
        }
        if let Some(entries) = node.entries() {
            for e in entries {
                // An alias says nothing about this text's indentation, and following aliases
                // would multiply the walk (an alias tree is exponential in its size).
                if matches!(e.value.kind, Kind::Alias(_)) {
                    continue;
                }
                if let (Some(children), false) = (e.value.entries(), e.value.flow) {
                    if let Some(first) = children.first() {
                        let d = first.key_node.start.column.saturating_sub(e.key_node.start.column);
                        if d > 0 && best.is_none_or(|b| d < b) {
                            *best = Some(d);
                        }
                    }
                    walk(&e.value, best, depth + 1);
                }
            }
        }
    }
    let mut best = None;
    if let Some(root) = &doc.root {
        walk(root, &mut best, 0);
    }
    best.unwrap_or(2)
}
