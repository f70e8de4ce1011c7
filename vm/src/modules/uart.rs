//! `machine.UART`: a serial port the port resolves by devicetree name and
//! drives through `embedded-io`. Reads are timed here, as MicroPython's
//! are: `timeout` ms for the first byte, `timeout_char` ms between bytes.
//! Instance layout: `[type, handle, id, timeout, timeout_char]`.

use super::{e, f};
use crate::error::{PyErr, PyResult};
use crate::modules::builtins::known_kwargs;
use crate::modules::device::{self, handle, not_found, os_error, HANDLE};
use crate::objects::{Kind, TypeId};
use crate::port::UartConfig;
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::{put, Vm};
use alloc::vec::Vec;

const ID: usize = 2;
const TIMEOUT: usize = 3;
const TIMEOUT_CHAR: usize = 4;

pub static UART_ATTRS: crate::modules::Table = &[
    e!(q::init, f::UART_INIT),
    e!(q::read, f::UART_READ),
    e!(q::readinto, f::UART_READINTO),
    e!(q::readline, f::UART_READLINE),
    e!(q::write, f::UART_WRITE),
    e!(q::any, f::UART_ANY),
    e!(q::flush, f::UART_FLUSH),
    e!(q::txdone, f::UART_TXDONE),
    e!(q::irq, f::UART_IRQ),
    e!(q::IRQ_RX, Value::small_int(IRQ_RX)),
];

/// The keywords `UART(...)` and `init(...)` take.
const KEYWORDS: &[crate::qstr::Qstr] = &[q::baudrate, q::bits, q::parity, q::stop, q::timeout, q::timeout_char, q::tx, q::rx];

/// `UART(id, baudrate, *, bits=8, parity=None, stop=1, timeout=0,
/// timeout_char=0)`: `id` a devicetree node label or alias (`"uart1"`);
/// its pins are the devicetree's.
pub fn uart_new(vm: &mut Vm, args: Args) -> PyResult<Value> {
    super::builtins::arity(vm, &args, 0, 2)?;
    let id = device::id_or_default(vm, &args, b"UART")?;
    let (name, n) = device::name_arg(vm, id, q::UART)?;
    // Allocate first so a failed allocation leaves the port untouched.
    let r = vm.heap.alloc_values(Kind::Native, 5)?;
    let handle = match vm.machine().uart_open(&name[..n]) {
        Ok(h) => h,
        Err(e) => return Err(not_found(vm, b"UART", id, e, |p, each| p.uart_names(each))),
    };
    vm.heap.set_slot(r, 0, TypeId::UART.value());
    vm.heap.set_slot(r, HANDLE, Value::small_int(handle as isize));
    vm.heap.set_slot(r, ID, id);
    vm.heap.set_slot(r, TIMEOUT, Value::small_int(0));
    vm.heap.set_slot(r, TIMEOUT_CHAR, Value::small_int(0));
    configure(vm, r, &args, args.pos.get(1).copied())?;
    Ok(Value::obj(r))
}

/// Applies `init`'s arguments: the frame format when any part of it is
/// given (the rest at MicroPython's defaults), and the read timeouts.
fn configure(vm: &mut Vm, r: ObjRef, args: &Args, baud_pos: Option<Value>) -> PyResult<()> {
    known_kwargs(vm, args, KEYWORDS)?;
    if args.kwarg(q::tx).is_some() || args.kwarg(q::rx).is_some() {
        return Err(vm.raise(TypeId::ValueError, "explicit choice of tx/rx is not implemented"));
    }
    let baud = baud_pos.or_else(|| args.kwarg(q::baudrate));
    let (bits, parity, stop) = (args.kwarg(q::bits), args.kwarg(q::parity), args.kwarg(q::stop));
    if baud.is_some() || bits.is_some() || parity.is_some() || stop.is_some() {
        let mut c = UartConfig { baudrate: 115_200, bits: 8, parity: None, stop: 1 };
        if let Some(b) = baud {
            match vm.machine_int(b)? {
                b @ 1..=0xffff_ffff => c.baudrate = b as u32,
                _ => return Err(vm.raise(TypeId::ValueError, "invalid baudrate")),
            }
        }
        if let Some(b) = bits {
            match vm.machine_int(b)? {
                b @ 5..=9 => c.bits = b as u8,
                _ => return Err(vm.raise(TypeId::ValueError, "invalid data bits")),
            }
        }
        if let Some(p) = parity.filter(|p| !p.is_none()) {
            match vm.machine_int(p)? {
                p @ 0..=1 => c.parity = Some(p as u8),
                _ => return Err(vm.raise(TypeId::ValueError, "invalid parity")),
            }
        }
        if let Some(s) = stop {
            match vm.machine_int(s)? {
                s @ 1..=2 => c.stop = s as u8,
                _ => return Err(vm.raise(TypeId::ValueError, "invalid stop bits")),
            }
        }
        let dev = handle(vm, r);
        if let Err(e) = vm.machine().uart_configure(dev, c) {
            return Err(os_error(vm, e));
        }
    }
    for (key, slot) in [(q::timeout, TIMEOUT), (q::timeout_char, TIMEOUT_CHAR)] {
        if let Some(v) = args.kwarg(key) {
            let ms = vm.machine_int(v)?.max(0);
            let v = vm.int_value(ms)?;
            vm.heap.set_slot(r, slot, v);
        }
    }
    Ok(())
}

fn this(vm: &mut Vm, args: &Args) -> PyResult<ObjRef> {
    device::this(vm, args, TypeId::UART)
}

fn millis(vm: &mut Vm, r: ObjRef, slot: usize) -> u64 {
    let v = vm.heap.slot(r, slot);
    vm.as_int(v).unwrap_or(0).max(0) as u64
}

/// Reads up to `limit` bytes, waiting `timeout` ms for the first and
/// `timeout_char` ms for each next one; stops after a `\n` if `line`.
fn read_timed(vm: &mut Vm, r: ObjRef, limit: usize, line: bool) -> PyResult<Vec<u8>> {
    let h = handle(vm, r);
    let (first, next) = (millis(vm, r, TIMEOUT) * 1000, millis(vm, r, TIMEOUT_CHAR) * 1000);
    let mut out: Vec<u8> = Vec::new();
    let mut since = vm.port.ticks_us();
    while out.len() < limit && !(line && out.last() == Some(&b'\n')) {
        if vm.machine().uart_any(h) > 0 {
            let mut buf = [0u8; 64];
            // A line is read a byte at a time, so nothing after its end is taken.
            let want = if line { 1 } else { (limit - out.len()).min(buf.len()) };
            let got = match vm.machine().uart(h) {
                Some(u) => u.read(&mut buf[..want]),
                None => Ok(0),
            };
            let n = got.map_err(|e| os_error(vm, e))?;
            out.try_reserve(n).map_err(|_| PyErr::NoMemory)?;
            out.extend_from_slice(&buf[..n]);
            since = vm.port.ticks_us();
            continue;
        }
        let waited = vm.port.ticks_us().saturating_sub(since);
        if waited >= if out.is_empty() { first } else { next } {
            break;
        }
        vm.port.sleep_us(1000);
        vm.check_interrupt()?;
    }
    Ok(out)
}

/// `read([nbytes])`: what arrives within the timeouts (all that is there
/// without `nbytes`), or None if nothing did.
pub fn read(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let limit = match args.pos.get(1) {
        Some(&n) => vm.machine_int(n)?.max(0) as usize,
        None => usize::MAX,
    };
    let data = read_timed(vm, r, limit, false)?;
    if data.is_empty() && limit > 0 {
        return Ok(Value::NONE);
    }
    vm.new_bytes(&data)
}

/// `readinto(buf[, nbytes])`: the number of bytes read, or None.
pub fn readinto(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let Some(dst) = args.pos[1].as_obj().filter(|&d| vm.heap.kind(d) == Kind::ByteArray) else {
        return Err(vm.raise(TypeId::TypeError, "a writable buffer is required"));
    };
    let room = vm.bytearray_data(dst).len();
    let limit = match args.pos.get(2) {
        Some(&n) => (vm.machine_int(n)?.max(0) as usize).min(room),
        None => room,
    };
    let data = read_timed(vm, r, limit, false)?;
    if data.is_empty() && limit > 0 {
        return Ok(Value::NONE);
    }
    vm.bytearray_splice(dst, 0, data.len(), &data)?;
    Ok(Value::small_int(data.len() as isize))
}

/// `readline()`: up to and including a `\n`, or what came before the
/// timeout; None if nothing did.
pub fn readline(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let data = read_timed(vm, r, usize::MAX, true)?;
    if data.is_empty() {
        return Ok(Value::NONE);
    }
    vm.new_bytes(&data)
}

/// `write(buf)`: the number of bytes written.
pub fn write(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let Some(data) = vm.bytes_payload(args.pos[1]).or_else(|| vm.str_bytes(args.pos[1])).map(<[u8]>::to_vec) else {
        return Err(vm.raise(TypeId::TypeError, "object with buffer protocol required"));
    };
    let h = handle(vm, r);
    let result = match vm.machine().uart(h) {
        Some(u) => u.write_all(&data),
        None => Ok(()),
    };
    result.map_err(|e| os_error(vm, e))?;
    Ok(Value::small_int(data.len() as isize))
}

/// `any()`: bytes waiting to be read.
pub fn any(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let h = handle(vm, r);
    Ok(Value::small_int(vm.machine().uart_any(h) as isize))
}

/// `flush()`: waits until everything written has been sent.
pub fn flush(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let h = handle(vm, r);
    while !vm.machine().uart_txdone(h) {
        vm.port.sleep_us(1000);
        vm.check_interrupt()?;
    }
    Ok(Value::NONE)
}

/// `txdone()`: whether everything written has been sent.
pub fn txdone(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    let h = handle(vm, r);
    Ok(Value::from_bool(vm.machine().uart_txdone(h)))
}

/// `UART.IRQ_RX`: bytes were received.
pub const IRQ_RX: isize = 1;

/// `irq(handler=None, trigger=UART.IRQ_RX, hard=False)`: `handler(uart)`
/// runs after bytes arrive, between instructions (the interrupt only queues
/// the event, as for `Pin.irq`); `handler=None` turns it off.
pub fn irq(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    known_kwargs(vm, &args, &[q::handler, q::trigger, q::hard])?;
    let handler = args.pos.get(1).copied().or_else(|| args.kwarg(q::handler)).unwrap_or(Value::NONE);
    let trigger = match args.pos.get(2).copied().or_else(|| args.kwarg(q::trigger)) {
        Some(v) => vm.machine_int(v)?,
        None => IRQ_RX as i64,
    };
    if trigger & !(IRQ_RX as i64) != 0 {
        return Err(vm.raise(TypeId::ValueError, "invalid trigger"));
    }
    let h = handle(vm, r);
    let on = !handler.is_none() && trigger != 0;
    vm.set_irq_handler(crate::port::EventSource::Uart, h, on.then_some((handler, Value::obj(r))))?;
    if let Err(e) = vm.machine().uart_irq(h, on) {
        return Err(os_error(vm, e));
    }
    Ok(Value::NONE)
}

/// What `select.poll` sees of a UART: readable with bytes waiting,
/// writable always (writes wait for the transmitter themselves).
#[cfg(all(feature = "machine-uart", feature = "select"))]
pub(crate) fn poll_events(vm: &mut Vm, uart: Value) -> isize {
    let h = uart.as_obj().map_or(0, |r| handle(vm, r));
    let readable = vm.machine().uart_any(h) > 0;
    crate::modules::select::POLLOUT | if readable { crate::modules::select::POLLIN } else { 0 }
}

/// `init(baudrate, *, bits, parity, stop, timeout, timeout_char)`.
pub fn init(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let r = this(vm, &args)?;
    configure(vm, r, &args, args.pos.get(1).copied())?;
    Ok(Value::NONE)
}

pub(crate) fn uart_repr(vm: &mut Vm, r: ObjRef, out: &mut Vec<u8>) -> PyResult<()> {
    put(out, b"UART(")?;
    let id = vm.heap.slot(r, ID);
    vm.write_repr(id, out)?;
    put(out, b")")
}
