//! Runs every `tests/**/*.py` through the `pyrite` binary and compares:
//! - stdout with `NAME.exp` (CPython 3.11's output where MicroPython agrees);
//! - stderr with `NAME.err` (the whole traceback) or its last line with
//!   `NAME.err.last`, in which case the exit status must be 1;
//!   or with `NAME.warn` (warnings of a program that succeeds);
//!   otherwise stderr must be empty and the exit status 0.
//!
//! A first line `# args: ...` gives extra interpreter arguments.

mod common;
use common::programs;
use std::path::Path;
use std::process::Command;

fn check(py: &Path) -> Result<(), String> {
    let src = std::fs::read_to_string(py).map_err(|e| e.to_string())?;
    let args: Vec<&str> =
        src.lines().next().and_then(|l| l.strip_prefix("# args:")).map(|a| a.split_whitespace().collect()).unwrap_or_default();
    let name = py.file_name().unwrap().to_str().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pyrite"))
        .args(&args)
        .arg(name)
        .current_dir(py.parent().unwrap())
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let exp = std::fs::read_to_string(py.with_extension("exp")).map_err(|_| "no .exp file".to_string())?;
    if stdout != exp {
        return Err(format!("stdout differs\n--- expected\n{exp}--- got\n{stdout}--- stderr\n{stderr}"));
    }
    let err_full = std::fs::read_to_string(py.with_extension("err")).ok();
    let err_last = std::fs::read_to_string(py.with_extension("err.last")).ok();
    let warn = std::fs::read_to_string(py.with_extension("warn")).unwrap_or_default();
    match (err_full, err_last) {
        (None, None) => {
            if !out.status.success() || stderr != warn {
                return Err(format!("expected success, got {:?}\n--- stderr\n{stderr}--- expected\n{warn}", out.status.code()));
            }
        }
        (full, last) => {
            if out.status.code() != Some(1) {
                return Err(format!("expected exit status 1, got {:?}", out.status.code()));
            }
            if let Some(full) = full {
                if stderr != full {
                    return Err(format!("stderr differs\n--- expected\n{full}--- got\n{stderr}"));
                }
            }
            if let Some(last) = last {
                if stderr.lines().last() != Some(last.trim_end()) {
                    return Err(format!("last stderr line differs\n--- expected\n{last}--- got\n{stderr}"));
                }
            }
        }
    }
    Ok(())
}

#[test]
fn python_programs_match_their_expected_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests");
    let mut files = Vec::new();
    programs(&root, &mut files);
    assert!(files.len() >= 20, "the suite went missing: {} programs", files.len());
    let mut failures = Vec::new();
    for f in &files {
        if let Err(e) = check(f) {
            failures.push(format!("{}: {e}", f.display()));
        }
    }
    println!("{} programs, {} failed", files.len(), failures.len());
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
