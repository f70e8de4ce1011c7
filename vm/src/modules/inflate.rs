//! A DEFLATE decoder (RFC 1951) with zlib (RFC 1950) and gzip (RFC 1952)
//! framing, for `deflate.DeflateIO`. It pulls its input a byte at a time and
//! only when it needs another bit, so a reader never takes more of the
//! source stream than the output asked for needs; and it produces output a
//! byte at a time into a window of 2^wbits bytes, so a small device can
//! decompress with a 256-byte window. Huffman codes are decoded bit by bit
//! from canonical counts (as zlib's `puff`): slower than table lookup, but
//! the tables are 700 bytes and the code is small.
//!
//! The state is plain data (`bytemuck::Pod`) so that `DeflateIO` can keep
//! it in a GC heap object next to the window.

/// Where the decoder gets input and keeps its window.
pub trait Io {
    type Err;
    /// The next input byte (the implementation turns end of input into its
    /// own error).
    fn byte(&mut self) -> Result<u8, Self::Err>;
    /// The window: a power of two long, at least as long as `Inflate::new`
    /// was told.
    fn window(&mut self) -> &mut [u8];
}

/// Why decoding stopped: bad data, or the input's own error.
#[derive(Debug, PartialEq)]
pub enum Fault<E> {
    Data,
    Io(E),
}

type Res<T, E> = Result<T, Fault<E>>;

/// The stream's framing.
#[derive(Copy, Clone, PartialEq, Debug)]
pub enum Format {
    Raw = 1,
    Zlib = 2,
    Gzip = 3,
}

fn byte<I: Io>(io: &mut I) -> Res<u8, I::Err> {
    io.byte().map_err(Fault::Io)
}

/// Reads a zlib or gzip header (`want` None: whichever it is) and returns
/// the framing and the window size it declares (gzip: always 15).
pub fn header<I: Io>(io: &mut I, want: Option<Format>) -> Res<(Format, u8), I::Err> {
    let (a, b) = (byte(io)?, byte(io)?);
    if a == 0x1f && b == 0x8b && want != Some(Format::Zlib) {
        // CM, FLG, MTIME (4), XFL, OS.
        let mut fixed = [0u8; 8];
        for x in &mut fixed {
            *x = byte(io)?;
        }
        let (cm, flags) = (fixed[0], fixed[1]);
        if cm != 8 || flags & 0xe0 != 0 {
            return Err(Fault::Data);
        }
        if flags & 4 != 0 {
            // FEXTRA: a length, then that many bytes.
            let n = byte(io)? as usize | (byte(io)? as usize) << 8;
            for _ in 0..n {
                byte(io)?;
            }
        }
        // FNAME, then FCOMMENT: zero-terminated.
        for flag in [8, 16] {
            if flags & flag != 0 {
                while byte(io)? != 0 {}
            }
        }
        if flags & 2 != 0 {
            // FHCRC.
            byte(io)?;
            byte(io)?;
        }
        return Ok((Format::Gzip, 15));
    }
    let wbits = (a >> 4) + 8;
    let zlib = a & 0x0f == 8 && wbits <= 15 && ((a as u16) << 8 | b as u16).is_multiple_of(31) && b & 0x20 == 0;
    if !zlib || want == Some(Format::Gzip) {
        return Err(Fault::Data);
    }
    Ok((Format::Zlib, wbits))
}

const HEADER: u8 = 0;
const STORED: u8 = 1;
const CODES: u8 = 2;
const COPY: u8 = 3;
const TRAILER: u8 = 4;
const DONE: u8 = 5;

/// Bits not yet used from the input, least significant first.
#[repr(C)]
#[derive(Copy, Clone, bytemuck::Pod, bytemuck::Zeroable)]
struct Bits {
    buf: u32,
    count: u32,
}

impl Bits {
    fn take<I: Io>(&mut self, io: &mut I, n: u32) -> Res<u32, I::Err> {
        while self.count < n {
            self.buf |= (byte(io)? as u32) << self.count;
            self.count += 8;
        }
        let v = self.buf & ((1u32 << n) - 1);
        self.buf = self.buf.checked_shr(n).unwrap_or(0);
        self.count -= n;
        Ok(v)
    }

    /// Drops the bits left in the current byte.
    fn align(&mut self) {
        let drop = self.count % 8;
        self.buf >>= drop;
        self.count -= drop;
    }

    /// One symbol of a canonical Huffman code given by how many codes
    /// have each length (`counts[1..16]`) and its symbols in code order.
    fn decode<I: Io>(&mut self, io: &mut I, counts: &[u16; 16], symbols: &[u16]) -> Res<u16, I::Err> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for &count in &counts[1..] {
            code |= self.take(io, 1)? as i32;
            let count = count as i32;
            if code - first < count {
                return symbols.get((index + code - first) as usize).copied().ok_or(Fault::Data);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(Fault::Data)
    }
}

/// Fills `counts` and `symbols` for the code with these lengths; false if
/// the lengths over-subscribe the code space (incomplete codes are allowed:
/// their missing codes are errors when met).
fn build(lengths: &[u8], counts: &mut [u16; 16], symbols: &mut [u16]) -> bool {
    *counts = [0; 16];
    for &l in lengths {
        counts[l as usize] += 1;
    }
    let mut left = 1i32;
    for &c in &counts[1..] {
        left = (left << 1) - c as i32;
        if left < 0 {
            return false;
        }
    }
    let mut offs = [0u16; 16];
    for len in 1..15 {
        offs[len + 1] = offs[len] + counts[len];
    }
    for (sym, &l) in lengths.iter().enumerate() {
        if l != 0 {
            symbols[offs[l as usize] as usize] = sym as u16;
            offs[l as usize] += 1;
        }
    }
    counts[0] = 0;
    true
}

/// The base and extra-bit count of a length (symbol 257 + `i`) or a
/// distance code: RFC 1951's tables, computed rather than stored.
pub(crate) fn length_base(i: u32) -> (u32, u32) {
    if i == 28 {
        return (258, 0);
    }
    let extra = if i < 8 { 0 } else { (i - 4) / 4 };
    let base = if i < 8 { 3 + i } else { 3 + ((4 + (i & 3)) << extra) };
    (base, extra)
}

pub(crate) fn distance_base(i: u32) -> (u32, u32) {
    let extra = if i < 4 { 0 } else { (i - 2) / 2 };
    let base = if i < 4 { 1 + i } else { 1 + ((2 + (i & 1)) << extra) };
    (base, extra)
}

/// Where decoding has got to.
#[repr(C)]
#[derive(Copy, Clone, bytemuck::Pod, bytemuck::Zeroable)]
pub struct Inflate {
    bits: Bits,
    /// Bytes produced, modulo 2^32 (gzip's ISIZE).
    total: u32,
    /// Bytes of the window that hold output (distances may not reach past).
    filled: u32,
    /// Adler-32 (zlib) or CRC-32 (gzip) of the output.
    check: u32,
    adler_b: u32,
    /// Window length - 1.
    mask: u32,
    /// Bytes left to copy (stored block, or a match).
    left: u32,
    distance: u32,
    stage: u8,
    last_block: u8,
    format: u8,
    _pad: u8,
    lit_counts: [u16; 16],
    dist_counts: [u16; 16],
    lit_symbols: [u16; 288],
    dist_symbols: [u16; 32],
}

impl Inflate {
    /// A decoder for the blocks after the header, with a window of
    /// 2^`wbits` bytes.
    pub fn new(format: Format, wbits: u8) -> Inflate {
        let mut s: Inflate = bytemuck::Zeroable::zeroed();
        s.mask = (1u32 << wbits) - 1;
        s.format = format as u8;
        s.check = if format == Format::Zlib { 1 } else { 0 };
        s
    }

    pub fn done(&self) -> bool {
        self.stage == DONE
    }

    fn emit<I: Io>(&mut self, io: &mut I, b: u8) -> u8 {
        let at = (self.total & self.mask) as usize;
        io.window()[at] = b;
        self.total = self.total.wrapping_add(1);
        if self.filled <= self.mask {
            self.filled += 1;
        }
        if self.format == Format::Zlib as u8 {
            self.check = (self.check + b as u32) % 65521;
            self.adler_b = (self.adler_b + self.check) % 65521;
        } else if self.format == Format::Gzip as u8 {
            self.check = super::binascii::crc32_update(self.check, &[b]);
        }
        b
    }

    /// The next byte of output, or None once the stream (and its trailer,
    /// checked) has ended.
    pub fn next<I: Io>(&mut self, io: &mut I) -> Res<Option<u8>, I::Err> {
        loop {
            match self.stage {
                HEADER if self.last_block != 0 => self.stage = TRAILER,
                HEADER => self.block_header(io)?,
                STORED if self.left == 0 => self.stage = HEADER,
                STORED => {
                    self.left -= 1;
                    let b = byte(io)?;
                    return Ok(Some(self.emit(io, b)));
                }
                CODES => {
                    let sym = self.bits.decode(io, &self.lit_counts, &self.lit_symbols)? as u32;
                    if sym < 256 {
                        return Ok(Some(self.emit(io, sym as u8)));
                    }
                    if sym == 256 {
                        self.stage = HEADER;
                        continue;
                    }
                    if sym > 285 {
                        return Err(Fault::Data);
                    }
                    let (base, extra) = length_base(sym - 257);
                    self.left = base + self.bits.take(io, extra)?;
                    let d = self.bits.decode(io, &self.dist_counts, &self.dist_symbols)? as u32;
                    if d > 29 {
                        return Err(Fault::Data);
                    }
                    let (base, extra) = distance_base(d);
                    self.distance = base + self.bits.take(io, extra)?;
                    // Further back than the window (too small a wbits) or
                    // than the output so far: bad data for this window.
                    if self.distance > self.filled {
                        return Err(Fault::Data);
                    }
                    self.stage = COPY;
                }
                COPY if self.left == 0 => self.stage = CODES,
                COPY => {
                    self.left -= 1;
                    let from = (self.total.wrapping_sub(self.distance) & self.mask) as usize;
                    let b = io.window()[from];
                    return Ok(Some(self.emit(io, b)));
                }
                TRAILER => {
                    self.trailer(io)?;
                    self.stage = DONE;
                }
                _ => return Ok(None),
            }
        }
    }

    fn block_header<I: Io>(&mut self, io: &mut I) -> Res<(), I::Err> {
        self.last_block = self.bits.take(io, 1)? as u8;
        match self.bits.take(io, 2)? {
            0 => {
                self.bits.align();
                let len = self.bits.take(io, 16)?;
                let nlen = self.bits.take(io, 16)?;
                if len != !nlen & 0xffff {
                    return Err(Fault::Data);
                }
                self.left = len;
                self.stage = STORED;
                return Ok(());
            }
            1 => {
                let mut lengths = [8u8; 288];
                lengths[144..256].fill(9);
                lengths[256..280].fill(7);
                build(&lengths, &mut self.lit_counts, &mut self.lit_symbols);
                build(&[5; 30], &mut self.dist_counts, &mut self.dist_symbols);
            }
            2 => self.dynamic_tables(io)?,
            _ => return Err(Fault::Data),
        }
        self.stage = CODES;
        Ok(())
    }

    /// A dynamic block's code lengths, themselves Huffman-coded.
    fn dynamic_tables<I: Io>(&mut self, io: &mut I) -> Res<(), I::Err> {
        const ORDER: [u8; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
        let nlit = self.bits.take(io, 5)? as usize + 257;
        let ndist = self.bits.take(io, 5)? as usize + 1;
        let ncode = self.bits.take(io, 4)? as usize + 4;
        if nlit > 286 || ndist > 30 {
            return Err(Fault::Data);
        }
        let mut lengths = [0u8; 286 + 30];
        for &at in &ORDER[..ncode] {
            lengths[at as usize] = self.bits.take(io, 3)? as u8;
        }
        let (mut counts, mut symbols) = ([0u16; 16], [0u16; 19]);
        if !build(&lengths[..19], &mut counts, &mut symbols) {
            return Err(Fault::Data);
        }
        let n = nlit + ndist;
        let mut i = 0;
        while i < n {
            let sym = self.bits.decode(io, &counts, &symbols)?;
            if sym < 16 {
                lengths[i] = sym as u8;
                i += 1;
                continue;
            }
            let (len, repeat) = match sym {
                16 if i == 0 => return Err(Fault::Data),
                16 => (lengths[i - 1], 3 + self.bits.take(io, 2)?),
                17 => (0, 3 + self.bits.take(io, 3)?),
                _ => (0, 11 + self.bits.take(io, 7)?),
            };
            let end = i + repeat as usize;
            if end > n {
                return Err(Fault::Data);
            }
            lengths[i..end].fill(len);
            i = end;
        }
        // A block needs its end-of-block code.
        if lengths[256] == 0
            || !build(&lengths[..nlit], &mut self.lit_counts, &mut self.lit_symbols)
            || !build(&lengths[nlit..n], &mut self.dist_counts, &mut self.dist_symbols)
        {
            return Err(Fault::Data);
        }
        Ok(())
    }

    /// zlib's Adler-32 (big-endian), or gzip's CRC-32 and length (little).
    fn trailer<I: Io>(&mut self, io: &mut I) -> Res<(), I::Err> {
        self.bits.align();
        let mut word = |big: bool| -> Res<u32, I::Err> {
            let v = self.bits.take(io, 16)? | self.bits.take(io, 16)? << 16;
            Ok(if big { v.swap_bytes() } else { v })
        };
        let ok = match self.format {
            f if f == Format::Zlib as u8 => word(true)? == self.adler_b << 16 | self.check,
            f if f == Format::Gzip as u8 => word(false)? == self.check && word(false)? == self.total,
            _ => true,
        };
        if ok {
            Ok(())
        } else {
            Err(Fault::Data)
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use alloc::vec::Vec;

    struct Mem<'a> {
        input: &'a [u8],
        at: usize,
        window: Vec<u8>,
    }

    impl Io for Mem<'_> {
        type Err = ();
        fn byte(&mut self) -> Result<u8, ()> {
            let b = *self.input.get(self.at).ok_or(())?;
            self.at += 1;
            Ok(b)
        }
        fn window(&mut self) -> &mut [u8] {
            &mut self.window
        }
    }

    /// Decompresses `input` framed as `format` with a 2^wbits window
    /// (a zlib/gzip header may lower it); returns the output and how much
    /// input was read.
    pub(crate) fn inflate(input: &[u8], format: Format, wbits: u8) -> Result<(Vec<u8>, usize), Fault<()>> {
        let mut io = Mem { input, at: 0, window: Vec::new() };
        let (format, wbits) = match format {
            Format::Raw => (Format::Raw, wbits),
            f => {
                let (f, w) = header(&mut io, Some(f))?;
                (f, w.min(wbits))
            }
        };
        io.window = alloc::vec![0; 1 << wbits];
        let mut s = Inflate::new(format, wbits);
        let mut out = Vec::new();
        while let Some(b) = s.next(&mut io)? {
            out.push(b);
        }
        Ok((out, io.at))
    }

    /// Data with repeats near and far, and runs: exercises literals,
    /// short and long matches, and every block type the compressor picks.
    fn sample(n: usize, seed: u32) -> Vec<u8> {
        let mut x = seed;
        let words: [&[u8]; 6] = [b"pyrite ", b"zephyr ", b"deflate ", b"\x00\x00\x00\x00", b"micropython ", b"\xff\xfe"];
        let mut out = Vec::new();
        while out.len() < n {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            match (x >> 16) % 4 {
                0 => out.push((x >> 8) as u8),
                _ => out.extend_from_slice(words[((x >> 20) % 6) as usize]),
            }
        }
        out.truncate(n);
        out
    }

    #[test]
    fn round_trips_what_miniz_compresses_at_every_level() {
        for (i, n) in [0usize, 1, 100, 5000, 70_000].into_iter().enumerate() {
            let data = sample(n, i as u32 + 7);
            for level in [0u8, 1, 6, 9] {
                let raw = miniz_oxide::deflate::compress_to_vec(&data, level);
                assert_eq!(inflate(&raw, Format::Raw, 15).unwrap().0, data, "raw n={n} level={level}");
                let z = miniz_oxide::deflate::compress_to_vec_zlib(&data, level);
                let (out, used) = inflate(&z, Format::Zlib, 15).unwrap();
                assert_eq!(out, data, "zlib n={n} level={level}");
                assert_eq!(used, z.len(), "zlib trailer read");
            }
        }
    }

    #[test]
    fn zlib_checksum_and_window_are_checked() {
        let data = sample(3000, 3);
        let mut z = miniz_oxide::deflate::compress_to_vec_zlib(&data, 6);
        // A window smaller than the stream's distances is an error...
        let raw = miniz_oxide::deflate::compress_to_vec(&data, 6);
        assert_eq!(inflate(&raw, Format::Raw, 8), Err(Fault::Data));
        // ... as is a wrong checksum.
        let end = z.len() - 1;
        z[end] ^= 1;
        assert_eq!(inflate(&z, Format::Zlib, 15), Err(Fault::Data));
        // Truncated input is the input's error, not a data error.
        assert_eq!(inflate(&z[..z.len() / 2], Format::Zlib, 15), Err(Fault::Io(())));
    }

    #[test]
    fn gzip_header_fields_are_skipped_and_trailer_checked() {
        let data = sample(500, 9);
        let body = miniz_oxide::deflate::compress_to_vec(&data, 6);
        let crc = super::super::binascii::crc32_update(0, &data);
        let mut gz = alloc::vec![0x1f, 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3];
        gz.extend_from_slice(&[3, 0, b'a', b'b', b'c']); // FEXTRA
        gz.extend_from_slice(b"name\0comment\0");
        gz.extend_from_slice(&[0x12, 0x34]); // FHCRC
        gz.extend_from_slice(&body);
        gz.extend_from_slice(&crc.to_le_bytes());
        gz.extend_from_slice(&(data.len() as u32).to_le_bytes());
        let (out, used) = inflate(&gz, Format::Gzip, 15).unwrap();
        assert_eq!((out, used), (data.clone(), gz.len()));
        // Auto-detection finds it, and zlib framing refuses it.
        let mut io = Mem { input: &gz, at: 0, window: Vec::new() };
        assert_eq!(header(&mut io, None).unwrap(), (Format::Gzip, 15));
        assert_eq!(inflate(&gz, Format::Zlib, 15), Err(Fault::Data));
        let n = gz.len();
        gz[n - 1] ^= 1; // the length
        assert_eq!(inflate(&gz, Format::Gzip, 15), Err(Fault::Data));
    }

    #[test]
    fn reads_no_more_input_than_the_output_needs() {
        let data = sample(2000, 5);
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&data, 9);
        let mut io = Mem { input: &z, at: 0, window: alloc::vec![0; 1 << 15] };
        let (f, w) = header(&mut io, None).unwrap();
        assert_eq!(io.at, 2);
        let mut s = Inflate::new(f, w);
        let mut last = io.at;
        for _ in 0..50 {
            s.next(&mut io).unwrap();
            // Each byte costs at most the bits of one literal or match
            // (plus a block's code tables for the first).
            assert!(io.at >= last);
            last = io.at;
        }
        assert!(io.at < z.len() / 2, "read {} of {} for 50 bytes", io.at, z.len());
    }

    #[test]
    fn bad_block_type_and_stored_length() {
        assert_eq!(inflate(&[0x07], Format::Raw, 8), Err(Fault::Data));
        assert_eq!(inflate(b"abcef", Format::Raw, 8), Err(Fault::Data));
        // Not a zlib header.
        assert_eq!(inflate(&[0xcb, 0xcd, 0x4c], Format::Zlib, 15), Err(Fault::Data));
    }
}
