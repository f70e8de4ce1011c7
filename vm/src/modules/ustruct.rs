//! `struct`: packing values into bytes and back, as MicroPython's
//! `struct` does: byte order prefix `@ = < > !`, codes `b B h H i I l L
//! q Q f d s x ? P`, repeat counts, native alignment for `@`.

use crate::error::{PyResult, TryToVec};
use crate::objects::bignum::Big;
use crate::objects::fmath::{self as fm, Float};
use crate::objects::{Kind, TypeId};
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;
use alloc::vec::Vec;

/// One field: its code, repeat count (or `s` length) and byte size.
#[derive(Copy, Clone)]
struct Field {
    code: u8,
    count: usize,
    size: usize,
}

struct Format {
    little: bool,
    native: bool,
    fields: Vec<Field>,
}

fn size_of(code: u8) -> Option<usize> {
    Some(match code {
        b'b' | b'B' | b'x' | b's' | b'?' | b'c' => 1,
        b'h' | b'H' | b'e' => 2,
        b'i' | b'I' | b'l' | b'L' | b'f' => 4,
        b'q' | b'Q' | b'd' => 8,
        b'P' => core::mem::size_of::<usize>(),
        _ => return None,
    })
}

impl Format {
    fn parse(vm: &mut Vm, v: Value) -> PyResult<Format> {
        let Some(text) = vm.str_bytes(v).or_else(|| vm.bytes_payload(v)) else {
            return Err(vm.raise(TypeId::TypeError, "format must be str"));
        };
        let text = text.to_vec();
        let (little, native, body) = match text.first() {
            Some(b'<') => (true, false, &text[1..]),
            Some(b'>' | b'!') => (false, false, &text[1..]),
            Some(b'=') => (cfg!(target_endian = "little"), false, &text[1..]),
            Some(b'@') => (cfg!(target_endian = "little"), true, &text[1..]),
            _ => (cfg!(target_endian = "little"), true, &text[..]),
        };
        let mut fields = Vec::new();
        let mut i = 0;
        while i < body.len() {
            if body[i].is_ascii_whitespace() {
                i += 1;
                continue;
            }
            let start = i;
            while i < body.len() && body[i].is_ascii_digit() {
                i += 1;
            }
            let count = if i > start {
                body[start..i].iter().fold(0usize, |n, &d| n.saturating_mul(10).saturating_add((d - b'0') as usize))
            } else {
                1
            };
            let Some(&code) = body.get(i) else { return Err(vm.raise(TypeId::ValueError, "bad char in struct format")) };
            i += 1;
            let Some(size) = size_of(code) else { return Err(vm.raise(TypeId::ValueError, "bad char in struct format")) };
            fields.push(Field { code, count, size });
        }
        Ok(Format { little, native, fields })
    }

    /// The packed size and how many values it holds, by arithmetic (a
    /// repeat count may be huge); ValueError if the size is beyond the
    /// address space. Only a format whose size has been checked against a
    /// real buffer or argument list is laid out item by item.
    fn totals(&self, vm: &mut Vm) -> PyResult<(usize, usize)> {
        let sizes = || {
            let (mut at, mut n) = (0usize, 0usize);
            for f in &self.fields {
                let align = if self.native && f.size > 1 && f.code != b's' { f.size } else { 1 };
                let (len, values) = match f.code {
                    b's' => (f.count, 1),
                    b'x' => (f.count, 0),
                    _ => (f.count.checked_mul(f.size)?, f.count),
                };
                at = at.checked_next_multiple_of(align)?.checked_add(len)?;
                n = n.saturating_add(values);
            }
            Some((at, n))
        };
        sizes().ok_or_else(|| struct_error(vm, "total struct size too long"))
    }

    /// Byte offsets of each value, and the total size.
    fn layout(&self) -> (Vec<(Field, usize)>, usize) {
        let mut at = 0usize;
        let mut out = Vec::new();
        for &f in &self.fields {
            if self.native && f.size > 1 && f.code != b's' {
                at = at.div_ceil(f.size) * f.size;
            }
            match f.code {
                b's' => {
                    out.push((f, at));
                    at += f.count;
                }
                b'x' => at += f.count,
                _ => {
                    for _ in 0..f.count {
                        out.push((Field { count: 1, ..f }, at));
                        at += f.size;
                    }
                }
            }
        }
        (out, at)
    }
}

fn struct_error(vm: &mut Vm, msg: &str) -> crate::error::PyErr {
    vm.raise(TypeId::ValueError, msg)
}

fn pack_into_buf(vm: &mut Vm, fmt: &Format, vals: &[Value], out: &mut [u8]) -> PyResult<()> {
    let (items, _) = fmt.layout();
    for (&(f, at), &v) in items.iter().zip(vals) {
        let dst = &mut out[at..at + if f.code == b's' { f.count } else { f.size }];
        match f.code {
            b's' => {
                let Some(b) = vm.bytes_payload(v) else { return Err(vm.raise(TypeId::TypeError, "argument for 's' must be bytes")) };
                let n = b.len().min(dst.len());
                dst[..n].copy_from_slice(&b[..n]);
                dst[n..].fill(0);
            }
            b'e' | b'f' | b'd' => {
                let Some(x) = vm.as_number(v) else { return Err(vm.raise(TypeId::TypeError, "required argument is not a float")) };
                // (Float is f32 or f64: one of these casts is the identity.)
                #[allow(clippy::unnecessary_cast)]
                let bytes = match f.code {
                    b'e' => float_to_half(x).to_le_bytes().to_vec(),
                    b'f' => (x as f32).to_bits().to_le_bytes().to_vec(),
                    _ => (x as f64).to_bits().to_le_bytes().to_vec(),
                };
                dst.copy_from_slice(&bytes);
                if !fmt.little {
                    dst.reverse();
                }
            }
            _ => {
                let b = match vm.as_big(v)? {
                    Some(b) => b,
                    None if f.code == b'?' => Big::from_i64(vm.truthy(v)? as i64)?,
                    None => return Err(vm.raise(TypeId::TypeError, "can't convert to int")),
                };
                // MicroPython truncates out-of-range values to the field.
                let wide = b.to_bytes_le(f.size + 8, true)?.unwrap_or_default();
                dst.copy_from_slice(&wide[..f.size.min(wide.len())]);
                if !fmt.little {
                    dst.reverse();
                }
            }
        }
    }
    Ok(())
}

fn unpack_buf(vm: &mut Vm, fmt: &Format, buf: &[u8]) -> PyResult<Value> {
    let (items, _) = fmt.layout();
    let mut vals: Vec<Value> = Vec::new();
    let out = vm.new_list(&[])?;
    let l = out.as_obj().expect("list");
    vm.with_root(out, |vm| {
        for &(f, at) in &items {
            let src = &buf[at..at + if f.code == b's' { f.count } else { f.size }];
            let v = match f.code {
                b's' => vm.new_bytes(src)?,
                b'e' | b'f' | b'd' => {
                    let mut b = [0u8; 8];
                    b[..src.len()].copy_from_slice(src);
                    if !fmt.little {
                        b[..src.len()].reverse();
                    }
                    let x = match f.code {
                        b'e' => half_to_float(u16::from_le_bytes([b[0], b[1]])),
                        b'f' => f32::from_bits(u32::from_le_bytes([b[0], b[1], b[2], b[3]])) as Float,
                        _ => f64::from_le_bytes(b) as Float,
                    };
                    vm.new_float(x)?
                }
                b'?' => Value::from_bool(src.iter().any(|&c| c != 0)),
                code => {
                    let mut b = src.to_vec();
                    if !fmt.little {
                        b.reverse();
                    }
                    let signed = code.is_ascii_lowercase();
                    vm.new_int_big(Big::from_bytes_le(&b, signed)?)?
                }
            };
            vm.list_push(l, v)?;
        }
        Ok(())
    })?;
    vals.extend_from_slice(crate::objects::list::items(&vm.heap, l));
    vm.new_tuple(&vals)
}

pub fn calcsize(vm: &mut Vm, args: Args) -> PyResult<Value> {
    crate::modules::builtins::arity(vm, &args, 1, 1)?;
    let fmt = Format::parse(vm, args.pos[0])?;
    let (size, _) = fmt.totals(vm)?;
    vm.int_value(size as i64)
}

/// The values' count checked against the format's.
fn check_count(vm: &mut Vm, n: usize, vals: &[Value]) -> PyResult<()> {
    if n != vals.len() {
        return Err(struct_error(vm, "incorrect number of arguments"));
    }
    Ok(())
}

pub fn pack(vm: &mut Vm, args: Args) -> PyResult<Value> {
    crate::modules::builtins::arity(vm, &args, 1, usize::MAX)?;
    let fmt = Format::parse(vm, args.pos[0])?;
    let (size, n) = fmt.totals(vm)?;
    check_count(vm, n, &args.pos[1..])?;
    // Padding can make the size huge: out of memory is MemoryError.
    let mut out = Vec::new();
    out.try_reserve_exact(size).map_err(|_| crate::error::PyErr::NoMemory)?;
    out.resize(size, 0);
    pack_into_buf(vm, &fmt, &args.pos[1..], &mut out)?;
    vm.new_bytes(&out)
}

/// `pack_into(fmt, buffer, offset, *values)` into a bytearray.
pub fn pack_into(vm: &mut Vm, args: Args) -> PyResult<Value> {
    crate::modules::builtins::arity(vm, &args, 3, usize::MAX)?;
    let fmt = Format::parse(vm, args.pos[0])?;
    let buf = vm.native_value(args.pos[1]);
    let Some(r) = buf.as_obj().filter(|&r| vm.heap.kind(r) == Kind::ByteArray) else {
        return Err(vm.raise(TypeId::TypeError, "object with buffer protocol required"));
    };
    let len = vm.bytearray_data(r).len() as i64;
    let off = vm.as_int(args.pos[2]).unwrap_or(0);
    let off = if off < 0 { off + len } else { off };
    let (size, n) = fmt.totals(vm)?;
    let size = size as i64;
    if off < 0 || off.saturating_add(size) > len {
        return Err(struct_error(vm, "buffer too small"));
    }
    check_count(vm, n, &args.pos[3..])?;
    let mut data = vm.bytearray_data(r).try_to_vec()?;
    pack_into_buf(vm, &fmt, &args.pos[3..], &mut data[off as usize..(off + size) as usize])?;
    vm.bytearray_splice(r, 0, len as usize, &data)?;
    Ok(Value::NONE)
}

pub fn unpack(vm: &mut Vm, args: Args) -> PyResult<Value> {
    crate::modules::builtins::arity(vm, &args, 2, 2)?;
    let fmt = Format::parse(vm, args.pos[0])?;
    unpack_at(vm, &fmt, args.pos[1], 0)
}

pub fn unpack_from(vm: &mut Vm, args: Args) -> PyResult<Value> {
    crate::modules::builtins::arity(vm, &args, 2, 3)?;
    let fmt = Format::parse(vm, args.pos[0])?;
    let off = args.pos.get(2).copied().or_else(|| args.kwarg(crate::qstr::q::offset)).and_then(|v| vm.as_int(v)).unwrap_or(0);
    unpack_at(vm, &fmt, args.pos[1], off)
}

/// The values packed at `off` (negative: from the end) in `buf`; only
/// their bytes are copied out of the Python heap.
fn unpack_at(vm: &mut Vm, fmt: &Format, buf: Value, off: i64) -> PyResult<Value> {
    if vm.bytes_payload(buf).is_none() {
        return Err(vm.raise(TypeId::TypeError, "object with buffer protocol required"));
    }
    let size = fmt.totals(vm)?.0;
    let b = vm.bytes_payload(buf).unwrap_or(&[]);
    let off = if off < 0 { off + b.len() as i64 } else { off };
    let Some(b) = usize::try_from(off).ok().and_then(|o| b.get(o..o.checked_add(size)?)) else {
        return Err(struct_error(vm, "buffer too small"));
    };
    let b = b.try_to_vec()?;
    unpack_buf(vm, fmt, &b)
}

/// IEEE 754 half precision ('e'), rounding to nearest even as CPython does.
fn float_to_half(x: Float) -> u16 {
    let sign = if x.is_sign_negative() { 0x8000u16 } else { 0 };
    let a = x.abs();
    if a.is_nan() {
        return sign | 0x7e00;
    }
    if a >= 65520.0 {
        return sign | 0x7c00; // overflows to infinity
    }
    if a < fm::ldexp(1.0, -14) {
        // Subnormal: a multiple of 2**-24.
        let m = fm::rint(fm::ldexp(a, 24)) as u16;
        return sign | m;
    }
    let (frac, exp) = fm::frexp(a); // a = frac * 2**exp, frac in [0.5, 1)
    let mut m = fm::rint(fm::ldexp(frac, 11)) as u32; // 11 significant bits
    let mut e = exp - 1;
    if m == 1 << 11 {
        m >>= 1;
        e += 1;
    }
    sign | (((e + 15) as u16) << 10) | (m as u16 & 0x3ff)
}

fn half_to_float(h: u16) -> Float {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let e = ((h >> 10) & 0x1f) as i32;
    let m = (h & 0x3ff) as Float;
    sign * match e {
        0 => fm::ldexp(m, -24),
        31 if m == 0.0 => Float::INFINITY,
        31 => Float::NAN,
        _ => fm::ldexp(1024.0 + m, e - 25),
    }
}
