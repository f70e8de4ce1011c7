//! What the host's integration tests share.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

/// Runs `pyrite` in `dir` with `path` as its library path.
#[allow(dead_code)]
pub fn pyrite(args: &[&str], dir: &Path, path: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pyrite")).args(args).current_dir(dir).env("MICROPYPATH", path).output().expect("run pyrite")
}

/// A fresh scratch directory for test `name` of `what`.
#[allow(dead_code)]
pub fn scratch(what: &str, name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("pyrite-{what}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

/// Every program of `tests/` that succeeds, compiled by `compile(source,
/// output)` into `work` as module `<ext>_<name>` (file `<ext>_<name>.<ext>`)
/// and imported as `__main__` (`pyrite -m`) from the program's directory,
/// must print what its `.exp` says. `skip`: programs not compared;
/// `refused`: programs the compiler must refuse. Returns how many were
/// compared and the failures.
#[allow(dead_code)]
pub fn compiled_programs(
    ext: &str,
    work: &Path,
    compile: impl Fn(&Path, &Path) -> Result<(), String>,
    skip: &[&str],
    refused: &[&str],
) -> (usize, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests");
    let mut files = Vec::new();
    programs(&root, &mut files);
    let (mut compared, mut failures) = (0, Vec::new());
    for py in &files {
        let name = py.file_name().unwrap().to_str().unwrap();
        // Programs that end in an exception print a traceback naming lines
        // of a script; those that succeed are compared.
        let ends_in_error = py.with_extension("err").exists() || py.with_extension("err.last").exists();
        if ends_in_error || skip.contains(&name) {
            continue;
        }
        let src = std::fs::read_to_string(py).unwrap();
        let args: Vec<&str> =
            src.lines().next().and_then(|l| l.strip_prefix("# args:")).map(|a| a.split_whitespace().collect()).unwrap_or_default();
        let module = format!("{ext}_{}", name.trim_end_matches(".py"));
        match (compile(py, &work.join(format!("{module}.{ext}"))), refused.contains(&name)) {
            (Ok(()), false) => {}
            (Err(_), true) => continue,
            (Ok(()), true) => {
                failures.push(format!("{name}: compiles now: take it off the list of refused programs"));
                continue;
            }
            (Err(e), false) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        }
        let mut all = args.clone();
        all.extend(["-m", &module]);
        // In the program's directory (its files and modules), the compiled
        // file found on the library path.
        let out = pyrite(&all, py.parent().unwrap(), work);
        let exp = std::fs::read_to_string(py.with_extension("exp")).unwrap_or_default();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let warn = std::fs::read_to_string(py.with_extension("warn")).unwrap_or_default();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stdout != exp || !out.status.success() || stderr != warn {
            failures.push(format!("{name}: from .{ext}\n--- expected\n{exp}--- got\n{stdout}--- stderr\n{stderr}"));
        }
        compared += 1;
    }
    (compared, failures)
}
