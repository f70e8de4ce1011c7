//! Compiles and runs arbitrary source under a 64 KB heap and a budget of
//! interpreter polls (then KeyboardInterrupt, as Ctrl-C).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pyrite_fuzz::with_vm(|vm| {
        if pyrite_fuzz::can_swallow_interrupt(data) {
            let _ = vm.compile(data, "<fuzz>", pyrite_vm::compile::Mode::File);
        } else {
            pyrite_fuzz::run_source(vm, data);
        }
    });
});
