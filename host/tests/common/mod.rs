//! What the host's integration tests share.

use std::path::{Path, PathBuf};

/// Every `.py` program under `dir`, sorted; `modules/` holds what the
/// programs import, not programs.
pub fn programs(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("tests dir").flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "modules") {
                programs(&p, out);
            }
        } else if p.extension().is_some_and(|e| e == "py") {
            out.push(p);
        }
    }
}
