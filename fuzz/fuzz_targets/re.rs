//! `re` compile and match: the input is a pattern, then (after a 0xFF
//! byte) a subject.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (pattern, subject) = pyrite_fuzz::split(data);
    let mut src = b"import re\np = ".to_vec();
    src.extend(pyrite_fuzz::bytes_literal(pattern));
    src.extend_from_slice(b"\ns = ");
    src.extend(pyrite_fuzz::bytes_literal(subject));
    src.extend_from_slice(
        b"\ntry:\n    r = re.compile(str(p, 'utf-8', 'ignore'))\n    t = str(s, 'utf-8', 'ignore')\n    m = r.match(t)\n    m and m.groups()\n    m = r.search(t)\n    m and (m.group(0), m.span())\n    r.split(t)\n    r.sub('x', t)\nexcept (ValueError, TypeError, IndexError, RuntimeError):\n    pass\n",
    );
    pyrite_fuzz::with_vm(|vm| pyrite_fuzz::run_source(vm, &src));
});
