//! Fault injection: every program under `tests/` runs again and again with
//! one of its heap allocations made to fail, for each allocation it makes.
//!
//! - Once with allocation N failing alone: the VM collects and retries the
//!   instruction, so the program must print exactly what it printed
//!   without faults.
//! - Once with N and the next failing too (the retry fails as well): the
//!   program must succeed or end in `MemoryError` (or in an exception a
//!   program's own `except` made of it), and never panic.
//!
//! After each run the heap must be whole after a collection (a walk of
//! every block, `Heap::check`) and the VM must go on running code.

#[path = "../src/port.rs"]
#[allow(dead_code)]
mod port;

mod common;
use common::programs;
use pyrite_vm::compile::Mode;
use pyrite_vm::objects::TypeId;
use pyrite_vm::vm::Limits;
use pyrite_vm::Vm;
use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

static INTERRUPT: AtomicBool = AtomicBool::new(false);
/// When the running program is stopped with Ctrl-C (milliseconds since
/// `EPOCH`, 0 for never): a fault can leave a program waiting forever for
/// what a task that died of it would have done (an asyncio writer).
static DEADLINE_MS: AtomicU64 = AtomicU64::new(0);
static EPOCH: OnceLock<Instant> = OnceLock::new();

fn now_ms() -> u64 {
    EPOCH.get_or_init(Instant::now).elapsed().as_millis() as u64
}

fn start_watchdog() {
    std::thread::spawn(|| loop {
        std::thread::sleep(Duration::from_millis(5));
        let d = DEADLINE_MS.load(Ordering::Relaxed);
        if d != 0 && now_ms() > d {
            INTERRUPT.store(true, Ordering::Relaxed);
        }
    });
}

/// Allocations each program's faulty runs may make together: a measure of
/// their cost that is the same from run to run, so every run of the test
/// tries the same N. A program with more (each run makes them all) is
/// tried at every N up to half its share and at evenly spread N after.
const ALLOC_BUDGET: u64 = 1_000_000;

/// Wall time the faulty runs of a program that mostly waits (sleeps,
/// timers) may take together; only such a program's share depends on time.
const SLOW_BUDGET: Duration = Duration::from_secs(4);

#[derive(Debug, PartialEq)]
enum Outcome {
    Done,
    Raised(TypeId),
}

struct Run {
    outcome: Outcome,
    output: Vec<u8>,
    allocs: u64,
}

/// One VM after another on one region: each starts afresh.
struct Bench {
    region: Option<&'static mut [u8]>,
}

impl Bench {
    fn vm(&mut self, out: &Rc<RefCell<Vec<u8>>>) -> Vm {
        let mut port = port::HostPort::new(&INTERRUPT);
        port.capture = Some(out.clone());
        let limits = Limits { max_call_depth: 1000, max_nesting: 200, max_native_depth: 200, ..Limits::default() };
        Vm::new(self.region.take().expect("region"), Box::new(port), &INTERRUPT, limits).expect("heap")
    }

    fn give_back(&mut self, mut vm: Vm) {
        let empty: &'static mut [u8] = &mut [];
        let heap = std::mem::replace(&mut vm.heap, pyrite_vm::heap::Heap::new(empty));
        drop(vm);
        self.region = Some(heap.into_region());
    }

    /// Runs `src` with allocations `fail_from..fail_from + count` failing
    /// (none when `fail_from` is 0); then checks the heap and the VM.
    fn run(&mut self, py: &Path, src: &[u8], fail_from: u64, count: u64, limit: Duration) -> Result<Run, String> {
        let out = Rc::new(RefCell::new(Vec::new()));
        INTERRUPT.store(false, Ordering::Relaxed);
        DEADLINE_MS.store(now_ms() + limit.as_millis() as u64, Ordering::Relaxed);
        let mut vm = self.vm(&out);
        let dir = py.parent().unwrap().to_string_lossy().into_owned();
        let name = py.file_name().unwrap().to_string_lossy().into_owned();
        vm.set_main_file(name.as_bytes()).map_err(|_| "set_main_file")?;
        vm.set_argv(&[name.as_bytes()]).map_err(|_| "set_argv")?;
        vm.set_path(&[dir.as_bytes(), b".frozen"]).map_err(|_| "set_path")?;
        vm.heap.faults = pyrite_vm::heap::FaultPlan { allocs: 0, fail_from, count };
        let result = vm.exec(src, &name, Mode::File);
        let _ = vm.run_atexit();
        DEADLINE_MS.store(0, Ordering::Relaxed);
        INTERRUPT.store(false, Ordering::Relaxed);
        let allocs = vm.heap.faults.allocs;
        vm.heap.faults = Default::default();
        // A program may end with the heap locked (micropython.heap_lock());
        // the REPL would unlock it too.
        vm.heap.lock_depth = 0;
        let outcome = match result {
            Ok(_) => Outcome::Done,
            Err(e) => {
                let exc = vm.exception_value(e);
                if std::env::var_os("FI_ONLY").is_some() {
                    vm.print_exception(exc);
                }
                match vm.exception_type(exc) {
                    TypeId::SystemExit => Outcome::Done,
                    t => Outcome::Raised(t),
                }
            }
        };
        vm.collect();
        let checked = vm.heap.check();
        let vm_free = vm.heap.free_bytes();
        let stats = vm.heap.block_stats();
        // The VM goes on, with no faults.
        let before = out.borrow().len();
        let after = vm.exec(b"x = [1, 2, 3]\nprint('after', sum(x) * 7, str(x))\n", "after", Mode::File);
        let tail = out.borrow()[before..].to_vec();
        let after_err = after.as_ref().err().map(|&e| {
            let exc = vm.exception_value(e);
            vm.exception_type(exc)
        });
        self.give_back(vm);
        checked.map_err(|e| format!("heap damaged: {e}"))?;
        // Unless the program's own data fills the heap (it kept what it
        // made before MemoryError stopped it), or cuts what is free into
        // runs too short for a list.
        let full = vm_free < 8 * 1024 || stats.3 < 32;
        if (after.is_err() && !full) || (after.is_ok() && tail != b"after 42 [1, 2, 3]\n") {
            return Err(format!(
                "the VM did not go on ({after_err:?}, {vm_free} bytes free, blocks {stats:?}): {:?}",
                String::from_utf8_lossy(&tail)
            ));
        }
        let mut output = out.take();
        output.truncate(before);
        Ok(Run { outcome, output, allocs })
    }
}

#[test]
fn every_allocation_fails_in_turn() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests");
    let mut progs = Vec::new();
    programs(&root, &mut progs);
    let region: &'static mut [u8] = Box::leak(vec![0u8; 2 * 1024 * 1024].into_boxed_slice());
    let mut bench = Bench { region: Some(region) };
    start_watchdog();
    let mut failures = Vec::new();
    let (mut runs, mut memory_errors) = (0u64, 0u64);
    // FI_ONLY=name.py:N:count runs that one case and shows what it printed.
    let only = std::env::var("FI_ONLY").ok();
    if let Some(spec) = &only {
        let mut parts = spec.split(':');
        let (name, n, count) =
            (parts.next().unwrap(), parts.next().unwrap().parse().unwrap(), parts.next().map_or(1, |c| c.parse().unwrap()));
        let py = progs.iter().find(|p| p.ends_with(name)).expect("a program of that name");
        std::env::set_current_dir(py.parent().unwrap()).unwrap();
        let src = std::fs::read(py).unwrap();
        for (n, count) in [(0, 0), (n, count)] {
            match bench.run(py, &src, n, count, Duration::from_secs(10)) {
                Ok(r) => {
                    eprintln!(
                        "--- allocation {n} x{count}: {:?} after {} allocations\n{}",
                        r.outcome,
                        r.allocs,
                        String::from_utf8_lossy(&r.output)
                    );
                    if let Some(dir) = std::env::var_os("FI_OUT") {
                        std::fs::write(Path::new(&dir).join(format!("{n}.out")), &r.output).unwrap();
                    }
                }
                Err(e) => eprintln!("--- allocation {n} x{count}: {e}"),
            }
        }
        return;
    }
    for py in &progs {
        let src = std::fs::read(py).unwrap();
        std::env::set_current_dir(py.parent().unwrap()).unwrap();
        if std::env::var_os("FI_VERBOSE").is_some() {
            eprintln!("start {}", py.display());
        }
        let started = Instant::now();
        let clean = match bench.run(py, &src, 0, 0, Duration::from_secs(60)) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{}: without faults: {e}", py.display()));
                continue;
            }
        };
        // Two runs per N, each about as long as the clean one.
        let took = started.elapsed();
        let limit = took * 10 + Duration::from_secs(1);
        let per_run = took.max(Duration::from_micros(50)) * 2;
        let mut share = (ALLOC_BUDGET / clean.allocs.max(1)).max(20);
        if took > Duration::from_millis(20) {
            share = share.min((SLOW_BUDGET.as_micros() / per_run.as_micros()).max(20) as u64);
        }
        let ns: Vec<u64> = if clean.allocs <= share {
            (1..=clean.allocs).collect()
        } else {
            let every = share / 2;
            let step = (clean.allocs - every).div_ceil(share - every).max(1);
            (1..=every).chain((every + 1..=clean.allocs).step_by(step as usize)).collect()
        };
        for &n in &ns {
            for count in [1, 2] {
                runs += 1;
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| bench.run(py, &src, n, count, limit)));
                let r = match r {
                    Ok(Ok(r)) => r,
                    Ok(Err(e)) => {
                        eprintln!("FAIL {} allocation {n} (x{count}): {e}", py.display());
                        failures.push(format!("{} allocation {n} (x{count}): {e}", py.display()));
                        continue;
                    }
                    Err(_) => {
                        eprintln!("FAIL {} allocation {n} (x{count}): panicked", py.display());
                        failures.push(format!("{} allocation {n} (x{count}): panicked", py.display()));
                        // The region went with the unwound VM.
                        bench.region = Some(Box::leak(vec![0u8; 2 * 1024 * 1024].into_boxed_slice()));
                        continue;
                    }
                };
                let same = r.outcome == clean.outcome && r.output == clean.output;
                let memory_error = r.outcome == Outcome::Raised(TypeId::MemoryError);
                let ok = match count {
                    // Retried after a collection, the program must not notice;
                    // where no retry is possible (an instruction that had
                    // already changed something), it ends in MemoryError
                    // having printed no more than it would have.
                    1 => same || (memory_error && clean.output.starts_with(&r.output)),
                    // Out of memory for good: MemoryError, or whatever the
                    // program's own handlers made of it, or a program that
                    // waits forever for a task that died of it.
                    _ => {
                        same || memory_error
                            || r.outcome == Outcome::Done
                            || r.outcome == Outcome::Raised(TypeId::KeyboardInterrupt)
                            || r.outcome == clean.outcome
                    }
                };
                if memory_error {
                    memory_errors += 1;
                }
                if !ok {
                    let what = format!(
                        "{} allocation {n} x{count}: {:?} {:?}, not {:?} {:?}",
                        py.display(),
                        r.outcome,
                        String::from_utf8_lossy(&r.output),
                        clean.outcome,
                        String::from_utf8_lossy(&clean.output)
                    );
                    eprintln!("FAIL {what}");
                    failures.push(what);
                }
            }
        }
        eprintln!("{}: {} allocations, {} tried", py.display(), clean.allocs, ns.len());
    }
    eprintln!("{} programs, {runs} runs, {memory_errors} ended in MemoryError", progs.len());
    for f in failures.iter().take(40) {
        eprintln!("{f}");
    }
    assert!(failures.is_empty(), "{} failures", failures.len());
}
