//! A DEFLATE encoder (RFC 1951) for `deflate.DeflateIO.write`: LZ77 over a
//! window of 2^wbits bytes, coded with the fixed Huffman codes, in one block
//! that `finish` ends, with zlib (RFC 1950) or gzip (RFC 1952) framing.
//!
//! Each write is matched against the window and within itself; matches are
//! searched nearest first, by brute force over the window (so a 256-byte
//! window costs little time and no tables), and the longest wins, the
//! nearest of equals. Fixed codes need no second pass, so output is made as
//! input arrives and nothing but the window is kept.

use super::inflate::{distance_base, length_base, Format};
use alloc::vec::Vec;

const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;

/// The encoder's state, kept (as plain data) next to its window.
#[repr(C)]
#[derive(Copy, Clone, bytemuck::Pod, bytemuck::Zeroable)]
pub struct Deflate {
    /// Output bits not yet a whole byte, least significant first.
    bits: u32,
    count: u32,
    /// Bytes taken in, modulo 2^32 (gzip's ISIZE).
    total: u32,
    /// Bytes of the window that hold input (matches may not reach past).
    filled: u32,
    /// Adler-32 (zlib) or CRC-32 (gzip) of the input.
    check: u32,
    adler_b: u32,
    mask: u32,
    format: u8,
    started: u8,
    _pad: [u8; 2],
}

impl Deflate {
    pub fn new(format: Format, wbits: u8) -> Deflate {
        let mut s: Deflate = bytemuck::Zeroable::zeroed();
        s.mask = (1u32 << wbits) - 1;
        s.format = format as u8;
        s.check = if format == Format::Zlib { 1 } else { 0 };
        s
    }

    fn put(&mut self, out: &mut Vec<u8>, value: u32, n: u32) {
        self.bits |= value << self.count;
        self.count += n;
        while self.count >= 8 {
            out.push(self.bits as u8);
            self.bits >>= 8;
            self.count -= 8;
        }
    }

    /// A Huffman code: sent most significant bit first.
    fn put_code(&mut self, out: &mut Vec<u8>, code: u32, n: u32) {
        self.put(out, code.reverse_bits() >> (32 - n), n);
    }

    fn literal(&mut self, out: &mut Vec<u8>, sym: u32) {
        match sym {
            0..=143 => self.put_code(out, 0x30 + sym, 8),
            144..=255 => self.put_code(out, 0x190 + sym - 144, 9),
            256..=279 => self.put_code(out, sym - 256, 7),
            _ => self.put_code(out, 0xc0 + sym - 280, 8),
        }
    }

    fn matched(&mut self, out: &mut Vec<u8>, len: u32, dist: u32) {
        let i = (0..29).rev().find(|&i| length_base(i).0 <= len).unwrap_or(0);
        let (base, extra) = length_base(i);
        self.literal(out, 257 + i);
        self.put(out, len - base, extra);
        let d = (0..30).rev().find(|&d| distance_base(d).0 <= dist).unwrap_or(0);
        let (base, extra) = distance_base(d);
        self.put_code(out, d, 5);
        self.put(out, dist - base, extra);
    }

    /// The framing's header and the block header, before the first data.
    fn start(&mut self, out: &mut Vec<u8>) {
        if self.started != 0 {
            return;
        }
        self.started = 1;
        if self.format == Format::Zlib as u8 {
            // CMF: deflate, the window's log2 - 8 (at least 1, as zlib).
            let wbits = 32 - self.mask.leading_zeros();
            let cmf = 0x08 | (wbits.saturating_sub(8).max(1) << 4) as u8;
            let flg = 0x80u8;
            let check = 31 - ((cmf as u32 * 256 + flg as u32) % 31) as u8;
            out.extend_from_slice(&[cmf, flg | check]);
        } else if self.format == Format::Gzip as u8 {
            // No name, no time; XFL 4 (fastest), OS 3 (Unix), as zlib's.
            out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 3]);
        }
        // One final block of fixed codes, ended by `finish`.
        self.put(out, 0b011, 3);
    }

    /// Compresses `data` onto `out`, with `window` the last 2^wbits bytes.
    pub fn write(&mut self, window: &mut [u8], data: &[u8], out: &mut Vec<u8>) {
        self.start(out);
        let mask = self.mask as usize;
        let mut i = 0;
        while i < data.len() {
            let (len, dist) = self.longest(window, data, i);
            let take = if len >= MIN_MATCH {
                self.matched(out, len as u32, dist as u32);
                len
            } else {
                self.literal(out, data[i] as u32);
                1
            };
            for &b in &data[i..i + take] {
                window[self.total as usize & mask] = b;
                self.total = self.total.wrapping_add(1);
                if self.filled <= self.mask {
                    self.filled += 1;
                }
            }
            i += take;
        }
        if self.format == Format::Zlib as u8 {
            for &b in data {
                self.check = (self.check + b as u32) % 65521;
                self.adler_b = (self.adler_b + self.check) % 65521;
            }
        } else if self.format == Format::Gzip as u8 {
            self.check = super::binascii::crc32_update(self.check, data);
        }
    }

    /// The longest match for `data[at..]`, nearest first: (length, distance).
    /// Bytes before `at` in `data` are already in the window; a match may
    /// run on past `at` (distance less than its length).
    fn longest(&self, window: &[u8], data: &[u8], at: usize) -> (usize, usize) {
        let mask = self.mask as usize;
        let room = (data.len() - at).min(MAX_MATCH);
        if room < MIN_MATCH {
            return (0, 0);
        }
        // The window holds everything up to `at` (what came before, then
        // data[..at], as `write` stores them), so byte `p` bytes back is
        // window[(total - p) & mask]; bytes at or after `at` are data's.
        let total = self.total as usize;
        let byte = |dist: usize, k: usize| -> u8 {
            if k >= dist {
                data[at + k - dist]
            } else {
                window[total.wrapping_sub(dist - k) & mask]
            }
        };
        let (mut best, mut best_dist) = (0, 0);
        for dist in 1..=(self.filled as usize) {
            if byte(dist, 0) != data[at] {
                continue;
            }
            let mut len = 1;
            while len < room && byte(dist, len) == data[at + len] {
                len += 1;
            }
            if len > best {
                best = len;
                best_dist = dist;
                if len == room {
                    break;
                }
            }
        }
        (best, best_dist)
    }

    /// Ends the block and writes the framing's trailer.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        self.start(out);
        self.literal(out, 256);
        if self.count > 0 {
            out.push(self.bits as u8);
            self.bits = 0;
            self.count = 0;
        }
        if self.format == Format::Zlib as u8 {
            out.extend_from_slice(&(self.adler_b << 16 | self.check).to_be_bytes());
        } else if self.format == Format::Gzip as u8 {
            out.extend_from_slice(&self.check.to_le_bytes());
            out.extend_from_slice(&self.total.to_le_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compress(parts: &[&[u8]], format: Format, wbits: u8) -> Vec<u8> {
        let mut s = Deflate::new(format, wbits);
        let mut window = alloc::vec![0; 1 << wbits];
        let mut out = Vec::new();
        for p in parts {
            s.write(&mut window, p, &mut out);
        }
        s.finish(&mut out);
        out
    }

    fn sample(n: usize) -> Vec<u8> {
        let mut x = 99u32;
        let mut out = Vec::new();
        while out.len() < n {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            match (x >> 16) % 3 {
                0 => out.push((x >> 8) as u8),
                1 => out.extend_from_slice(b"sensor reading "),
                _ => out.extend_from_slice(&[0; 9]),
            }
        }
        out.truncate(n);
        out
    }

    #[test]
    fn miniz_decompresses_what_it_makes() {
        let data = sample(20_000);
        for wbits in [5u8, 8, 10, 15] {
            // In one write and in uneven pieces (matches reach across them).
            let pieces: Vec<&[u8]> = data.chunks(777).collect();
            for parts in [&[&data[..]][..], &pieces[..]] {
                let raw = compress(parts, Format::Raw, wbits);
                assert_eq!(miniz_oxide::inflate::decompress_to_vec(&raw).unwrap(), data, "wbits {wbits}");
                let z = compress(parts, Format::Zlib, wbits);
                assert_eq!(miniz_oxide::inflate::decompress_to_vec_zlib(&z).unwrap(), data);
                assert!(raw.len() < data.len() / 2, "wbits {wbits}: {} bytes", raw.len());
            }
        }
        assert_eq!(miniz_oxide::inflate::decompress_to_vec(&compress(&[], Format::Raw, 8)).unwrap(), b"");
    }

    #[test]
    fn a_bigger_window_finds_more() {
        let data = sample(5000);
        let sizes: Vec<usize> = [6u8, 9, 12].iter().map(|&w| compress(&[&data], Format::Raw, w).len()).collect();
        assert!(sizes[0] > sizes[1] && sizes[1] > sizes[2], "{sizes:?}");
    }

    #[test]
    fn gzip_framing_round_trips_through_the_inflater() {
        let data = sample(3000);
        let gz = compress(&[&data[..1000], &data[1000..]], Format::Gzip, 10);
        let (out, used) = super::super::inflate::tests::inflate(&gz, Format::Gzip, 15).unwrap();
        assert_eq!((out, used), (data, gz.len()));
    }
}
