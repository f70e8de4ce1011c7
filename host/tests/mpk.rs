//! Pyrite's precompiled files (`.mpk`, from `pyrite-cross compile`):
//! - every program of `tests/` that succeeds, compiled to a `.mpk` and
//!   imported as `__main__` (`pyrite -m`), prints what its `.exp` says;
//! - a `.mpk` beside nothing else imports, after `.py` and `.mpy` of the
//!   same name.

mod common;
use common::{compiled_programs, pyrite, scratch};
use std::path::Path;

/// Programs whose output names the file they run from, or that run only as
/// a script: the same code, a different answer when imported.
const NOT_COMPARED: &[&str] = &["sys_argv_path.py", "sys_module.py"];

fn compile(py: &Path, out: &Path) -> Result<(), String> {
    let src = std::fs::read(py).map_err(|e| e.to_string())?;
    let name = py.file_name().unwrap().to_string_lossy();
    let mpk = pyrite_vm::frozen::write::compile_file(&src, &name)?;
    std::fs::write(out, mpk).map_err(|e| e.to_string())
}

#[test]
fn compiled_programs_print_what_their_source_does() {
    let work = scratch("mpk", "programs");
    let (compared, failures) = compiled_programs("mpk", &work, compile, NOT_COMPARED, &[]);
    let _ = std::fs::remove_dir_all(&work);
    println!("{compared} programs run from .mpk, {} failed", failures.len());
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
    assert!(compared >= 100, "too few programs compared: {compared}");
}

#[test]
fn import_finds_py_then_mpy_then_mpk() {
    let work = scratch("mpk", "order");
    let src = |tag: &str| format!("WHO = '{tag}'\n");
    let put_mpk = |name: &str, tag: &str| {
        let data = pyrite_vm::frozen::write::compile_file(src(tag).as_bytes(), &format!("{name}.py")).unwrap();
        std::fs::write(work.join(format!("{name}.mpk")), data).unwrap();
    };
    put_mpk("only_mpk", "mpk");
    put_mpk("both", "mpk");
    std::fs::write(work.join("both.py"), src("py")).unwrap();
    std::fs::create_dir_all(work.join("pkg")).unwrap();
    let init = pyrite_vm::frozen::write::compile_file(b"from pkg.inner import WHO\n", "pkg/__init__.py").unwrap();
    std::fs::write(work.join("pkg/__init__.mpk"), init).unwrap();
    let inner = pyrite_vm::frozen::write::compile_file(src("inner").as_bytes(), "pkg/inner.py").unwrap();
    std::fs::write(work.join("pkg/inner.mpk"), inner).unwrap();
    let out = pyrite(&["-c", "import only_mpk, both, pkg\nprint(only_mpk.WHO, both.WHO, pkg.WHO, only_mpk.__file__)"], &work, &work);
    let want = "mpk py inner only_mpk.mpk\n";
    assert_eq!(String::from_utf8_lossy(&out.stdout), want, "{}", String::from_utf8_lossy(&out.stderr));
    // A traceback from it names the source file and line.
    let data = pyrite_vm::frozen::write::compile_file(b"x = 1\n\ndef f():\n    return 1 // 0\n", "boom.py").unwrap();
    std::fs::write(work.join("boom.mpk"), data).unwrap();
    let out = pyrite(&["-c", "import boom\nboom.f()"], &work, &work);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("File \"boom.py\", line 4, in f") && err.ends_with("ZeroDivisionError: divide by zero\n"), "{err}");
    // A file of another format version says so.
    std::fs::write(work.join("old.mpk"), b"PYMK\x00\x00\x00\x00\x00").unwrap();
    let out = pyrite(&["-c", "import old"], &work, &work);
    assert!(String::from_utf8_lossy(&out.stderr).ends_with("ValueError: incompatible .mpk file\n"));
    let _ = std::fs::remove_dir_all(&work);
}
