//! `json.loads` of arbitrary bytes, as str and as bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut src = b"import json\nd = ".to_vec();
    src.extend(pyrite_fuzz::bytes_literal(data));
    src.extend_from_slice(b"\nfor x in (d, str(d, 'utf-8', 'ignore') if hasattr(str, 'encode') else d):\n    try:\n        v = json.loads(x)\n        json.dumps(v)\n    except ValueError:\n        pass\n");
    pyrite_fuzz::with_vm(|vm| pyrite_fuzz::run_source(vm, &src));
});
