//! The `.mpk` loader on arbitrary contents: the header and checksum are
//! put in front of the input (a random file would only ever fail its
//! checksum), so what is fuzzed is the reading and checking of what
//! follows, and running what loads (under the poll budget; code with
//! exception handlers, which could catch the budget's KeyboardInterrupt
//! for ever, is loaded but not run).
#![no_main]
use libfuzzer_sys::fuzz_target;
use pyrite_vm::frozen::file::{reseal, HEADER_LEN, MAGIC, VERSION};
use pyrite_vm::bytecode::{SETUP_EXCEPT, SETUP_FINALLY};

fuzz_target!(|data: &[u8]| {
    let mut file = Vec::with_capacity(HEADER_LEN + data.len());
    file.extend_from_slice(MAGIC);
    file.push(VERSION);
    file.extend_from_slice(&[0; 4]);
    file.extend_from_slice(data);
    reseal(&mut file);
    pyrite_fuzz::with_vm(|vm| {
        let Ok(code) = vm.load_mpk(&file) else { return };
        if !data.iter().any(|&b| b == SETUP_EXCEPT || b == SETUP_FINALLY) {
            let _ = vm.run_module(code);
        }
    });
});
