//! `dict.keys()`, `values()` and `items()`: live views `[dict, mode]` that
//! iterate the dict's entries in place instead of copying them.

use crate::error::PyResult;
use crate::objects::{dict, Kind, TypeId};
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::{put, Vm};
use alloc::vec::Vec;

pub const KEYS: isize = 0;
pub const VALUES: isize = 1;
pub const ITEMS: isize = 2;

impl Vm {
    pub fn new_dict_view(&mut self, d: Value, mode: isize) -> PyResult<Value> {
        let r = self.heap.alloc_values(Kind::DictView, 2)?;
        self.heap.set_slot(r, 0, d);
        self.heap.set_slot(r, 1, Value::small_int(mode));
        Ok(Value::obj(r))
    }

    pub(crate) fn dict_view_parts(&self, r: ObjRef) -> (ObjRef, isize) {
        let d = self.heap.slot(r, 0).as_obj().expect("view of a dict");
        (d, self.heap.slot(r, 1).as_small_int().unwrap_or(KEYS))
    }

    /// The view's item for entry `j` of its dict.
    pub(crate) fn dict_view_item(&mut self, r: ObjRef, j: usize) -> PyResult<Value> {
        let (d, mode) = self.dict_view_parts(r);
        let e = dict::raw_entries(&self.heap, d);
        let (k, v) = (e.get(2 * j).copied().unwrap_or(Value::NONE), e.get(2 * j + 1).copied().unwrap_or(Value::NONE));
        match mode {
            KEYS => Ok(k),
            VALUES => Ok(v),
            _ => self.new_tuple(&[k, v]),
        }
    }

    pub(crate) fn write_dict_view(&mut self, r: ObjRef, out: &mut Vec<u8>) -> PyResult<()> {
        let (_, mode) = self.dict_view_parts(r);
        put(
            out,
            match mode {
                KEYS => b"dict_keys(",
                VALUES => b"dict_values(",
                _ => b"dict_items(",
            },
        )?;
        let l = self.list_from_iter(Value::obj(r))?;
        self.with_root(l, |vm| vm.write_repr(l, out))?;
        put(out, b")")
    }
}

fn view(vm: &mut Vm, args: &Args, mode: isize) -> PyResult<Value> {
    if vm.kind_of(args.pos[0]) != Some(Kind::Dict) {
        return Err(vm.raise(TypeId::TypeError, "expected a dict"));
    }
    vm.new_dict_view(args.pos[0], mode)
}

pub fn keys(vm: &mut Vm, args: Args) -> PyResult<Value> {
    view(vm, &args, KEYS)
}

pub fn values(vm: &mut Vm, args: Args) -> PyResult<Value> {
    view(vm, &args, VALUES)
}

pub fn items(vm: &mut Vm, args: Args) -> PyResult<Value> {
    view(vm, &args, ITEMS)
}
