//! The README's annotation coverage table is generated from the code's own table, so it cannot
//! drift: this test compares them (`UPDATE_README=1` rewrites the README's copy).

use planner::annotations::coverage_markdown;

#[test]
fn readme_coverage_table_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
    let readme = std::fs::read_to_string(path).expect("README.md");
    let (start, end) = ("<!-- coverage:start -->\n", "<!-- coverage:end -->");
    let from = readme.find(start).expect("coverage start marker") + start.len();
    let to = readme.find(end).expect("coverage end marker");
    let table = coverage_markdown();
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{}{}", &readme[..from], table, &readme[to..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert_eq!(&readme[from..to], table, "README coverage table is stale: run with UPDATE_README=1");
}
