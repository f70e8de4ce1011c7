//! `deflate.DeflateIO` decompression of arbitrary bytes in each framing
//! (the first byte picks the framing and the window).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let mut src = b"import deflate, io\nd = ".to_vec();
    src.extend(pyrite_fuzz::bytes_literal(rest));
    src.extend_from_slice(
        format!(
            "\ntry:\n    f = deflate.DeflateIO(io.BytesIO(d), {}, {})\n    f.read(100)\n    f.readline()\n    f.read()\nexcept (OSError, EOFError, ValueError):\n    pass\n",
            pick & 3,
            [0, 8, 9, 12, 15][(pick >> 2) as usize % 5]
        )
        .as_bytes(),
    );
    pyrite_fuzz::with_vm(|vm| pyrite_fuzz::run_source(vm, &src));
});
