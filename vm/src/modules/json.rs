//! `json`: `dumps`/`dump` and `loads`/`load` as MicroPython has them.
//! Output uses the `separators` given (default `", "` and `": "`), passes
//! non-ASCII text through unescaped, and quotes non-string dict keys; the
//! parser keeps its own stack in the heap rather than recursing, so deep
//! input cannot overflow the native stack.

use crate::error::{PyErr, PyResult, TryToVec};
use crate::modules::builtins::arity;
use crate::objects::{dict, Kind, TypeId};
use crate::qstr::q;
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::{put, Vm};
use alloc::vec::Vec;

struct Seps {
    item: Vec<u8>,
    key: Vec<u8>,
}

fn separators(vm: &mut Vm, args: &Args) -> PyResult<Seps> {
    let Some(s) = args.kwarg(q::separators).filter(|s| !s.is_none()) else {
        return Ok(Seps { item: b", ".to_vec(), key: b": ".to_vec() });
    };
    let Some(parts) = vm.seq_items(s).map(|p| p.to_vec()) else {
        return Err(vm.raise(TypeId::TypeError, "separators must be a tuple"));
    };
    let text = |vm: &Vm, v: Value| vm.str_bytes(v).map(|b| b.to_vec());
    match parts[..] {
        [a, b] => match (text(vm, a), text(vm, b)) {
            (Some(item), Some(key)) => Ok(Seps { item, key }),
            _ => Err(vm.raise(TypeId::TypeError, "separators must be strs")),
        },
        _ => Err(vm.raise(TypeId::ValueError, "separators must be a 2-tuple")),
    }
}

fn put_json_str(out: &mut Vec<u8>, s: &[u8]) -> PyResult<()> {
    put(out, b"\"")?;
    for &c in s {
        match c {
            b'"' | b'\\' => put(out, &[b'\\', c])?,
            b'\n' => put(out, b"\\n")?,
            b'\r' => put(out, b"\\r")?,
            b'\t' => put(out, b"\\t")?,
            0..=31 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                put(out, &[b'\\', b'u', b'0', b'0', HEX[(c >> 4) as usize], HEX[(c & 15) as usize]])?
            }
            // UTF-8 sequences pass through, as MicroPython writes them.
            _ => put(out, &[c])?,
        }
    }
    put(out, b"\"")
}

impl Vm {
    fn write_json(&mut self, v: Value, seps: &Seps, out: &mut Vec<u8>) -> PyResult<()> {
        let v = self.native_value(v);
        if v.is_none() {
            return put(out, b"null");
        }
        if v == Value::TRUE || v == Value::FALSE {
            return put(out, if v == Value::TRUE { b"true" } else { b"false" });
        }
        if let Some(s) = self.str_bytes(v).or_else(|| self.bytes_payload(v)) {
            let s = s.try_to_vec()?;
            return put_json_str(out, &s);
        }
        match self.kind_of(v) {
            Some(Kind::List | Kind::Tuple) => {
                put(out, b"[")?;
                let n = self.seq_items(v).map_or(0, |s| s.len());
                self.nested(|vm| {
                    for i in 0..n {
                        if i > 0 {
                            put(out, &seps.item)?;
                        }
                        let x = vm.seq_items(v).and_then(|s| s.get(i).copied()).unwrap_or(Value::NONE);
                        vm.write_json(x, seps, out)?;
                    }
                    Ok(())
                })?;
                put(out, b"]")
            }
            Some(Kind::Dict) => {
                let r = v.as_obj().expect("dict");
                put(out, b"{")?;
                let n = dict::entry_slots(&self.heap, r);
                self.nested(|vm| {
                    let mut first = true;
                    for i in 0..n {
                        let Some((k, x)) = dict::entry(&vm.heap, r, i) else { continue };
                        if !first {
                            put(out, &seps.item)?;
                        }
                        first = false;
                        if vm.str_bytes(k).is_some() {
                            vm.write_json(k, seps, out)?;
                        } else {
                            // Other keys are written as strings of their JSON.
                            put(out, b"\"")?;
                            vm.write_json(k, seps, out)?;
                            put(out, b"\"")?;
                        }
                        put(out, &seps.key)?;
                        vm.write_json(x, seps, out)?;
                    }
                    Ok(())
                })?;
                put(out, b"}")
            }
            // Numbers as repr writes them; anything else too, as MicroPython does.
            _ => self.write_repr(v, out),
        }
    }
}

pub fn dumps(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let seps = separators(vm, &args)?;
    let mut out = Vec::new();
    vm.write_json(args.pos[0], &seps, &mut out)?;
    vm.new_str(&out)
}

pub fn dump(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let seps = separators(vm, &args)?;
    let mut out = Vec::new();
    vm.write_json(args.pos[0], &seps, &mut out)?;
    let text = vm.new_str(&out)?;
    let stream = args.pos[1];
    vm.with_root(text, |vm| {
        let w = vm.load_attr(stream, q::write)?;
        vm.with_root(w, |vm| vm.call(w, &[text]))
    })?;
    Ok(Value::NONE)
}

pub fn loads(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 1, 1)?;
    let Some(text) = vm.str_bytes(args.pos[0]).or_else(|| vm.bytes_payload(args.pos[0])).map(|t| t.try_to_vec()).transpose()? else {
        return Err(vm.raise(TypeId::TypeError, "can't convert to str implicitly"));
    };
    parse(vm, &text)
}

pub fn load(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let text = match vm.load_attr(args.pos[0], q::read) {
        Ok(read) => vm.with_root(read, |vm| vm.call(read, &[]))?,
        // A stream with only readinto (an io.IOBase subclass).
        Err(e) if cfg!(feature = "io") && vm.caught(e, TypeId::AttributeError) => read_all_into(vm, args.pos[0])?,
        Err(e) => return Err(e),
    };
    // The stream has been read: the call can't be retried, so parsing
    // out of memory collects (what it made is garbage) and parses again.
    vm.retry_after_collect(text, |vm| loads(vm, Args { pos: &[text], kw: &[] }))
}

/// Everything a stream's `readinto` gives, as bytes, a byte at a time as
/// MicroPython's stream reader asks for it (so a stream that claims more
/// than it was given is caught: OSError(EIO)).
fn read_all_into(vm: &mut Vm, stream: Value) -> PyResult<Value> {
    let readinto = vm.load_attr(stream, q::readinto)?;
    let chunk = vm.with_root(readinto, |vm| vm.new_bytearray(&[0; 1]))?;
    let mut all = alloc::vec::Vec::new();
    vm.with_root(readinto, |vm| {
        vm.with_root(chunk, |vm| loop {
            let n = vm.call(readinto, &[chunk])?;
            let n = match vm.as_int(n) {
                Some(n) if (0..=1).contains(&n) => n as usize,
                None if n.is_none() => 0,
                _ => return Err(crate::modules::os::os_error(vm, 5)),
            };
            if n == 0 {
                return Ok(());
            }
            let got = vm.bytes_payload(chunk).map(|b| b[..n].to_vec()).unwrap_or_default();
            crate::vm::put(&mut all, &got)?;
        })
    })?;
    vm.new_bytes(&all)
}

fn syntax_error(vm: &mut Vm) -> PyErr {
    vm.raise(TypeId::ValueError, "syntax error in JSON")
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

/// The value the JSON `text` describes. Open containers, and a dict's
/// pending key, wait on a heap list so a collection keeps them.
fn parse(vm: &mut Vm, text: &[u8]) -> PyResult<Value> {
    let stack = vm.new_list(&[])?;
    vm.with_root(stack, |vm| {
        let st = stack.as_obj().expect("list");
        let mut i = 0;
        let result;
        loop {
            while i < text.len() && (is_space(text[i]) || text[i] == b',' || text[i] == b':') {
                i += 1;
            }
            let Some(&c) = text.get(i) else { return Err(syntax_error(vm)) };
            i += 1;
            let mut opens = false;
            let value = match c {
                b'n' | b't' | b'f' => {
                    let (word, v): (&[u8], Value) = match c {
                        b'n' => (b"ull", Value::NONE),
                        b't' => (b"rue", Value::TRUE),
                        _ => (b"alse", Value::FALSE),
                    };
                    if !text[i..].starts_with(word) {
                        return Err(syntax_error(vm));
                    }
                    i += word.len();
                    v
                }
                b'"' => {
                    let mut s = Vec::new();
                    loop {
                        let Some(&c) = text.get(i) else { return Err(syntax_error(vm)) };
                        i += 1;
                        match c {
                            b'"' => break,
                            b'\\' => {
                                let Some(&e) = text.get(i) else { return Err(syntax_error(vm)) };
                                i += 1;
                                let b = match e {
                                    b'b' => 8,
                                    b'f' => 12,
                                    b'n' => b'\n',
                                    b'r' => b'\r',
                                    b't' => b'\t',
                                    b'u' => {
                                        let hex = text.get(i..i + 4).and_then(|h| core::str::from_utf8(h).ok());
                                        let Some(n) = hex.and_then(|h| u32::from_str_radix(h, 16).ok()) else {
                                            return Err(syntax_error(vm));
                                        };
                                        i += 4;
                                        let ch = char::from_u32(n).unwrap_or('\u{fffd}');
                                        let mut buf = [0u8; 4];
                                        put(&mut s, ch.encode_utf8(&mut buf).as_bytes())?;
                                        continue;
                                    }
                                    other => other,
                                };
                                put(&mut s, &[b])?;
                            }
                            _ => put(&mut s, &[c])?,
                        }
                    }
                    vm.new_str(&s)?
                }
                b'-' | b'0'..=b'9' => {
                    let start = i - 1;
                    while i < text.len() && matches!(text[i], b'0'..=b'9' | b'+' | b'-' | b'.' | b'e' | b'E') {
                        i += 1;
                    }
                    let num = &text[start..i];
                    if num.iter().any(|c| matches!(c, b'.' | b'e' | b'E')) {
                        if !crate::features::FLOAT {
                            return Err(syntax_error(vm));
                        }
                        let Some(f) = crate::objects::float::parse_float(num) else { return Err(syntax_error(vm)) };
                        vm.new_float(f)?
                    } else {
                        let (neg, digits) = if num[0] == b'-' { (true, &num[1..]) } else { (false, num) };
                        let Some(mut big) = crate::objects::bignum::Big::parse(digits, 10)? else { return Err(syntax_error(vm)) };
                        big.neg = neg && !big.mag.is_empty();
                        vm.new_int_big(big)?
                    }
                }
                b'[' => {
                    opens = true;
                    vm.new_list(&[])?
                }
                b'{' => {
                    opens = true;
                    vm.new_dict(0)?
                }
                b']' | b'}' => {
                    // Close the innermost container; it must be of that kind
                    // and have no key waiting for a value.
                    let items = crate::objects::list::items(&vm.heap, st);
                    let Some(&top) = items.last() else { return Err(syntax_error(vm)) };
                    let want = if c == b']' { Kind::List } else { Kind::Dict };
                    if vm.kind_of(top) != Some(want) {
                        return Err(syntax_error(vm));
                    }
                    vm.list_pop(st, crate::objects::list::len(&vm.heap, st) - 1);
                    if crate::objects::list::len(&vm.heap, st) == 0 {
                        result = top;
                        break;
                    }
                    continue;
                }
                _ => return Err(syntax_error(vm)),
            };
            let n = crate::objects::list::len(&vm.heap, st);
            if n == 0 {
                if !opens {
                    result = value;
                    break;
                }
                vm.list_push(st, value)?;
                continue;
            }
            vm.with_root(value, |vm| {
                let top = crate::objects::list::items(&vm.heap, st)[n - 1];
                match vm.kind_of(top) {
                    Some(Kind::List) => vm.list_push(top.as_obj().expect("list"), value)?,
                    Some(Kind::Dict) => {
                        // A key waits on the stack above its dict.
                        if opens || vm.str_bytes(value).is_none() {
                            return Err(syntax_error(vm));
                        }
                        vm.list_push(st, value)?;
                        return Ok(());
                    }
                    _ => {
                        // `top` is a key: store into the dict below it.
                        let d = crate::objects::list::items(&vm.heap, st)[n - 2];
                        vm.dict_set(d.as_obj().expect("dict"), top, value)?;
                        vm.list_pop(st, n - 1);
                    }
                }
                if opens {
                    vm.list_push(st, value)?;
                }
                Ok(())
            })?;
        }
        if text[i..].iter().any(|&c| !is_space(c)) {
            return Err(syntax_error(vm));
        }
        Ok(result)
    })
}
