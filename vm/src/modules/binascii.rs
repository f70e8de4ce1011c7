//! `binascii`: hex and base64 conversions and CRC-32, with CPython's
//! (and MicroPython's) leniency: base64 input skips characters outside the
//! alphabet, and a complete pad sequence ends the data.

use crate::error::{PyResult, TryToVec};
use crate::objects::TypeId;
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::{put, Vm};
use alloc::vec::Vec;

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const HEX: &[u8; 16] = b"0123456789abcdef";

/// The bytes of a bytes-like (or str) argument.
pub(crate) fn data_arg(vm: &mut Vm, v: Value) -> PyResult<Vec<u8>> {
    match vm.bytes_payload(v).or_else(|| vm.str_bytes(v)) {
        Some(b) => b.try_to_vec(),
        None => Err(vm.raise(TypeId::TypeError, "object with buffer protocol required")),
    }
}

pub fn hexlify(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let data = data_arg(vm, args.pos[0])?;
    let sep = match args.pos.get(1).filter(|v| !v.is_none()) {
        Some(&s) => data_arg(vm, s)?,
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for (i, &b) in data.iter().enumerate() {
        if i > 0 {
            put(&mut out, &sep)?;
        }
        put(&mut out, &[HEX[(b >> 4) as usize], HEX[(b & 15) as usize]])?;
    }
    vm.new_bytes(&out)
}

pub fn unhexlify(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let data = data_arg(vm, args.pos[0])?;
    if data.len() % 2 != 0 {
        return Err(vm.raise(TypeId::ValueError, "odd-length string"));
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::new();
    for pair in data.chunks(2) {
        let (Some(h), Some(l)) = (digit(pair[0]), digit(pair[1])) else {
            return Err(vm.raise(TypeId::ValueError, "non-hex digit found"));
        };
        put(&mut out, &[h << 4 | l])?;
    }
    vm.new_bytes(&out)
}

pub fn a2b_base64(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let data = data_arg(vm, args.pos[0])?;
    let mut out = Vec::new();
    let (mut quad, mut pads, mut left) = (0u8, 0u8, 0u32);
    for &c in &data {
        if c == b'=' {
            pads += 1;
            if quad >= 2 && quad + pads >= 4 {
                // The pads complete the group: keep its whole bytes.
                let bits = left << (6 * (4 - quad as u32));
                put(&mut out, &[(bits >> 16) as u8, (bits >> 8) as u8][..quad as usize - 1])?;
                quad = 0;
                break;
            }
            continue;
        }
        let Some(v) = B64.iter().position(|&a| a == c) else { continue };
        pads = 0;
        left = (left << 6) | v as u32;
        quad += 1;
        if quad == 4 {
            put(&mut out, &[(left >> 16) as u8, (left >> 8) as u8, left as u8])?;
            quad = 0;
            left = 0;
        }
    }
    if quad != 0 {
        // An unfinished group: its bits cannot be decoded.
        return Err(vm.raise(TypeId::ValueError, "incorrect padding"));
    }
    vm.new_bytes(&out)
}

pub fn b2a_base64(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let data = data_arg(vm, args.pos[0])?;
    let newline = match args.kwarg(q::newline) {
        Some(v) => vm.truthy(v)?,
        None => true,
    };
    let mut out = Vec::new();
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        let enc = [18, 12, 6, 0].map(|s| B64[((n >> s) & 63) as usize]);
        let keep = chunk.len() + 1;
        put(&mut out, &enc[..keep])?;
        put(&mut out, &b"=="[..4 - keep])?;
    }
    if newline {
        put(&mut out, b"\n")?;
    }
    vm.new_bytes(&out)
}

pub fn crc32(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let data = data_arg(vm, args.pos[0])?;
    let start = match args.pos.get(1) {
        Some(&v) => match vm.as_big(v)? {
            Some(b) => b.low_u32(),
            None => return Err(vm.not_an_int(v)),
        },
        None => 0,
    };
    vm.int_value(crc32_update(start, &data) as i64)
}

/// CRC-32 (IEEE, reflected) of `data` continuing from `crc`; bitwise, so
/// no 1 KB table in flash.
pub(crate) fn crc32_update(crc: u32, data: &[u8]) -> u32 {
    let mut crc = !crc;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xedb8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}
