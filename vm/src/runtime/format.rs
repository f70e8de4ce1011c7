//! `str()` and `repr()` of values, written into a byte buffer. Integers are
//! formatted by hand: `core::fmt` costs kilobytes of flash.

use crate::error::{PyErr, PyResult};
use crate::objects::{dict, Kind, TypeId};
use crate::value::{ImmKind, Value};
use crate::vm::{put, Vm};
use alloc::vec::Vec;

/// `parts[0] nums[0] parts[1] nums[1] ...`: text with counts in it.
pub(crate) fn put_counted(out: &mut Vec<u8>, parts: &[&[u8]], nums: &[usize]) -> PyResult<()> {
    for (i, p) in parts.iter().enumerate() {
        put(out, p)?;
        if let Some(&n) = nums.get(i) {
            put_int(out, n as i64)?;
        }
    }
    Ok(())
}

pub fn put_int(out: &mut Vec<u8>, v: i64) -> PyResult<()> {
    put_radix(out, v, 10, false)
}

/// `v`'s digits in `radix` (2..=36), with a leading `-`.
pub fn put_radix(out: &mut Vec<u8>, v: i64, radix: u32, upper: bool) -> PyResult<()> {
    let mut buf = [0u8; 64];
    let mut i = buf.len();
    let mut n = v.unsigned_abs();
    loop {
        i -= 1;
        let d = (n % radix as u64) as u8;
        buf[i] = match d {
            0..=9 => b'0' + d,
            _ if upper => b'A' + d - 10,
            _ => b'a' + d - 10,
        };
        n /= radix as u64;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        put(out, b"-")?;
    }
    put(out, &buf[i..])
}

/// An object's address in hex and the `>` that closes its `<... at 0x` form.
fn put_addr(out: &mut Vec<u8>, v: usize) -> PyResult<()> {
    put_radix(out, v as i64, 16, false)?;
    put(out, b">")
}

/// `repr()` of a str's text: single quotes unless only double quotes avoid
/// escaping, as Python does.
fn put_str_repr(out: &mut Vec<u8>, s: &[u8], bytes: bool) -> PyResult<()> {
    let q = if s.contains(&b'\'') && !s.contains(&b'"') { b'"' } else { b'\'' };
    if bytes {
        put(out, b"b")?;
    }
    put(out, &[q])?;
    for &c in s {
        match c {
            b'\\' => put(out, b"\\\\")?,
            b'\n' => put(out, b"\\n")?,
            b'\r' => put(out, b"\\r")?,
            b'\t' => put(out, b"\\t")?,
            c if c == q => put(out, &[b'\\', c])?,
            c if c < 0x20 || c == 0x7f || (bytes && c >= 0x80) => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                put(out, &[b'\\', b'x', HEX[(c >> 4) as usize], HEX[(c & 15) as usize]])?
            }
            c => put(out, &[c])?,
        }
    }
    put(out, &[q])
}

impl Vm {
    /// `str(v)` appended to `out`.
    pub fn write_str(&mut self, v: Value, out: &mut Vec<u8>) -> PyResult<()> {
        if let Some(s) = self.call_dunder(v, crate::qstr::q::__str__, &[])? {
            return self.write_text_result(s, out);
        }
        if let Some(s) = self.str_bytes(v) {
            out.try_reserve(s.len()).map_err(|_| PyErr::NoMemory)?;
            out.extend_from_slice(s);
            return Ok(());
        }
        if self.is_exception(v) {
            let args = self.exception_args(v);
            // MicroPython's OSError text: "[Errno 2] ENOENT", ": detail" after.
            let errno_name = match args[..] {
                [n, ..] if args.len() <= 2 && cfg!(feature = "errno") && self.exception_type(v).is_subtype_of(TypeId::OSError) => {
                    self.as_int(n).and_then(crate::modules::errno::name_of).map(|q| (n, q))
                }
                _ => None,
            };
            if let Some((n, name)) = errno_name {
                let detail = args.get(1).copied();
                put(out, b"[Errno ")?;
                self.write_repr(n, out)?;
                put(out, b"] ")?;
                put(out, self.qstr_bytes(name))?;
                if let Some(detail) = detail {
                    put(out, b": ")?;
                    self.write_str(detail, out)?;
                }
                return Ok(());
            }
            return match args.len() {
                0 => Ok(()),
                1 => {
                    let a = args[0];
                    self.write_str(a, out)
                }
                _ => {
                    let t = v.as_obj().map(|r| self.heap.slot(r, 1)).unwrap_or(Value::NONE);
                    self.write_repr(t, out)
                }
            };
        }
        self.write_repr(v, out)
    }

    /// What `__str__`/`__repr__` returned, which must be a str.
    fn write_text_result(&mut self, s: Value, out: &mut Vec<u8>) -> PyResult<()> {
        match self.str_bytes(s) {
            Some(t) => {
                out.try_reserve(t.len()).map_err(|_| PyErr::NoMemory)?;
                out.extend_from_slice(t);
                Ok(())
            }
            None => Err(self.raise(TypeId::TypeError, "__str__ returned non-string")),
        }
    }

    /// `repr(v)` appended to `out`.
    pub fn write_repr(&mut self, v: Value, out: &mut Vec<u8>) -> PyResult<()> {
        if let Some(s) = self.call_dunder(v, crate::qstr::q::__repr__, &[])? {
            return self.write_text_result(s, out);
        }
        if let Some(i) = v.as_small_int() {
            return put_int(out, i as i64);
        }
        if self.kind_of(v) == Some(Kind::BigInt) {
            let d = self.int_digits(v, 10, false)?;
            return put(out, &d);
        }
        if let Some(s) = self.str_bytes(v) {
            return put_str_repr(out, s, false);
        }
        if let Some((kind, id)) = v.as_imm() {
            return match kind {
                ImmKind::Const => put(
                    out,
                    match v {
                        Value::NONE => b"None",
                        Value::TRUE => b"True",
                        Value::FALSE => b"False",
                        Value::ELLIPSIS => b"Ellipsis",
                        Value::NOT_IMPLEMENTED => b"NotImplemented",
                        _ => b"<null>",
                    },
                ),
                ImmKind::Type => {
                    let name = TypeId::from_u16(id).map_or(crate::qstr::q::object, |t| t.name());
                    self.put_named(out, b"<class '", name, b"'>")
                }
                ImmKind::BuiltinFn => self.put_named(out, b"<function ", crate::modules::native_fn_name(id), b">"),
                #[cfg(feature = "foreign")]
                ImmKind::ForeignFn => {
                    let id = v.as_foreign_fn().unwrap_or((0, 0));
                    let class = id.1 == crate::foreign::TYPE_MEMBER;
                    put(out, if class { b"<class '" } else { b"<function " })?;
                    put(out, self.foreign_fn_name(id))?;
                    put(out, if class { b"'>" } else { b">" })
                }
                ImmKind::Module => self.put_named(out, b"<module '", crate::modules::module_name(id), b"'>"),
            };
        }
        let Some(r) = v.as_obj() else { return put(out, b"<?>") };
        match self.heap.kind(r) {
            Kind::Float if crate::features::FLOAT => crate::objects::float::put_float(out, self.as_float(v).unwrap_or(0.0)),
            Kind::Complex if crate::features::COMPLEX => {
                let c = self.as_complex(v).unwrap_or((0.0, 0.0));
                self.write_complex(c, out)
            }
            Kind::Bytes => put_str_repr(out, self.heap.bytes(r), true),
            Kind::DictView => self.nested(|vm| vm.write_dict_view(r, out)),
            Kind::Array if crate::features::ARRAY => self.write_array_repr(r, out),
            Kind::MemoryView => put(out, b"<memoryview>"),
            Kind::Module => {
                let n = self.module_name_of(r);
                self.put_named(out, b"<module '", n, b"'>")
            }
            Kind::ByteArray => {
                put(out, b"bytearray(")?;
                put_str_repr(out, self.bytearray_data(r), true)?;
                put(out, b")")
            }
            Kind::Tuple | Kind::List => {
                let is_list = self.heap.kind(r) == Kind::List;
                put(out, if is_list { b"[" } else { b"(" })?;
                let n = self.seq_items(v).map_or(0, |s| s.len());
                self.nested(|vm| {
                    for i in 0..n {
                        if i > 0 {
                            put(out, b", ")?;
                        }
                        let x = vm.seq_items(v).and_then(|s| s.get(i).copied()).unwrap_or(Value::NONE);
                        vm.write_repr(x, out)?;
                    }
                    Ok(())
                })?;
                if !is_list && n == 1 {
                    put(out, b",")?;
                }
                put(out, if is_list { b"]" } else { b")" })
            }
            Kind::Dict => {
                put(out, b"{")?;
                let n = dict::entry_slots(&self.heap, r);
                self.nested(|vm| {
                    let mut first = true;
                    for i in 0..n {
                        let Some((k, x)) = dict::entry(&vm.heap, r, i) else { continue };
                        if !first {
                            put(out, b", ")?;
                        }
                        first = false;
                        vm.write_repr(k, out)?;
                        put(out, b": ")?;
                        vm.write_repr(x, out)?;
                    }
                    Ok(())
                })?;
                put(out, b"}")
            }
            Kind::Set | Kind::FrozenSet if crate::features::SET => {
                let frozen = self.heap.kind(r) == Kind::FrozenSet;
                let n = dict::len(&self.heap, r);
                if n == 0 {
                    return put(out, if frozen { b"frozenset()" } else { b"set()" });
                }
                put(out, if frozen { b"frozenset({" } else { b"{" })?;
                let raw = dict::raw_entries(&self.heap, r).len() / 2;
                self.nested(|vm| {
                    let mut first = true;
                    for i in 0..raw {
                        let Some(k) = vm.set_item(r, i) else { continue };
                        if !first {
                            put(out, b", ")?;
                        }
                        first = false;
                        vm.write_repr(k, out)?;
                    }
                    Ok(())
                })?;
                put(out, if frozen { b"})" } else { b"}" })
            }
            Kind::Range => {
                let (start, stop, step) = self.range_parts(r);
                put(out, b"range(")?;
                put_int(out, start)?;
                put(out, b", ")?;
                put_int(out, stop)?;
                if step != 1 {
                    put(out, b", ")?;
                    put_int(out, step)?;
                }
                put(out, b")")
            }
            Kind::Slice if crate::features::SLICE => {
                put(out, b"slice(")?;
                for i in 0..3 {
                    if i > 0 {
                        put(out, b", ")?;
                    }
                    let part = self.heap.slot(r, i);
                    self.write_repr(part, out)?;
                }
                put(out, b")")
            }
            Kind::Function => {
                let code = self.heap.slot(r, 0).as_obj();
                let name = code.map(|c| self.code_file_and_name(c).1).unwrap_or(crate::qstr::q::EMPTY);
                self.put_named(out, b"<function ", name, b">")
            }
            Kind::Generator => {
                let fun = self.heap.slot(r, crate::objects::generator::gen::FUNC).as_obj();
                let code = fun.and_then(|f| self.heap.slot(f, 0).as_obj());
                let name = code.map(|c| self.code_file_and_name(c).1).unwrap_or(crate::qstr::q::EMPTY);
                self.put_named(out, b"<generator object '", name, b"' at 0x")?;
                put_addr(out, r.0 as usize * crate::heap::BYTES_PER_BLOCK)
            }
            Kind::Class => self.put_named(out, b"<class '", self.class_name(v), b"'>"),
            Kind::Instance if self.native_value(v) != v => {
                let n = self.native_value(v);
                let cls = self.class_of(v);
                if crate::features::COLLECTIONS {
                    if let Some(fields) = self.namedtuple_fields(cls)? {
                        return self.write_namedtuple(v, fields, out);
                    }
                }
                if cfg!(feature = "re") && cls == TypeId::Regex.value() {
                    return put(out, b"<re>");
                }
                if cfg!(feature = "re") && cls == TypeId::Match.value() {
                    put(out, b"<match num=")?;
                    let groups = self.seq_items(n).map_or(0, |s| s.len().saturating_sub(1) / 2);
                    put_int(out, groups as i64)?;
                    return put(out, b">");
                }
                if cfg!(feature = "os") && (cls == TypeId::TextIOWrapper.value() || cls == TypeId::FileIO.value()) {
                    put(out, if cls == TypeId::FileIO.value() { b"<io.FileIO" } else { b"<io.TextIOWrapper" })?;
                    // The descriptor, without the FileIO mark (see io.rs);
                    // none for a file of a mounted file system.
                    let fd = n.as_small_int().unwrap_or(0);
                    if !crate::modules::os::is_vfs_file(fd) {
                        put(out, b" ")?;
                        put_int(out, (fd & 0xf) as i64)?;
                    }
                    return put(out, b">");
                }
                if cfg!(feature = "ringio") && cls == TypeId::RingIO.value() {
                    return put(out, b"<RingIO>");
                }
                if cfg!(feature = "os") && cls == TypeId::VfsNative.value() {
                    return put(out, b"<VfsNative>");
                }
                if cfg!(feature = "vfs-lfs2") && cls == TypeId::VfsLfs2.value() {
                    return put(out, b"<VfsLfs2>");
                }
                if crate::features::IO && (cls == TypeId::StringIO.value() || cls == TypeId::BytesIO.value()) {
                    put(out, if cls == TypeId::StringIO.value() { b"<io.StringIO object at 0x" } else { b"<io.BytesIO object at 0x" })?;
                    return put_addr(out, r.0 as usize * crate::heap::BYTES_PER_BLOCK);
                }
                if crate::features::COLLECTIONS && cls == TypeId::DefaultDict.value() {
                    put(out, b"defaultdict(")?;
                    self.write_repr(self.heap.slot(r, 1), out)?;
                    put(out, b", ")?;
                    self.write_repr(n, out)?;
                    return put(out, b")");
                }
                let wrap: &[u8] = if crate::features::COLLECTIONS && cls == TypeId::Deque.value() {
                    b"deque("
                } else if crate::features::COLLECTIONS && cls == TypeId::OrderedDict.value() {
                    b"OrderedDict("
                } else {
                    return self.write_repr(n, out);
                };
                put(out, wrap)?;
                self.write_repr(n, out)?;
                put(out, b")")
            }
            Kind::Instance => {
                self.put_named(out, b"<", self.class_name(self.class_of(v)), b" object at 0x")?;
                put_addr(out, r.0 as usize * crate::heap::BYTES_PER_BLOCK)
            }
            Kind::Exception => {
                // MicroPython's form: the name, then the args tuple, so one
                // argument reads `ValueError(2,)`.
                let ty = self.class_name(self.class_of(v));
                put(out, self.qstr_bytes(ty))?;
                let args = v.as_obj().map(|r| self.heap.slot(r, 1)).unwrap_or(Value::NONE);
                self.write_repr(args, out)
            }
            Kind::Native if cfg!(feature = "machine") && self.type_of(v) == TypeId::Pin => crate::modules::machine::pin_repr(self, r, out),
            Kind::Native if cfg!(feature = "machine-i2c") && self.type_of(v) == TypeId::I2C => crate::modules::i2c::i2c_repr(self, r, out),
            Kind::Native if cfg!(feature = "machine-spi") && self.type_of(v) == TypeId::SPI => crate::modules::spi::spi_repr(self, r, out),
            #[cfg(feature = "machine-soft-i2c")]
            Kind::Native if self.type_of(v) == TypeId::SoftI2C => crate::modules::soft_i2c::repr(self, r, out),
            #[cfg(feature = "machine-soft-spi")]
            Kind::Native if self.type_of(v) == TypeId::SoftSPI => crate::modules::soft_spi::repr(self, r, out),
            Kind::Native if cfg!(feature = "machine-adc") && self.type_of(v) == TypeId::ADC => crate::modules::adc::adc_repr(self, r, out),
            Kind::Native if cfg!(feature = "machine-uart") && self.type_of(v) == TypeId::UART => {
                crate::modules::uart::uart_repr(self, r, out)
            }
            Kind::Native if cfg!(feature = "machine-pwm") && self.type_of(v) == TypeId::PWM => crate::modules::pwm::pwm_repr(self, r, out),
            // A native object: `<Name object at 0x...>` with its native address.
            #[cfg(feature = "foreign")]
            Kind::Capsule => {
                put(out, b"<")?;
                put(out, self.capsule_type_name(v))?;
                put(out, b" object at 0x")?;
                put_addr(out, self.capsule_parts(v).map_or(0, |(p, _)| p))
            }
            Kind::Super => {
                put(out, b"<super: ")?;
                self.write_repr(self.heap.slot(r, 0), out)?;
                put(out, b", ")?;
                self.write_repr(self.heap.slot(r, 1), out)?;
                put(out, b">")
            }
            _ => self.put_named(out, b"<", self.type_of(v).name(), b">"),
        }
    }

    /// `pre`, the text of name `q`, then `post`: one copy of what most
    /// reprs of named things do.
    #[inline(never)]
    fn put_named(&self, out: &mut Vec<u8>, pre: &[u8], q: crate::qstr::Qstr, post: &[u8]) -> PyResult<()> {
        put(out, pre)?;
        put(out, self.qstr_bytes(q))?;
        put(out, post)
    }

    /// Runs `f` one native recursion level deeper (nested containers).
    pub(crate) fn nested(&mut self, f: impl FnOnce(&mut Vm) -> PyResult<()>) -> PyResult<()> {
        self.enter_nested()?;
        let r = f(self);
        self.native_depth -= 1;
        r
    }

    /// One native recursion level deeper, or `RuntimeError` at the limit.
    /// Out of line: `nested` has several instances.
    #[inline(never)]
    fn enter_nested(&mut self) -> PyResult<()> {
        if self.native_depth >= self.max_native_depth || self.stack_exhausted() {
            return Err(self.raise(TypeId::RuntimeError, "maximum recursion depth exceeded"));
        }
        self.native_depth += 1;
        Ok(())
    }

    /// `str(v)` as a new str object.
    pub fn to_str(&mut self, v: Value) -> PyResult<Value> {
        if self.str_bytes(v).is_some() {
            return Ok(v);
        }
        let mut out = Vec::new();
        self.write_str(v, &mut out)?;
        self.new_str(&out)
    }
}
