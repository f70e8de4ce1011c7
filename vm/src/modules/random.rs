//! `random`: MicroPython's subset (`getrandbits seed randrange randint choice
//! random uniform`) over xoshiro128**, a small, fast generator with good
//! statistics. Seeded from the port's random source on first use, or from a
//! fixed value on boards without one, as MicroPython does.

use crate::error::PyResult;
use crate::objects::fmath::Float;
use crate::objects::TypeId;
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::Vm;

/// Expands a 32-bit seed into a full state (SplitMix32-style mixing), never
/// all zero.
fn state_from(seed: u32) -> [u32; 4] {
    let mut z = seed;
    let mut next = || {
        z = z.wrapping_add(0x9e37_79b9);
        let mut x = z;
        x = (x ^ (x >> 16)).wrapping_mul(0x85eb_ca6b);
        x = (x ^ (x >> 13)).wrapping_mul(0xc2b2_ae35);
        x ^ (x >> 16)
    };
    let s = [next(), next(), next(), next()];
    if s == [0; 4] {
        [1, 0, 0, 0]
    } else {
        s
    }
}

impl Vm {
    fn next_u32(&mut self) -> u32 {
        if self.rng == [0; 4] {
            let seed = self.port.random_seed().unwrap_or(0x5eed_1234);
            self.rng = state_from(seed);
        }
        let s = &mut self.rng;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 9;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(11);
        result
    }

    /// Uniform in `0..n` (n > 0), without modulo bias.
    fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        let bits = 64 - (n - 1).leading_zeros();
        loop {
            let mut r = self.next_u32() as u64;
            if bits > 32 {
                r = (r << 32) | self.next_u32() as u64;
            }
            let r = r & (u64::MAX >> (64 - bits));
            if r < n {
                return r;
            }
        }
    }

    /// In [0, 1) with all 53 bits of the fraction random.
    fn unit_float(&mut self) -> Float {
        let hi = (self.next_u32() >> 5) as u64; // 27 bits
        let lo = (self.next_u32() >> 6) as u64; // 26 bits
                                                // (At single precision the low bits round away; a result that
                                                // rounds up to 1.0 is redrawn from the top 24 bits.)
        let x = ((hi << 26) | lo) as Float / (1u64 << 53) as Float;
        if x < 1.0 {
            x
        } else {
            (hi >> 3) as Float / (1u64 << 24) as Float
        }
    }
}

fn bad(vm: &mut Vm) -> crate::error::PyErr {
    vm.raise(TypeId::ValueError, "empty range")
}

pub fn getrandbits(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let n = vm.machine_int(args.pos[0])?;
    if !(0..=32).contains(&n) {
        return Err(vm.raise(TypeId::ValueError, "bits must be 32 or less"));
    }
    if n == 0 {
        return Ok(Value::small_int(0));
    }
    let r = vm.next_u32() >> (32 - n);
    vm.int_value(r as i64)
}

pub fn seed(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let s = match args.pos.first().filter(|v| !v.is_none()) {
        Some(&v) => match vm.as_big(v)? {
            // Truncated to 32 bits, as MicroPython.
            Some(b) => b.low_u32(),
            None => return Err(vm.not_an_int(v)),
        },
        None => vm.port.random_seed().unwrap_or(0x5eed_1234),
    };
    vm.rng = state_from(s);
    Ok(Value::NONE)
}

pub fn randrange(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let a = vm.machine_int(args.pos[0])?;
    let (start, stop) = match args.pos.get(1) {
        Some(&b) => (a, vm.machine_int(b)?),
        None => (0, a),
    };
    let step = match args.pos.get(2) {
        Some(&s) => vm.machine_int(s)?,
        None => 1,
    };
    let n = match step {
        0 => return Err(bad(vm)),
        s if s > 0 => (stop - start + s - 1) / s,
        s => (stop - start + s + 1) / s,
    };
    if n <= 0 {
        return Err(bad(vm));
    }
    let k = vm.below(n as u64) as i64;
    vm.int_value(start + step * k)
}

pub fn randint(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (a, b) = (vm.machine_int(args.pos[0])?, vm.machine_int(args.pos[1])?);
    if a > b {
        return Err(bad(vm));
    }
    let k = vm.below((b - a) as u64 + 1) as i64;
    vm.int_value(a + k)
}

pub fn choice(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let seq = args.pos[0];
    let n = crate::modules::builtins::len(vm, Args { pos: &[seq], kw: &[] })?;
    let n = vm.as_int(n).unwrap_or(0);
    if n <= 0 {
        return Err(vm.raise(TypeId::IndexError, "can't choose from an empty sequence"));
    }
    let i = vm.below(n as u64);
    vm.subscr(seq, Value::small_int(i as isize))
}

pub fn random(vm: &mut Vm, _args: Args) -> PyResult<Value> {
    let x = vm.unit_float();
    vm.new_float(x)
}

pub fn uniform(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let a = crate::modules::math::float_arg(vm, args.pos[0])?;
    let b = crate::modules::math::float_arg(vm, args.pos[1])?;
    let x = vm.unit_float();
    vm.new_float(a + (b - a) * x)
}
