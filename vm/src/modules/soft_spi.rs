//! `machine.SoftSPI(baudrate=500000, *, polarity=0, phase=0, bits=8,
//! firstbit=MSB, sck, mosi, miso)`: SPI driven bit by bit on three `Pin`s,
//! as an `embedded-hal` `SpiDevice` with no chip select (Python drives one
//! with a `Pin`), so every method of `machine.SPI` (spi.rs) works on it.
//! Instance layout: SPI's `[type, handle, id, baudrate, mode]` (handle
//! unused, id None), then `[sck pin, mosi pin, miso pin]`.

use crate::error::PyResult;
use crate::modules::builtins::known_kwargs;
use crate::modules::machine;
use crate::objects::{Kind, TypeId};
use crate::port::{DeviceError, Machine, PinMode, SpiConfig};
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::{put, Vm};
use alloc::vec::Vec;
use embedded_hal::spi::{ErrorType, Operation, SpiDevice};

const SCK: usize = 5;
const MOSI: usize = 6;
const MISO: usize = 7;
const SLOTS: usize = 8;

/// The bus while a transaction runs.
pub(crate) struct SoftSpi<'a> {
    pub port: &'a mut dyn Machine,
    pub sck: u32,
    pub mosi: u32,
    pub miso: u32,
    pub config: SpiConfig,
}

impl SoftSpi<'_> {
    fn drive(&mut self, h: u32, high: bool) -> Result<(), DeviceError> {
        machine::bus_pin_set(self.port, h, high)
    }

    fn sample(&mut self) -> Result<bool, DeviceError> {
        machine::bus_pin_get(self.port, self.miso)
    }

    fn half(&mut self) {
        let half = 500_000 / self.config.baudrate.max(1);
        self.port.delay_us(half);
    }

    /// One byte each way. Phase 0: data out before the leading clock edge,
    /// sampled on it; phase 1: data out on the leading edge, sampled on the
    /// trailing one.
    fn byte(&mut self, out: u8) -> Result<u8, DeviceError> {
        let (idle, lsb) = (self.config.polarity, self.config.lsb_first);
        let mut got = 0u8;
        for i in 0..8 {
            let shift = if lsb { i } else { 7 - i };
            let bit = out >> shift & 1 != 0;
            let seen = if !self.config.phase {
                self.drive(self.mosi, bit)?;
                self.half();
                self.drive(self.sck, !idle)?;
                let s = self.sample()?;
                self.half();
                self.drive(self.sck, idle)?;
                s
            } else {
                self.drive(self.sck, !idle)?;
                self.drive(self.mosi, bit)?;
                self.half();
                self.drive(self.sck, idle)?;
                let s = self.sample()?;
                self.half();
                s
            };
            got |= (seen as u8) << shift;
        }
        Ok(got)
    }
}

impl ErrorType for SoftSpi<'_> {
    type Error = DeviceError;
}

impl SpiDevice<u8> for SoftSpi<'_> {
    fn transaction(&mut self, operations: &mut [Operation<'_, u8>]) -> Result<(), DeviceError> {
        for op in operations.iter_mut() {
            match op {
                Operation::Read(b) => {
                    for x in b.iter_mut() {
                        *x = self.byte(0)?;
                    }
                }
                Operation::Write(b) => {
                    for &x in b.iter() {
                        self.byte(x)?;
                    }
                }
                Operation::Transfer(r, w) => {
                    for i in 0..r.len().max(w.len()) {
                        let got = self.byte(w.get(i).copied().unwrap_or(0))?;
                        if let Some(x) = r.get_mut(i) {
                            *x = got;
                        }
                    }
                }
                Operation::TransferInPlace(b) => {
                    for x in b.iter_mut() {
                        *x = self.byte(*x)?;
                    }
                }
                Operation::DelayNs(ns) => self.port.delay_us(ns.div_ceil(1000)),
            }
        }
        Ok(())
    }
}

/// The bus of a `SoftSPI` instance, with its configuration, over `vm`'s port.
pub(crate) fn bus(vm: &mut Vm, r: ObjRef, config: SpiConfig) -> SoftSpi<'_> {
    let pin = |vm: &Vm, i| machine::pin_handle(vm, vm.heap.slot(r, i));
    let (sck, mosi, miso) = (pin(vm, SCK), pin(vm, MOSI), pin(vm, MISO));
    SoftSpi { port: vm.machine(), sck, mosi, miso, config }
}

/// `SoftSPI(...)`: the pins are required; the clock idles at `polarity`.
pub fn soft_spi_new(vm: &mut Vm, args: Args) -> PyResult<Value> {
    super::builtins::arity(vm, &args, 0, 1)?;
    known_kwargs(vm, &args, &[q::baudrate, q::polarity, q::phase, q::bits, q::firstbit, q::sck, q::mosi, q::miso])?;
    let pins = [q::sck, q::mosi, q::miso].map(|k| args.kwarg(k).filter(|v| !v.is_none()));
    let [Some(sck), Some(mosi), Some(miso)] = pins else {
        return Err(vm.raise(TypeId::ValueError, "must specify all of sck/mosi/miso"));
    };
    if let Some(b) = args.kwarg(q::bits) {
        if vm.machine_int(b)? != 8 {
            return Err(vm.raise(TypeId::ValueError, "bits must be 8"));
        }
    }
    let r = vm.heap.alloc_values(Kind::Native, SLOTS)?;
    vm.heap.set_slot(r, 0, TypeId::SoftSPI.value());
    vm.heap.set_slot(r, crate::modules::device::HANDLE, Value::small_int(-1));
    vm.heap.set_slot(r, super::spi::ID, Value::NONE);
    vm.heap.set_slot(r, SCK, sck);
    vm.heap.set_slot(r, MOSI, mosi);
    vm.heap.set_slot(r, MISO, miso);
    machine::claim_pin(vm, sck, PinMode::Out)?;
    machine::claim_pin(vm, mosi, PinMode::Out)?;
    machine::claim_pin(vm, miso, PinMode::In)?;
    let start = SpiConfig { baudrate: 500_000, polarity: false, phase: false, bits: 8, lsb_first: false };
    super::spi::store_config(vm, r, &start);
    super::spi::configure(vm, r, &args, 0)?;
    Ok(Value::obj(r))
}

/// After a configuration change: the clock to its idle level.
pub(crate) fn idle(vm: &mut Vm, r: ObjRef, config: SpiConfig) -> Result<(), DeviceError> {
    let mut b = bus(vm, r, config);
    b.drive(b.sck, config.polarity)
}

/// `SoftSPI(baudrate=500000, polarity=0, phase=0, sck=Pin(...), mosi=Pin(...), miso=Pin(...))`.
pub(crate) fn repr(vm: &mut Vm, r: ObjRef, out: &mut Vec<u8>) -> PyResult<()> {
    let c = super::spi::config_of(vm, r);
    put(out, b"SoftSPI(baudrate=")?;
    crate::runtime::format::put_int(out, c.baudrate as i64)?;
    put(out, b", polarity=")?;
    crate::runtime::format::put_int(out, c.polarity as i64)?;
    put(out, b", phase=")?;
    crate::runtime::format::put_int(out, c.phase as i64)?;
    for (label, slot) in [(&b", sck="[..], SCK), (b", mosi=", MOSI), (b", miso=", MISO)] {
        put(out, label)?;
        vm.write_repr(vm.heap.slot(r, slot), out)?;
    }
    put(out, b")")
}
