//! Tab completion, as MicroPython's REPL does it: the dotted name before
//! the cursor is looked up in `__main__`'s globals and the builtins, then
//! attribute by attribute; one match is completed, several are completed
//! as far as they agree and otherwise listed. After `import` or `from`, the
//! names are the built-in modules'.

use super::editor::LineEditor;
use crate::error::PyResult;
use crate::modules;
use crate::qstr::Qstr;
use crate::value::Value;
use crate::vm::Vm;
use alloc::vec::Vec;

/// Matches listed at most (more than this are rarely read).
const MAX_SHOWN: usize = 64;
/// Each listed name takes a column this wide, four to a line.
const COLUMN: usize = 16;

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b >= 0x80
}

/// Where the names to complete come from.
enum Source {
    /// Globals, then builtins.
    Globals,
    /// The attributes of a value.
    Attrs(Value),
    /// Built-in module names (after `import`/`from`).
    Modules,
}

/// Handles Tab in `editor`, whose line follows `prompt` on the terminal.
pub fn tab(vm: &mut Vm, editor: &mut LineEditor, prompt: &[u8]) {
    let mut head = [0u8; super::editor::LINE_MAX];
    let text = editor.before_cursor();
    let n = text.len();
    head[..n].copy_from_slice(text);
    let text = &head[..n];
    let start = text.iter().rposition(|&b| !is_name_byte(b)).map_or(0, |p| p + 1);
    let word = &text[start..];
    // Tab in the indentation indents.
    if word.is_empty() {
        if text.iter().all(|&b| b == b' ') {
            editor.insert(b"    ", &mut |b| vm.port.stdout(b));
        }
        return;
    }
    let before = text[..start].trim_ascii();
    let (source, prefix) = match word.iter().rposition(|&b| b == b'.') {
        Some(dot) => match resolve(vm, &word[..dot]) {
            Some(v) => (Source::Attrs(v), &word[dot + 1..]),
            None => return,
        },
        None if before == b"import" || before == b"from" => (Source::Modules, word),
        None => (Source::Globals, word),
    };
    let Ok(matches) = candidates(vm, &source, prefix) else { return };
    match matches.as_slice() {
        [] => {}
        [one] => {
            let rest = vm.qstr_bytes(*one)[prefix.len()..].to_vec();
            editor.insert(&rest, &mut |b| vm.port.stdout(b));
        }
        many => {
            let first = vm.qstr_bytes(many[0]);
            let common = many[1..].iter().fold(first.len(), |len, &q| {
                let other = vm.qstr_bytes(q);
                first.iter().zip(other).take(len).take_while(|(a, b)| a == b).count()
            });
            if common > prefix.len() {
                let rest = first[prefix.len()..common].to_vec();
                editor.insert(&rest, &mut |b| vm.port.stdout(b));
                return;
            }
            let room = 1 + many.iter().map(|&q| vm.qstr_bytes(q).len().max(COLUMN) + 1).sum::<usize>();
            let mut listing = Vec::new();
            if listing.try_reserve(room).is_err() {
                return;
            }
            listing.push(b'\n');
            for (i, &q) in many.iter().enumerate() {
                let name = vm.qstr_bytes(q);
                listing.extend_from_slice(name);
                if i % 4 == 3 || i + 1 == many.len() {
                    listing.push(b'\n');
                } else {
                    listing.resize(listing.len() + COLUMN.saturating_sub(name.len()).max(1), b' ');
                }
            }
            vm.port.stdout(&listing);
            editor.redraw(prompt, &mut |b| vm.port.stdout(b));
        }
    }
}

/// The value of a dotted name (`a.b.c`), if it is there; nothing is
/// interned looking for it.
fn resolve(vm: &mut Vm, dotted: &[u8]) -> Option<Value> {
    let mut parts = dotted.split(|&b| b == b'.');
    let first = vm.find_qstr(parts.next()?)?;
    let globals = vm.globals;
    let mut v = match globals.as_obj().map(|g| vm.dict_get(g, Value::qstr(first))) {
        Some(Ok(Some(v))) => v,
        _ => modules::builtin(first)?,
    };
    for part in parts {
        let name = vm.find_qstr(part)?;
        v = vm.load_attr(v, name).ok()?;
    }
    Some(v)
}

/// The names from `source` that start with `prefix`, each once, in the
/// order found; `_` names only when the prefix asks for them.
fn candidates(vm: &mut Vm, source: &Source, prefix: &[u8]) -> PyResult<Vec<Qstr>> {
    let mut found: Vec<Qstr> = Vec::new();
    let mut add = |vm: &mut Vm, q: Qstr| {
        let name = vm.qstr_bytes(q);
        let wanted = name.starts_with(prefix) && (prefix.first() == Some(&b'_') || name.first() != Some(&b'_'));
        if wanted && !found.contains(&q) && found.len() < MAX_SHOWN && found.try_reserve(1).is_ok() {
            found.push(q);
        }
    };
    match *source {
        Source::Modules => modules::module_names().for_each(|q| add(vm, q)),
        Source::Attrs(v) => vm.for_each_attr(v, |vm, q| {
            add(vm, q);
            Ok(())
        })?,
        Source::Globals => {
            if let Some(g) = vm.globals.as_obj() {
                for i in 0..crate::objects::dict::entry_slots(&vm.heap, g) {
                    if let Some(q) = crate::objects::dict::entry(&vm.heap, g, i).and_then(|(k, _)| k.as_qstr()) {
                        add(vm, q);
                    }
                }
            }
            modules::builtin_names().for_each(|q| add(vm, q));
        }
    }
    Ok(found)
}
