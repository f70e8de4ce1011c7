//! `machine.SoftI2C` and `machine.SoftSPI` against devices modelled at the
//! pin level: every level the VM drives goes to a model of the wire and of
//! the device on it, which decodes START, STOP, bits and acknowledges, or
//! clock edges in each SPI mode, and drives the lines it owns back. So the
//! bit-banging itself is checked, not just what the methods ask of it.
#![cfg(all(feature = "machine-soft-i2c", feature = "machine-soft-spi"))]

use embedded_hal::digital::{ErrorType, InputPin, OutputPin, StatefulOutputPin};
use pyrite_vm::compile::Mode;
use pyrite_vm::port::{DigitalPin, Machine, PinError, PinId, PinMode, Pull};
use pyrite_vm::vm::Limits;
use pyrite_vm::{Port, Vm};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::AtomicBool;

const SCL: usize = 0;
const SDA: usize = 1;
const SCK: usize = 2;
const MOSI: usize = 3;
const MISO: usize = 4;
const CS: usize = 5;
const PULSE: usize = 6;
const NAMES: [&str; 7] = ["scl", "sda", "sck", "mosi", "miso", "cs", "pulse"];

/// An AT24-like EEPROM at 0x50 on the I2C wire: the first byte written sets
/// its address pointer, later ones are stored; reads continue from the
/// pointer. It acknowledges its address and each byte written to it.
#[derive(Default)]
struct I2cTarget {
    mem: [u8; 16],
    ptr: usize,
    /// Bits of the byte coming in, and how many.
    shift: u8,
    bits: u8,
    /// Where the target is within a byte's nine clocks.
    phase: I2cPhase,
    /// The next byte is the address byte (after a START).
    addressed: bool,
    /// The next byte written sets the pointer.
    pointer_next: bool,
    reading: bool,
    /// The byte going out, and whether the target pulls SDA low.
    out: u8,
    pull_sda: bool,
    /// Each START and STOP seen, for the test.
    log: Vec<char>,
}

#[derive(Default, Clone, Copy, PartialEq, Debug)]
enum I2cPhase {
    /// Not selected: waiting for a START.
    #[default]
    Idle,
    Receive,
    /// Holding SDA low to acknowledge, during the ninth clock.
    Ack,
    Transmit,
    /// Listening for the controller's acknowledge.
    HostAck,
}

/// An SPI register device in one of the four modes, selected by `cs` low:
/// the first byte is a command (bit 7: read) naming a register; later bytes
/// are written to, or read from, consecutive registers. It sends 0xff while
/// the command comes in.
#[derive(Default)]
struct SpiTarget {
    polarity: bool,
    phase: bool,
    lsb_first: bool,
    regs: [u8; 16],
    selected: bool,
    cmd: Option<u8>,
    reg: usize,
    shift: u8,
    bits: u8,
    out: u8,
    miso: bool,
    /// A bit shifted out on a clock edge reaches MISO only after that edge
    /// (at the controller's next pin change), as on a real wire: sampling
    /// on the same edge it shifts on reads the old bit.
    pending: Option<bool>,
}

#[derive(Default)]
struct Wires {
    /// What the VM drives on each pin (open-drain lines: high = released).
    driven: [bool; 7],
    /// The port's clock (us): each reading moves it on 7 us.
    clock: u64,
    /// `pulse` reads high from `.0` to `.1` us.
    pulse: (u64, u64),
    i2c: I2cTarget,
    spi: SpiTarget,
}

impl Wires {
    fn level(&self, pin: usize) -> bool {
        match pin {
            SDA => self.driven[SDA] && !self.i2c.pull_sda,
            MISO => self.spi.miso,
            PULSE => (self.pulse.0..self.pulse.1).contains(&self.clock),
            p => self.driven[p],
        }
    }

    fn drive(&mut self, pin: usize, high: bool) {
        if let Some(bit) = self.spi.pending.take() {
            self.spi.miso = bit;
        }
        let (scl, sda) = (self.level(SCL), self.level(SDA));
        let old = self.driven[pin];
        self.driven[pin] = high;
        match pin {
            SDA if scl && sda != self.level(SDA) => self.i2c.start_stop(!self.level(SDA)),
            SCL if old != high => self.i2c.clock(high, sda),
            SCK if old != high => self.spi.clock(high, self.driven[MOSI]),
            CS if old != high => self.spi.select(!high),
            _ => {}
        }
    }
}

impl I2cTarget {
    /// SDA falling with SCL high is a START; rising, a STOP.
    fn start_stop(&mut self, start: bool) {
        self.log.push(if start { 'S' } else { 'P' });
        self.pull_sda = false;
        self.phase = if start { I2cPhase::Receive } else { I2cPhase::Idle };
        self.addressed = start;
        self.shift = 0;
        self.bits = 0;
    }

    fn load(&mut self) {
        self.out = self.mem[self.ptr];
        self.ptr = (self.ptr + 1) % 16;
        self.bits = 0;
        self.pull_sda = self.out & 0x80 == 0;
    }

    fn clock(&mut self, rising: bool, sda: bool) {
        if rising {
            match self.phase {
                I2cPhase::Receive => {
                    self.shift = self.shift << 1 | sda as u8;
                    self.bits += 1;
                }
                // The controller's ACK is low: another byte; NACK ends it.
                I2cPhase::HostAck if sda => self.phase = I2cPhase::Idle,
                _ => {}
            }
            return;
        }
        match self.phase {
            I2cPhase::Receive if self.bits == 8 => {
                let b = self.shift;
                self.shift = 0;
                self.bits = 0;
                if self.addressed {
                    self.addressed = false;
                    if b >> 1 != 0x50 {
                        self.phase = I2cPhase::Idle;
                        return;
                    }
                    self.reading = b & 1 != 0;
                    self.pointer_next = !self.reading;
                } else if self.pointer_next {
                    self.ptr = b as usize % 16;
                    self.pointer_next = false;
                } else {
                    self.mem[self.ptr] = b;
                    self.ptr = (self.ptr + 1) % 16;
                }
                self.pull_sda = true;
                self.phase = I2cPhase::Ack;
            }
            I2cPhase::Ack if self.reading => {
                self.phase = I2cPhase::Transmit;
                self.load();
            }
            I2cPhase::Ack => {
                self.pull_sda = false;
                self.phase = I2cPhase::Receive;
            }
            I2cPhase::Transmit => {
                self.bits += 1;
                if self.bits == 8 {
                    self.pull_sda = false;
                    self.phase = I2cPhase::HostAck;
                } else {
                    self.pull_sda = self.out >> (7 - self.bits) & 1 == 0;
                }
            }
            I2cPhase::HostAck => {
                self.phase = I2cPhase::Transmit;
                self.load();
            }
            _ => {}
        }
    }
}

impl SpiTarget {
    fn present(&mut self) {
        let shift = if self.lsb_first { self.bits } else { 7 - self.bits };
        self.pending = Some(self.out >> shift & 1 != 0);
    }

    fn select(&mut self, on: bool) {
        self.selected = on;
        self.cmd = None;
        self.shift = 0;
        self.bits = 0;
        self.out = 0xff;
        if on && !self.phase {
            self.present();
        }
    }

    fn sample(&mut self, mosi: bool) {
        if self.lsb_first {
            self.shift |= (mosi as u8) << self.bits;
        } else {
            self.shift = self.shift << 1 | mosi as u8;
        }
        self.bits += 1;
        if self.bits < 8 {
            return;
        }
        let b = self.shift;
        self.shift = 0;
        self.bits = 0;
        match self.cmd {
            None => {
                self.cmd = Some(b);
                self.reg = (b & 0x7f) as usize % 16;
            }
            Some(c) if c & 0x80 == 0 => {
                self.regs[self.reg] = b;
                self.reg = (self.reg + 1) % 16;
            }
            Some(_) => {}
        }
        // The next byte out: the register the read has reached.
        if self.cmd.is_some_and(|c| c & 0x80 != 0) {
            self.out = self.regs[self.reg];
            self.reg = (self.reg + 1) % 16;
        }
    }

    /// A clock edge: leading (away from idle) or trailing.
    fn clock(&mut self, high: bool, mosi: bool) {
        if !self.selected {
            return;
        }
        let leading = high != self.polarity;
        match (self.phase, leading) {
            (false, true) | (true, false) => self.sample(mosi),
            _ => self.present(),
        }
    }
}

struct WirePin {
    index: usize,
    wires: Rc<RefCell<Wires>>,
}

impl ErrorType for WirePin {
    type Error = PinError;
}

impl OutputPin for WirePin {
    fn set_high(&mut self) -> Result<(), PinError> {
        self.wires.borrow_mut().drive(self.index, true);
        Ok(())
    }
    fn set_low(&mut self) -> Result<(), PinError> {
        self.wires.borrow_mut().drive(self.index, false);
        Ok(())
    }
}

impl StatefulOutputPin for WirePin {
    fn is_set_high(&mut self) -> Result<bool, PinError> {
        Ok(self.wires.borrow().driven[self.index])
    }
    fn is_set_low(&mut self) -> Result<bool, PinError> {
        Ok(!self.wires.borrow().driven[self.index])
    }
}

impl InputPin for WirePin {
    fn is_high(&mut self) -> Result<bool, PinError> {
        Ok(self.wires.borrow().level(self.index))
    }
    fn is_low(&mut self) -> Result<bool, PinError> {
        Ok(!self.wires.borrow().level(self.index))
    }
}

struct WirePort {
    wires: Rc<RefCell<Wires>>,
    out: Rc<RefCell<Vec<u8>>>,
    pins: Vec<WirePin>,
    modes: Vec<Option<PinMode>>,
}

impl Port for WirePort {
    fn stdout(&mut self, b: &[u8]) {
        self.out.borrow_mut().extend_from_slice(b);
    }
    fn ticks_us(&mut self) -> u64 {
        let mut w = self.wires.borrow_mut();
        w.clock += 7;
        w.clock
    }
    fn sleep_us(&mut self, _us: u64) {}
    fn platform(&self) -> &'static str {
        "test"
    }

    fn machine(&mut self) -> Option<&mut dyn Machine> {
        Some(self)
    }
}

impl Machine for WirePort {
    fn pin_open(&mut self, id: PinId<'_>, mode: Option<PinMode>, _pull: Pull) -> Result<u32, PinError> {
        let PinId::Name(n) = id else { return Err(PinError::NotFound) };
        let i = NAMES.iter().position(|m| m.as_bytes() == n).ok_or(PinError::NotFound)?;
        if mode.is_some() {
            self.modes[i] = mode;
        }
        Ok(i as u32)
    }
    fn pin_configure(&mut self, h: u32, mode: PinMode, _pull: Pull) -> Result<(), PinError> {
        *self.modes.get_mut(h as usize).ok_or(PinError::NotFound)? = Some(mode);
        Ok(())
    }
    fn pin_mode(&mut self, h: u32) -> Option<PinMode> {
        self.modes.get(h as usize).copied().flatten()
    }
    fn pin(&mut self, h: u32) -> Option<&mut dyn DigitalPin> {
        self.pins.get_mut(h as usize).map(|p| p as &mut dyn DigitalPin)
    }
}

/// The console's output, as the port keeps it.
type Output = Rc<RefCell<Vec<u8>>>;

fn new_vm() -> (Vm, Output, Rc<RefCell<Wires>>) {
    let wires = Rc::new(RefCell::new(Wires::default()));
    // Idle lines: the pull-ups hold SCL and SDA high, chip select off.
    wires.borrow_mut().driven = [true, true, false, false, false, true, false];
    let pins = (0..NAMES.len()).map(|index| WirePin { index, wires: wires.clone() }).collect();
    let out = Rc::new(RefCell::new(Vec::new()));
    let port = WirePort { wires: wires.clone(), out: out.clone(), pins, modes: vec![None; NAMES.len()] };
    let region = Box::leak(vec![0u8; 64 * 1024].into_boxed_slice());
    let flag = Box::leak(Box::new(AtomicBool::new(false)));
    (Vm::new(region, Box::new(port), flag, Limits::default()).expect("heap big enough"), out, wires)
}

fn run(vm: &mut Vm, src: &str) -> Result<(), String> {
    vm.exec(src.as_bytes(), "<test>", Mode::File).map(|_| ()).map_err(|e| {
        let exc = vm.exception_value(e);
        let mut line = Vec::new();
        vm.write_exception_line(exc, &mut line).unwrap();
        String::from_utf8(line).unwrap()
    })
}

/// SoftI2C speaks the protocol the target decodes: the EEPROM answers a
/// scan, keeps what is written and gives it back, with a repeated START
/// between the pointer write and the read, and a NACK at an empty address
/// raises ENODEV, as MicroPython's SoftI2C does.
#[test]
fn soft_i2c_round_trip_with_a_pin_level_eeprom() {
    let (mut vm, out, wires) = new_vm();
    let src = "from machine import Pin, SoftI2C
i = SoftI2C(Pin('scl'), Pin('sda'), freq=100000)
print(i.scan(), i)
i.writeto_mem(0x50, 3, b'pyrite')
print(i.readfrom_mem(0x50, 3, 6), i.readfrom_mem(0x50, 5, 2))
b = bytearray(3)
i.readfrom_mem_into(0x50, 4, b)
print(b, i.writeto(0x50, b'\\x0a\\x01\\x02'), i.readfrom_mem(0x50, 10, 2))
";
    run(&mut vm, src).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.borrow()),
        "[80] SoftI2C(scl=Pin('scl'), sda=Pin('sda'), freq=100000)\nb'pyrite' b'ri'\nbytearray(b'yri') 3 b'\\x01\\x02'\n"
    );
    assert_eq!(&wires.borrow().i2c.mem[3..9], b"pyrite");
    // The register read: START, pointer write, repeated START, read, STOP.
    wires.borrow_mut().i2c.log.clear();
    run(&mut vm, "i.readfrom_mem(0x50, 0, 1)").unwrap();
    assert_eq!(wires.borrow().i2c.log, ['S', 'S', 'P']);
    assert_eq!(run(&mut vm, "i.writeto(0x51, b'x')").unwrap_err(), "OSError: [Errno 19] ENODEV");
    // A target holding SCL low past the timeout.
    run(&mut vm, "i.init(timeout=100)").unwrap();
    wires.borrow_mut().driven[SCL] = false;
    let scl_stuck = run(&mut vm, "SoftI2C(Pin('scl'), Pin('sda'), timeout=100).scan()");
    assert!(scl_stuck.is_ok(), "a stuck bus answers nothing: {scl_stuck:?}");
    assert_eq!(run(&mut vm, "SoftI2C(Pin('scl'))").unwrap_err(), "TypeError: function takes 2 positional arguments but 1 were given");
    assert_eq!(run(&mut vm, "SoftI2C(1, 2)").unwrap_err(), "TypeError: expected a Pin");
    let (mut vm, out, _) = new_vm();
    run(&mut vm, "from machine import Pin, SoftI2C\nprint(SoftI2C(Pin('scl'), Pin('sda')))").unwrap();
    assert_eq!(String::from_utf8_lossy(&out.borrow()), "SoftI2C(scl=Pin('scl'), sda=Pin('sda'), freq=400000)\n");
}

/// SoftSPI in each of the four modes, and least significant bit first,
/// against a register device sampling and shifting on the edges the mode
/// gives: what is written reaches its registers and reads back.
#[test]
fn soft_spi_in_every_mode_with_a_pin_level_device() {
    for (polarity, phase, lsb) in [(0, 0, false), (0, 1, false), (1, 0, false), (1, 1, false), (0, 0, true)] {
        let (mut vm, out, wires) = new_vm();
        {
            let mut w = wires.borrow_mut();
            (w.spi.polarity, w.spi.phase, w.spi.lsb_first) = (polarity == 1, phase == 1, lsb);
        }
        let first = if lsb { "SoftSPI.LSB" } else { "SoftSPI.MSB" };
        let src = format!(
            "from machine import Pin, SoftSPI
cs = Pin('cs', Pin.OUT, value=1)
s = SoftSPI(1000000, polarity={polarity}, phase={phase}, firstbit={first}, sck=Pin('sck'), mosi=Pin('mosi'), miso=Pin('miso'))
cs(0); s.write(b'\\x02hi!'); cs(1)
cs(0); r = s.read(4, 0x82); cs(1)
b = bytearray(3)
cs(0); s.write_readinto(b'\\x83\\x00\\x00', b); cs(1)
print(r, b)
"
        );
        run(&mut vm, &src).unwrap();
        assert_eq!(String::from_utf8_lossy(&out.borrow()), "b'\\xffhi!' bytearray(b'\\xffi!')\n", "mode {polarity}{phase} lsb {lsb}");
        assert_eq!(&wires.borrow().spi.regs[2..5], b"hi!");
        // The clock idles where the polarity says.
        assert_eq!(wires.borrow().driven[SCK], polarity == 1);
    }
    let (mut vm, out, _) = new_vm();
    run(&mut vm, "from machine import Pin, SoftSPI\nprint(SoftSPI(sck=Pin('sck'), mosi=Pin('mosi'), miso=Pin('miso')))").unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.borrow()),
        "SoftSPI(baudrate=500000, polarity=0, phase=0, sck=Pin('sck'), mosi=Pin('mosi'), miso=Pin('miso'))\n"
    );
    assert_eq!(run(&mut vm, "SoftSPI(sck=Pin('sck'))").unwrap_err(), "ValueError: must specify all of sck/mosi/miso");
    assert_eq!(
        run(&mut vm, "SoftSPI(bits=16, sck=Pin('sck'), mosi=Pin('mosi'), miso=Pin('miso'))").unwrap_err(),
        "ValueError: bits must be 8"
    );
}

/// machine.time_pulse_us against a pin whose level follows the port's
/// clock: the pulse's length, -2 when it never comes within the timeout,
/// -1 when it outlasts it.
#[test]
fn time_pulse_us_times_a_pulse() {
    let (mut vm, out, wires) = new_vm();
    wires.borrow_mut().pulse = (1000, 1250);
    run(&mut vm, "from machine import Pin, time_pulse_us\np = Pin('pulse', Pin.IN)\nt = time_pulse_us(p, 1)\nprint(245 <= t <= 260, t)")
        .unwrap();
    assert!(String::from_utf8_lossy(&out.borrow()).starts_with("True "), "{}", String::from_utf8_lossy(&out.borrow()));
    let now = wires.borrow().clock;
    wires.borrow_mut().pulse = (now + 5000, now + 9000);
    run(&mut vm, "print(time_pulse_us(p, 1, 1000), time_pulse_us(p, 0, 1000))").unwrap();
    assert!(String::from_utf8_lossy(&out.borrow()).ends_with("-2 -1\n"), "{}", String::from_utf8_lossy(&out.borrow()));
    assert_eq!(run(&mut vm, "time_pulse_us(1, 1)").unwrap_err(), "TypeError: expected a Pin");
}
