//! Methods of str, list and dict (their ROM tables are in `modules/mod.rs`).

use crate::bytecode::BinOp;
use crate::error::{no_mem, PyErr, PyResult, TryToVec};
use crate::modules::builtins::arity;
use crate::objects::{dict, list, Kind, TypeId};
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;
use alloc::vec::Vec;

/// Which text type a method runs on: str, bytes and bytearray share their
/// methods, and results take the receiver's type.
#[derive(Copy, Clone, PartialEq)]
pub(crate) enum Flavor {
    Str,
    Bytes,
    ByteArray,
}

impl Flavor {
    pub(crate) fn make(self, vm: &mut Vm, b: &[u8]) -> PyResult<Value> {
        match self {
            Flavor::Str => vm.new_str(b),
            Flavor::Bytes => vm.new_bytes(b),
            Flavor::ByteArray => vm.new_bytearray(b),
        }
    }
}

/// A copy of a text argument (the heap may change while we work); str
/// methods take str, bytes methods any bytes-like object.
fn text_arg(vm: &mut Vm, v: Value, fl: Flavor) -> PyResult<Vec<u8>> {
    check_text(vm, v, fl)?;
    text_of(vm, v, fl).try_to_vec()
}

pub(crate) fn flavor_of(vm: &Vm, v: Value) -> Option<Flavor> {
    if vm.str_bytes(v).is_some() {
        return Some(Flavor::Str);
    }
    match vm.kind_of(v) {
        Some(Kind::Bytes) => Some(Flavor::Bytes),
        Some(Kind::ByteArray) => Some(Flavor::ByteArray),
        _ => None,
    }
}

/// A text's bytes where it is, for methods that only read (no copy: the
/// text may be larger than the native side's heap). Checked beforehand by
/// `flavor_of` or `check_text`.
fn text_of(vm: &Vm, v: Value, fl: Flavor) -> &[u8] {
    text_opt(vm, v, fl).unwrap_or(&[])
}

fn text_opt(vm: &Vm, v: Value, fl: Flavor) -> Option<&[u8]> {
    if fl == Flavor::Str {
        vm.str_bytes(v)
    } else {
        vm.bytes_payload(v)
    }
}

/// `text_arg`'s TypeError, without the copy.
fn check_text(vm: &mut Vm, v: Value, fl: Flavor) -> PyResult<()> {
    match text_opt(vm, v, fl) {
        Some(_) => Ok(()),
        None => Err(not_text(vm, v, fl)),
    }
}

/// MicroPython's TypeError for a text argument of another type.
#[cold]
fn not_text(vm: &mut Vm, v: Value, fl: Flavor) -> crate::error::PyErr {
    let to: &[u8] = if fl == Flavor::Str { b"' object to str implicitly" } else { b"' object to bytes implicitly" };
    vm.raise_type_name(TypeId::TypeError, b"can't convert '", v, to)
}

/// The flavour of `self`, a str or bytes-like (else TypeError).
fn this_flavor(vm: &mut Vm, args: &Args) -> PyResult<Flavor> {
    let v = args.pos.first().copied().unwrap_or(Value::NONE);
    match flavor_of(vm, v) {
        Some(fl) => Ok(fl),
        None => Err(vm.raise(TypeId::TypeError, "expected a str")),
    }
}

fn this_text(vm: &mut Vm, args: &Args) -> PyResult<(Vec<u8>, Flavor)> {
    let fl = this_flavor(vm, args)?;
    Ok((text_of(vm, args.pos[0], fl).try_to_vec()?, fl))
}

/// Optional `start, end` arguments at `at`, clamped like slice bounds.
fn bounds(vm: &Vm, args: &Args, at: usize, len: usize) -> (usize, usize) {
    let clamp = |v: Option<Value>, d: usize| -> usize {
        match v.filter(|v| !v.is_none()).and_then(|v| vm.as_int(v)) {
            Some(i) if i < 0 => (i + len as i64).max(0) as usize,
            Some(i) => (i as usize).min(len),
            None => d,
        }
    };
    (clamp(args.pos.get(at).copied(), 0), clamp(args.pos.get(at + 1).copied(), len))
}

fn is_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

pub fn str_split(vm: &mut Vm, args: Args) -> PyResult<Value> {
    split_impl(vm, args, false)
}

/// `rsplit`: like `split`, but a limit counts from the right.
pub fn str_rsplit(vm: &mut Vm, args: Args) -> PyResult<Value> {
    split_impl(vm, args, true)
}

/// `split` and `rsplit` in one: `rsplit` scans the same way from the other
/// end, position `k` of the scan being byte `len - 1 - k`.
fn split_impl(vm: &mut Vm, args: Args, from_end: bool) -> PyResult<Value> {
    let (s, fl) = this_text(vm, &args)?;
    let sep = args.pos.get(1).copied().or_else(|| args.kwarg(q::sep)).filter(|v| !v.is_none());
    let max = args.pos.get(2).copied().or_else(|| args.kwarg(q::maxsplit)).and_then(|v| vm.as_int(v)).unwrap_or(-1);
    let n = s.len();
    let byte = |k: usize| s[if from_end { n - 1 - k } else { k }];
    // Scan positions a..b as a byte range of `s`.
    let span = |a: usize, b: usize| if from_end { (n - b, n - a) } else { (a, b) };
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let full = |pieces: &Vec<(usize, usize)>| max >= 0 && pieces.len() as i64 >= max;
    match sep {
        None => {
            let mut i = 0;
            loop {
                while i < n && is_blank(byte(i)) {
                    i += 1;
                }
                if i == n {
                    break;
                }
                pieces.try_reserve(1).map_err(no_mem)?;
                if full(&pieces) {
                    pieces.push(span(i, n));
                    break;
                }
                let start = i;
                while i < n && !is_blank(byte(i)) {
                    i += 1;
                }
                pieces.push(span(start, i));
            }
        }
        Some(sv) => {
            let sep = text_arg(vm, sv, fl)?;
            if sep.is_empty() {
                return Err(vm.raise(TypeId::ValueError, "empty separator"));
            }
            let (mut start, mut i) = (0, 0);
            while i + sep.len() <= n {
                let (a, b) = span(i, i + sep.len());
                if !full(&pieces) && s[a..b] == sep[..] {
                    pieces.try_reserve(1).map_err(no_mem)?;
                    pieces.push(span(start, i));
                    i += sep.len();
                    start = i;
                } else {
                    i += 1;
                }
            }
            pieces.try_reserve(1).map_err(no_mem)?;
            pieces.push(span(start, n));
        }
    }
    if from_end {
        pieces.reverse();
    }
    let out = vm.new_list(&[])?;
    let l = out.as_obj().expect("new list");
    for (a, b) in pieces {
        let piece = fl.make(vm, &s[a..b])?;
        vm.list_push(l, piece)?;
    }
    Ok(out)
}

fn strip_with(vm: &mut Vm, args: Args, left: bool, right: bool) -> PyResult<Value> {
    let (s, fl) = this_text(vm, &args)?;
    let chars = match args.pos.get(1).filter(|v| !v.is_none()) {
        Some(&c) => Some(text_arg(vm, c, fl)?),
        None => None,
    };
    let strip = |c: u8| chars.as_ref().map_or(is_blank(c), |cs| cs.contains(&c));
    let (mut a, mut b) = (0, s.len());
    while left && a < b && strip(s[a]) {
        a += 1;
    }
    while right && b > a && strip(s[b - 1]) {
        b -= 1;
    }
    // Nothing stripped from an immutable str or bytes: the same object.
    if a == 0 && b == s.len() && matches!(vm.kind_of(args.pos[0]), None | Some(Kind::Str | Kind::Bytes)) {
        return Ok(args.pos[0]);
    }
    fl.make(vm, &s[a..b])
}

pub fn str_strip(vm: &mut Vm, args: Args) -> PyResult<Value> {
    strip_with(vm, args, true, true)
}

pub fn str_lstrip(vm: &mut Vm, args: Args) -> PyResult<Value> {
    strip_with(vm, args, true, false)
}

pub fn str_rstrip(vm: &mut Vm, args: Args) -> PyResult<Value> {
    strip_with(vm, args, false, true)
}

fn map_ascii(vm: &mut Vm, args: Args, f: fn(u8) -> u8) -> PyResult<Value> {
    let (mut s, fl) = this_text(vm, &args)?;
    s.iter_mut().for_each(|c| *c = f(*c));
    fl.make(vm, &s)
}

pub fn str_upper(vm: &mut Vm, args: Args) -> PyResult<Value> {
    map_ascii(vm, args, |c| c.to_ascii_uppercase())
}

pub fn str_lower(vm: &mut Vm, args: Args) -> PyResult<Value> {
    map_ascii(vm, args, |c| c.to_ascii_lowercase())
}

/// Where `sub` first (or last) occurs in `s`.
pub(crate) fn find_in(s: &[u8], sub: &[u8], from_end: bool) -> Option<usize> {
    if sub.len() > s.len() {
        return None;
    }
    let mut positions = 0..=s.len() - sub.len();
    if from_end {
        positions.rev().find(|&i| s[i..].starts_with(sub))
    } else {
        positions.find(|&i| s[i..].starts_with(sub))
    }
}

/// str.find/rfind/index with optional start and end (byte positions of ASCII text).
fn find_impl(vm: &mut Vm, args: Args, from_end: bool, raise: bool) -> PyResult<Value> {
    let fl = this_flavor(vm, &args)?;
    // bytes also search for a single byte given as an int.
    let byte = match vm.as_int(args.pos[1]).filter(|_| fl != Flavor::Str) {
        Some(b) => Some([vm.byte_value(Value::small_int(b as isize))?]),
        None => {
            check_text(vm, args.pos[1], fl)?;
            None
        }
    };
    let vm_: &Vm = vm;
    let s = text_of(vm_, args.pos[0], fl);
    let sub = match &byte {
        Some(b) => &b[..],
        None => text_of(vm_, args.pos[1], fl),
    };
    let len = s.len() as i64;
    let clamp = |v: Option<i64>, d: i64| -> usize {
        let v = v.unwrap_or(d);
        (if v < 0 { (v + len).max(0) } else { v.min(len) }) as usize
    };
    let start = clamp(args.pos.get(2).and_then(|&v| vm_.as_int(v)), 0);
    let end = clamp(args.pos.get(3).and_then(|&v| vm_.as_int(v)), len);
    let found = if start <= end { find_in(&s[start..end], sub, from_end).map(|i| i + start) } else { None };
    match found {
        Some(i) => Ok(Value::small_int(i as isize)),
        None if raise => Err(vm.raise(TypeId::ValueError, "substring not found")),
        None => Ok(Value::small_int(-1)),
    }
}

pub fn str_rindex(vm: &mut Vm, args: Args) -> PyResult<Value> {
    find_impl(vm, args, true, true)
}

pub fn str_find(vm: &mut Vm, args: Args) -> PyResult<Value> {
    find_impl(vm, args, false, false)
}

pub fn str_rfind(vm: &mut Vm, args: Args) -> PyResult<Value> {
    find_impl(vm, args, true, false)
}

pub fn str_index(vm: &mut Vm, args: Args) -> PyResult<Value> {
    find_impl(vm, args, false, true)
}

pub fn str_replace(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (s, fl) = this_text(vm, &args)?;
    let (old, new) = (text_arg(vm, args.pos[1], fl)?, text_arg(vm, args.pos[2], fl)?);
    let mut max = args.pos.get(3).and_then(|&v| vm.as_int(v)).unwrap_or(-1);
    // Nothing to replace: the string itself, without allocating.
    let immutable = matches!(vm.kind_of(args.pos[0]), Some(Kind::Str | Kind::Bytes)) || args.pos[0].as_qstr().is_some();
    if immutable && (max == 0 || find_in(&s, &old, false).is_none()) {
        return Ok(args.pos[0]);
    }
    let mut out: Vec<u8> = Vec::new();
    let mut i = 0;
    while i <= s.len() {
        if max != 0 && s[i..].starts_with(&old) && (!old.is_empty() || i <= s.len()) {
            out.try_reserve(new.len() + 1).map_err(no_mem)?;
            out.extend_from_slice(&new);
            max -= 1;
            if old.is_empty() {
                if i < s.len() {
                    out.push(s[i]);
                }
                i += 1;
            } else {
                i += old.len();
            }
        } else {
            if i < s.len() {
                out.try_reserve(1).map_err(no_mem)?;
                out.push(s[i]);
            }
            i += 1;
        }
    }
    fl.make(vm, &out)
}

pub fn str_count(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let fl = this_flavor(vm, &args)?;
    check_text(vm, args.pos[1], fl)?;
    let vm: &Vm = vm;
    let (s, sub) = (text_of(vm, args.pos[0], fl), text_of(vm, args.pos[1], fl));
    let (a, b) = bounds(vm, &args, 2, s.len());
    let s = &s[a..b.max(a)];
    if sub.is_empty() {
        return Ok(Value::small_int(crate::runtime::strformat::char_count(s) as isize + 1));
    }
    let (mut n, mut i) = (0, 0);
    while i + sub.len() <= s.len() {
        if s[i..].starts_with(sub) {
            n += 1;
            i += sub.len();
        } else {
            i += 1;
        }
    }
    Ok(Value::small_int(n))
}

fn affix(vm: &mut Vm, args: Args, end: bool) -> PyResult<Value> {
    let fl = this_flavor(vm, &args)?;
    let (a, b) = bounds(vm, &args, 2, text_of(vm, args.pos[0], fl).len());
    if a > b {
        return Ok(Value::FALSE);
    }
    // One candidate, or a tuple of them, each checked as it is reached.
    let tuple = vm.kind_of(args.pos[1]) == Some(Kind::Tuple);
    let n = if tuple { vm.seq_items(args.pos[1]).map_or(0, <[Value]>::len) } else { 1 };
    for k in 0..n {
        let c = if tuple { vm.seq_items(args.pos[1]).map_or(Value::NONE, |items| items[k]) } else { args.pos[1] };
        check_text(vm, c, fl)?;
        let (s, t) = (&text_of(vm, args.pos[0], fl)[a..b], text_of(vm, c, fl));
        if (end && s.ends_with(t)) || (!end && s.starts_with(t)) {
            return Ok(Value::TRUE);
        }
    }
    Ok(Value::FALSE)
}

pub fn str_startswith(vm: &mut Vm, args: Args) -> PyResult<Value> {
    affix(vm, args, false)
}

pub fn str_endswith(vm: &mut Vm, args: Args) -> PyResult<Value> {
    affix(vm, args, true)
}

fn all_chars(vm: &mut Vm, args: Args, f: fn(u8) -> bool) -> PyResult<Value> {
    let (s, _) = this_text(vm, &args)?;
    Ok(Value::from_bool(!s.is_empty() && s.iter().all(|&c| f(c))))
}

pub fn str_isdigit(vm: &mut Vm, args: Args) -> PyResult<Value> {
    all_chars(vm, args, |c| c.is_ascii_digit())
}

pub fn str_isalpha(vm: &mut Vm, args: Args) -> PyResult<Value> {
    all_chars(vm, args, |c| c.is_ascii_alphabetic())
}

pub fn str_isspace(vm: &mut Vm, args: Args) -> PyResult<Value> {
    all_chars(vm, args, is_blank)
}

pub fn str_encode(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (s, _) = this_text(vm, &args)?;
    vm.new_bytes(&s)
}

pub fn bytes_decode(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let Some(b) = vm.bytes_payload(args.pos[0]) else { return Err(vm.raise(TypeId::TypeError, "expected bytes")) };
    if !crate::objects::str::utf8_valid(b) {
        return Err(vm.raise(TypeId::UnicodeError, "invalid UTF-8"));
    }
    let mut copy = Vec::new();
    copy.try_reserve(b.len()).map_err(no_mem)?;
    copy.extend_from_slice(b);
    vm.new_str(&copy)
}

fn this_list(vm: &mut Vm, args: &Args) -> PyResult<ObjRef> {
    match args.pos.first().copied().filter(|&v| vm.kind_of(v) == Some(Kind::List)) {
        Some(v) => Ok(v.as_obj().expect("list")),
        None => Err(vm.raise(TypeId::TypeError, "expected a list")),
    }
}

pub fn list_extend(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let l = this_list(vm, &args)?;
    vm.for_each(args.pos[1], |vm, v| vm.list_push(l, v).map(|_| true))?;
    Ok(Value::NONE)
}

pub fn list_insert(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let l = this_list(vm, &args)?;
    let n = list::len(&vm.heap, l) as i64;
    let i = vm.as_int(args.pos[1]).unwrap_or(0);
    let i = if i < 0 { (i + n).max(0) } else { i.min(n) } as usize;
    vm.list_push(l, Value::NONE)?;
    let items = list::items_mut(&mut vm.heap, l);
    items.copy_within(i..items.len() - 1, i + 1);
    items[i] = args.pos[2];
    Ok(Value::NONE)
}

/// Position of the first item equal to `x`.
fn position(vm: &mut Vm, l: ObjRef, x: Value) -> PyResult<Option<usize>> {
    let n = list::len(&vm.heap, l);
    for i in 0..n {
        let Some(&v) = list::items(&vm.heap, l).get(i) else { break };
        if vm.values_eq(v, x)? {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

pub fn list_remove(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let l = this_list(vm, &args)?;
    match position(vm, l, args.pos[1])? {
        Some(i) => {
            vm.list_pop(l, i);
            Ok(Value::NONE)
        }
        None => Err(vm.raise(TypeId::ValueError, "object not in sequence")),
    }
}

pub fn list_index(vm: &mut Vm, args: Args) -> PyResult<Value> {
    this_list(vm, &args)?;
    tuple_index(vm, args)
}

pub fn list_count(vm: &mut Vm, args: Args) -> PyResult<Value> {
    this_list(vm, &args)?;
    tuple_count(vm, args)
}

pub fn list_reverse(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let l = this_list(vm, &args)?;
    list::items_mut(&mut vm.heap, l).reverse();
    Ok(Value::NONE)
}

pub fn list_copy(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let l = this_list(vm, &args)?;
    let r = list::new_copy(&mut vm.heap, l)?;
    Ok(r)
}

pub fn list_clear(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let l = this_list(vm, &args)?;
    vm.list_replace(l, &[])?;
    Ok(Value::NONE)
}

/// `x < y` as sorting asks it: small ints answer here, the rest through
/// the full comparison.
#[inline]
fn sorts_before(vm: &mut Vm, x: Value, y: Value) -> PyResult<bool> {
    if let Some(v) = crate::runtime::ops::small_int_op(BinOp::Lt, x, y) {
        return Ok(v == Value::TRUE);
    }
    let lt = vm.binary_op(BinOp::Lt, x, y)?;
    vm.truthy(lt)
}

/// A stable binary insertion sort of `keys`, moving `items` (when given)
/// the same way: a third of the merge sort's code, for builds all for size
/// (whose small heaps hold short lists). Comparisons may run Python: the
/// caller keeps both rooted.
#[cfg(pyrite_size)]
fn sort_keys(vm: &mut Vm, keys: &mut [Value], mut items: Option<&mut [Value]>, reverse: bool) -> PyResult<()> {
    for i in 1..keys.len() {
        let k = keys[i];
        // The first place k sorts strictly before: after its equals, so
        // equal items keep their order.
        let (mut lo, mut hi) = (0, i);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let (x, y) = if reverse { (keys[mid], k) } else { (k, keys[mid]) };
            if sorts_before(vm, x, y)? {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        keys.copy_within(lo..i, lo + 1);
        keys[lo] = k;
        if let Some(items) = items.as_deref_mut() {
            let it = items[i];
            items.copy_within(lo..i, lo + 1);
            items[lo] = it;
        }
    }
    Ok(())
}

/// A stable bottom-up merge sort of `keys`, moving `items` (when given)
/// the same way. Comparisons may run Python: the caller keeps both rooted.
#[cfg(not(pyrite_size))]
fn sort_keys(vm: &mut Vm, keys: &mut [Value], mut items: Option<&mut [Value]>, reverse: bool) -> PyResult<()> {
    let n = keys.len();
    let mut width = 1;
    let (mut tk, mut ti): (Vec<Value>, Vec<Value>) = (Vec::new(), Vec::new());
    tk.try_reserve(n).map_err(no_mem)?;
    if items.is_some() {
        ti.try_reserve(n).map_err(no_mem)?;
    }
    while width < n {
        tk.clear();
        ti.clear();
        let mut lo = 0;
        while lo < n {
            let (mid, hi) = ((lo + width).min(n), (lo + 2 * width).min(n));
            let (mut a, mut b) = (lo, mid);
            while a < mid || b < hi {
                let take_b = if a == mid {
                    true
                } else if b == hi {
                    false
                } else {
                    // b before a only if strictly less: keeps equal items in order.
                    let (x, y) = if reverse { (keys[a], keys[b]) } else { (keys[b], keys[a]) };
                    sorts_before(vm, x, y)?
                };
                let k = if take_b { b } else { a };
                tk.push(keys[k]);
                if let Some(items) = items.as_deref() {
                    ti.push(items[k]);
                }
                if take_b {
                    b += 1;
                } else {
                    a += 1;
                }
            }
            lo = hi;
        }
        keys.copy_from_slice(&tk);
        if let Some(items) = items.as_deref_mut() {
            items.copy_from_slice(&ti);
        }
        width *= 2;
    }
    Ok(())
}

/// Sorts list `l` in place by `key` (or None) and `reverse`.
pub fn sort_list(vm: &mut Vm, l: ObjRef, key: Value, reverse: bool) -> PyResult<()> {
    let n = list::len(&vm.heap, l);
    let mut items: Vec<Value> = Vec::new();
    items.try_reserve(n).map_err(no_mem)?;
    items.extend_from_slice(list::items(&vm.heap, l));
    // (A build all for size sorts items without a key as their own keys,
    // by the general path below.)
    if key.is_none() && !cfg!(pyrite_size) {
        // The items are their own keys; a comparison may change the list,
        // so they are rooted for the sort's length.
        let base = vm.roots.len();
        vm.roots.try_reserve(n).map_err(no_mem)?;
        vm.roots.extend_from_slice(&items);
        let sorted = sort_keys(vm, &mut items, None, reverse);
        vm.roots.truncate(base);
        sorted?;
        return vm.list_replace(l, &items);
    }
    // Keys computed by Python (or the items themselves) live in a rooted
    // list while we sort.
    let keys_list = vm.new_list(if key.is_none() { &items } else { &[] })?;
    vm.with_root(keys_list, |vm| {
        let kl = keys_list.as_obj().expect("new list");
        if !key.is_none() {
            for &it in &items {
                let k = vm.call(key, &[it])?;
                vm.list_push(kl, k)?;
            }
        }
        let mut keys: Vec<Value> = Vec::new();
        keys.try_reserve(n).map_err(no_mem)?;
        keys.extend_from_slice(list::items(&vm.heap, kl));
        sort_keys(vm, &mut keys, Some(&mut items), reverse)?;
        vm.list_replace(l, &items)
    })
}

pub fn list_sort(vm: &mut Vm, args: Args) -> PyResult<Value> {
    crate::modules::builtins::known_kwargs(vm, &args, &[q::key, q::reverse])?;
    let l = this_list(vm, &args)?;
    let key = args.kwarg(q::key).unwrap_or(Value::NONE);
    let reverse = match args.kwarg(q::reverse) {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    sort_list(vm, l, key, reverse)?;
    Ok(Value::NONE)
}

fn this_dict(vm: &mut Vm, args: &Args) -> PyResult<ObjRef> {
    match args.pos.first().copied().filter(|&v| vm.kind_of(v) == Some(Kind::Dict)) {
        Some(v) => Ok(v.as_obj().expect("dict")),
        None => Err(vm.raise(TypeId::TypeError, "expected a dict")),
    }
}

pub fn dict_pop(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let d = this_dict(vm, &args)?;
    match vm.dict_remove(d, args.pos[1])? {
        Some(v) => Ok(v),
        None => match args.pos.get(2) {
            Some(&default) => Ok(default),
            None => {
                let e = vm.new_exception(TypeId::KeyError, &[args.pos[1]])?;
                Err(PyErr::exc(e))
            }
        },
    }
}

pub fn dict_setdefault(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let d = this_dict(vm, &args)?;
    if let Some(v) = vm.dict_get(d, args.pos[1])? {
        return Ok(v);
    }
    let v = args.pos.get(2).copied().unwrap_or(Value::NONE);
    vm.dict_set(d, args.pos[1], v)?;
    Ok(v)
}

pub fn dict_update(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let d = this_dict(vm, &args)?;
    dict_merge(vm, d, args.pos.get(1).copied(), args.kw)?;
    Ok(Value::NONE)
}

/// Adds a mapping's entries, or an iterable's key/value pairs, then
/// keyword arguments: what `dict(...)` and `dict.update(...)` take.
pub(crate) fn dict_merge(vm: &mut Vm, d: ObjRef, other: Option<Value>, kw: &[Value]) -> PyResult<()> {
    if let Some(other) = other {
        if let Some(o) = vm.native_value(other).as_obj().filter(|&r| vm.heap.kind(r) == Kind::Dict) {
            for i in 0..dict::entry_slots(&vm.heap, o) {
                if let Some((k, v)) = dict::entry(&vm.heap, o, i) {
                    vm.dict_set(d, k, v)?;
                }
            }
        } else if let Some(keys) = vm.call_dunder(other, q::keys, &[])? {
            vm.with_root(keys, |vm| {
                vm.for_each(keys, |vm, k| {
                    let v = vm.subscr(other, k)?;
                    vm.dict_set(d, k, v)?;
                    Ok(true)
                })
            })?;
        } else {
            vm.for_each(other, |vm, pair| {
                let items = vm.list_from_iter(pair)?;
                let r = items.as_obj().expect("list");
                if list::len(&vm.heap, r) != 2 {
                    return Err(vm.raise(TypeId::ValueError, "dict update sequence has wrong length"));
                }
                let (k, v) = (list::items(&vm.heap, r)[0], list::items(&vm.heap, r)[1]);
                vm.dict_set(d, k, v)?;
                Ok(true)
            })?;
        }
    }
    for pair in kw.chunks(2) {
        vm.dict_set(d, pair[0], pair[1])?;
    }
    Ok(())
}

pub fn dict_popitem(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let d = this_dict(vm, &args)?;
    let e = dict::raw_entries(&vm.heap, d);
    let Some(j) = (0..e.len() / 2).rev().find(|&j| !e[2 * j].is_null()) else {
        return Err(vm.raise(TypeId::KeyError, "popitem(): dictionary is empty"));
    };
    let (k, v) = (e[2 * j], e[2 * j + 1]);
    let t = vm.new_tuple(&[k, v])?;
    vm.dict_remove(d, k)?;
    Ok(t)
}

/// `dict.fromkeys(iterable, value=None)`, called on the type.
pub fn dict_fromkeys(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let pos = if args.pos.first() == Some(&TypeId::Dict.value()) { &args.pos[1..] } else { args.pos };
    let Some(&keys) = pos.first() else { return Err(vm.raise(TypeId::TypeError, "fromkeys() needs an iterable")) };
    let v = pos.get(1).copied().unwrap_or(Value::NONE);
    let d = vm.new_dict(0)?;
    let r = d.as_obj().expect("dict");
    vm.with_root(d, |vm| vm.for_each(keys, |vm, k| vm.dict_set(r, k, v).map(|_| true)))?;
    Ok(d)
}

pub fn tuple_count(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let n = vm.seq_items(args.pos[0]).map_or(0, |s| s.len());
    let mut c = 0;
    for i in 0..n {
        let Some(x) = vm.seq_items(args.pos[0]).and_then(|s| s.get(i).copied()) else { break };
        if vm.values_eq(x, args.pos[1])? {
            c += 1;
        }
    }
    Ok(Value::small_int(c))
}

pub fn tuple_index(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let n = vm.seq_items(args.pos[0]).map_or(0, |s| s.len());
    let (a, b) = bounds(vm, &args, 2, n);
    for i in a..b {
        let Some(x) = vm.seq_items(args.pos[0]).and_then(|s| s.get(i).copied()) else { break };
        if vm.values_eq(x, args.pos[1])? {
            return Ok(Value::small_int(i as isize));
        }
    }
    Err(vm.raise(TypeId::ValueError, "object not in sequence"))
}

pub fn dict_clear(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let d = this_dict(vm, &args)?;
    vm.dict_empty(d);
    Ok(Value::NONE)
}

pub fn dict_copy(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let d = this_dict(vm, &args)?;
    let out = vm.new_dict(dict::len(&vm.heap, d))?;
    // Rooted: a key's __eq__ may run Python code, and a collection.
    vm.with_root(out, |vm| dict_merge(vm, out.as_obj().expect("new dict"), Some(Value::obj(d)), &[]))?;
    Ok(out)
}

fn partition_impl(vm: &mut Vm, args: Args, from_end: bool) -> PyResult<Value> {
    arity(vm, &args, 2, 2)?;
    let (s, fl) = this_text(vm, &args)?;
    let sep = text_arg(vm, args.pos[1], fl)?;
    if sep.is_empty() {
        return Err(vm.raise(TypeId::ValueError, "empty separator"));
    }
    let (a, b, c): (&[u8], &[u8], &[u8]) = match find_in(&s, &sep, from_end) {
        Some(i) => (&s[..i], &sep, &s[i + sep.len()..]),
        None if from_end => (b"", b"", &s),
        None => (&s, b"", b""),
    };
    let parts = [fl.make(vm, a)?, Value::NONE, Value::NONE];
    vm.with_root(parts[0], |vm| {
        let m = fl.make(vm, b)?;
        vm.with_root(m, |vm| {
            let e = fl.make(vm, c)?;
            vm.new_tuple(&[parts[0], m, e])
        })
    })
}

pub fn str_partition(vm: &mut Vm, args: Args) -> PyResult<Value> {
    partition_impl(vm, args, false)
}

pub fn str_rpartition(vm: &mut Vm, args: Args) -> PyResult<Value> {
    partition_impl(vm, args, true)
}

/// `center`/`ljust`/`rjust`: `align` is where the text goes.
fn justify(vm: &mut Vm, args: Args, align: u8) -> PyResult<Value> {
    arity(vm, &args, 2, 3)?;
    let (s, fl) = this_text(vm, &args)?;
    let width = vm.as_int(args.pos[1]).unwrap_or(0).max(0) as usize;
    let fill = match args.pos.get(2) {
        Some(&f) => text_arg(vm, f, fl)?,
        None => alloc::vec![b' '],
    };
    let n = if fl == Flavor::Str { crate::runtime::strformat::char_count(&s) } else { s.len() };
    let gap = width.saturating_sub(n);
    let left = match align {
        b'<' => 0,
        b'>' => gap,
        // Python puts the odd space on the right, unless the width is odd.
        _ => gap / 2 + (gap & width & 1),
    };
    let mut out = Vec::new();
    out.try_reserve(s.len() + gap * fill.len()).map_err(no_mem)?;
    (0..left).for_each(|_| out.extend_from_slice(&fill));
    out.extend_from_slice(&s);
    (0..gap - left).for_each(|_| out.extend_from_slice(&fill));
    fl.make(vm, &out)
}

pub fn str_center(vm: &mut Vm, args: Args) -> PyResult<Value> {
    justify(vm, args, b'^')
}

pub fn str_ljust(vm: &mut Vm, args: Args) -> PyResult<Value> {
    justify(vm, args, b'<')
}

pub fn str_rjust(vm: &mut Vm, args: Args) -> PyResult<Value> {
    justify(vm, args, b'>')
}

pub fn str_zfill(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (s, fl) = this_text(vm, &args)?;
    let width = vm.as_int(args.pos[1]).unwrap_or(0).max(0) as usize;
    let gap = width.saturating_sub(s.len());
    let sign = matches!(s.first(), Some(b'+' | b'-')) as usize;
    let mut out = Vec::new();
    out.try_reserve(s.len() + gap).map_err(no_mem)?;
    out.extend_from_slice(&s[..sign]);
    out.resize(sign + gap, b'0');
    out.extend_from_slice(&s[sign..]);
    fl.make(vm, &out)
}

/// isupper/islower: at least one cased character, and none of the other case.
fn cased(vm: &mut Vm, args: Args, upper: bool) -> PyResult<Value> {
    let (s, _) = this_text(vm, &args)?;
    let any = s.iter().any(|c| c.is_ascii_alphabetic());
    let wrong = s.iter().any(|c| if upper { c.is_ascii_lowercase() } else { c.is_ascii_uppercase() });
    Ok(Value::from_bool(any && !wrong))
}

pub fn str_isupper(vm: &mut Vm, args: Args) -> PyResult<Value> {
    cased(vm, args, true)
}

pub fn str_islower(vm: &mut Vm, args: Args) -> PyResult<Value> {
    cased(vm, args, false)
}

pub fn str_isalnum(vm: &mut Vm, args: Args) -> PyResult<Value> {
    all_chars(vm, args, |c| c.is_ascii_alphanumeric())
}

pub fn str_splitlines(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (s, fl) = this_text(vm, &args)?;
    let keep = match args.pos.get(1).copied().or_else(|| args.kwarg(q::keepends)) {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    let out = vm.new_list(&[])?;
    let l = out.as_obj().expect("new list");
    let mut start = 0;
    let mut i = 0;
    while i < s.len() {
        let brk = match s[i] {
            b'\r' if s.get(i + 1) == Some(&b'\n') => 2,
            b'\r' | b'\n' => 1,
            _ => 0,
        };
        if brk == 0 {
            i += 1;
            continue;
        }
        let piece = fl.make(vm, &s[start..if keep { i + brk } else { i }])?;
        vm.list_push(l, piece)?;
        i += brk;
        start = i;
    }
    if start < s.len() {
        let piece = fl.make(vm, &s[start..])?;
        vm.list_push(l, piece)?;
    }
    Ok(out)
}

fn recase(vm: &mut Vm, args: Args, how: u8) -> PyResult<Value> {
    arity(vm, &args, 1, 1)?;
    let (mut s, fl) = this_text(vm, &args)?;
    let mut prev_cased = false;
    for (i, c) in s.iter_mut().enumerate() {
        let alpha = c.is_ascii_alphabetic();
        *c = match how {
            b'c' if i == 0 => c.to_ascii_uppercase(),
            b'c' => c.to_ascii_lowercase(),
            b't' if prev_cased => c.to_ascii_lowercase(),
            b't' => c.to_ascii_uppercase(),
            _ if c.is_ascii_uppercase() => c.to_ascii_lowercase(),
            _ => c.to_ascii_uppercase(),
        };
        prev_cased = alpha;
    }
    fl.make(vm, &s)
}

pub fn str_capitalize(vm: &mut Vm, args: Args) -> PyResult<Value> {
    recase(vm, args, b'c')
}

pub fn str_title(vm: &mut Vm, args: Args) -> PyResult<Value> {
    recase(vm, args, b't')
}

pub fn str_swapcase(vm: &mut Vm, args: Args) -> PyResult<Value> {
    recase(vm, args, b's')
}

pub fn bytes_hex(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let Some(b) = vm.bytes_payload(args.pos[0]) else { return Err(vm.raise(TypeId::TypeError, "expected bytes")) };
    let sep = args.pos.get(1).and_then(|&s| vm.str_bytes(s)).map(|s| s.to_vec());
    let mut out = Vec::new();
    out.try_reserve(b.len() * 3).map_err(no_mem)?;
    for (i, &c) in b.iter().enumerate() {
        if i > 0 {
            if let Some(sep) = &sep {
                out.extend_from_slice(sep);
            }
        }
        out.push(b"0123456789abcdef"[(c >> 4) as usize]);
        out.push(b"0123456789abcdef"[(c & 15) as usize]);
    }
    vm.new_str(&out)
}

/// `bytes.fromhex(s)` (called on the type, so `s` may be the only argument).
pub fn bytes_fromhex(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (make_array, s) = match args.pos {
        [t, s] => (*t == TypeId::ByteArray.value() || vm.kind_of(*t) == Some(Kind::ByteArray), *s),
        [s] => (false, *s),
        _ => return Err(vm.raise(TypeId::TypeError, "fromhex() takes one argument")),
    };
    let Some(text) = vm.str_bytes(s) else { return Err(vm.raise(TypeId::TypeError, "fromhex() argument must be str")) };
    // Whitespace may come between pairs of digits, never inside one.
    let mut out = Vec::new();
    let mut it = text.iter().copied().peekable();
    loop {
        while it.next_if(|c| c.is_ascii_whitespace()).is_some() {}
        let Some(a) = it.next() else { break };
        let b = it.next().unwrap_or(b' ');
        match (a as char).to_digit(16).zip((b as char).to_digit(16)) {
            Some((a, b)) => out.try_reserve(1).map(|_| out.push((a * 16 + b) as u8)).map_err(no_mem)?,
            None => return Err(vm.raise(TypeId::ValueError, "non-hexadecimal number found in fromhex() arg")),
        }
    }
    if make_array {
        vm.new_bytearray(&out)
    } else {
        vm.new_bytes(&out)
    }
}

/// `list.__init__(iterable=())`, reached from a subclass's `super().__init__`.
/// `list.__init__(self, iterable=())`: emptied, then extended.
pub fn list_init(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let l = this_list(vm, &args)?;
    vm.list_replace(l, &[])?;
    if args.pos.len() > 1 {
        list_extend(vm, args)?;
    }
    Ok(Value::NONE)
}

/// `dict.__init__(mapping_or_pairs=(), **kw)`.
pub fn dict_init(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let d = this_dict(vm, &args)?;
    dict_merge(vm, d, args.pos.get(1).copied(), args.kw)?;
    Ok(Value::NONE)
}
