//! Line diff of the migrated values against the pasted ones, shown as unified hunks.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Same,
    Removed,
    Added,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffLine {
    pub change: Change,
    /// 1-based line numbers in the old and new text.
    pub old: Option<usize>,
    pub new: Option<usize>,
    pub text: String,
}

/// Above this many cells the middle is shown as replaced wholesale rather than aligned.
const MAX_CELLS: usize = 4_000_000;

/// Every line of both texts, aligned by a longest common subsequence.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);

    let mut ops: Vec<Change> = vec![Change::Same; prefix];
    if ma.len().saturating_mul(mb.len()) > MAX_CELLS {
        ops.extend(std::iter::repeat_n(Change::Removed, ma.len()));
        ops.extend(std::iter::repeat_n(Change::Added, mb.len()));
    } else {
        // lcs[i][j]: the LCS length of ma[i..] and mb[j..].
        let w = mb.len() + 1;
        let mut lcs = vec![0u32; (ma.len() + 1) * w];
        for i in (0..ma.len()).rev() {
            for j in (0..mb.len()).rev() {
                lcs[i * w + j] = if ma[i] == mb[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < ma.len() || j < mb.len() {
            if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
                ops.push(Change::Same);
                i += 1;
                j += 1;
            } else if i < ma.len() && (j == mb.len() || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
                ops.push(Change::Removed);
                i += 1;
            } else {
                ops.push(Change::Added);
                j += 1;
            }
        }
    }
    ops.extend(std::iter::repeat_n(Change::Same, suffix));

    let (mut i, mut j) = (0, 0);
    ops.into_iter()
        .map(|change| match change {
            Change::Same => {
                i += 1;
                j += 1;
                DiffLine { change, old: Some(i), new: Some(j), text: b[j - 1].to_string() }
            }
            Change::Removed => {
                i += 1;
                DiffLine { change, old: Some(i), new: None, text: a[i - 1].to_string() }
            }
            Change::Added => {
                j += 1;
                DiffLine { change, old: None, new: Some(j), text: b[j - 1].to_string() }
            }
        })
        .collect()
}

/// A run of changes with `context` unchanged lines around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hunk {
    pub header: String,
    pub lines: Vec<DiffLine>,
}

pub fn hunks(lines: &[DiffLine], context: usize) -> Vec<Hunk> {
    let changed: Vec<usize> =
        lines.iter().enumerate().filter(|(_, l)| l.change != Change::Same).map(|(i, _)| i).collect();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for &i in &changed {
        let (start, end) = (i.saturating_sub(context), (i + context + 1).min(lines.len()));
        match ranges.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => ranges.push((start, end)),
        }
    }
    ranges
        .into_iter()
        .map(|(start, end)| {
            let slice = &lines[start..end];
            let count = |f: fn(&DiffLine) -> Option<usize>| slice.iter().filter(|l| f(l).is_some()).count();
            // Unified-diff convention: an empty side is numbered by the line before it.
            let start_of = |f: fn(&DiffLine) -> Option<usize>| {
                slice.iter().find_map(f).unwrap_or_else(|| lines[..start].iter().rev().find_map(f).unwrap_or(0))
            };
            let (old_n, new_n) = (count(|l| l.old), count(|l| l.new));
            let (old_start, new_start) = (start_of(|l| l.old), start_of(|l| l.new));
            Hunk { header: format!("@@ -{old_start},{old_n} +{new_start},{new_n} @@"), lines: slice.to_vec() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(hunks: &[Hunk]) -> String {
        let mut s = String::new();
        for h in hunks {
            s.push_str(&h.header);
            s.push('\n');
            for l in &h.lines {
                s.push(match l.change {
                    Change::Same => ' ',
                    Change::Removed => '-',
                    Change::Added => '+',
                });
                s.push_str(&l.text);
                s.push('\n');
            }
        }
        s
    }

    #[test]
    fn an_added_block_is_one_hunk_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\ngateway:\n  enabled: true\ne\nf\ng\nh\n";
        let h = hunks(&diff_lines(old, new), 2);
        assert_eq!(render(&h), "@@ -3,4 +3,6 @@\n c\n d\n+gateway:\n+  enabled: true\n e\n f\n");
    }

    #[test]
    fn changed_lines_show_as_removed_then_added() {
        let lines = diff_lines("x: 1\nenabled: true\ny: 2\n", "x: 1\nenabled: false\ny: 2\n");
        let changes: Vec<Change> = lines.iter().map(|l| l.change).collect();
        assert_eq!(changes, [Change::Same, Change::Removed, Change::Added, Change::Same]);
        assert_eq!(lines[1].old, Some(2));
        assert_eq!(lines[2].new, Some(2));
    }

    #[test]
    fn identical_texts_have_no_hunks() {
        assert!(hunks(&diff_lines("a\nb\n", "a\nb\n"), 3).is_empty());
        assert_eq!(render(&hunks(&diff_lines("", "a\n"), 3)), "@@ -0,0 +1,1 @@\n+a\n");
    }
}
