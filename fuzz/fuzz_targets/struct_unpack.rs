//! `struct.unpack`, `unpack_from`, `calcsize` and `pack`: the input is a
//! format, then (after a 0xFF byte) the data.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (fmt, payload) = pyrite_fuzz::split(data);
    let mut src = b"import struct\nf = ".to_vec();
    src.extend(pyrite_fuzz::bytes_literal(fmt));
    src.extend_from_slice(b"\nd = ");
    src.extend(pyrite_fuzz::bytes_literal(payload));
    src.extend_from_slice(
        b"\ntry:\n    f = str(f, 'utf-8', 'ignore')\n    n = struct.calcsize(f)\n    struct.unpack_from(f, d)\n    v = struct.unpack(f, d[:n])\n    struct.pack(f, *v)\nexcept (ValueError, TypeError, OverflowError, struct.error if hasattr(struct, 'error') else ValueError):\n    pass\n",
    );
    pyrite_fuzz::with_vm(|vm| pyrite_fuzz::run_source(vm, &src));
});
