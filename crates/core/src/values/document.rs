//! A YAML document parsed into a tree that remembers where every node sits in the text, so the
//! planner can report problems with line and column and edit the user's file in place.

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

/// Deeper nesting than this is refused: real values files nest a dozen levels, and a bound keeps
/// recursion over the tree (and its drop) far from the stack limit.
pub const MAX_DEPTH: usize = 200;

/// Bounds that keep the planner's work on any accepted input small and roughly linear. The
/// chart's full default file is 63 KB with about 1 500 nodes and no aliases; these are far above
/// any real values file and far below what would stall a browser tab.
pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;
pub const MAX_NODES: usize = 500_000;
pub const MAX_ALIASES: usize = 10_000;
/// Mappings one key lookup may visit through merge keys (`<<`); real files merge once or twice.
const MERGE_LOOKUP_BUDGET: usize = 256;

/// A position in the text: byte offset for editing, 1-based line and column for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct Pos {
    pub byte: usize,
    pub line: usize,
    pub column: usize,
}

impl Pos {
    /// The start of the text, for problems of the whole file.
    pub const START: Pos = Pos { byte: 0, line: 1, column: 1 };
}

/// A problem in the input, located.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LocatedError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl LocatedError {
    pub fn at(pos: Pos, message: impl Into<String>) -> Self {
        LocatedError { line: pos.line, column: pos.column, message: message.into() }
    }
}

impl fmt::Display for LocatedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for LocatedError {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    Block,
}

#[derive(Clone, Debug)]
pub enum Kind {
    Scalar {
        text: String,
        style: Style,
        tag: Option<String>,
    },
    Mapping(Vec<Entry>),
    Sequence(Vec<Node>),
    /// An alias to an anchored node, shared rather than copied so an alias bomb stays small.
    Alias(Rc<Node>),
}

#[derive(Clone, Debug)]
pub struct Node {
    pub kind: Kind,
    pub start: Pos,
    pub end: Pos,
    /// `{...}` or `[...]` rather than block style.
    pub flow: bool,
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub key: String,
    pub key_node: Node,
    pub value: Node,
}

impl Entry {
    /// A merge key as go-yaml v2 (and so Helm) recognises it: a plain `<<`, or one tagged
    /// `!!merge` (`isMerge` in go-yaml v2's decode.go). A quoted `"<<"` is an ordinary key.
    pub fn is_merge(&self) -> bool {
        is_merge_key(&self.key_node)
    }
}

fn is_merge_key(node: &Node) -> bool {
    match &node.resolved().kind {
        Kind::Scalar { text, style, tag } => {
            text == "<<" && (tag.as_deref() == Some("merge") || (*style == Style::Plain && tag.is_none()))
        }
        _ => false,
    }
}

/// The mappings a merge key's value brings in, the one that wins first: the value itself, or the
/// items of a list of them.
fn merge_sources(value: &Node) -> impl DoubleEndedIterator<Item = &Node> {
    let value = value.resolved();
    let items: &[Node] = match &value.kind {
        Kind::Sequence(items) => items,
        _ => std::slice::from_ref(value),
    };
    items.iter().map(Node::resolved)
}

/// The value a scalar stands for, resolved the way Helm's YAML reader (YAML 1.1) resolves it.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
}

impl Node {
    /// Follows aliases to the node they stand for.
    pub fn resolved(&self) -> &Node {
        let mut node = self;
        while let Kind::Alias(target) = &node.kind {
            node = target;
        }
        node
    }

    pub fn entries(&self) -> Option<&[Entry]> {
        match &self.resolved().kind {
            Kind::Mapping(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value under `key` in a mapping, honouring `<<` merge keys exactly as Helm does.
    ///
    /// Helm reads values files with sigs.k8s.io/yaml (v1.6.0 in Helm v3.21 and v4.2), which
    /// decodes with go-yaml v2 (go.yaml.in/yaml/v2 v2.4.3/v2.4.4, `decode.go`, `mapping` and
    /// `merge`): a mapping's entries are applied in document order, and a merge key copies its
    /// source's keys into the mapping at the point where it stands. So a key written after `<<`
    /// overrides the merged value, and a `<<` written after a key overrides that key (unlike
    /// go-yaml v3 and most YAML libraries, where written keys always win). A list of sources
    /// (`<<: [*a, *b]`) is applied from the last to the first, so the first that has a key wins.
    /// Merging is shallow: a merged mapping value replaces, it is not merged key by key.
    pub fn get(&self, key: &str) -> Option<&Node> {
        // Merges of merges are followed, but within a budget: a crafted chain or tree of merges
        // must not make one lookup take exponential time or recurse past the stack.
        let mut budget = MERGE_LOOKUP_BUDGET;
        self.get_within(key, &mut budget)
    }

    fn get_within(&self, key: &str, budget: &mut usize) -> Option<&Node> {
        if *budget == 0 {
            return None;
        }
        *budget -= 1;
        let entries = self.entries()?;
        // The last entry that sets the key wins: scan from the end.
        for entry in entries.iter().rev() {
            if entry.is_merge() {
                if let Some(found) = merge_sources(&entry.value).find_map(|source| source.get_within(key, budget)) {
                    return Some(found);
                }
            } else if entry.key == key {
                return Some(&entry.value);
            }
        }
        None
    }

    /// The entry whose value [`Node::get`] returns for `key`: written in this mapping, or in a
    /// merged one.
    pub fn effective_entry(&self, key: &str) -> Option<&Entry> {
        let mut budget = MERGE_LOOKUP_BUDGET;
        self.effective_entry_within(key, &mut budget)
    }

    fn effective_entry_within(&self, key: &str, budget: &mut usize) -> Option<&Entry> {
        if *budget == 0 {
            return None;
        }
        *budget -= 1;
        for entry in self.entries()?.iter().rev() {
            if entry.is_merge() {
                if let Some(found) =
                    merge_sources(&entry.value).find_map(|source| source.effective_entry_within(key, budget))
                {
                    return Some(found);
                }
            } else if entry.key == key {
                return Some(entry);
            }
        }
        None
    }

    /// The mapping's entries as Helm reads them: every key once, with the entry that wins (see
    /// [`Node::get`]), in the order the keys first appear. `None` when the merges nest beyond the
    /// lookup budget, or the node is not a mapping.
    pub fn merged_entries(&self) -> Option<Vec<&Entry>> {
        let mut budget = MERGE_LOOKUP_BUDGET;
        let mut out: Vec<&Entry> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        self.merge_into(&mut out, &mut index, &mut budget)?;
        Some(out)
    }

    fn merge_into<'a>(
        &'a self,
        out: &mut Vec<&'a Entry>,
        index: &mut HashMap<&'a str, usize>,
        budget: &mut usize,
    ) -> Option<()> {
        if *budget == 0 {
            return None;
        }
        *budget -= 1;
        for entry in self.entries()? {
            if entry.is_merge() {
                // go-yaml v2 applies a list of sources from the last to the first.
                let sources: Vec<&Node> = merge_sources(&entry.value).collect();
                for source in sources.into_iter().rev() {
                    source.merge_into(out, index, budget)?;
                }
            } else {
                match index.get(entry.key.as_str()) {
                    Some(&at) => out[at] = entry,
                    None => {
                        index.insert(&entry.key, out.len());
                        out.push(entry);
                    }
                }
            }
        }
        Some(())
    }

    /// Where the value [`Node::get`] returns for `key` comes from in this mapping: the index of
    /// the entry that sets it last, which is the key's own entry or a merge key (`<<`) whose
    /// sources have the key. `None` when neither sets it.
    pub fn setter_index(&self, key: &str) -> Option<usize> {
        let mut budget = MERGE_LOOKUP_BUDGET;
        self.entries()?.iter().rposition(|entry| {
            if entry.is_merge() {
                merge_sources(&entry.value).any(|source| source.get_within(key, &mut budget).is_some())
            } else {
                entry.key == key
            }
        })
    }

    /// Whether the mapping has a merge key (`<<`) of its own.
    pub fn has_merge(&self) -> bool {
        self.entries().is_some_and(|entries| entries.iter().any(Entry::is_merge))
    }

    /// The entry written in this mapping under `key` (merge keys are not followed).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries()?.iter().find(|e| e.key == key && !e.is_merge())
    }

    pub fn get_path(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    pub fn scalar(&self) -> Option<Scalar<'_>> {
        match &self.resolved().kind {
            Kind::Scalar { text, style, tag } => Some(resolve_scalar(text, *style, tag.as_deref())),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.scalar(), Some(Scalar::Null))
    }

    pub fn is_mapping(&self) -> bool {
        matches!(self.resolved().kind, Kind::Mapping(_))
    }

    /// The value as the user wrote it, for messages: a short scalar's text, or its kind.
    pub fn shown(&self) -> String {
        match &self.resolved().kind {
            Kind::Scalar { text, style: Style::Plain, .. } if !text.is_empty() => {
                format!("`{}`", crate::excerpt::clip(text, 60))
            }
            // Quoted or block text is a string even when it reads like a number.
            Kind::Scalar { text, .. } => format!("the text {:?}", crate::excerpt::clip(text, 60)),
            _ => self.describe().to_string(),
        }
    }

    /// What kind of value this is, in words a values-file author uses.
    pub fn describe(&self) -> &'static str {
        match &self.resolved().kind {
            Kind::Mapping(_) => "a mapping",
            Kind::Sequence(_) => "a list",
            Kind::Alias(_) => "an alias",
            Kind::Scalar { .. } => match self.scalar() {
                Some(Scalar::Null) => "empty (null)",
                Some(Scalar::Bool(_)) => "a boolean",
                Some(Scalar::Int(_)) | Some(Scalar::Float(_)) => "a number",
                _ => "a string",
            },
        }
    }

    /// Converts to JSON as Helm reads the values (merge keys applied), for tests and for the
    /// JSON view of values. Aliases are expanded, so a budget of nodes stops an alias bomb.
    pub fn to_json(&self, budget: &mut usize) -> Option<serde_json::Value> {
        if *budget == 0 {
            return None;
        }
        *budget -= 1;
        Some(match &self.resolved().kind {
            Kind::Mapping(_) => {
                // As Helm reads it: merge keys applied.
                let mut map = serde_json::Map::new();
                for e in self.merged_entries()? {
                    map.insert(e.key.clone(), e.value.to_json(budget)?);
                }
                serde_json::Value::Object(map)
            }
            Kind::Sequence(items) => {
                serde_json::Value::Array(items.iter().map(|i| i.to_json(budget)).collect::<Option<_>>()?)
            }
            Kind::Alias(_) => unreachable!("resolved() follows aliases"),
            Kind::Scalar { .. } => match self.scalar()? {
                Scalar::Null => serde_json::Value::Null,
                Scalar::Bool(b) => serde_json::Value::Bool(b),
                Scalar::Int(i) => serde_json::Value::from(i),
                Scalar::Float(f) => {
                    serde_json::Number::from_f64(f).map(serde_json::Value::Number).unwrap_or(serde_json::Value::Null)
                }
                Scalar::Str(s) => serde_json::Value::String(s.to_string()),
            },
        })
    }
}

/// YAML 1.1 resolution of a scalar, as go-yaml v2 (and so Helm) does it for untagged plain text.
pub fn resolve_scalar<'a>(text: &'a str, style: Style, tag: Option<&str>) -> Scalar<'a> {
    match tag {
        Some("str") => return Scalar::Str(text),
        Some("null") => return Scalar::Null,
        // An explicit `!!int`, `!!bool` or `!!float` types even quoted text, as Helm reads it.
        Some("int" | "bool" | "float") => return resolve_scalar(text, Style::Plain, None),
        _ => {}
    }
    if style != Style::Plain {
        return Scalar::Str(text);
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => return Scalar::Bool(true),
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => {
            return Scalar::Bool(false)
        }
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        if let Ok(i) = text.replace('_', "").parse::<i64>() {
            return Scalar::Int(i);
        }
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if let Ok(i) = i64::from_str_radix(hex, 16) {
            return Scalar::Int(i);
        }
    }
    let looks_numeric = digits.bytes().next().is_some_and(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    if looks_numeric {
        if let Ok(f) = text.parse::<f64>() {
            return Scalar::Float(f);
        }
    }
    Scalar::Str(text)
}

/// A parsed values file: its text and its root node (`None` for an empty document).
#[derive(Clone, Debug)]
pub struct Document {
    pub text: String,
    pub root: Option<Node>,
    /// The file's line break (LF, CRLF, or a lone CR), so inserted lines match it.
    newline: &'static str,
    /// The span of a root that is null (`~`, `--- null`): the first edit replaces it.
    pub null_root: Option<(usize, usize)>,
}

struct Positions<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    ascii: bool,
    /// The last (line, column, byte) converted: the parser's events come in order, so counting
    /// characters on from there keeps a long non-ASCII line linear rather than quadratic.
    cursor: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> Positions<'a> {
    fn new(text: &'a str) -> Self {
        // Line breaks as YAML (and the parser's markers) count them: LF, CRLF, and a lone CR.
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        line_starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
                .map(|(i, _)| i + 1),
        );
        Positions { text, line_starts, ascii: text.is_ascii(), cursor: std::cell::Cell::new((0, 0, 0)) }
    }

    /// The parser counts characters; editing needs bytes.
    fn pos(&self, marker: &saphyr_parser::Marker) -> Pos {
        let line = marker.line().max(1);
        let col = marker.col();
        let byte = if self.ascii {
            marker.index().min(self.text.len())
        } else {
            let (last_line, last_col, last_byte) = self.cursor.get();
            let (from_col, from) = if last_line == line && last_col <= col {
                (last_col, last_byte)
            } else {
                (0, self.line_starts.get(line - 1).copied().unwrap_or(self.text.len()))
            };
            let rest = &self.text[from..];
            let byte = from + rest.char_indices().nth(col - from_col).map(|(i, _)| i).unwrap_or(rest.len());
            self.cursor.set((line, col, byte));
            byte
        };
        Pos { byte, line, column: col + 1 }
    }
}

enum Open {
    Mapping {
        start: Pos,
        flow: bool,
        anchor: usize,
        entries: Vec<Entry>,
        pending_key: Option<(String, Node)>,
        seen: HashMap<String, usize>,
    },
    Sequence {
        start: Pos,
        flow: bool,
        anchor: usize,
        items: Vec<Node>,
    },
}

impl Document {
    /// Parses the user's file, within the limits on size, nodes and aliases.
    pub fn parse(text: &str) -> Result<Document, LocatedError> {
        if text.len() > MAX_INPUT_BYTES {
            let (mut size, mut limit) = (human_size(text.len()), human_size(MAX_INPUT_BYTES));
            if size == limit {
                size = format!("{} bytes", text.len());
                limit = format!("{MAX_INPUT_BYTES} bytes");
            }
            return Err(LocatedError::at(
                Pos::START,
                format!(
                    "this file is {size}; the planner reads values files of up to {limit} (the chart's full default file is 63 KB)"
                ),
            ));
        }
        Self::parse_tree(text, MAX_NODES)
    }

    /// Parses a file the planner edited: the user's accepted file plus a few keys, so the size
    /// and node limits (which are about the input) do not apply again.
    pub fn parse_edited(text: &str) -> Result<Document, LocatedError> {
        Self::parse_tree(text, usize::MAX)
    }

    fn parse_tree(text: &str, max_nodes: usize) -> Result<Document, LocatedError> {
        let positions = Positions::new(text);
        let (mut nodes, mut aliases) = (0usize, 0usize);
        // How deep each open collection's finished children reach, counting the nodes an alias
        // stands for: an alias chain is nesting too (it is what dropping or walking the tree
        // recurses through), so it shares the depth limit.
        let mut reach: Vec<usize> = Vec::new();
        let mut anchor_reach: HashMap<usize, usize> = HashMap::new();
        let mut parser = Parser::new_from_str(text);
        let mut stack: Vec<Open> = Vec::new();
        let mut anchors: HashMap<usize, Rc<Node>> = HashMap::new();
        let mut root: Option<Node> = None;
        let mut documents = 0usize;
        while let Some(next) = parser.next_event() {
            let (event, span) = next.map_err(|e| scan_error(&positions, &e))?;
            let start = positions.pos(&span.start);
            let finished: Option<(Node, usize, usize)> = match event {
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => None,
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        return Err(LocatedError::at(
                            start,
                            "a values file holds one YAML document; this is a second one (after `---`)",
                        ));
                    }
                    None
                }
                Event::Alias(id) => {
                    aliases += 1;
                    if aliases > MAX_ALIASES {
                        return Err(LocatedError::at(
                            start,
                            format!("more than {MAX_ALIASES} aliases (`*name`); a values file needs a handful"),
                        ));
                    }
                    let target = anchors
                        .get(&id)
                        .cloned()
                        .ok_or_else(|| LocatedError::at(start, "alias to an anchor that is not defined before it"))?;
                    let end = positions.pos(&span.end);
                    let target_reach = anchor_reach.get(&id).copied().unwrap_or(0);
                    Some((Node { kind: Kind::Alias(target), start, end, flow: false }, 0, target_reach + 1))
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let style = match style {
                        ScalarStyle::Plain => Style::Plain,
                        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
                        ScalarStyle::Literal | ScalarStyle::Folded => Style::Block,
                    };
                    let tag = tag.map(|t| t.suffix.clone());
                    let end = scalar_end(&positions, &span, style, start, &value);
                    Some((
                        Node { kind: Kind::Scalar { text: value.into_owned(), style, tag }, start, end, flow: false },
                        anchor,
                        0,
                    ))
                }
                Event::SequenceStart(anchor, _) => {
                    check_depth(&stack, start)?;
                    let flow = text.as_bytes().get(start.byte) == Some(&b'[');
                    stack.push(Open::Sequence { start, flow, anchor, items: Vec::new() });
                    reach.push(0);
                    None
                }
                Event::MappingStart(anchor, _) => {
                    check_depth(&stack, start)?;
                    let flow = text.as_bytes().get(start.byte) == Some(&b'{');
                    stack.push(Open::Mapping {
                        start,
                        flow,
                        anchor,
                        entries: Vec::new(),
                        pending_key: None,
                        seen: HashMap::new(),
                    });
                    reach.push(0);
                    None
                }
                Event::SequenceEnd => match stack.pop() {
                    Some(Open::Sequence { start, flow, anchor, items }) => {
                        let end =
                            if flow { positions.pos(&span.end) } else { items.last().map(|i| i.end).unwrap_or(start) };
                        Some((
                            Node { kind: Kind::Sequence(items), start, end, flow },
                            anchor,
                            reach.pop().unwrap_or(0) + 1,
                        ))
                    }
                    _ => return Err(LocatedError::at(start, "unbalanced sequence")),
                },
                Event::MappingEnd => match stack.pop() {
                    Some(Open::Mapping { start, flow, anchor, entries, .. }) => {
                        let end = if flow {
                            positions.pos(&span.end)
                        } else {
                            entries.last().map(|e| e.value.end.max_by_byte(e.key_node.end)).unwrap_or(start)
                        };
                        Some((
                            Node { kind: Kind::Mapping(entries), start, end, flow },
                            anchor,
                            reach.pop().unwrap_or(0) + 1,
                        ))
                    }
                    _ => return Err(LocatedError::at(start, "unbalanced mapping")),
                },
            };
            let Some((node, anchor, node_reach)) = finished else { continue };
            if node_reach > MAX_DEPTH {
                return Err(LocatedError::at(
                    node.start,
                    format!("aliases inside aliases nest deeper than {MAX_DEPTH} levels; a values file needs a few"),
                ));
            }
            if let Some(parent) = reach.last_mut() {
                *parent = (*parent).max(node_reach);
            }
            nodes += 1;
            if nodes > max_nodes {
                return Err(LocatedError::at(
                    node.start,
                    format!("more than {MAX_NODES} keys and values; the chart's full default file has about 1 500"),
                ));
            }
            if anchor != 0 {
                anchors.insert(anchor, Rc::new(node.clone()));
                anchor_reach.insert(anchor, node_reach);
            }
            match stack.last_mut() {
                None => root = Some(node),
                Some(Open::Sequence { items, .. }) => items.push(node),
                Some(Open::Mapping { entries, pending_key, seen, .. }) => match pending_key.take() {
                    None => {
                        let key = match &node.resolved().kind {
                            Kind::Scalar { text, .. } => text.clone(),
                            _ => {
                                return Err(LocatedError::at(
                                    node.start,
                                    "a mapping key must be plain text, not a list or mapping",
                                ))
                            }
                        };
                        // A map from key to index: a mapping may hold a hundred thousand keys.
                        // Merge keys may repeat: go-yaml v2 applies each where it stands.
                        if !is_merge_key(&node) {
                            if let Some(first) = seen.get(&key).map(|&i| &entries[i]) {
                                return Err(LocatedError::at(
                                    node.start,
                                    format!(
                                        "duplicate key `{key}` (first at line {}, column {}); Helm refuses such a file",
                                        first.key_node.start.line, first.key_node.start.column
                                    ),
                                ));
                            }
                            seen.insert(key.clone(), entries.len());
                        }
                        *pending_key = Some((key, node));
                    }
                    Some((key, key_node)) => {
                        let merges_maps = |n: &Node| match &n.resolved().kind {
                            Kind::Mapping(_) => true,
                            Kind::Sequence(items) => items.iter().all(Node::is_mapping),
                            _ => false,
                        };
                        if is_merge_key(&key_node) && !merges_maps(&node) {
                            return Err(LocatedError::at(
                                node.start,
                                format!(
                                    "a merge key (`<<`) takes a mapping or a list of mappings, usually an alias such as `*defaults`, but this is {}; Helm refuses it",
                                    node.describe()
                                ),
                            ));
                        }
                        entries.push(Entry { key, key_node, value: node })
                    }
                },
            }
        }
        if let Some(root) = &root {
            if !root.is_null() && !root.is_mapping() {
                return Err(LocatedError::at(
                    root.start,
                    format!(
                        "a values file must be a mapping of keys (like `server:`), but this document is {}",
                        root.describe()
                    ),
                ));
            }
        }
        check_tab_indentation(&positions, root.as_ref())?;
        let null_root = root.as_ref().filter(|r| r.is_null()).map(|r| (r.start.byte, r.end.byte.max(r.start.byte)));
        let root = root.filter(|r| r.is_mapping());
        let newline = match text.find(['\n', '\r']).map(|i| &text[i..]) {
            Some(rest) if rest.starts_with("\r\n") => "\r\n",
            Some(rest) if rest.starts_with('\r') => "\r",
            _ => "\n",
        };
        Ok(Document { text: text.to_string(), root, newline, null_root })
    }

    /// The line terminator the file uses, so inserted lines match it.
    pub fn newline(&self) -> &'static str {
        self.newline
    }
}

impl Pos {
    fn max_by_byte(self, other: Pos) -> Pos {
        if other.byte > self.byte {
            other
        } else {
            self
        }
    }
}

/// The parser's message, made plainer for the mistakes people make in values files.
fn scan_error(positions: &Positions<'_>, e: &saphyr_parser::ScanError) -> LocatedError {
    let pos = positions.pos(e.marker());
    let line_start = positions.line_starts.get(pos.line - 1).copied().unwrap_or(0);
    let line_text = positions.text[line_start..].split(['\n', '\r']).next().unwrap_or("");
    if e.info().contains("tab") {
        if let Some(col) = line_text.find('\t') {
            let column = line_text[..col].chars().count() + 1;
            return LocatedError { line: pos.line, column, message: TAB_INDENT.into() };
        }
    }
    let info = e.info();
    if info.contains("must be followed by a valid YAML whitespace") {
        if let Some(at) = line_text.find(":\t") {
            return LocatedError {
                line: pos.line,
                column: line_text[..at].chars().count() + 2,
                message: "a tab follows the `:`; YAML separates a key from its value with a space".into(),
            };
        }
    }
    match hint(info, line_text) {
        Some(hint) => LocatedError::at(pos, format!("invalid YAML: {hint} (the parser says: {info})")),
        None => LocatedError::at(pos, format!("invalid YAML: {info}")),
    }
}

/// What the parser's message usually means in a values file, in the words of someone fixing one.
fn hint(info: &str, line: &str) -> Option<&'static str> {
    Some(match info {
        i if i.contains("unknown anchor") && line.contains("*.") => {
            "`*` starts an alias in YAML; a wildcard host must be quoted, like \"*.example.com\""
        }
        i if i.contains("unknown anchor") => "an alias (`*name`) refers to an anchor (`&name`) that is not defined before it",
        i if i.contains("indentation in quoted scalar") || i.contains("quoted scalar, found unexpected end of stream") => {
            "a quoted value is not closed: its closing quote is missing (or it goes on in a line indented less than its key)"
        }
        i if i.contains("unknown escape character") || i.contains("hexadecimal number") => {
            "in double quotes a backslash starts an escape such as `\\n`, and this one is not valid; use single quotes, or write the backslash twice"
        }
        i if i.contains("simple key expect ':'") || i.contains("could not find expected ':'") => {
            "a key is missing its `:` (on this line or the line before)"
        }
        i if i.contains("mapping values are not allowed") => {
            "a `key: value` cannot start here: look for a missing `:` on the line before, a value that needs quotes, or a wrong indentation"
        }
        i if i.contains("did not find expected key") || i.contains("did not find expected '-'") => {
            "this line does not fit the block around it: check its indentation, and whether a `- ` list item stands where a key belongs"
        }
        i if i.contains("flow sequence") || i.contains("flow mapping") || i.contains("flow construct") => {
            "a `[...]` or `{...}` value is not closed, or has a missing comma"
        }
        _ => return None,
    })
}

/// libyaml, and so Helm, refuses a tab among the spaces that indent a block line; saphyr lets
/// one through after the indentation. Lines that continue a quoted, block, plain or flow value
/// may start with tabs.
fn check_tab_indentation(positions: &Positions<'_>, root: Option<&Node>) -> Result<(), LocatedError> {
    let text = positions.text;
    if !text.contains('\t') {
        return Ok(());
    }
    fn values(node: &Node, out: &mut Vec<(usize, usize)>) {
        match &node.kind {
            _ if node.flow => out.push((node.start.byte, node.end.byte)),
            Kind::Scalar { .. } => out.push((node.start.byte, node.end.byte)),
            Kind::Mapping(entries) => entries.iter().for_each(|e| {
                values(&e.key_node, out);
                values(&e.value, out);
            }),
            Kind::Sequence(items) => items.iter().for_each(|i| values(i, out)),
            Kind::Alias(_) => {}
        }
    }
    let mut spans = Vec::new();
    if let Some(root) = root {
        values(root, &mut spans);
    }
    spans.sort_unstable();
    // Strictly inside: a line that starts a key or value is indented by its leading whitespace.
    let inside_value = |at: usize| {
        let i = spans.partition_point(|&(start, _)| start < at);
        i > 0 && at < spans[i - 1].1
    };
    for (index, &from) in positions.line_starts.iter().enumerate() {
        let line = text[from..].split(['\n', '\r']).next().unwrap_or("");
        let content = line.trim_start_matches([' ', '\t']);
        let lead = &line[..line.len() - content.len()];
        if !lead.contains('\t') || content.is_empty() || content.starts_with('#') || inside_value(from + lead.len()) {
            continue;
        }
        let column = lead.find('\t').unwrap_or(0) + 1;
        return Err(LocatedError { line: index + 1, column, message: TAB_INDENT.into() });
    }
    Ok(())
}

fn human_size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        // Integer tenths: formatting a float with a precision would pull a whole float printer
        // into the wasm for this one message.
        let tenths = (bytes as u64 * 10 + 512 * 1024) / (1024 * 1024);
        format!("{}.{} MiB", tenths / 10, tenths % 10)
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

/// Both the parser's tab errors and the check after parsing say this.
const TAB_INDENT: &str = "a tab character indents this line; YAML indents with spaces only";

fn check_depth(stack: &[Open], at: Pos) -> Result<(), LocatedError> {
    if stack.len() >= MAX_DEPTH {
        return Err(LocatedError::at(at, format!("nesting deeper than {MAX_DEPTH} levels is not a values file")));
    }
    Ok(())
}

/// Where a scalar's text ends. Plain and quoted scalars end at the span's end. A block scalar's
/// span starts at its first content line (past the `|` header) and ends at the next token, so
/// its end is found from its lines: content is indented at least as far as where it starts, and
/// ends before the first non-blank line indented less. An empty one ends with its header line.
fn scalar_end(positions: &Positions<'_>, span: &Span, style: Style, start: Pos, value: &str) -> Pos {
    let end = positions.pos(&span.end);
    if style != Style::Block && end.byte >= start.byte {
        return end;
    }
    let text = positions.text;
    let line_of = |byte: usize| positions.line_starts.partition_point(|&s| s <= byte).max(1);
    let line_bounds = |line: usize| {
        let from = positions.line_starts[line - 1];
        let to = positions.line_starts.get(line).copied().unwrap_or(text.len());
        (from, from + text[from..to].trim_end_matches(['\n', '\r']).len())
    };
    let first = line_of(start.byte.min(text.len()));
    let byte = if value.trim_matches(['\n', '\r']).is_empty() {
        // The header is the last line before the next token that is neither blank nor a comment.
        let mut line = first;
        loop {
            let (from, to) = line_bounds(line);
            let content = text[from..to.min(start.byte.max(from))].trim();
            if line == 1 || (!content.is_empty() && !content.starts_with('#')) {
                break from + text[from..to].trim_end().len();
            }
            line -= 1;
        }
    } else {
        let indent = start.byte.saturating_sub(line_bounds(first).0);
        let mut content_end = line_bounds(first).1;
        for line in first + 1..=positions.line_starts.len() {
            let (from, to) = line_bounds(line);
            let row = &text[from..to];
            if row.trim().is_empty() {
                continue;
            }
            if row.len() - row.trim_start_matches(' ').len() < indent {
                break;
            }
            content_end = to;
        }
        content_end
    };
    let line = line_of(byte);
    let line_start = positions.line_starts[line - 1];
    Pos { byte, line, column: text[line_start..byte].chars().count() + 1 }
}
