//! `machine.ADC`: an ADC channel the port resolves from the devicetree and
//! sets up as the devicetree configures it (gain, reference, resolution).
//! Instance layout: `[type, handle, id]`.

use super::{e, f};
use crate::error::PyResult;
use crate::modules::device::{self, not_found, os_error, HANDLE};
use crate::objects::{Kind, TypeId};
use crate::port::AdcId;
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::{put, Vm};
use alloc::vec::Vec;

const ID: usize = 2;

pub static ADC_ATTRS: crate::modules::Table = &[e!(q::read_u16, f::ADC_READ_U16), e!(q::read_uv, f::ADC_READ_UV)];

/// `ADC(id)`: `id` a name from an `io-channel-names` property (`"adc_pot"`),
/// or an ADC controller's node label and an input number (`("adc0", 3)`)
/// whose `channel@3` child node configures it.
pub fn adc_new(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let id = args.pos[0];
    // Copy the name out of the heap: the port call needs `&mut vm.port`.
    let mut name = [0u8; 48];
    let (len, input) = if let Some(s) = vm.str_bytes(id) {
        let n = s.len().min(name.len());
        name[..n].copy_from_slice(&s[..n]);
        (n, None)
    } else if let Some(&[ctrl, input]) = vm.seq_items(id) {
        let (Some(s), Some(i)) = (vm.str_bytes(ctrl), vm.as_int(input)) else {
            return Err(vm.raise(TypeId::ValueError, "ADC id must be a name or a (controller, channel) tuple"));
        };
        let n = s.len().min(name.len());
        name[..n].copy_from_slice(&s[..n]);
        (n, Some(i))
    } else {
        return Err(vm.raise(TypeId::ValueError, "ADC id must be a name or a (controller, channel) tuple"));
    };
    let adc_id = match input {
        None => AdcId::Name(&name[..len]),
        Some(i @ 0..=255) => AdcId::Channel(&name[..len], i as u32),
        Some(_) => return Err(vm.raise(TypeId::ValueError, "invalid ADC channel")),
    };
    // Allocate first so a failed allocation leaves the port untouched.
    let r = vm.heap.alloc_values(Kind::Native, 3)?;
    let handle = match vm.machine().adc_open(adc_id) {
        Ok(h) => h,
        Err(e) => return Err(not_found(vm, b"ADC", id, e, |p, each| p.adc_names(each))),
    };
    vm.heap.set_slot(r, 0, TypeId::ADC.value());
    vm.heap.set_slot(r, HANDLE, Value::small_int(handle as isize));
    vm.heap.set_slot(r, ID, id);
    Ok(Value::obj(r))
}

fn this_handle(vm: &mut Vm, args: &Args) -> PyResult<u32> {
    let r = device::this(vm, args, TypeId::ADC)?;
    Ok(device::handle(vm, r))
}

/// `read_u16()`: one conversion, scaled to 0-65535.
pub fn read_u16(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let h = this_handle(vm, &args)?;
    match vm.machine().adc_read_u16(h) {
        Ok(v) => Ok(Value::small_int(v as isize)),
        Err(e) => Err(os_error(vm, e)),
    }
}

/// `read_uv()`: one conversion, in microvolts, from the devicetree's
/// reference voltage and gain.
pub fn read_uv(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let h = this_handle(vm, &args)?;
    match vm.machine().adc_read_uv(h) {
        Ok(v) => vm.int_value(v as i64),
        Err(e) => Err(os_error(vm, e)),
    }
}

pub(crate) fn adc_repr(vm: &mut Vm, r: ObjRef, out: &mut Vec<u8>) -> PyResult<()> {
    put(out, b"ADC(")?;
    let id = vm.heap.slot(r, ID);
    vm.write_repr(id, out)?;
    put(out, b")")
}
