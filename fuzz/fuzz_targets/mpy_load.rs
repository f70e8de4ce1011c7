//! The `.mpy` loader on arbitrary bytes: the container, the translation of
//! MicroPython's bytecode, and running what loads (under the poll budget;
//! code with exception handlers, which could catch the budget's
//! KeyboardInterrupt for ever, is loaded but not run).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pyrite_fuzz::with_vm(|vm| {
        let Ok(code) = vm.load_mpy(data) else { return };
        // SETUP_WITH, SETUP_EXCEPT and SETUP_FINALLY in MicroPython's bytecode.
        if !data.iter().any(|&b| matches!(b, 0x47..=0x49)) {
            let _ = vm.run_module(code);
        }
    });
});
