//! The lexer, parser and compiler on arbitrary bytes: a SyntaxError (or
//! MemoryError) is fine, a panic or a hang is not.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pyrite_vm::compile::Mode;

fuzz_target!(|data: &[u8]| {
    pyrite_fuzz::with_vm(|vm| {
        for mode in [Mode::File, Mode::Single, Mode::Eval] {
            let _ = vm.compile(data, "<fuzz>", mode);
        }
    });
});
