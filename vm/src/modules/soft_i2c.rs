//! `machine.SoftI2C(scl, sda, *, freq=400000, timeout=50000)`: I2C driven
//! bit by bit on two `Pin`s in open-drain mode, as an `embedded-hal` `I2c`,
//! so every method of `machine.I2C` (i2c.rs) works on it unchanged. SCL is
//! read back after each release, so a target may stretch the clock, up to
//! `timeout` microseconds. Instance layout: I2C's `[type, handle, id,
//! pending address, pending bytes]` (handle unused, id None), then
//! `[scl pin, sda pin, half period us, timeout us, freq]`.

use crate::error::PyResult;
use crate::modules::builtins::known_kwargs;
use crate::modules::i2c::{ID, PENDING, PENDING_ADDR};
use crate::modules::machine;
use crate::objects::{Kind, TypeId};
use crate::port::{DeviceError, Machine, PinMode, EIO};
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::{put, Vm};
use alloc::vec::Vec;
use embedded_hal::i2c::{ErrorType, I2c, Operation};

const SCL: usize = 5;
const SDA: usize = 6;
const HALF_US: usize = 7;
const TIMEOUT_US: usize = 8;
/// The clock asked for, in Hz (the half period is rounded to whole us).
const FREQ: usize = 9;
const SLOTS: usize = 10;

const ETIMEDOUT: i32 = 110;

/// The bus while a transaction runs: the port (for the pins and the
/// delay) and the pins' handles.
pub(crate) struct SoftI2c<'a> {
    pub port: &'a mut dyn Machine,
    pub scl: u32,
    pub sda: u32,
    pub half_us: u32,
    pub timeout_us: u32,
}

impl SoftI2c<'_> {
    /// Drives a line low, or releases it (the pull-up takes it high).
    fn line(&mut self, h: u32, high: bool) -> Result<(), DeviceError> {
        machine::bus_pin_set(self.port, h, high)
    }

    fn read(&mut self, h: u32) -> Result<bool, DeviceError> {
        machine::bus_pin_get(self.port, h)
    }

    fn delay(&mut self) {
        self.port.delay_us(self.half_us);
    }

    /// Releases SCL and waits while a target holds it low.
    fn scl_release(&mut self) -> Result<(), DeviceError> {
        self.line(self.scl, true)?;
        self.delay();
        let mut left = self.timeout_us;
        while !self.read(self.scl)? {
            if left == 0 {
                return Err(DeviceError::Errno(ETIMEDOUT));
            }
            left -= 1;
            self.port.delay_us(1);
        }
        Ok(())
    }

    /// START, or a repeated START with SCL low.
    fn start(&mut self) -> Result<(), DeviceError> {
        self.line(self.sda, true)?;
        self.delay();
        self.scl_release()?;
        self.line(self.sda, false)?;
        self.delay();
        Ok(())
    }

    pub(crate) fn stop(&mut self) -> Result<(), DeviceError> {
        self.delay();
        self.line(self.sda, false)?;
        self.delay();
        let r = self.scl_release();
        self.line(self.sda, true)?;
        self.delay();
        r
    }

    /// Sends a byte, most significant bit first: whether it was acknowledged.
    fn write_byte(&mut self, b: u8) -> Result<bool, DeviceError> {
        self.delay();
        self.line(self.scl, false)?;
        for i in (0..8).rev() {
            self.line(self.sda, b >> i & 1 != 0)?;
            self.delay();
            self.scl_release()?;
            self.line(self.scl, false)?;
        }
        self.line(self.sda, true)?;
        self.delay();
        self.scl_release()?;
        let nack = self.read(self.sda)?;
        self.delay();
        self.line(self.scl, false)?;
        Ok(!nack)
    }

    /// Receives a byte, then acknowledges it or (the last one) not.
    fn read_byte(&mut self, ack: bool) -> Result<u8, DeviceError> {
        self.delay();
        self.line(self.scl, false)?;
        self.delay();
        let mut v = 0u8;
        for _ in 0..8 {
            self.scl_release()?;
            v = v << 1 | self.read(self.sda)? as u8;
            self.line(self.scl, false)?;
            self.delay();
        }
        if ack {
            self.line(self.sda, false)?;
        }
        self.delay();
        self.scl_release()?;
        self.line(self.scl, false)?;
        self.line(self.sda, true)?;
        Ok(v)
    }

    /// The operations between the START and the STOP: a (repeated) START
    /// and the address where the direction changes, as `embedded-hal` says.
    fn run(&mut self, address: u8, ops: &mut [Operation<'_>]) -> Result<(), DeviceError> {
        let mut last_read = None;
        let n = ops.len();
        for i in 0..n {
            let read = matches!(ops[i], Operation::Read(_));
            let more_reads = matches!(ops.get(i + 1), Some(Operation::Read(_)));
            if last_read != Some(read) {
                self.start()?;
                if !self.write_byte(address << 1 | read as u8)? {
                    return Err(DeviceError::Nack);
                }
            }
            match &mut ops[i] {
                Operation::Write(data) => {
                    for &b in data.iter() {
                        // Zephyr's controllers report a refused byte as EIO too.
                        if !self.write_byte(b)? {
                            return Err(DeviceError::Errno(EIO));
                        }
                    }
                }
                Operation::Read(buf) => {
                    let len = buf.len();
                    for (j, b) in buf.iter_mut().enumerate() {
                        *b = self.read_byte(j + 1 < len || more_reads)?;
                    }
                }
            }
            last_read = Some(read);
        }
        Ok(())
    }
}

impl ErrorType for SoftI2c<'_> {
    type Error = DeviceError;
}

impl I2c for SoftI2c<'_> {
    fn transaction(&mut self, address: u8, ops: &mut [Operation<'_>]) -> Result<(), DeviceError> {
        let r = self.run(address, ops);
        let s = self.stop();
        r.and(s)
    }
}

/// The bus of a `SoftI2C` instance, over `vm`'s port.
pub(crate) fn bus(vm: &mut Vm, r: ObjRef) -> SoftI2c<'_> {
    let slot = |i| vm.heap.slot(r, i).as_small_int().unwrap_or(0) as u32;
    let (half_us, timeout_us) = (slot(HALF_US), slot(TIMEOUT_US));
    let (scl, sda) = (vm.heap.slot(r, SCL), vm.heap.slot(r, SDA));
    let (scl, sda) = (machine::pin_handle(vm, scl), machine::pin_handle(vm, sda));
    SoftI2c { port: vm.machine(), scl, sda, half_us, timeout_us }
}

/// `freq` and `timeout` keywords onto the instance.
fn timing(vm: &mut Vm, r: ObjRef, args: &Args) -> PyResult<()> {
    if let Some(v) = args.kwarg(q::freq) {
        match vm.machine_int(v)? {
            f @ 1..=0x3fff_ffff => {
                vm.heap.set_slot(r, HALF_US, Value::small_int((500_000 / f).max(1) as isize));
                vm.heap.set_slot(r, FREQ, Value::small_int(f as isize));
            }
            _ => return Err(vm.raise(TypeId::ValueError, "invalid freq")),
        }
    }
    if let Some(v) = args.kwarg(q::timeout) {
        let t = vm.machine_int(v)?.clamp(0, 0x3fff_ffff);
        vm.heap.set_slot(r, TIMEOUT_US, Value::small_int(t as isize));
    }
    Ok(())
}

/// `SoftI2C(scl, sda, *, freq=400000, timeout=50000)`.
pub fn soft_i2c_new(vm: &mut Vm, args: Args) -> PyResult<Value> {
    super::builtins::arity(vm, &args, 2, 2)?;
    known_kwargs(vm, &args, &[q::freq, q::timeout])?;
    let (scl, sda) = (args.pos[0], args.pos[1]);
    let r = vm.heap.alloc_values(Kind::Native, SLOTS)?;
    vm.heap.set_slot(r, 0, TypeId::SoftI2C.value());
    vm.heap.set_slot(r, crate::modules::device::HANDLE, Value::small_int(-1));
    vm.heap.set_slot(r, ID, Value::NONE);
    vm.heap.set_slot(r, PENDING_ADDR, Value::small_int(-1));
    vm.heap.set_slot(r, PENDING, Value::NONE);
    // 400 kHz: a half period of 1.25 us, rounded down to the 1 us floor.
    vm.heap.set_slot(r, HALF_US, Value::small_int(1));
    vm.heap.set_slot(r, FREQ, Value::small_int(400_000));
    vm.heap.set_slot(r, TIMEOUT_US, Value::small_int(50_000));
    vm.heap.set_slot(r, SCL, scl);
    vm.heap.set_slot(r, SDA, sda);
    // Both lines open-drain and released; a STOP frees a bus left mid-byte.
    machine::claim_pin(vm, scl, PinMode::OpenDrain)?;
    machine::claim_pin(vm, sda, PinMode::OpenDrain)?;
    timing(vm, r, &args)?;
    let _ = bus(vm, r).stop();
    Ok(Value::obj(r))
}

/// `init(*, freq, timeout)`.
pub(crate) fn init(vm: &mut Vm, r: ObjRef, args: &Args) -> PyResult<()> {
    known_kwargs(vm, args, &[q::freq, q::timeout])?;
    timing(vm, r, args)
}

/// `SoftI2C(scl=Pin('d15'), sda=Pin('d14'), freq=250000)`.
pub(crate) fn repr(vm: &mut Vm, r: ObjRef, out: &mut Vec<u8>) -> PyResult<()> {
    put(out, b"SoftI2C(scl=")?;
    vm.write_repr(vm.heap.slot(r, SCL), out)?;
    put(out, b", sda=")?;
    vm.write_repr(vm.heap.slot(r, SDA), out)?;
    put(out, b", freq=")?;
    let freq = vm.heap.slot(r, FREQ).as_small_int().unwrap_or(0);
    crate::runtime::format::put_int(out, freq as i64)?;
    put(out, b")")
}
