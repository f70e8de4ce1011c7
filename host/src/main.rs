//! `pyrite`: Pyrite on Linux, like MicroPython's unix port.
//!
//! ```text
//! pyrite [-X heapsize=N[K|M]] [-X rustheap=N[K|M]] [-c CODE | -m MODULE | FILE [ARGS...]]
//! ```
//! `-m` imports a module (a `.py` or a MicroPython `.mpy` file) from the
//! current directory or the library path, as MicroPython's `-m`. With
//! neither `-c`, `-m` nor a file it runs a REPL on a terminal, or runs
//! standard input as a script when that is not a terminal.

mod port;
mod rust_heap;
mod terminal;

#[global_allocator]
static RUST_HEAP: rust_heap::Capped = rust_heap::Capped;

use pyrite_vm::compile::Mode;
use pyrite_vm::repl::Session;
use pyrite_vm::vm::Limits;
use pyrite_vm::Vm;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPT: AtomicBool = AtomicBool::new(false);

const DEFAULT_HEAP: usize = 2 * 1024 * 1024;

const USAGE: &str = "usage: pyrite [-X heapsize=N[K|M]] [-X rustheap=N[K|M]] [-c CODE | -m MODULE | FILE [ARGS...]]\n";

enum Job {
    Code(String),
    Module(String),
    File(String),
    Repl,
}

fn parse_size(s: &str) -> Option<usize> {
    let (num, mult) = match s.as_bytes().last()? {
        b'k' | b'K' => (&s[..s.len() - 1], 1024),
        b'm' | b'M' => (&s[..s.len() - 1], 1024 * 1024),
        _ => (s, 1),
    };
    num.parse::<usize>().ok().map(|n| n * mult)
}

/// The heap sizes: Python's, and the cap on the Rust side's (none: None).
struct Heaps {
    python: usize,
    rust: Option<usize>,
}

fn parse_args() -> Result<(Job, Heaps), String> {
    let mut args = std::env::args().skip(1);
    let mut heaps = Heaps { python: DEFAULT_HEAP, rust: None };
    while let Some(a) = args.next() {
        match a.as_str() {
            "-c" => return args.next().map(|c| (Job::Code(c), heaps)).ok_or_else(|| "-c needs an argument".into()),
            "-m" => return args.next().map(|m| (Job::Module(m), heaps)).ok_or_else(|| "-m needs an argument".into()),
            "-X" => {
                let opt = args.next().ok_or("-X needs an argument")?;
                if let Some(size) = opt.strip_prefix("heapsize=") {
                    heaps.python = parse_size(size).filter(|&n| n >= 1024).ok_or_else(|| format!("bad heap size: {size}"))?;
                } else if opt.starts_with("emit=") {
                    // MicroPython's code emitters (bytecode, native, viper):
                    // Pyrite has one, bytecode, which runs them all.
                } else if let Some(size) = opt.strip_prefix("rustheap=") {
                    heaps.rust = Some(parse_size(size).ok_or_else(|| format!("bad heap size: {size}"))?);
                } else {
                    return Err(format!("unknown -X option: {opt}"));
                }
            }
            "-h" | "--help" => return Err(String::new()),
            f if !f.starts_with('-') || f == "-" => return Ok((Job::File(a), heaps)),
            other => return Err(format!("unknown option: {other}")),
        }
    }
    Ok((Job::Repl, heaps))
}

fn new_vm(heap: usize) -> Vm {
    let region: &'static mut [u8] = Box::leak(vec![0u8; heap].into_boxed_slice());
    let limits = Limits { max_call_depth: 1000, max_nesting: 200, max_native_depth: 200, ..Limits::default() };
    Vm::new(region, Box::new(port::HostPort::new(&INTERRUPT)), &INTERRUPT, limits).unwrap_or_else(|_| {
        eprintln!("pyrite: heap too small");
        std::process::exit(2);
    })
}

/// Runs a whole program; an uncaught exception prints its traceback and
/// makes the exit status 1.
fn run_program(vm: &mut Vm, src: &[u8], file: &str) -> ExitCode {
    let r = vm.exec(src, file, Mode::File).map(|_| ());
    finish(vm, r)
}

/// `pyrite -m NAME`: the module runs as `__main__`.
fn run_module(vm: &mut Vm, name: &str) -> ExitCode {
    let r = vm.run_main_module(name.as_bytes()).map(|_| ());
    finish(vm, r)
}

/// The exit status of a program that ended so; sys.atexit's function runs
/// as the program ends, however it ends.
fn finish(vm: &mut Vm, r: Result<(), pyrite_vm::PyErr>) -> ExitCode {
    let code = match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let exc = vm.exception_value(e);
            match exit_code(vm, exc) {
                Some(code) => code,
                None => {
                    vm.print_exception(exc);
                    ExitCode::from(1)
                }
            }
        }
    };
    if let Err(e) = vm.run_atexit() {
        let exc = vm.exception_value(e);
        vm.print_exception(exc);
    }
    code
}

/// `SystemExit` ends the program quietly: `SystemExit(n)` with status n,
/// `SystemExit()` with 0, anything else is printed and the status is 1.
fn exit_code(vm: &mut Vm, exc: pyrite_vm::Value) -> Option<ExitCode> {
    if vm.exception_type(exc) != pyrite_vm::objects::TypeId::SystemExit {
        return None;
    }
    let arg = vm.exception_args(exc).first().copied();
    Some(match arg {
        None => ExitCode::SUCCESS,
        Some(v) if v.is_none() => ExitCode::SUCCESS,
        Some(v) => match vm.as_int(v) {
            Some(n) => ExitCode::from(n as u8),
            None => {
                let mut text = Vec::new();
                let _ = vm.write_str(v, &mut text);
                text.push(b'\n');
                vm.port.stderr(&text);
                ExitCode::from(1)
            }
        },
    })
}

fn repl(vm: &mut Vm) -> ExitCode {
    let banner = format!(
        "Pyrite {} on {}; Rust Python for Zephyr and Linux\nUse Ctrl-D to exit, Ctrl-E for paste mode\n",
        env!("CARGO_PKG_VERSION"),
        vm.port.platform()
    );
    // Ctrl-D exits; so does machine.soft_reset(), as in MicroPython's unix
    // port (the SystemExit it raises ends the program).
    let mut session = Session::new(true);
    let mut terminal = terminal::Terminal::new();
    session.run(vm, &mut terminal, banner.as_bytes());
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let (job, heaps) = match parse_args() {
        Ok(x) => x,
        Err(msg) => {
            eprint!("{}{USAGE}", if msg.is_empty() { String::new() } else { format!("pyrite: {msg}\n") });
            return ExitCode::from(2);
        }
    };
    // Ctrl-C while Python runs raises KeyboardInterrupt at the next safe point.
    let _ = ctrlc::set_handler(|| INTERRUPT.store(true, Ordering::Relaxed));
    let mut vm = new_vm(heaps.python);
    let argv: Vec<String> = match &job {
        Job::File(path) => std::iter::once(path.clone()).chain(std::env::args().skip_while(|a| a != path).skip(1)).collect(),
        _ => vec![String::new()],
    };
    let argv: Vec<&[u8]> = argv.iter().map(|a| a.as_bytes()).collect();
    // As MicroPython's unix port: a script's own directory (absolute)
    // comes first.
    let script_dir = match &job {
        Job::File(path) => std::fs::canonicalize(path)
            .ok()
            .and_then(|p| p.parent().map(|d| d.to_string_lossy().into_owned()))
            .or_else(|| std::path::Path::new(path).parent().map(|p| p.to_string_lossy().into_owned()))
            .unwrap_or_default(),
        _ => String::new(),
    };
    // MICROPYPATH (colon-separated) replaces the default library path, as
    // in MicroPython's unix port.
    let lib = match std::env::var("MICROPYPATH") {
        Ok(p) => p,
        Err(_) => std::env::var("HOME").map(|h| format!("{h}/.micropython/lib:/usr/lib/micropython")).unwrap_or_default(),
    };
    // The script's directory, the frozen modules, the library (MicroPython's
    // order).
    let path: Vec<&[u8]> = [script_dir.as_bytes(), b".frozen"].into_iter().chain(lib.split(':').map(str::as_bytes)).collect();
    let file_set = match &job {
        Job::File(path) if path != "-" && !path.is_empty() => vm.set_main_file(path.as_bytes()).is_ok(),
        _ => true,
    };
    if !file_set || vm.set_argv(&argv).is_err() || vm.set_path(&path).is_err() {
        eprintln!("pyrite: heap too small");
        return ExitCode::from(2);
    }
    if let Some(n) = heaps.rust {
        rust_heap::cap(n);
    }
    match job {
        Job::Code(code) => run_program(&mut vm, code.as_bytes(), "<stdin>"),
        Job::Module(name) => run_module(&mut vm, &name),
        Job::File(path) if path == "-" || path.is_empty() => run_stdin(&mut vm),
        Job::File(path) => match std::fs::read(&path) {
            Ok(src) => run_program(&mut vm, &src, &path),
            Err(e) => {
                eprintln!("pyrite: can't open file '{path}': {e}");
                ExitCode::from(2)
            }
        },
        Job::Repl if std::io::stdin().is_terminal() => repl(&mut vm),
        Job::Repl => run_stdin(&mut vm),
    }
}

fn run_stdin(vm: &mut Vm) -> ExitCode {
    let mut src = Vec::new();
    if std::io::stdin().read_to_end(&mut src).is_err() {
        return ExitCode::from(2);
    }
    run_program(vm, &src, "<stdin>")
}
