//! The Rust heap runs out: on a board the VM's native side has a few KB
//! (`CONFIG_PYRITE_RUST_HEAP_SIZE`) beside the Python heap, and a str or
//! bytes from Python may be larger than all of it. Every operation here
//! copies or builds a large value on the native side; with the host's Rust
//! heap capped (`-X rustheap`) the same way, each must succeed or raise
//! MemoryError, and the program go on: never abort, as `to_vec` and
//! `Vec::push` do when an allocation fails.

use std::process::Command;

/// What each case works on: more than the Rust heap's cap, well within the
/// Python heap.
const N: usize = 40_000;
const RUST_HEAP: &str = "rustheap=16K";
const PYTHON_HEAP: &str = "heapsize=512K";

const CASES: &[(&str, &str)] = &[
    ("exec", "exec('#' * N)"),
    ("eval", "eval('1' + ' ' * N)"),
    ("compile", "compile('#' * N, 'f', 'exec')"),
    // The bytecode outgrows the Rust heap while the tree stays small (a
    // statement at a time), then inside one function, and in a loop's jumps.
    ("compile_module_code", "compile('x = 1\\n' * N, 'f', 'exec')"),
    ("compile_function_code", "compile('def f():\\n' + ' x = y\\n' * (N // 8), 'f', 'exec')"),
    // One statement whose tree outgrows the Rust heap: a display, a
    // parenthesised expression, a chain of elifs.
    ("parse_display", "compile('x = [' + 'a, (b, c), ' * (N // 8) + ']', 'f', 'exec')"),
    ("parse_paren", "compile('x = (' + 'a + ' * (N // 4) + 'b)', 'f', 'exec')"),
    ("parse_elifs", "compile('if a: pass\\n' + 'elif b: c, d = e\\n' * (N // 16), 'f', 'exec')"),
    ("compile_loop_code", "compile('while x:\\n' + ' if y: break\\n' * (N // 16), 'f', 'exec')"),
    ("bytes_add", "b = b'x' * N; c = b + b'y'"),
    ("bytes_mul", "b = b'x' * N; c = b * 2"),
    ("str_add", "s = 'x' * N; t = s + 'y'"),
    ("str_mod", "t = ('%d' + ' ' * N) % 1"),
    ("bytes_mod", "t = (b'%d' + b' ' * N) % 1"),
    ("str_format", "t = ('{}' + ' ' * N).format(1)"),
    ("fstring", "s = 'x' * N; t = f'{s}!'"),
    ("str_find", "s = 'x' * N; s.find('y'); s.rfind('y'); s.count('x')"),
    ("str_split", "s = 'x ' * (N // 2); t = s.split()"),
    ("str_replace", "s = 'x' * N; t = s.replace('x', 'y')"),
    ("str_upper", "s = 'x' * N; t = s.upper()"),
    ("str_strip", "s = ' ' + 'x' * N + ' '; t = s.strip()"),
    ("str_join", "t = ','.join(['ab'] * (N // 3))"),
    ("str_encode", "s = 'x' * N; b = s.encode(); t = b.decode()"),
    ("str_startswith", "s = 'x' * N; s.startswith('x'); s.endswith('x')"),
    ("str_repr", "s = 'x' * N; t = repr(s)"),
    ("str_slice", "s = 'x' * N; t = s[1:-1]; u = s[::2]"),
    ("str_in", "s = 'x' * N; 'y' in s"),
    ("str_cmp", "s = 'x' * N; t = 'x' * N; s == t; s < t; hash(s)"),
    ("int_parse", "int('1' * 3000)"),
    ("bytes_hex", "b = b'x' * (N // 2); t = b.hex(); bytes.fromhex(t)"),
    ("bytearray_ops", "a = bytearray(N); a[1:3] = b'ab'; a.extend(b'xy'); a += b'z'; del a[0:10]; a.find(b'q')"),
    ("bytearray_copy", "a = bytearray(b'x' * N); c = bytes(a); d = a[:]"),
    ("memoryview", "a = bytearray(N); m = memoryview(a); m[0:4] = b'abcd'; bytes(m[10:20])"),
    ("list_repr", "t = repr(list(range(N // 8)))"),
    ("list_sort", "l = list(range(N // 8, 0, -1)); l.sort(); sorted(l)"),
    ("dict_repr", "t = repr({i: i for i in range(N // 16)})"),
    ("print_big", "import io; f = io.StringIO(); print('x' * N, file=f)"),
    ("stringio", "import io; f = io.StringIO('x' * N); t = f.read(); f.write('y' * 10); f.getvalue()"),
    ("bytesio", "import io; f = io.BytesIO(b'x' * N); t = f.read(); f.getvalue()"),
    ("json_loads", "import json; json.loads('\"' + 'a' * N + '\"')"),
    ("json_dumps", "import json; json.dumps(['a' * N])"),
    ("re_match", "import re; re.match('a+', 'a' * N)"),
    ("re_search", "import re; re.search('b', 'a' * N)"),
    ("re_sub", "import re; re.sub('a', 'b', 'a' * N)"),
    ("re_split", "import re; re.split(',', 'a,' * (N // 2))"),
    ("re_compile", "import re; re.compile('a' * N)"),
    ("struct_pack_into", "import struct; a = bytearray(N); struct.pack_into('<i', a, 0, 1)"),
    ("struct_unpack", "import struct; struct.unpack_from('<i', b'x' * N, 8)"),
    ("struct_pack_big", "import struct; struct.pack('%ds' % N, b'x')"),
    (
        "binascii",
        "import binascii; t = binascii.hexlify(b'x' * N); binascii.unhexlify(t); binascii.b2a_base64(b'x' * N); binascii.crc32(b'x' * N)",
    ),
    ("hashlib", "import hashlib; hashlib.sha256(b'x' * N).digest()"),
    ("deflate", "import deflate, io; d = deflate.DeflateIO(io.BytesIO(b'x' * N))"),
    ("array", "import array; a = array.array('b', b'x' * N); b = a[1:]; a.extend(b)"),
    ("tuple_unpack", "t = tuple(range(N // 8)); l = list(t); s = set(t)"),
    ("str_mul", "s = 'ab' * N"),
    ("ord_chr", "s = ''.join(chr(65 + i % 26) for i in range(N // 4))"),
];

#[test]
fn large_values_never_abort_with_a_small_rust_heap() {
    let mut failures = Vec::new();
    for (name, code) in CASES {
        let program =
            format!("N = {N}\ntry:\n    {code}\n    print('ok')\nexcept MemoryError:\n    print('MemoryError')\nprint('alive')\n");
        let out = Command::new(env!("CARGO_BIN_EXE_pyrite"))
            .args(["-X", PYTHON_HEAP, "-X", RUST_HEAP, "-c", &program])
            .output()
            .expect("run pyrite");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let ok = out.status.success() && matches!(stdout.as_ref(), "ok\nalive\n" | "MemoryError\nalive\n");
        if !ok {
            failures.push(format!(
                "{name}: {:?}, stdout {stdout:?}, stderr {:?}",
                out.status,
                String::from_utf8_lossy(&out.stderr).lines().next().unwrap_or("")
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}
