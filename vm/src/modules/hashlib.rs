//! `hashlib`: `sha256`, `sha1` and `md5` objects with `update` and `digest`
//! (and CPython's `hexdigest`). A hash object is an instance whose value is
//! a bytearray holding the algorithm, the chaining state, the bytes not yet
//! compressed and the message length, so it lives and dies in the GC heap
//! like any other object. SHA-256 and SHA-1 compress with RustCrypto's
//! functions; MD5 (RFC 1321) is done here.

use crate::error::PyResult;
use crate::modules::binascii::data_arg;
use crate::modules::builtins::arity;
use crate::objects::{Kind, TypeId};
use crate::runtime::call::Args;
use crate::value::{ObjRef, Value};
use crate::vm::Vm;
use alloc::vec::Vec;

#[derive(Copy, Clone, PartialEq)]
enum Algo {
    Sha256 = 0,
    Sha1 = 1,
    Md5 = 2,
}

impl Algo {
    fn words(self) -> usize {
        match self {
            Algo::Sha256 => 8,
            Algo::Sha1 => 5,
            Algo::Md5 => 4,
        }
    }

    fn digest_len(self) -> usize {
        self.words() * 4
    }

    fn initial(self) -> &'static [u32] {
        match self {
            Algo::Sha256 => &[0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19],
            Algo::Sha1 => &[0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0],
            Algo::Md5 => &[0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476],
        }
    }

    fn compress(self, state: &mut [u32], block: &[u8; 64]) {
        match self {
            #[cfg(feature = "hashlib")]
            Algo::Sha256 => {
                let mut s = [0u32; 8];
                s.copy_from_slice(state);
                sha2::compress256(&mut s, &[(*block).into()]);
                state.copy_from_slice(&s);
            }
            #[cfg(feature = "hashlib")]
            Algo::Sha1 => {
                let mut s = [0u32; 5];
                s.copy_from_slice(state);
                sha1::compress(&mut s, &[(*block).into()]);
                state.copy_from_slice(&s);
            }
            Algo::Md5 => md5_compress(state, block),
            // Built without the hashlib feature nothing can make a hash object.
            #[cfg(not(feature = "hashlib"))]
            Algo::Sha256 | Algo::Sha1 => {}
        }
    }
}

/// RFC 1321's K[i] = floor(abs(sin(i + 1)) * 2^32).
const MD5_K: [u32; 64] = [
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1,
    0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453,
    0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942,
    0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
    0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d,
    0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
];

/// RFC 1321's compression of one 64-byte block.
fn md5_compress(state: &mut [u32], block: &[u8; 64]) {
    const S: [u32; 16] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
    let m: [u32; 16] = core::array::from_fn(|i| u32::from_le_bytes([block[4 * i], block[4 * i + 1], block[4 * i + 2], block[4 * i + 3]]));
    let (mut a, mut b, mut c, mut d) = (state[0], state[1], state[2], state[3]);
    for i in 0..64 {
        let (f, g) = match i / 16 {
            0 => ((b & c) | (!b & d), i),
            1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
            2 => (b ^ c ^ d, (3 * i + 5) % 16),
            _ => (c ^ (b | !d), (7 * i) % 16),
        };
        let rotated = a.wrapping_add(f).wrapping_add(MD5_K[i]).wrapping_add(m[g]).rotate_left(S[(i / 16) * 4 + i % 4]);
        a = d;
        d = c;
        c = b;
        b = b.wrapping_add(rotated);
    }
    for (s, v) in state.iter_mut().zip([a, b, c, d]) {
        *s = s.wrapping_add(v);
    }
}

// The state bytearray: [algo, finished, 8-byte length][state words LE][pending bytes].
const HEADER: usize = 10;

struct Hash {
    algo: Algo,
    finished: bool,
    len: u64,
    state: Vec<u32>,
    pending: Vec<u8>,
}

impl Hash {
    fn new(algo: Algo) -> Hash {
        Hash { algo, finished: false, len: 0, state: algo.initial().to_vec(), pending: Vec::new() }
    }

    fn load(raw: &[u8]) -> Hash {
        let algo = match raw[0] {
            0 => Algo::Sha256,
            1 => Algo::Sha1,
            _ => Algo::Md5,
        };
        let mut len = [0u8; 8];
        len.copy_from_slice(&raw[2..10]);
        let words = algo.words();
        let state = (0..words)
            .map(|i| u32::from_le_bytes([raw[HEADER + 4 * i], raw[HEADER + 4 * i + 1], raw[HEADER + 4 * i + 2], raw[HEADER + 4 * i + 3]]))
            .collect();
        Hash { algo, finished: raw[1] != 0, len: u64::from_le_bytes(len), state, pending: raw[HEADER + 4 * words..].to_vec() }
    }

    fn store(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + 4 * self.state.len() + self.pending.len());
        out.push(self.algo as u8);
        out.push(self.finished as u8);
        out.extend_from_slice(&self.len.to_le_bytes());
        for w in &self.state {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out.extend_from_slice(&self.pending);
        out
    }

    fn update(&mut self, data: &[u8]) {
        self.len = self.len.wrapping_add(data.len() as u64);
        self.pending.extend_from_slice(data);
        let full = self.pending.len() / 64 * 64;
        for chunk in self.pending[..full].chunks_exact(64) {
            let block: &[u8; 64] = chunk.try_into().expect("64 bytes");
            self.algo.compress(&mut self.state, block);
        }
        self.pending.drain(..full);
    }

    /// The digest: MD-style padding with the bit length, big-endian for SHA
    /// and little-endian for MD5.
    fn digest(&self) -> Vec<u8> {
        let mut h = Hash { algo: self.algo, finished: true, len: self.len, state: self.state.clone(), pending: self.pending.clone() };
        let bits = self.len.wrapping_mul(8);
        let mut tail = alloc::vec![0x80u8];
        while (h.pending.len() + tail.len()) % 64 != 56 {
            tail.push(0);
        }
        tail.extend_from_slice(&if self.algo == Algo::Md5 { bits.to_le_bytes() } else { bits.to_be_bytes() });
        h.update(&tail);
        let mut out = Vec::with_capacity(self.algo.digest_len());
        for w in &h.state {
            out.extend_from_slice(&if self.algo == Algo::Md5 { w.to_le_bytes() } else { w.to_be_bytes() });
        }
        out
    }
}

fn store(vm: &mut Vm, r: ObjRef, h: &Hash) -> PyResult<()> {
    let n = vm.bytearray_data(r).len();
    vm.bytearray_splice(r, 0, n, &h.store())
}

fn new_hash(vm: &mut Vm, args: Args, algo: Algo) -> PyResult<Value> {
    arity(vm, &args, 0, 1)?;
    let mut h = Hash::new(algo);
    if let Some(&d) = args.pos.first() {
        let data = data_arg(vm, d)?;
        h.update(&data);
    }
    let ba = vm.new_bytearray(&h.store())?;
    vm.native_instance(TypeId::Hash, ba, Value::NULL)
}

pub fn sha256(vm: &mut Vm, args: Args) -> PyResult<Value> {
    new_hash(vm, args, Algo::Sha256)
}

pub fn sha1(vm: &mut Vm, args: Args) -> PyResult<Value> {
    new_hash(vm, args, Algo::Sha1)
}

pub fn md5(vm: &mut Vm, args: Args) -> PyResult<Value> {
    new_hash(vm, args, Algo::Md5)
}

/// Methods get the instance's value: the state bytearray.
fn state_of(vm: &mut Vm, args: &Args) -> PyResult<(ObjRef, Hash)> {
    match args.pos.first().and_then(|v| v.as_obj()).filter(|&r| vm.heap.kind(r) == Kind::ByteArray) {
        Some(r) => Ok((r, Hash::load(vm.bytearray_data(r)))),
        None => Err(vm.raise(TypeId::TypeError, "expected a hash object")),
    }
}

pub fn update(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (r, mut h) = state_of(vm, &args)?;
    if h.finished {
        return Err(vm.raise(TypeId::ValueError, "hash is final"));
    }
    let data = data_arg(vm, args.pos[1])?;
    h.update(&data);
    store(vm, r, &h)?;
    Ok(Value::NONE)
}

/// As MicroPython, a hash gives its digest once and takes no more data.
/// The result is made before the hash is marked final: out of memory, the
/// call is retried and must find the hash as it was.
fn final_digest(vm: &mut Vm, args: &Args, hex: bool) -> PyResult<Value> {
    let (r, mut h) = state_of(vm, args)?;
    if h.finished {
        return Err(vm.raise(TypeId::ValueError, "hash is final"));
    }
    let d = h.digest();
    let v = if hex {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let text: Vec<u8> = d.iter().flat_map(|&b| [HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]).collect();
        vm.new_str(&text)?
    } else {
        vm.new_bytes(&d)?
    };
    h.finished = true;
    vm.with_root(v, |vm| store(vm, r, &h))?;
    Ok(v)
}

pub fn digest(vm: &mut Vm, args: Args) -> PyResult<Value> {
    final_digest(vm, &args, false)
}

pub fn hexdigest(vm: &mut Vm, args: Args) -> PyResult<Value> {
    final_digest(vm, &args, true)
}
