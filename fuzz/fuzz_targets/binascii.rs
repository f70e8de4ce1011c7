//! `binascii`: base64 and hex in both directions, and crc32, of arbitrary
//! bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut src = b"import binascii\nd = ".to_vec();
    src.extend(pyrite_fuzz::bytes_literal(data));
    src.extend_from_slice(
        b"\nfor f in (binascii.a2b_base64, binascii.unhexlify, binascii.b2a_base64, binascii.hexlify, binascii.crc32):\n    try:\n        f(d)\n    except ValueError:\n        pass\ntry:\n    binascii.hexlify(d, d[:1])\nexcept (ValueError, TypeError):\n    pass\n",
    );
    pyrite_fuzz::with_vm(|vm| pyrite_fuzz::run_source(vm, &src));
});
