//! `re`: MicroPython's regular-expression subset (`. [] [^] ^ $ ? * + ??
//! *? +? | (...) (?:...) \d \D \s \S \w \W`), as a backtracking matcher with
//! its own stack in the Rust heap, so no pattern or subject can overflow the
//! native stack, and a loop whose body matches nothing ends (as in CPython)
//! instead of spinning. Positions are byte offsets; `.` and classes step over whole
//! UTF-8 characters in a str.

use crate::error::{PyErr, PyResult, TryToVec};
use crate::modules::builtins::arity;
use crate::objects::{Kind, TypeId};
use crate::runtime::call::Args;
use crate::value::Value;
use crate::vm::{put, Vm};
use alloc::boxed::Box;
use alloc::vec::Vec;

/// Deepest bracket nesting a pattern may have (each level is a native
/// recursion of the parser and the code generator).
const MAX_NESTING: usize = 32;
/// Nesting beyond MAX_NESTING: RuntimeError, as MicroPython's recursive
/// regex compiler raises when it runs out of stack.
const TOO_DEEP: &str = "maximum recursion depth exceeded";

#[derive(Clone, Copy)]
enum Inst {
    Byte(u8),
    Any,
    /// Ranges `[start, start + len)` of `Prog::ranges`.
    Class {
        start: u16,
        len: u16,
        neg: bool,
    },
    Bol,
    Eol,
    /// Try the first target; on failure, the second.
    Split(u16, u16),
    Jmp(u16),
    /// Record the position in a slot (group bounds and loop marks).
    Save(u16),
    /// Leave the loop (jump to the target) if the position has not moved
    /// since the slot was saved: the round matched nothing.
    Progress(u16, u16),
    Match,
}

enum Node {
    Byte(u8),
    Any,
    Class(Vec<(u32, u32)>, bool),
    Bol,
    Eol,
    Group(Option<usize>, Box<Node>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    /// `min` 0 or 1; `many`: more than one allowed.
    Repeat {
        node: Box<Node>,
        min: u8,
        many: bool,
        greedy: bool,
    },
}

pub struct Prog {
    code: Vec<Inst>,
    ranges: Vec<(u32, u32)>,
    groups: usize,
    slots: usize,
}

struct Parser<'a> {
    p: &'a [u8],
    at: usize,
    groups: usize,
    depth: usize,
}

type Res<T> = Result<T, &'static str>;

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.p.get(self.at).copied()
    }

    fn alt(&mut self) -> Res<Node> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(TOO_DEEP);
        }
        let mut arms = Vec::new();
        loop {
            arms.push(self.concat()?);
            if self.peek() != Some(b'|') {
                break;
            }
            self.at += 1;
        }
        self.depth -= 1;
        Ok(if arms.len() == 1 { arms.pop().expect("one arm") } else { Node::Alt(arms) })
    }

    fn concat(&mut self) -> Res<Node> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == b'|' || c == b')' {
                break;
            }
            let atom = self.atom()?;
            if matches!(atom, Node::Bol | Node::Eol) && matches!(self.peek(), Some(b'*' | b'+' | b'?')) {
                return Err("nothing to repeat");
            }
            items.push(self.quantified(atom)?);
        }
        Ok(Node::Concat(items))
    }

    fn quantified(&mut self, node: Node) -> Res<Node> {
        let (min, many) = match self.peek() {
            Some(b'*') => (0, true),
            Some(b'+') => (1, true),
            Some(b'?') => (0, false),
            _ => return Ok(node),
        };
        self.at += 1;
        let greedy = self.peek() != Some(b'?');
        if !greedy {
            self.at += 1;
        }
        if matches!(self.peek(), Some(b'*' | b'+' | b'?')) {
            return Err("multiple repeat");
        }
        Ok(Node::Repeat { node: Box::new(node), min, many, greedy })
    }

    fn atom(&mut self) -> Res<Node> {
        let c = self.peek().ok_or("unexpected end")?;
        self.at += 1;
        Ok(match c {
            b'.' => Node::Any,
            b'^' => Node::Bol,
            b'$' => Node::Eol,
            b'*' | b'+' | b'?' => return Err("nothing to repeat"),
            b'(' => {
                let index = if self.p[self.at..].starts_with(b"?:") {
                    self.at += 2;
                    None
                } else {
                    self.groups += 1;
                    Some(self.groups)
                };
                let inner = self.alt()?;
                if self.peek() != Some(b')') {
                    return Err("missing )");
                }
                self.at += 1;
                Node::Group(index, Box::new(inner))
            }
            b'[' => self.class()?,
            b'\\' => {
                let e = self.peek().ok_or("bad escape")?;
                self.at += 1;
                match named_class(e) {
                    Some((ranges, neg)) => Node::Class(ranges.to_vec(), neg),
                    None => Node::Byte(e),
                }
            }
            c if c >= 0x80 => {
                // A whole UTF-8 character, so a quantifier repeats all of it.
                self.at -= 1;
                let start = self.at;
                self.char()?;
                Node::Concat(self.p[start..self.at].iter().map(|&b| Node::Byte(b)).collect())
            }
            c => Node::Byte(c),
        })
    }

    /// One character of the pattern as a code point.
    fn char(&mut self) -> Res<u32> {
        let rest = &self.p[self.at..];
        let n = crate::objects::iter::utf8_len(*rest.first().ok_or("unterminated [")?).clamp(1, rest.len());
        self.at += n;
        Ok(core::str::from_utf8(&rest[..n]).ok().and_then(|s| s.chars().next()).map_or(rest[0] as u32, |c| c as u32))
    }

    fn class(&mut self) -> Res<Node> {
        let neg = self.peek() == Some(b'^');
        if neg {
            self.at += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let c = self.peek().ok_or("unterminated [")?;
            if c == b']' && !first {
                self.at += 1;
                break;
            }
            first = false;
            let lo = if c == b'\\' {
                self.at += 1;
                let e = self.peek().ok_or("unterminated [")?;
                if let Some((r, neg)) = named_class(e) {
                    self.at += 1;
                    if neg {
                        // `[\S]` and the like: the complement, as ranges.
                        let mut from = 0u32;
                        for &(lo, hi) in complement_order(r).iter() {
                            if lo > from {
                                ranges.push((from, lo - 1));
                            }
                            from = hi + 1;
                        }
                        ranges.push((from, 0x10_ffff));
                    } else {
                        ranges.extend_from_slice(r);
                    }
                    continue;
                }
                self.char()?
            } else {
                self.char()?
            };
            // `a-z` is a range unless the `-` is last.
            if self.peek() == Some(b'-') && self.p.get(self.at + 1).is_some_and(|&n| n != b']') {
                self.at += 1;
                if self.peek() == Some(b'\\') {
                    self.at += 1;
                }
                let hi = self.char()?;
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        Ok(Node::Class(ranges, neg))
    }
}

/// Ranges sorted by their start, to take a complement.
fn complement_order(r: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut v = r.to_vec();
    v.sort_unstable();
    v
}

/// `\d \s \w` (and their negations) as ranges.
fn named_class(e: u8) -> Option<(&'static [(u32, u32)], bool)> {
    const DIGIT: &[(u32, u32)] = &[(b'0' as u32, b'9' as u32)];
    const SPACE: &[(u32, u32)] = &[(b' ' as u32, b' ' as u32), (9, 13)];
    const WORD: &[(u32, u32)] =
        &[(b'A' as u32, b'Z' as u32), (b'a' as u32, b'z' as u32), (b'0' as u32, b'9' as u32), (b'_' as u32, b'_' as u32)];
    Some(match e {
        b'd' => (DIGIT, false),
        b'D' => (DIGIT, true),
        b's' => (SPACE, false),
        b'S' => (SPACE, true),
        b'w' => (WORD, false),
        b'W' => (WORD, true),
        _ => return None,
    })
}

impl Prog {
    fn emit(&mut self, i: Inst) -> Res<usize> {
        if self.code.len() >= u16::MAX as usize {
            return Err("regex too complex");
        }
        self.code.try_reserve(1).map_err(|_| "regex too complex")?;
        self.code.push(i);
        Ok(self.code.len() - 1)
    }

    fn target(&self) -> Res<u16> {
        u16::try_from(self.code.len()).map_err(|_| "regex too complex")
    }

    fn gen(&mut self, n: &Node) -> Res<()> {
        match n {
            Node::Byte(b) => drop(self.emit(Inst::Byte(*b))?),
            Node::Any => drop(self.emit(Inst::Any)?),
            Node::Bol => drop(self.emit(Inst::Bol)?),
            Node::Eol => drop(self.emit(Inst::Eol)?),
            Node::Class(r, neg) => {
                let start = u16::try_from(self.ranges.len()).map_err(|_| "regex too complex")?;
                self.ranges.extend_from_slice(r);
                let len = u16::try_from(r.len()).map_err(|_| "regex too complex")?;
                self.emit(Inst::Class { start, len, neg: *neg })?;
            }
            Node::Concat(items) => {
                for i in items {
                    self.gen(i)?;
                }
            }
            Node::Group(index, inner) => {
                if let Some(g) = index {
                    self.emit(Inst::Save(2 * *g as u16))?;
                }
                self.gen(inner)?;
                if let Some(g) = index {
                    self.emit(Inst::Save(2 * *g as u16 + 1))?;
                }
            }
            Node::Alt(arms) => {
                let mut jumps = Vec::new();
                for (k, arm) in arms.iter().enumerate() {
                    if k + 1 < arms.len() {
                        let split = self.emit(Inst::Split(0, 0))?;
                        self.gen(arm)?;
                        jumps.push(self.emit(Inst::Jmp(0))?);
                        let next = self.target()?;
                        self.code[split] = Inst::Split(split as u16 + 1, next);
                    } else {
                        self.gen(arm)?;
                    }
                }
                let end = self.target()?;
                for j in jumps {
                    self.code[j] = Inst::Jmp(end);
                }
            }
            Node::Repeat { node, min, many, greedy } => {
                let order = |a: u16, b: u16| if *greedy { Inst::Split(a, b) } else { Inst::Split(b, a) };
                if !*many {
                    // `x?`
                    let split = self.emit(Inst::Split(0, 0))?;
                    self.gen(node)?;
                    let end = self.target()?;
                    self.code[split] = order(split as u16 + 1, end);
                    return Ok(());
                }
                // A loop mark: each further round must have moved on.
                let mark = u16::try_from(self.slots).map_err(|_| "regex too complex")?;
                self.slots += 1;
                if *min == 1 {
                    // `x+`: body, then loop back while it progresses.
                    self.emit(Inst::Save(mark))?;
                    let body = self.target()?;
                    self.gen(node)?;
                    let split = self.emit(Inst::Split(0, 0))?;
                    let again = self.emit(Inst::Progress(mark, 0))?;
                    self.emit(Inst::Save(mark))?;
                    self.emit(Inst::Jmp(body))?;
                    let end = self.target()?;
                    self.code[split] = order(again as u16, end);
                    self.code[again] = Inst::Progress(mark, end);
                } else {
                    // `x*`
                    let split = self.emit(Inst::Split(0, 0))?;
                    self.emit(Inst::Save(mark))?;
                    self.gen(node)?;
                    let progress = self.emit(Inst::Progress(mark, 0))?;
                    self.emit(Inst::Jmp(split as u16))?;
                    let end = self.target()?;
                    self.code[split] = order(split as u16 + 1, end);
                    self.code[progress] = Inst::Progress(mark, end);
                }
            }
        }
        Ok(())
    }
}

pub fn compile(pattern: &[u8]) -> Res<Prog> {
    let mut p = Parser { p: pattern, at: 0, groups: 0, depth: 0 };
    let tree = p.alt()?;
    if p.at != pattern.len() {
        return Err("unbalanced )");
    }
    let mut prog = Prog { code: Vec::new(), ranges: Vec::new(), groups: p.groups, slots: 2 * (p.groups + 1) };
    prog.emit(Inst::Save(0))?;
    prog.gen(&tree)?;
    prog.emit(Inst::Save(1))?;
    prog.emit(Inst::Match)?;
    Ok(prog)
}

enum Frame {
    Branch(u16, usize),
    Restore(u16, usize),
}

/// The next character at `pos` of `s` and its length (bytes are characters
/// of their own when `utf8` is false).
fn next_char(s: &[u8], pos: usize, utf8: bool) -> Option<(u32, usize)> {
    let b = *s.get(pos)?;
    if !utf8 || b < 0x80 {
        return Some((b as u32, 1));
    }
    let n = crate::objects::iter::utf8_len(b).clamp(1, s.len() - pos);
    let c = core::str::from_utf8(&s[pos..pos + n]).ok().and_then(|t| t.chars().next()).map_or(b as u32, |c| c as u32);
    Some((c, n))
}

const UNSET: usize = usize::MAX;

impl Prog {
    /// Matches at exactly `start`; the group slots on success.
    fn run(&self, vm: &mut Vm, s: &[u8], start: usize, utf8: bool) -> PyResult<Option<Vec<usize>>> {
        let mut slots = Vec::new();
        slots.try_reserve_exact(self.slots).map_err(|_| PyErr::NoMemory)?;
        slots.resize(self.slots, UNSET);
        let mut stack: Vec<Frame> = Vec::new();
        let (mut pc, mut pos) = (0usize, start);
        let mut steps = 0u32;
        loop {
            steps = steps.wrapping_add(1);
            if steps & 4095 == 0 {
                vm.check_interrupt()?;
            }
            let ok = match self.code[pc] {
                Inst::Byte(b) => {
                    s.get(pos) == Some(&b) && {
                        pos += 1;
                        true
                    }
                }
                Inst::Any => match next_char(s, pos, utf8) {
                    Some((c, n)) if c != b'\n' as u32 => {
                        pos += n;
                        true
                    }
                    _ => false,
                },
                Inst::Class { start: rs, len, neg } => match next_char(s, pos, utf8) {
                    Some((c, n)) => {
                        let inside = self.ranges[rs as usize..(rs + len) as usize].iter().any(|&(lo, hi)| lo <= c && c <= hi);
                        inside != neg && {
                            pos += n;
                            true
                        }
                    }
                    None => false,
                },
                Inst::Bol => pos == 0,
                Inst::Eol => pos == s.len(),
                Inst::Split(a, b) => {
                    stack.try_reserve(1).map_err(|_| PyErr::NoMemory)?;
                    stack.push(Frame::Branch(b, pos));
                    pc = a as usize;
                    continue;
                }
                Inst::Jmp(t) => {
                    pc = t as usize;
                    continue;
                }
                Inst::Save(k) => {
                    stack.try_reserve(1).map_err(|_| PyErr::NoMemory)?;
                    stack.push(Frame::Restore(k, slots[k as usize]));
                    slots[k as usize] = pos;
                    true
                }
                Inst::Progress(k, exit) => {
                    if slots[k as usize] == pos {
                        pc = exit as usize;
                        continue;
                    }
                    true
                }
                Inst::Match => return Ok(Some(slots)),
            };
            if ok {
                pc += 1;
                continue;
            }
            // Back to the newest untried branch, undoing saves made since.
            loop {
                match stack.pop() {
                    None => return Ok(None),
                    Some(Frame::Restore(k, old)) => slots[k as usize] = old,
                    Some(Frame::Branch(t, p)) => {
                        pc = t as usize;
                        pos = p;
                        break;
                    }
                }
            }
        }
    }

    /// The first match starting at or after `from`.
    fn search(&self, vm: &mut Vm, s: &[u8], from: usize, utf8: bool, anchored: bool) -> PyResult<Option<Vec<usize>>> {
        let mut at = from;
        loop {
            if let Some(m) = self.run(vm, s, at, utf8)? {
                return Ok(Some(m));
            }
            if anchored || at >= s.len() {
                return Ok(None);
            }
            at += next_char(s, at, utf8).map_or(1, |(_, n)| n);
        }
    }
}

// --- Python objects -------------------------------------------------------

/// The pattern text behind a str, bytes or compiled regex argument.
fn pattern_of(vm: &mut Vm, v: Value) -> PyResult<Value> {
    let v = if vm.class_of(v) == TypeId::Regex.value() { vm.native_value(v) } else { v };
    if vm.str_bytes(v).is_some() || vm.kind_of(v) == Some(Kind::Bytes) {
        Ok(v)
    } else {
        Err(vm.raise(TypeId::TypeError, "expected str or bytes pattern"))
    }
}

fn compiled(vm: &mut Vm, pattern: Value) -> PyResult<Prog> {
    let text = vm.str_bytes(pattern).or_else(|| vm.bytes_payload(pattern)).unwrap_or(&[]).try_to_vec()?;
    compile(&text).map_err(|msg| vm.raise(if msg == TOO_DEEP { TypeId::RuntimeError } else { TypeId::ValueError }, msg))
}

/// A subject's bytes, and whether it is text.
fn subject(vm: &mut Vm, v: Value) -> PyResult<(Vec<u8>, bool)> {
    if let Some(s) = vm.str_bytes(v) {
        return Ok((s.try_to_vec()?, true));
    }
    match vm.bytes_payload(v) {
        Some(b) => Ok((b.try_to_vec()?, false)),
        None => Err(vm.raise(TypeId::TypeError, "expected str or bytes")),
    }
}

fn new_instance(vm: &mut Vm, t: TypeId, value: Value) -> PyResult<Value> {
    vm.with_root(value, |vm| {
        let r = vm.heap.alloc_values(Kind::Instance, 3)?;
        vm.heap.set_slot(r, 0, t.value());
        vm.heap.set_slot(r, 1, Value::NULL);
        vm.heap.set_slot(r, 2, value);
        Ok(Value::obj(r))
    })
}

/// A match object: its value is the tuple (subject, start0, end0, start1, ...),
/// -1 for groups that did not take part.
fn new_match(vm: &mut Vm, subj: Value, slots: &[usize], groups: usize) -> PyResult<Value> {
    let mut items = Vec::new();
    items.try_reserve(1 + 2 * (groups + 1)).map_err(|_| PyErr::NoMemory)?;
    items.push(subj);
    for &p in &slots[..2 * (groups + 1)] {
        items.push(Value::small_int(if p == UNSET { -1 } else { p as isize }));
    }
    let t = vm.new_tuple(&items)?;
    new_instance(vm, TypeId::Match, t)
}

pub fn re_compile(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let p = pattern_of(vm, args.pos[0])?;
    compiled(vm, p)?;
    new_instance(vm, TypeId::Regex, p)
}

/// `match`/`search` with pattern `p` on `args` (string[, pos[, endpos]]).
fn find(vm: &mut Vm, p: Value, rest: &[Value], anchored: bool) -> PyResult<Value> {
    let Some(&subj) = rest.first() else { return Err(vm.raise(TypeId::TypeError, "missing string")) };
    let prog = compiled(vm, p)?;
    let (mut s, utf8) = subject(vm, subj)?;
    let clamp = |vm: &Vm, v: Option<&Value>, dflt: usize, len: usize| {
        v.and_then(|&x| vm.as_int(x)).map_or(dflt, |n| n.clamp(0, len as i64) as usize)
    };
    let endpos = clamp(vm, rest.get(2), s.len(), s.len());
    s.truncate(endpos);
    let pos = clamp(vm, rest.get(1), 0, s.len());
    match prog.search(vm, &s, pos, utf8, anchored)? {
        Some(slots) => new_match(vm, subj, &slots, prog.groups),
        None => Ok(Value::NONE),
    }
}

pub fn re_match(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 2, 4)?;
    let p = pattern_of(vm, args.pos[0])?;
    find(vm, p, &args.pos[1..], true)
}

pub fn re_search(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let p = pattern_of(vm, args.pos[0])?;
    find(vm, p, &args.pos[1..], false)
}

/// The text of a subject slice, as the subject's type.
fn piece(vm: &mut Vm, s: &[u8], utf8: bool) -> PyResult<Value> {
    if utf8 {
        vm.new_str(s)
    } else {
        vm.new_bytes(s)
    }
}

fn split_with(vm: &mut Vm, p: Value, subj: Value, max: i64) -> PyResult<Value> {
    let prog = compiled(vm, p)?;
    if prog.groups > 0 {
        return Err(vm.raise(TypeId::NotImplementedError, "splitting with sub-captures"));
    }
    let (s, utf8) = subject(vm, subj)?;
    let out = vm.new_list(&[])?;
    let l = out.as_obj().expect("list");
    vm.with_root(out, |vm| {
        let (mut at, mut n) = (0, 0);
        while max < 0 || n < max {
            let Some(m) = prog.search(vm, &s, at, utf8, false)? else { break };
            // As MicroPython: an empty match ends the splitting.
            if m[0] == m[1] {
                break;
            }
            let v = piece(vm, &s[at..m[0]], utf8)?;
            vm.list_push(l, v)?;
            at = m[1];
            n += 1;
        }
        let v = piece(vm, &s[at..], utf8)?;
        vm.list_push(l, v)?;
        Ok(out)
    })
}

/// Appends `repl` with `\N` and `\g<N>` replaced by the groups of `m`.
fn expand(vm: &mut Vm, out: &mut Vec<u8>, repl: &[u8], s: &[u8], m: &[usize], groups: usize) -> PyResult<()> {
    let mut i = 0;
    while i < repl.len() {
        let c = repl[i];
        i += 1;
        if c != b'\\' || i >= repl.len() {
            put(out, &[c])?;
            continue;
        }
        // `digits` is the group number; `i` ends just past what named it.
        let digits = if repl[i] == b'g' && repl.get(i + 1) == Some(&b'<') {
            let end = repl[i + 2..].iter().position(|&c| c == b'>').map(|e| i + 2 + e);
            let Some(end) = end else { return Err(vm.raise(TypeId::ValueError, "missing >")) };
            let d = &repl[i + 2..end];
            i = end + 1;
            d
        } else {
            let n = repl[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                // `\\` is one backslash; other escapes stay as written.
                if repl[i] == b'\\' {
                    put(out, b"\\")?;
                } else {
                    put(out, &[b'\\', repl[i]])?;
                }
                i += 1;
                continue;
            }
            let d = &repl[i..i + n];
            i += n;
            d
        };
        let g = core::str::from_utf8(digits).ok().and_then(|t| t.parse::<usize>().ok());
        match g.filter(|&g| g <= groups) {
            Some(g) if m[2 * g] != UNSET && m[2 * g + 1] != UNSET => put(out, &s[m[2 * g]..m[2 * g + 1]])?,
            Some(_) => {}
            None => return Err(vm.raise(TypeId::IndexError, "no such group")),
        }
    }
    Ok(())
}

fn sub_with(vm: &mut Vm, p: Value, repl: Value, subj: Value, count: i64) -> PyResult<Value> {
    let prog = compiled(vm, p)?;
    let (s, utf8) = subject(vm, subj)?;
    let repl_text = vm.str_bytes(repl).or_else(|| vm.bytes_payload(repl)).map(|r| r.try_to_vec()).transpose()?;
    let mut out = Vec::new();
    let (mut at, mut n) = (0, 0);
    while count <= 0 || n < count {
        let Some(m) = prog.search(vm, &s, at, utf8, false)? else { break };
        put(&mut out, &s[at..m[0]])?;
        match &repl_text {
            Some(r) => expand(vm, &mut out, r, &s, &m, prog.groups)?,
            None => {
                let mo = new_match(vm, subj, &m, prog.groups)?;
                let r = vm.with_root(mo, |vm| vm.call(repl, &[mo]))?;
                let Some(t) = vm.str_bytes(r).or_else(|| vm.bytes_payload(r)) else {
                    return Err(vm.raise(TypeId::TypeError, "replacement must be str"));
                };
                put(&mut out, t)?;
            }
        }
        n += 1;
        if m[1] == m[0] {
            // An empty match: keep the next character and move past it.
            let Some((_, len)) = next_char(&s, m[1], utf8) else {
                at = s.len();
                break;
            };
            put(&mut out, &s[m[1]..m[1] + len])?;
            at = m[1] + len;
        } else {
            at = m[1];
        }
    }
    put(&mut out, &s[at.min(s.len())..])?;
    piece(vm, &out, utf8)
}

fn int_or(vm: &Vm, v: Option<&Value>, dflt: i64) -> i64 {
    v.and_then(|&x| vm.as_int(x)).unwrap_or(dflt)
}

pub fn re_sub(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let p = pattern_of(vm, args.pos[0])?;
    let count = int_or(vm, args.pos.get(3).or(args.kwarg(crate::qstr::q::count).as_ref()), 0);
    sub_with(vm, p, args.pos[1], args.pos[2], count)
}

pub fn re_split(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let p = pattern_of(vm, args.pos[0])?;
    let max = int_or(vm, args.pos.get(2), -1);
    split_with(vm, p, args.pos[1], if max == 0 { -1 } else { max })
}

// Methods of compiled regexes: `self` arrives as the pattern.

pub fn regex_match(vm: &mut Vm, args: Args) -> PyResult<Value> {
    arity(vm, &args, 2, 4)?;
    find(vm, args.pos[0], &args.pos[1..], true)
}

pub fn regex_search(vm: &mut Vm, args: Args) -> PyResult<Value> {
    find(vm, args.pos[0], &args.pos[1..], false)
}

pub fn regex_split(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let max = int_or(vm, args.pos.get(2), -1);
    split_with(vm, args.pos[0], args.pos[1], if max == 0 { -1 } else { max })
}

pub fn regex_sub(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let count = int_or(vm, args.pos.get(3).or(args.kwarg(crate::qstr::q::count).as_ref()), 0);
    sub_with(vm, args.pos[0], args.pos[1], args.pos[2], count)
}

// Methods of match objects: `self` arrives as the (subject, spans...) tuple.

fn span_of(vm: &mut Vm, m: Value, g: Option<&Value>) -> PyResult<(Value, isize, isize)> {
    let items = vm.seq_items(m).map(|s| s.to_vec()).unwrap_or_default();
    let g = match g {
        Some(&v) => vm.as_int(v).ok_or_else(|| vm.raise(TypeId::TypeError, "group index must be an int"))?,
        None => 0,
    };
    let n_groups = (items.len().saturating_sub(1) / 2) as i64;
    if g < 0 || g >= n_groups {
        return Err(vm.raise(TypeId::IndexError, "no such group"));
    }
    let at = |k: usize| items[k].as_small_int().unwrap_or(-1);
    Ok((items[0], at(1 + 2 * g as usize), at(2 + 2 * g as usize)))
}

fn group_value(vm: &mut Vm, m: Value, g: Option<&Value>) -> PyResult<Value> {
    let (subj, a, b) = span_of(vm, m, g)?;
    if a < 0 || b < 0 {
        return Ok(Value::NONE);
    }
    let (s, utf8) = subject(vm, subj)?;
    piece(vm, &s[a as usize..b as usize], utf8)
}

pub fn match_group(vm: &mut Vm, args: Args) -> PyResult<Value> {
    if args.pos.len() <= 2 {
        return group_value(vm, args.pos[0], args.pos.get(1));
    }
    let mut vals = Vec::new();
    for g in &args.pos[1..] {
        let v = group_value(vm, args.pos[0], Some(g))?;
        vm.roots.push(v);
        vals.push(v);
    }
    let t = vm.new_tuple(&vals);
    vm.roots.truncate(vm.roots.len() - vals.len());
    t
}

pub fn match_groups(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let n = vm.seq_items(args.pos[0]).map_or(0, |s| s.len().saturating_sub(1) / 2);
    let mut vals = Vec::new();
    for g in 1..n {
        let v = group_value(vm, args.pos[0], Some(&Value::small_int(g as isize)))?;
        let v = if v.is_none() { args.pos.get(1).copied().unwrap_or(Value::NONE) } else { v };
        vm.roots.push(v);
        vals.push(v);
    }
    let t = vm.new_tuple(&vals);
    vm.roots.truncate(vm.roots.len() - vals.len());
    t
}

pub fn match_start(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (_, a, _) = span_of(vm, args.pos[0], args.pos.get(1))?;
    Ok(Value::small_int(a))
}

pub fn match_end(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (_, _, b) = span_of(vm, args.pos[0], args.pos.get(1))?;
    Ok(Value::small_int(b))
}

pub fn match_span(vm: &mut Vm, args: Args) -> PyResult<Value> {
    let (_, a, b) = span_of(vm, args.pos[0], args.pos.get(1))?;
    vm.new_tuple(&[Value::small_int(a), Value::small_int(b)])
}
