//! The VM through its public API, with a port whose console is a buffer,
//! whose GPIO lines are in-memory `embedded-hal` pins and whose I2C bus has
//! one in-memory EEPROM on it (the real buses are tested under twister).

use embedded_hal::digital::{ErrorType, InputPin, OutputPin, StatefulOutputPin};
use embedded_hal::i2c::{I2c, Operation};
use pyrite_vm::compile::Mode;
use pyrite_vm::port::{
    AdcId, DateTime, DeviceError, DigitalPin, Event, I2cBus, Machine, PinError, PinId, PinMode, Pull, SerialPort, SpiConfig, SpiDev,
    UartConfig,
};
use pyrite_vm::vm::Limits;
use pyrite_vm::{Port, Vm};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Default, Clone)]
struct MemPin {
    high: bool,
    mode: Option<PinMode>,
}

impl ErrorType for MemPin {
    type Error = PinError;
}

impl OutputPin for MemPin {
    fn set_high(&mut self) -> Result<(), PinError> {
        self.high = true;
        Ok(())
    }
    fn set_low(&mut self) -> Result<(), PinError> {
        self.high = false;
        Ok(())
    }
}

impl StatefulOutputPin for MemPin {
    fn is_set_high(&mut self) -> Result<bool, PinError> {
        Ok(self.high)
    }
    fn is_set_low(&mut self) -> Result<bool, PinError> {
        Ok(!self.high)
    }
}

impl InputPin for MemPin {
    fn is_high(&mut self) -> Result<bool, PinError> {
        Ok(self.high)
    }
    fn is_low(&mut self) -> Result<bool, PinError> {
        Ok(!self.high)
    }
}

/// An I2C bus with a 16-byte EEPROM at 0x50 that behaves as an AT24: a
/// write's first byte sets the address pointer, the rest is stored there;
/// a read continues from the pointer.
struct MemI2c {
    mem: [u8; 16],
    ptr: usize,
    /// The shape of each transaction with the EEPROM: `W3`, `W1 R2`...
    log: Rc<RefCell<Vec<String>>>,
}

impl embedded_hal::i2c::ErrorType for MemI2c {
    type Error = DeviceError;
}

impl I2c for MemI2c {
    fn transaction(&mut self, address: u8, ops: &mut [Operation<'_>]) -> Result<(), DeviceError> {
        if address != 0x50 {
            return Err(DeviceError::Nack);
        }
        let mut shape = Vec::new();
        for op in ops {
            match op {
                Operation::Write(data) => {
                    shape.push(format!("W{}", data.len()));
                    if let Some((&p, rest)) = data.split_first() {
                        self.ptr = p as usize % 16;
                        for &b in rest {
                            self.mem[self.ptr] = b;
                            self.ptr = (self.ptr + 1) % 16;
                        }
                    }
                }
                Operation::Read(buf) => {
                    shape.push(format!("R{}", buf.len()));
                    for b in buf.iter_mut() {
                        *b = self.mem[self.ptr];
                        self.ptr = (self.ptr + 1) % 16;
                    }
                }
            }
        }
        self.log.borrow_mut().push(shape.join(" "));
        Ok(())
    }
}

/// An SPI register device, as sensors are: in each transaction the first
/// byte clocked in is a command (bit 7: read) naming a register; the bytes
/// after it are read from or written to consecutive registers. It answers
/// 0xff while the command goes in.
#[derive(Default)]
struct MemSpi {
    mem: [u8; 16],
    /// The shape of each transaction: `W1 T2`...
    log: Rc<RefCell<Vec<String>>>,
}

impl embedded_hal::spi::ErrorType for MemSpi {
    type Error = DeviceError;
}

impl embedded_hal::spi::SpiDevice<u8> for MemSpi {
    fn transaction(&mut self, ops: &mut [embedded_hal::spi::Operation<'_, u8>]) -> Result<(), DeviceError> {
        use embedded_hal::spi::Operation as Op;
        let mut cmd: Option<u8> = None;
        let mut reg = 0usize;
        let mut clock = |tx: u8| -> u8 {
            match cmd {
                None => {
                    cmd = Some(tx);
                    reg = (tx & 0x7f) as usize % 16;
                    0xff
                }
                Some(c) => {
                    let out = self.mem[reg];
                    if c & 0x80 == 0 {
                        self.mem[reg] = tx;
                    }
                    reg = (reg + 1) % 16;
                    out
                }
            }
        };
        let mut shape = Vec::new();
        for op in ops.iter_mut() {
            match op {
                Op::Write(w) => {
                    shape.push(format!("W{}", w.len()));
                    w.iter().for_each(|&b| {
                        clock(b);
                    });
                }
                Op::Read(r) => {
                    shape.push(format!("R{}", r.len()));
                    r.iter_mut().for_each(|b| *b = clock(0));
                }
                Op::Transfer(r, w) => {
                    shape.push(format!("T{}", r.len()));
                    for (i, b) in r.iter_mut().enumerate() {
                        *b = clock(w[i]);
                    }
                }
                Op::TransferInPlace(b) => {
                    shape.push(format!("I{}", b.len()));
                    b.iter_mut().for_each(|b| *b = clock(*b));
                }
                Op::DelayNs(_) => return Err(DeviceError::Errno(22)),
            }
        }
        self.log.borrow_mut().push(shape.join(" "));
        Ok(())
    }
}

/// A serial port whose far end is the test: bytes it queued arrive; what
/// the program writes is kept.
#[derive(Default)]
struct MemUart {
    rx: std::collections::VecDeque<u8>,
    tx: Rc<RefCell<Vec<u8>>>,
    config: Option<UartConfig>,
}

impl embedded_io::ErrorType for MemUart {
    type Error = DeviceError;
}

impl embedded_io::Read for MemUart {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, DeviceError> {
        let n = buf.len().min(self.rx.len());
        for b in &mut buf[..n] {
            *b = self.rx.pop_front().unwrap_or(0);
        }
        Ok(n)
    }
}

impl embedded_io::ReadReady for MemUart {
    fn read_ready(&mut self) -> Result<bool, DeviceError> {
        Ok(!self.rx.is_empty())
    }
}

impl embedded_io::Write for MemUart {
    fn write(&mut self, buf: &[u8]) -> Result<usize, DeviceError> {
        self.tx.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> Result<(), DeviceError> {
        Ok(())
    }
}

/// What the test reads back: console output and the pins' last state.
#[derive(Default)]
struct Seen {
    out: Vec<u8>,
    pins: Vec<(String, MemPin)>,
    i2c_log: Rc<RefCell<Vec<String>>>,
    spi_log: Rc<RefCell<Vec<String>>>,
    /// The event flag to raise, with a pin edge, at the next sleep.
    edge_in_sleep: Option<&'static AtomicBool>,
    /// Each watchdog start (its timeout) and feed (1000 + handle).
    wdt: Rc<RefCell<Vec<u32>>>,
    /// Interrupt events the test raises, and each pin's irq trigger.
    events: Rc<RefCell<std::collections::VecDeque<Event>>>,
    triggers: Rc<RefCell<Vec<(u32, u32)>>>,
    /// Each timer start (handle, period, periodic), and stop (period 0).
    timers: Rc<RefCell<Vec<(u32, u64, bool)>>>,
    uart_tx: Rc<RefCell<Vec<u8>>>,
}

struct MemPort {
    seen: Rc<RefCell<Seen>>,
    pins: Vec<(String, MemPin)>,
    i2c: MemI2c,
    spi: MemSpi,
    uart: MemUart,
    rtc: DateTime,
    /// The last period and pulse set on the one PWM channel.
    pwm: (u32, u32),
}

impl MemPort {
    /// Copies the pins' state where the test can see it.
    fn publish(&self) {
        self.seen.borrow_mut().pins = self.pins.clone();
    }
}

impl Port for MemPort {
    fn stdout(&mut self, b: &[u8]) {
        self.seen.borrow_mut().out.extend_from_slice(b);
    }
    fn ticks_us(&mut self) -> u64 {
        0
    }
    /// A sleep is where the test's pin edge arrives, when it set one up
    /// (as an interrupt would wake the thread).
    fn sleep_us(&mut self, _us: u64) {
        let flag = self.seen.borrow_mut().edge_in_sleep.take();
        if let Some(flag) = flag {
            self.seen.borrow().events.borrow_mut().push_back(Event::Irq { source: pyrite_vm::port::EventSource::Pin, id: 0 });
            flag.store(true, Ordering::Relaxed);
        }
    }
    fn platform(&self) -> &'static str {
        "test"
    }
    fn take_event(&mut self) -> Option<Event> {
        self.seen.borrow().events.borrow_mut().pop_front()
    }

    fn machine(&mut self) -> Option<&mut dyn Machine> {
        Some(self)
    }
}

impl Machine for MemPort {
    fn pin_open(&mut self, id: PinId<'_>, mode: Option<PinMode>, _pull: Pull) -> Result<u32, PinError> {
        let name = match id {
            PinId::Name(n) => String::from_utf8_lossy(n).into_owned(),
            PinId::Port(c, n) => format!("{}:{n}", String::from_utf8_lossy(c)),
        };
        let i = self.pins.iter().position(|(n, _)| *n == name).ok_or(PinError::NotFound)?;
        if mode.is_some() {
            self.pins[i].1.mode = mode;
        }
        self.publish();
        Ok(i as u32)
    }
    fn pin_names(&mut self, each: &mut dyn FnMut(&[u8])) {
        for (n, _) in self.pins.iter().filter(|(n, _)| !n.contains(':')) {
            each(n.as_bytes());
        }
    }
    fn pin_configure(&mut self, h: u32, mode: PinMode, _pull: Pull) -> Result<(), PinError> {
        self.pins.get_mut(h as usize).ok_or(PinError::NotFound)?.1.mode = Some(mode);
        self.publish();
        Ok(())
    }
    fn pin_mode(&mut self, h: u32) -> Option<PinMode> {
        self.pins.get(h as usize).and_then(|(_, p)| p.mode)
    }
    fn pin(&mut self, h: u32) -> Option<&mut dyn DigitalPin> {
        self.pins.get_mut(h as usize).map(|(_, p)| p as &mut dyn DigitalPin)
    }
    fn pin_irq(&mut self, h: u32, trigger: u32) -> Result<(), PinError> {
        self.seen.borrow().triggers.borrow_mut().push((h, trigger));
        Ok(())
    }
    fn uart_open(&mut self, name: &[u8]) -> Result<u32, DeviceError> {
        if name == b"uart1" {
            Ok(0)
        } else {
            Err(DeviceError::NotFound)
        }
    }
    fn uart_configure(&mut self, _h: u32, config: UartConfig) -> Result<(), DeviceError> {
        self.uart.config = Some(config);
        self.uart
            .tx
            .borrow_mut()
            .extend_from_slice(format!("<{} {} {:?} {}>", config.baudrate, config.bits, config.parity, config.stop).as_bytes());
        Ok(())
    }
    fn uart(&mut self, _h: u32) -> Option<&mut dyn SerialPort> {
        Some(&mut self.uart)
    }
    fn uart_any(&mut self, _h: u32) -> usize {
        self.uart.rx.len()
    }
    fn uart_irq(&mut self, h: u32, on: bool) -> Result<(), DeviceError> {
        self.seen.borrow().triggers.borrow_mut().push((100 + h, on as u32));
        Ok(())
    }
    fn uart_names(&mut self, each: &mut dyn FnMut(&[u8])) {
        each(b"uart1");
    }
    fn pwm_open(&mut self, name: &[u8]) -> Result<(u32, u32), DeviceError> {
        if name == b"pwm_led0" {
            Ok((0, 20_000_000))
        } else {
            Err(DeviceError::NotFound)
        }
    }
    fn pwm_set(&mut self, _h: u32, period: u32, pulse: u32) -> Result<(), DeviceError> {
        self.pwm = (period, pulse);
        self.seen.borrow_mut().out.extend_from_slice(format!("<{period} {pulse}>").as_bytes());
        Ok(())
    }
    fn pwm_names(&mut self, each: &mut dyn FnMut(&[u8])) {
        each(b"pwm_led0");
    }
    fn rtc_get(&mut self) -> Result<DateTime, DeviceError> {
        Ok(self.rtc)
    }
    fn rtc_set(&mut self, t: &DateTime) -> Result<(), DeviceError> {
        self.rtc = *t;
        Ok(())
    }
    fn timer_open(&mut self) -> Result<u32, DeviceError> {
        Ok(3)
    }
    fn timer_start(&mut self, h: u32, period_us: u64, periodic: bool) -> Result<(), DeviceError> {
        self.seen.borrow().timers.borrow_mut().push((h, period_us, periodic));
        Ok(())
    }
    fn timer_stop(&mut self, h: u32) {
        self.seen.borrow().timers.borrow_mut().push((h, 0, false));
    }
    /// The board names a default I2C bus, and no default SPI bus.
    fn default_device(&mut self, class: &[u8]) -> Option<&'static [u8]> {
        (class == b"I2C").then_some(b"i2c0")
    }
    fn i2c_open(&mut self, name: &[u8]) -> Result<u32, DeviceError> {
        if name == b"i2c0" {
            Ok(0)
        } else {
            Err(DeviceError::NotFound)
        }
    }
    fn i2c_set_freq(&mut self, _h: u32, freq: u32) -> Result<(), DeviceError> {
        if freq <= 1_000_000 {
            Ok(())
        } else {
            Err(DeviceError::Errno(22))
        }
    }
    fn i2c(&mut self, h: u32) -> Option<&mut dyn I2cBus> {
        (h == 0).then_some(&mut self.i2c as &mut dyn I2cBus)
    }
    fn i2c_names(&mut self, each: &mut dyn FnMut(&[u8])) {
        each(b"i2c0");
    }
    /// A bus, `spi0`, and a device on it, `imu` (8 MHz, mode 3, from its
    /// node), both reaching the one register device; clocks above 10 MHz
    /// are refused.
    fn spi_open(&mut self, name: &[u8]) -> Result<(u32, SpiConfig), DeviceError> {
        let bus = SpiConfig { baudrate: 1_000_000, polarity: false, phase: false, bits: 8, lsb_first: false };
        match name {
            b"spi0" => Ok((0, bus)),
            b"imu" => Ok((1, SpiConfig { baudrate: 8_000_000, polarity: true, phase: true, ..bus })),
            _ => Err(DeviceError::NotFound),
        }
    }
    fn spi_configure(&mut self, _h: u32, c: &SpiConfig) -> Result<(), DeviceError> {
        if c.baudrate > 10_000_000 {
            return Err(DeviceError::Errno(22));
        }
        Ok(())
    }
    fn spi(&mut self, h: u32) -> Option<&mut dyn SpiDev> {
        (h < 2).then_some(&mut self.spi as &mut dyn SpiDev)
    }
    /// A watchdog with one channel (3); timeouts over a minute are refused.
    fn wdt_start(&mut self, timeout_ms: u32) -> Result<u32, DeviceError> {
        if timeout_ms > 60_000 {
            return Err(DeviceError::Errno(22));
        }
        self.seen.borrow().wdt.borrow_mut().push(timeout_ms);
        Ok(3)
    }
    fn wdt_feed(&mut self, h: u32) -> Result<(), DeviceError> {
        self.seen.borrow().wdt.borrow_mut().push(1000 + h);
        Ok(())
    }
    fn spi_names(&mut self, each: &mut dyn FnMut(&[u8])) {
        each(b"spi0");
        each(b"imu");
    }
    /// Two channels: `pot` at half scale, `("adc0", 1)` at 3 V.
    fn adc_open(&mut self, id: AdcId<'_>) -> Result<u32, DeviceError> {
        match id {
            AdcId::Name(b"pot") => Ok(0),
            AdcId::Channel(b"adc0", 1) => Ok(1),
            _ => Err(DeviceError::NotFound),
        }
    }
    fn adc_read_u16(&mut self, h: u32) -> Result<u16, DeviceError> {
        Ok([0x8000, 0xe8ba][h as usize])
    }
    fn adc_read_uv(&mut self, h: u32) -> Result<i32, DeviceError> {
        Ok([1_650_000, 3_000_000][h as usize])
    }
    fn adc_names(&mut self, each: &mut dyn FnMut(&[u8])) {
        each(b"pot");
    }
}

fn new_vm(heap: usize) -> (Vm, Rc<RefCell<Seen>>) {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let pins = vec![("led0".to_string(), MemPin::default()), ("gpio0:13".to_string(), MemPin::default())];
    let i2c = MemI2c { mem: [0xff; 16], ptr: 0, log: seen.borrow().i2c_log.clone() };
    let mut uart = MemUart { tx: seen.borrow().uart_tx.clone(), ..MemUart::default() };
    uart.rx.extend(b"ok\nrest");
    let spi = MemSpi { mem: [0; 16], log: seen.borrow().spi_log.clone() };
    let port = MemPort { seen: seen.clone(), pins, i2c, spi, uart, rtc: DateTime::default(), pwm: (0, 0) };
    let region = Box::leak(vec![0u8; heap].into_boxed_slice());
    let flag = Box::leak(Box::new(AtomicBool::new(false)));
    (Vm::new(region, Box::new(port), flag, Limits::default()).expect("heap big enough"), seen)
}

/// Runs `src`; an exception comes back as its last traceback line.
fn run(vm: &mut Vm, src: &str) -> Result<(), String> {
    vm.exec(src.as_bytes(), "<test>", Mode::File).map(|_| ()).map_err(|e| {
        let exc = vm.exception_value(e);
        let mut line = Vec::new();
        vm.write_exception_line(exc, &mut line).unwrap();
        String::from_utf8(line).unwrap()
    })
}

#[cfg(feature = "machine")]
fn pin(seen: &Rc<RefCell<Seen>>, name: &str) -> MemPin {
    seen.borrow().pins.iter().find(|(n, _)| n == name).map(|(_, p)| p.clone()).unwrap()
}

/// machine.I2C's methods map onto `embedded-hal` transactions as
/// MicroPython's do onto the bus: a register write in one message, a
/// register read as a write and a read joined by a repeated START, and a
/// `stop=False` write joined to the read after it.
#[cfg(feature = "machine-i2c")]
#[test]
fn i2c_methods_make_the_expected_bus_transactions() {
    let (mut vm, seen) = new_vm(64 * 1024);
    let log = seen.borrow().i2c_log.clone();
    let src = "from machine import I2C
i = I2C('i2c0', freq=100000)
print(i.scan(), i)
i.writeto_mem(0x50, 2, b'hi')
print(i.readfrom_mem(0x50, 2, 2))
print(i.writeto(0x50, b'\\x03', False), i.readfrom(0x50, 1))
b = bytearray(3)
i.readfrom_mem_into(0x50, 1, b)
print(b)
print(i.writevto(0x50, (b'\\x00', b'ab', bytearray(b'c'))), i.readfrom_mem(0x50, 0, 3, addrsize=8))
";
    run(&mut vm, src).unwrap();
    assert_eq!(String::from_utf8_lossy(&seen.borrow().out), "[80] I2C('i2c0')\nb'hi'\n1 b'i'\nbytearray(b'\\xffhi')\n4 b'abc'\n");
    assert_eq!(*log.borrow(), ["R1", "W3", "W1 R2", "W1 R1", "W1 R3", "W4", "W1 R3"]);
    // I2C() is the board's default bus.
    seen.borrow_mut().out.clear();
    run(&mut vm, "print(I2C(), I2C(freq=400000).readfrom_mem(0x50, 0, 1))").unwrap();
    assert_eq!(String::from_utf8_lossy(&seen.borrow().out), "I2C('i2c0') b'a'\n");
    let errors = [
        ("i.writeto(0x51, b'x')", "OSError: [Errno 19] ENODEV"),
        ("i.readfrom(0x80, 1)", "ValueError: invalid I2C address"),
        ("i.readfrom_mem(0x50, 0, 1, addrsize=12)", "ValueError: invalid addrsize"),
        ("i.writeto(0x50, 5)", "TypeError: object with buffer protocol required"),
        ("i.readfrom_into(0x50, b'xy')", "TypeError: a writable buffer is required"),
        ("I2C('i2c9')", "ValueError: I2C 'i2c9' isn't in the devicetree; there is: i2c0"),
        ("I2C('i2c0', scl=1)", "ValueError: explicit choice of scl/sda is not implemented"),
        ("I2C('i2c0', freq=5000000)", "OSError: [Errno 22] EINVAL"),
        ("I2C(1, 2)", "TypeError: function expected at most 1 arguments, got 2"),
    ];
    for (src, want) in errors {
        assert_eq!(run(&mut vm, src).unwrap_err(), want, "{src}");
    }
}

/// machine.SPI: each call is one transaction; lists of buffers are one
/// transaction of several segments; settings start from the port's (a
/// device node's own) and init() changes only what it is given.
#[cfg(feature = "machine-spi")]
#[test]
fn spi_methods_make_the_expected_transactions() {
    let (mut vm, seen) = new_vm(64 * 1024);
    let log = seen.borrow().spi_log.clone();
    let src = "from machine import SPI
s = SPI('spi0')
print(s)
s.init(2000000, polarity=1, phase=1)
print(s)
print(s.write(b'\\x02hi'), s.read(3, 0x82))
b = bytearray(3)
s.write_readinto(b'\\x82\\x00\\x00', b)
print(b)
r = bytearray(2)
s.write_readinto([b'\\x82', bytes(2)], [None, r])
print(r)
s.write([b'\\x04', b'ab'])
s.readinto(b, 0x84)
print(b, s.read(2))
d = SPI('imu', bits=16, firstbit=SPI.LSB)
print(d, SPI.MSB, SPI.LSB)
";
    run(&mut vm, src).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&seen.borrow().out),
        "SPI('spi0', baudrate=1000000, polarity=0, phase=0, bits=8, firstbit=MSB)
SPI('spi0', baudrate=2000000, polarity=1, phase=1, bits=8, firstbit=MSB)
None b'\\xffhi'
bytearray(b'\\xffhi')
bytearray(b'hi')
bytearray(b'\\xffab') b'\\xff\\x00'
SPI('imu', baudrate=8000000, polarity=1, phase=1, bits=16, firstbit=LSB) 0 1
"
    );
    assert_eq!(*log.borrow(), ["W3", "T3", "T3", "W1 T2", "W1 W2", "T3", "R2"]);
    let errors = [
        ("SPI('spi9')", "ValueError: SPI 'spi9' isn't in the devicetree; there is: spi0, imu"),
        ("SPI('spi0', sck=1)", "NotImplementedError: explicit choice of sck/miso/mosi is not implemented"),
        ("s.init(bits=12)", "ValueError: bits must be 8, 16 or 32"),
        ("s.init(polarity=2)", "ValueError: polarity and phase must be 0 or 1"),
        ("s.init(firstbit=3)", "ValueError: firstbit must be MSB or LSB"),
        ("s.init(20000000)", "OSError: [Errno 22] EINVAL"),
        ("s.write_readinto(b'ab', bytearray(3))", "ValueError: buffers must be the same length"),
        ("s.write_readinto([b'ab'], bytearray(2))", "ValueError: write and read need as many buffers"),
        ("s.write(5)", "TypeError: object with buffer protocol required"),
        ("s.readinto(b'xy')", "TypeError: a writable buffer is required"),
        ("s.write([])", "ValueError: a transaction takes 1 to 8 buffers"),
        ("s.write([b'a'] * 9)", "ValueError: a transaction takes 1 to 8 buffers"),
        ("SPI()", "ValueError: SPI() needs a name: the board's devicetree names no default"),
    ];
    for (src, want) in errors {
        assert_eq!(run(&mut vm, src).unwrap_err(), want, "{src}");
    }
    // A failed configuration leaves the object as it was.
    run(&mut vm, "print(s)").unwrap();
    assert!(
        String::from_utf8_lossy(&seen.borrow().out).ends_with("SPI('spi0', baudrate=2000000, polarity=1, phase=1, bits=8, firstbit=MSB)\n")
    );
}

/// machine.WDT: starts the port's watchdog with the timeout given (5 s by
/// default) and feeds the channel it got.
#[cfg(feature = "machine-wdt")]
#[test]
fn wdt_starts_and_feeds_the_watchdog() {
    let (mut vm, seen) = new_vm(64 * 1024);
    run(&mut vm, "from machine import WDT\nw = WDT(timeout=2000)\nw.feed()\nw.feed()\nWDT(0).feed()").unwrap();
    assert_eq!(*seen.borrow().wdt.borrow(), [2000, 1003, 1003, 5000, 1003]);
    let errors = [
        ("WDT(1)", "ValueError: WDT(0) is the only watchdog"),
        ("WDT(timeout=0)", "ValueError: timeout must be positive"),
        ("WDT(timeout=120000)", "OSError: [Errno 22] EINVAL"),
        ("WDT(speed=1)", "TypeError: unexpected keyword argument"),
    ];
    for (src, want) in errors {
        assert_eq!(run(&mut vm, src).unwrap_err(), want, "{src}");
    }
}

/// Pin.irq: an event the port queues (as its interrupt handler would)
/// runs the Python handler at the next check, with the pin; a burst longer
/// than the schedule queue runs in full; handlers may allocate, collect and
/// raise.
#[cfg(feature = "machine-pin-extras")]
#[test]
fn pin_irq_runs_the_handler_between_instructions() {
    static FLAG: AtomicBool = AtomicBool::new(false);
    let (mut vm, seen) = new_vm(64 * 1024);
    vm.set_event_flag(&FLAG);
    let fire = |n: usize| {
        for _ in 0..n {
            seen.borrow().events.borrow_mut().push_back(Event::Irq { source: pyrite_vm::port::EventSource::Pin, id: 0 });
        }
        FLAG.store(true, Ordering::Relaxed);
    };
    run(&mut vm, "from machine import Pin\nimport gc\nhits = []\np = Pin('led0', Pin.IN)\ndef h(q):\n    hits.append([q, len(hits)])\n    gc.collect()\np.irq(h, Pin.IRQ_RISING)").unwrap();
    assert_eq!(*seen.borrow().triggers.borrow(), [(0, 2)]);
    fire(2);
    run(&mut vm, "x = 0\nwhile len(hits) < 2 and x < 1000:\n    x += 1\nprint(hits, x < 1000)").unwrap();
    assert_eq!(String::from_utf8_lossy(&seen.borrow().out), "[[Pin('led0'), 0], [Pin('led0'), 1]] True\n");
    // More events than the schedule queue holds: they wait in the port's
    // queue and all run, a schedule queue's worth at a time.
    run(&mut vm, "before = len(hits)").unwrap();
    fire(30);
    run(&mut vm, "x = 0\nwhile len(hits) < before + 30 and x < 20000:\n    x += 1\nprint(len(hits) - before, x < 20000)").unwrap();
    assert!(String::from_utf8_lossy(&seen.borrow().out).ends_with("30 True\n"));
    // A handler's exception reaches the interrupted code; None turns it off.
    run(&mut vm, "def bad(q):\n    raise ValueError('from irq')\np.irq(bad)").unwrap();
    fire(1);
    assert_eq!(run(&mut vm, "while True:\n    pass").unwrap_err(), "ValueError: from irq");
    run(&mut vm, "p.irq(None)\nn = len(hits)").unwrap();
    fire(1);
    run(&mut vm, "for i in range(300):\n    pass\nassert len(hits) == n").unwrap();
    assert_eq!(seen.borrow().triggers.borrow().last(), Some(&(0, 0)));
    assert_eq!(run(&mut vm, "p.irq(bad, 7)").unwrap_err(), "ValueError: invalid trigger");
}

/// machine.Timer: the port gets the period; an expiry event runs the
/// callback with the timer; deinit stops it and forgets the callback.
#[cfg(feature = "machine-timer")]
#[test]
fn timer_callback_runs_on_expiry_events() {
    static FLAG: AtomicBool = AtomicBool::new(false);
    let (mut vm, seen) = new_vm(64 * 1024);
    vm.set_event_flag(&FLAG);
    let fire = || {
        seen.borrow().events.borrow_mut().push_back(Event::Irq { source: pyrite_vm::port::EventSource::Timer, id: 3 });
        FLAG.store(true, Ordering::Relaxed);
    };
    run(&mut vm, "from machine import Timer\nn = []\nt = Timer(-1, period=250, callback=n.append)\nt.init(mode=Timer.ONE_SHOT, freq=50, callback=n.append)").unwrap();
    assert_eq!(*seen.borrow().timers.borrow(), [(3, 250_000, true), (3, 20_000, false)]);
    fire();
    run(&mut vm, "for i in range(300):\n    pass\nprint(len(n), n[0] is t)\nt.deinit()").unwrap();
    fire();
    run(&mut vm, "for i in range(300):\n    pass\nprint(len(n))").unwrap();
    assert_eq!(String::from_utf8_lossy(&seen.borrow().out), "1 True\n1\n");
    assert_eq!(seen.borrow().timers.borrow().last(), Some(&(3, 0, false)));
    for (src, want) in [
        ("Timer(0)", "ValueError: only virtual timers (id -1) are supported"),
        ("t.init(period=-5)", "ValueError: invalid period"),
        ("t.init(period=5, freq=5)", "ValueError: invalid period"),
        ("t.init(mode=7)", "ValueError: invalid mode"),
    ] {
        assert_eq!(run(&mut vm, src).unwrap_err(), want, "{src}");
    }
}

/// machine.UART: frame format to the port, reads of what arrived (None
/// once the timeout passes with nothing), writes to the far end.
#[cfg(feature = "machine-uart")]
#[test]
fn uart_reads_and_writes_the_port_serial() {
    let (mut vm, seen) = new_vm(64 * 1024);
    run(&mut vm, "from machine import UART\nu = UART('uart1', 9600, bits=7, parity=1, stop=2)\nprint(u, u.any(), u.readline(), u.read(2), u.read(), u.readline())\nprint(u.write(b'AT'), u.write('\\r\\n'), u.txdone())\nu.flush()").unwrap();
    assert_eq!(String::from_utf8_lossy(&seen.borrow().out), "UART('uart1') 7 b'ok\\n' b're' b'st' None\n2 2 True\n");
    assert_eq!(String::from_utf8_lossy(&seen.borrow().uart_tx.borrow()), "<9600 7 Some(1) 2>AT\r\n");
    for (src, want) in [
        ("UART('uart7')", "ValueError: UART 'uart7' isn't in the devicetree; there is: uart1"),
        ("u.init(bits=4)", "ValueError: invalid data bits"),
        ("u.init(parity=2)", "ValueError: invalid parity"),
        ("u.init(stop=3)", "ValueError: invalid stop bits"),
        ("u.init(baudrate=0)", "ValueError: invalid baudrate"),
        ("u.init(tx=1)", "ValueError: explicit choice of tx/rx is not implemented"),
        ("u.readinto(b'ab')", "TypeError: a writable buffer is required"),
    ] {
        assert_eq!(run(&mut vm, src).unwrap_err(), want, "{src}");
    }
}

/// machine.lightsleep: a timed sleep returns; an untimed one returns once an
/// interrupt event arrives, after its callback ran.
#[cfg(feature = "machine-pin-extras")]
#[test]
fn lightsleep_returns_for_events() {
    static FLAG: AtomicBool = AtomicBool::new(false);
    let (mut vm, seen) = new_vm(64 * 1024);
    vm.set_event_flag(&FLAG);
    run(&mut vm, "import machine\nmachine.lightsleep(20)\nhits = []\np = machine.Pin('led0', machine.Pin.IN)\np.irq(hits.append)").unwrap();
    seen.borrow_mut().edge_in_sleep = Some(&FLAG);
    run(&mut vm, "machine.lightsleep()\nprint(hits)").unwrap();
    assert_eq!(String::from_utf8_lossy(&seen.borrow().out), "[Pin('led0')]\n");
}

/// UART.irq runs its handler with the UART after the port reports bytes;
/// select.poll sees a UART readable when bytes wait, writable always.
#[cfg(all(feature = "machine-uart", feature = "select"))]
#[test]
fn uart_irq_and_poll() {
    static FLAG: AtomicBool = AtomicBool::new(false);
    let (mut vm, seen) = new_vm(64 * 1024);
    vm.set_event_flag(&FLAG);
    run(&mut vm, "from machine import UART\nimport select\nu = UART('uart1')\np = select.poll()\np.register(u, select.POLLIN)\nprint(p.poll(0) == [(u, select.POLLIN)])\nu.read()\nprint(p.poll(0), len(p.poll(0)) == 0)\np.register(u, select.POLLOUT)\nprint(p.poll(0)[0][1] == select.POLLOUT)").unwrap();
    assert_eq!(String::from_utf8_lossy(&seen.borrow().out), "True\n[] True\nTrue\n");
    run(&mut vm, "got = []\nu.irq(lambda x: got.append(x), UART.IRQ_RX)").unwrap();
    assert_eq!(seen.borrow().triggers.borrow().last(), Some(&(100, 1)));
    seen.borrow().events.borrow_mut().push_back(Event::Irq { source: pyrite_vm::port::EventSource::Uart, id: 0 });
    FLAG.store(true, Ordering::Relaxed);
    run(&mut vm, "x = 0\nwhile not got and x < 1000:\n    x += 1\nprint(got == [u], UART.IRQ_RX)").unwrap();
    assert!(String::from_utf8_lossy(&seen.borrow().out).ends_with("True 1\n"));
    run(&mut vm, "u.irq(None)").unwrap();
    assert_eq!(seen.borrow().triggers.borrow().last(), Some(&(100, 0)));
    assert_eq!(run(&mut vm, "u.irq(print, 8)").unwrap_err(), "ValueError: invalid trigger");
}

/// machine's functions: constants, and OSError(EOPNOTSUPP) for what a
/// port cannot do (this one has no reset, id or interrupt masking).
#[cfg(feature = "machine")]
#[test]
fn machine_functions_without_port_support() {
    let (mut vm, seen) = new_vm(64 * 1024);
    run(&mut vm, "import machine\nprint(machine.PWRON_RESET, machine.HARD_RESET, machine.WDT_RESET, machine.DEEPSLEEP_RESET, machine.SOFT_RESET, machine.freq(), machine.idle())").unwrap();
    assert_eq!(String::from_utf8_lossy(&seen.borrow().out), "1 2 3 4 5 0 None\n");
    for src in [
        "machine.reset()",
        "machine.reset_cause()",
        "machine.unique_id()",
        "machine.disable_irq()",
        "machine.deepsleep()",
        "machine.deepsleep(100)",
    ] {
        assert_eq!(run(&mut vm, src).unwrap_err(), "OSError: [Errno 95] EOPNOTSUPP", "{src}");
    }
    assert_eq!(run(&mut vm, "machine.freq(48000000)").unwrap_err(), "NotImplementedError: changing the CPU frequency is not supported");
}

/// machine.RTC: a set time reads back, with the weekday worked out.
#[cfg(feature = "machine-rtc")]
#[test]
fn rtc_sets_and_reads_the_port_clock() {
    let (mut vm, seen) = new_vm(64 * 1024);
    run(&mut vm, "from machine import RTC\nr = RTC()\nr.datetime((2026, 12, 5, 0, 13, 45, 30, 250))\nprint(r.datetime())").unwrap();
    // 2026-12-05 is a Saturday: 5 counting from Monday.
    assert_eq!(String::from_utf8_lossy(&seen.borrow().out), "(2026, 12, 5, 5, 13, 45, 30, 250)\n");
    for (src, want) in [
        ("r.datetime((2026, 13, 1, 0, 0, 0, 0, 0))", "ValueError: invalid date or time"),
        ("r.datetime((2026, 1))", "ValueError: requested length 8 but object has length 0"),
        ("RTC(1)", "ValueError: invalid RTC id"),
    ] {
        assert_eq!(run(&mut vm, src).unwrap_err(), want, "{src}");
    }
}

/// machine.Signal: active-high or inverted over a Pin it is given or makes.
#[cfg(feature = "machine-pin-extras")]
#[test]
fn signal_inverts_its_pin() {
    let (mut vm, seen) = new_vm(64 * 1024);
    run(&mut vm, "from machine import Pin, Signal\np = Pin('led0', Pin.OUT)\ns = Signal(p, invert=True)\ns.on()\nprint(s.value(), p.value())\ns.value(0)\nprint(s.value(), p.value())").unwrap();
    run(&mut vm, "t = Signal(('gpio0', 13), Pin.OUT)\nt.on()\nprint(t.value())").unwrap();
    assert_eq!(String::from_utf8_lossy(&seen.borrow().out), "1 0\n0 1\n1\n");
    assert!(pin(&seen, "led0").high);
    assert!(run(&mut vm, "Signal()").unwrap_err().starts_with("TypeError"));
}

/// machine.PWM: the devicetree's period until freq is set, duty kept
/// across a change of frequency, values read back as set.
#[cfg(feature = "machine-pwm")]
#[test]
fn pwm_sets_period_and_pulse() {
    let (mut vm, seen) = new_vm(64 * 1024);
    run(&mut vm, "from machine import PWM\np = PWM('pwm_led0', duty_u16=16384)\nprint(p.freq(), p.duty_u16())\np.freq(2000)\nprint(p.duty_u16(), p.duty_ns())\np.deinit()").unwrap();
    assert_eq!(String::from_utf8_lossy(&seen.borrow().out), "<20000000 5000076>50 16384\n<500000 125002>16384 125002\n<500000 0>");
    for (src, want) in [
        ("PWM('pwm9')", "ValueError: PWM 'pwm9' isn't in the devicetree; there is: pwm_led0"),
        ("p.freq(0)", "ValueError: freq out of range"),
        ("PWM('pwm_led0', duty=3)", "TypeError: unexpected keyword argument"),
    ] {
        assert_eq!(run(&mut vm, src).unwrap_err(), want, "{src}");
    }
}

/// machine.ADC: by name or by controller and channel, with the port's
/// scaling; unknown channels name what the devicetree has.
#[cfg(feature = "machine-adc")]
#[test]
fn adc_reads_the_port_channel() {
    let (mut vm, seen) = new_vm(64 * 1024);
    run(
        &mut vm,
        "from machine import ADC\na = ADC('pot')\nb = ADC(('adc0', 1))\nprint(a, a.read_u16(), a.read_uv(), b, b.read_u16(), b.read_uv())",
    )
    .unwrap();
    assert_eq!(String::from_utf8_lossy(&seen.borrow().out), "ADC('pot') 32768 1650000 ADC(('adc0', 1)) 59578 3000000\n");
    for (src, want) in [
        ("ADC('bat')", "ValueError: ADC 'bat' isn't in the devicetree; there is: pot"),
        ("ADC(('adc0', -1))", "ValueError: invalid ADC channel"),
        ("ADC(3)", "ValueError: ADC id must be a name or a (controller, channel) tuple"),
        ("ADC('pot', 1)", "TypeError: function takes 1 positional arguments but 2 were given"),
    ] {
        assert_eq!(run(&mut vm, src).unwrap_err(), want, "{src}");
    }
}

// machine.Pin, built only with the machine module.
#[cfg(feature = "machine")]
#[test]
fn pin_on_off_toggle_drive_the_hal_pin() {
    let (mut vm, seen) = new_vm(64 * 1024);
    run(&mut vm, "import machine\nled = machine.Pin('led0')\nled.on()\nprint(led.value())").unwrap();
    run(&mut vm, "led.off()\nprint(led.value())").unwrap();
    run(&mut vm, "led.toggle()\nprint(led.value())\nprint(led)").unwrap();
    assert_eq!(String::from_utf8_lossy(&seen.borrow().out), "1\n0\n1\nPin('led0')\n");
    let p = pin(&seen, "led0");
    assert_eq!(p.mode, Some(PinMode::Out), "the first write configures an output");
    // A second object for the same line keeps its configuration.
    run(&mut vm, "print(machine.Pin('led0').value())").unwrap();
    assert_eq!(pin(&seen, "led0").mode, Some(PinMode::Out));
    assert!(String::from_utf8_lossy(&seen.borrow().out).ends_with("Pin('led0')\n1\n"));
}

// machine.Pin, built only with the machine module.
#[cfg(feature = "machine")]
#[test]
fn pin_by_controller_and_number_with_mode() {
    let (mut vm, seen) = new_vm(64 * 1024);
    run(&mut vm, "from machine import Pin\np = Pin(('gpio0', 13), Pin.OUT)\np.value(1)\nprint(p.value())").unwrap();
    assert_eq!(pin(&seen, "gpio0:13").mode, Some(PinMode::Out));
    run(&mut vm, "p.init(Pin.IN)\nprint(p.value())").unwrap();
    assert_eq!(pin(&seen, "gpio0:13").mode, Some(PinMode::In));
    assert_eq!(String::from_utf8_lossy(&seen.borrow().out), "1\n1\n");
}

// machine.Pin, built only with the machine module.
#[cfg(feature = "machine")]
#[test]
fn unknown_pin_is_a_value_error_naming_it() {
    let (mut vm, _) = new_vm(64 * 1024);
    let e = run(&mut vm, "import machine\nmachine.Pin('led9')").unwrap_err();
    assert_eq!(e, "ValueError: pin 'led9' isn't in the devicetree; there is: led0");
    let e = run(&mut vm, "machine.Pin(('gpio7', 1))").unwrap_err();
    assert_eq!(e, "ValueError: pin ('gpio7', 1) isn't in the devicetree");
    assert_eq!(run(&mut vm, "machine.Pin(5)").unwrap_err(), "ValueError: pin id must be a name or a (controller, pin) tuple");
    // Drive strength: the default is always there; this port has no high drive.
    run(&mut vm, "p = machine.Pin('led0', machine.Pin.OUT, drive=machine.Pin.DRIVE_0)\np.init(drive=machine.Pin.DRIVE_0)").unwrap();
    assert_eq!(run(&mut vm, "p.init(drive=machine.Pin.DRIVE_1)").unwrap_err(), "ValueError: pin 'led0' can't be configured that way");
    assert_eq!(run(&mut vm, "machine.Pin('led0', drive=7)").unwrap_err(), "ValueError: invalid drive");
}

#[test]
fn vm_keeps_working_after_memory_error() {
    let (mut vm, seen) = new_vm(16 * 1024);
    let e = run(&mut vm, "l = []\nwhile True:\n    l.append('abc' + str(len(l)))").unwrap_err();
    assert_eq!(e, "MemoryError: memory allocation failed");
    // The list still holds the heap; drop it and everything works again:
    // a list of a quarter of the heap fits.
    run(&mut vm, "l = None").unwrap();
    vm.collect();
    run(&mut vm, "x = [0] * 1000\nprint(len(x), [1, 2] + [3])").unwrap();
    assert_eq!(String::from_utf8_lossy(&seen.borrow().out), "1000 [1, 2, 3]\n");
}

/// A builtin that has taken items from an iterator when memory runs out
/// collects and carries on, or raises MemoryError: the call is never rerun
/// on the rest of the items. (nqueens' permutations came out empty and
/// tuple() of a generator short, whenever a collection fell inside them.)
#[test]
#[cfg(all(feature = "set", feature = "builtins-extra"))]
fn memory_pressure_never_loses_iterator_items() {
    let nqueens = "def permutations(iterable, r=None):\n    pool = tuple(iterable)\n    n = len(pool)\n    if r is None:\n        r = n\n    indices = list(range(n))\n    cycles = list(range(n - r + 1, n + 1))[::-1]\n    yield tuple(pool[i] for i in indices[:r])\n    while n:\n        for i in reversed(range(r)):\n            cycles[i] -= 1\n            if cycles[i] == 0:\n                indices[i:] = indices[i + 1 :] + indices[i : i + 1]\n                cycles[i] = n - i\n            else:\n                j = cycles[i]\n                indices[i], indices[-j] = indices[-j], indices[i]\n                yield tuple(pool[i] for i in indices[:r])\n                break\n        else:\n            return\ndef n_queens(queen_count):\n    cols = range(queen_count)\n    for vec in permutations(cols):\n        if queen_count == len(set(vec[i] + i for i in cols)) == len(set(vec[i] - i for i in cols)):\n            yield vec\nprint(len(list(n_queens(7))))";
    for heap in [64 * 1024, 128 * 1024, 256 * 1024, 512 * 1024] {
        let (mut vm, seen) = new_vm(heap);
        assert_eq!(run(&mut vm, nqueens), Ok(()), "heap {heap}");
        assert_eq!(String::from_utf8_lossy(&seen.borrow().out), "40\n", "heap {heap}");
    }
    // Across heap sizes each program either gives every item or raises
    // MemoryError; never a short or wrong result.
    let programs = [
        "t = tuple(str(i) * 3 for i in range(400))\nassert len(t) == 400 and all(t[i] == str(i) * 3 for i in range(400))",
        "d = {i: str(i) for i in range(200)}\nassert sorted(k for k, v in d.items() if v == str(k)) == list(range(200))",
        "assert [i for i, s in enumerate(str(j) for j in range(300)) if s != str(i)] == []",
        "assert list(zip(range(300), (str(k) for k in range(300)))) == [(k, str(k)) for k in range(300)]",
        "a, *b, c = (str(k) for k in range(300))\nassert a == '0' and c == '299' and b == [str(k) for k in range(1, 299)]",
    ];
    for src in programs {
        let mut fitted = false;
        for kb in (8..=96).step_by(4) {
            let (mut vm, _) = new_vm(kb * 1024);
            match run(&mut vm, src) {
                Ok(()) => fitted = true,
                Err(e) => assert!(e.starts_with("MemoryError"), "{kb} KB: {e}\n{src}"),
            }
        }
        assert!(fitted, "{src}");
    }
}

#[test]
fn memory_error_even_for_one_huge_allocation() {
    let (mut vm, seen) = new_vm(16 * 1024);
    assert_eq!(run(&mut vm, "x = 'a' * 100000").unwrap_err(), "MemoryError: memory allocation failed");
    assert_eq!(run(&mut vm, "x = [0] * 100000").unwrap_err(), "MemoryError: memory allocation failed");
    run(&mut vm, "print('ok')").unwrap();
    assert_eq!(String::from_utf8_lossy(&seen.borrow().out), "ok\n");
}

/// Runs `src`, pressing Ctrl-C (the VM's interrupt flag) after `ms`
/// milliseconds from another thread; the error it ends with.
fn run_interrupted_after(vm: &mut Vm, ms: u64, src: &str) -> String {
    let flag = vm.interrupt_flag();
    let t = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(ms));
        flag.store(true, Ordering::Relaxed);
    });
    let e = run(vm, src).unwrap_err();
    t.join().unwrap();
    e
}

#[test]
fn ctrl_c_interrupts_an_endless_loop() {
    let (mut vm, _) = new_vm(16 * 1024);
    let e = run_interrupted_after(&mut vm, 100, "while True:\n    pass");
    assert_eq!(e, "KeyboardInterrupt: ");
    run(&mut vm, "x = 1").unwrap();
}

/// Ctrl-C while the heap is full of live objects still raises
/// KeyboardInterrupt (MicroPython keeps one ready), neither a MemoryError nor
/// nothing at all.
#[test]
fn ctrl_c_interrupts_a_loop_whose_heap_is_full() {
    let (mut vm, _) = new_vm(16 * 1024);
    let src = "a = []\ntry:\n    while True:\n        a.append([0, 0])\nexcept MemoryError:\n    pass\nwhile True:\n    pass";
    let e = run_interrupted_after(&mut vm, 300, src);
    assert_eq!(e, "KeyboardInterrupt: ");
    run(&mut vm, "a = None\nx = [1] * 10").unwrap();
}

#[test]
fn deep_source_nesting_is_a_syntax_error_not_a_crash() {
    let (mut vm, _) = new_vm(64 * 1024);
    let src = format!("x = {}1{}", "(".repeat(1000), ")".repeat(1000));
    assert_eq!(run(&mut vm, &src).unwrap_err(), "SyntaxError: too deeply nested");
    // Long operator chains are not nesting: they compile without recursion.
    let chain = format!("x = 0{}\nprint(x)", " + 1".repeat(5000));
    run(&mut vm, &chain).unwrap();
    let deep_and = format!("x = 1{}", " and 1".repeat(5000));
    assert_eq!(run(&mut vm, &deep_and).unwrap_err(), "SyntaxError: too deeply nested");
}

#[test]
fn deep_python_recursion_is_a_runtime_error() {
    let (mut vm, _) = new_vm(64 * 1024);
    let e = run(&mut vm, "def f(n):\n    return f(n + 1)\nf(0)").unwrap_err();
    assert_eq!(e, "RuntimeError: maximum recursion depth exceeded");
    run(&mut vm, "def g(n):\n    return 0 if n == 0 else 1 + g(n - 1)\nprint(g(150))").unwrap();
}

#[test]
fn every_prefix_of_every_test_program_compiles_or_raises() {
    // Truncated source must give a Python error (or code), never a panic.
    let (mut vm, _) = new_vm(256 * 1024);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests");
    let mut checked = 0;
    for dir in std::fs::read_dir(&root).unwrap().flatten() {
        for file in std::fs::read_dir(dir.path()).unwrap().flatten() {
            if file.path().extension().is_none_or(|e| e != "py") {
                continue;
            }
            let src = std::fs::read(file.path()).unwrap();
            for end in 0..=src.len() {
                let _ = vm.compile(&src[..end], "<prefix>", Mode::File);
                checked += 1;
                if end % 64 == 0 {
                    vm.collect();
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} prefixes");
}

#[test]
fn mutated_source_compiles_or_raises() {
    // Deterministic xorshift: the same mutations every run.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut vm, _) = new_vm(256 * 1024);
    // Interrupts a run whose generation number has not moved for 20 ms.
    let generation: &'static std::sync::atomic::AtomicUsize = Box::leak(Box::new(std::sync::atomic::AtomicUsize::new(0)));
    let done: &'static AtomicBool = Box::leak(Box::new(AtomicBool::new(false)));
    let flag = vm.interrupt_flag();
    let watchdog = std::thread::spawn(move || {
        let mut seen = usize::MAX;
        while !done.load(Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_millis(20));
            let g = generation.load(Ordering::SeqCst);
            if g == seen && g % 2 == 1 {
                flag.store(true, Ordering::SeqCst);
            }
            seen = g;
        }
    });
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/basics");
    let alphabet = b"()[]{}:,.=+-*/%<>!'\"\\\n\t #0123456789abcdefxyz_\xc3\xa9\xff\x00";
    for file in std::fs::read_dir(&root).unwrap().flatten() {
        if file.path().extension().is_none_or(|e| e != "py") {
            continue;
        }
        let src = std::fs::read(file.path()).unwrap();
        for round in 0..1000 {
            let mut m = src.clone();
            for _ in 0..1 + next() % 4 {
                let at = (next() as usize) % m.len().max(1);
                let b = alphabet[(next() as usize) % alphabet.len()];
                match next() % 3 {
                    0 => m[at] = b,
                    1 => m.insert(at, b),
                    _ => {
                        m.remove(at);
                    }
                }
            }
            // Whatever still compiles runs too; the watchdog stops endless loops.
            let gen = generation.fetch_add(1, Ordering::SeqCst) + 1;
            let _ = vm.exec(&m, "<mutated>", Mode::File);
            generation.store(gen + 1, Ordering::SeqCst);
            vm.interrupt_flag().store(false, Ordering::SeqCst);
            if round % 50 == 0 {
                vm.collect();
            }
        }
    }
    done.store(true, Ordering::SeqCst);
    watchdog.join().unwrap();
}

/// Each optional part is there exactly when its feature is on: with it, the
/// module imports and works; without it, the import fails as MicroPython's
/// does for a module it was built without (run by `.ci/run` both ways).
#[test]
fn optional_parts_follow_their_features() {
    let (mut vm, _) = new_vm(64 * 1024);
    let parts: &[(bool, &str)] = &[
        (cfg!(feature = "struct"), "import struct\nassert struct.pack('<H', 258) == b'\\x02\\x01'"),
        (cfg!(feature = "array"), "import array\nassert sum(array.array('h', [1, -2, 3])) == 2"),
        (cfg!(feature = "collections"), "import collections\nassert collections.deque((1, 2)).pop() == 2"),
        (cfg!(feature = "io"), "import io\nassert io.StringIO('a\\nb').readline() == 'a\\n'"),
        (cfg!(feature = "math"), "import math\nassert math.floor(-1 / 2) == -1"),
        (cfg!(feature = "math-special"), "from math import lgamma"),
        (cfg!(feature = "heapq"), "import heapq\nh = [3, 1, 2]\nheapq.heapify(h)\nassert heapq.heappop(h) == 1"),
        (cfg!(feature = "random"), "import random\nassert 0 <= random.randrange(5) < 5"),
        (cfg!(feature = "binascii"), "import binascii\nassert binascii.crc32(b'123456789') == 0xcbf43926"),
        (cfg!(feature = "errno"), "import errno\nassert errno.errorcode[errno.ENOENT] == 'ENOENT'"),
        (cfg!(feature = "re"), "import re\nassert re.match('(a+)b', 'aab').group(1) == 'aa'"),
        // MicroPython's minimal ROM level leaves these two modules out too.
        (cfg!(feature = "core-features"), "import micropython\nassert micropython.const(3) == 3 and not micropython.heap_locked()"),
        (cfg!(feature = "core-features"), "import gc\ngc.collect()\nassert gc.mem_free() > 0 and gc.isenabled()"),
        (cfg!(feature = "mem-info"), "from micropython import mem_info, qstr_info"),
        (cfg!(feature = "ringio"), "from micropython import RingIO\nassert RingIO(4).write(b'abcdef') == 4"),
        (cfg!(feature = "hashlib"), "import hashlib\nassert hashlib.sha256(b'abc').digest()[1] == 0x78"),
        (cfg!(feature = "cmath"), "import cmath\nassert cmath.sqrt(-4).imag == 2"),
        (cfg!(feature = "json"), "import json\nassert json.loads(json.dumps([1, {'a': None}])) == [1, {'a': None}]"),
    ];
    for &(on, src) in parts {
        let r = run(&mut vm, src);
        if on {
            assert_eq!(r, Ok(()), "{src}");
        } else {
            let e = r.unwrap_err();
            assert!(e.starts_with("ImportError: "), "{src}: {e}");
        }
    }
    let r = run(&mut vm, "assert (1 + 2j) * 1j == -2 + 1j");
    if cfg!(feature = "complex") {
        assert_eq!(r, Ok(()));
    } else {
        assert!(r.unwrap_err().starts_with("SyntaxError"));
        assert!(run(&mut vm, "complex(1, 2)").unwrap_err().starts_with("NameError"));
    }
    // Language parts: without them their syntax or builtin is simply absent.
    let r = run(&mut vm, "async def f():\n    return await g()\nasync def g():\n    return 7\ntry:\n    f().send(None)\nexcept StopIteration as e:\n    assert e.value == 7");
    if cfg!(feature = "async") {
        assert_eq!(r, Ok(()));
    } else {
        assert!(r.unwrap_err().starts_with("SyntaxError"));
    }
    let r = run(&mut vm, "class D:\n    def __get__(self, obj, cls):\n        return 5\nclass C:\n    d = D()\nassert C().d == 5");
    if cfg!(feature = "descriptors") {
        assert_eq!(r, Ok(()));
    } else {
        assert_eq!(r.unwrap_err(), "AssertionError: ");
    }
    for (on, src, absent) in [
        (cfg!(feature = "time"), "import time\nassert time.ticks_diff(time.ticks_add(5, 3), 5) == 3", "ImportError: "),
        (cfg!(feature = "time"), "import time\nassert time.time() >= 0 and time.time_ns() >= 0", "ImportError: "),
        (cfg!(feature = "machine"), "from machine import Pin", "ImportError: "),
        (cfg!(feature = "machine-i2c"), "from machine import I2C", "ImportError: "),
        (cfg!(feature = "machine-adc"), "from machine import ADC", "ImportError: "),
        (cfg!(feature = "machine-uart"), "from machine import UART", "ImportError: "),
        (cfg!(feature = "machine-timer"), "from machine import Timer", "ImportError: "),
        (cfg!(feature = "machine-rtc"), "from machine import RTC", "ImportError: "),
        (cfg!(feature = "machine-pwm"), "from machine import PWM", "ImportError: "),
        (cfg!(feature = "machine-pin-extras"), "from machine import Signal", "ImportError: "),
        (cfg!(feature = "set"), "assert {1, 2} | {3} == {1, 2, 3} and {x % 2 for x in range(4)} == frozenset((0, 1))", "SyntaxError"),
        (cfg!(feature = "set"), "assert set('aab') == {'a', 'b'}", "SyntaxError"),
        (cfg!(feature = "set"), "s = set", "NameError: name 'set' isn't defined"),
        (cfg!(feature = "slice"), "l = [1, 2, 3, 4]\nl[1:3] = 'x'\ndel l[::2]\nassert l == ['x'] and 'abcd'[::-2] == 'db'", "SyntaxError"),
        (cfg!(feature = "slice"), "assert [1, 2][:] == [1, 2]", "SyntaxError"),
        (cfg!(feature = "slice"), "assert slice(1, 2).stop == 2", "NameError: name 'slice' isn't defined"),
        (
            cfg!(feature = "builtins-extra"),
            "assert list(enumerate('ab')) == [(0, 'a'), (1, 'b')]",
            "NameError: name 'enumerate' isn't defined",
        ),
        (cfg!(feature = "builtins-extra"), "assert max(3, 9, 4) == 9 and min([5, 2]) == 2", "NameError: name 'max' isn't defined"),
        (
            cfg!(feature = "builtins-extra"),
            "assert list(filter(None, reversed([0, 1, 2]))) == [2, 1]",
            "NameError: name 'filter' isn't defined",
        ),
        (
            cfg!(feature = "str-extra"),
            "assert 'a=b'.partition('=') == ('a', '=', 'b') and 'ab'.center(4) == ' ab '",
            "AttributeError: 'str' object has no attribute 'partition'",
        ),
        (cfg!(feature = "str-extra"), "assert b'\\x01\\xff'.hex() == '01ff'", "AttributeError: 'bytes' object has no attribute 'hex'"),
        (cfg!(feature = "fstrings"), "x = 6\nassert f'{x * 7:>4}|{x!r}' == '  42|6'", "SyntaxError"),
        (cfg!(feature = "longint"), "assert str(2 ** 64) == '18446744073709551616'", "OverflowError: result overflows long long storage"),
        (cfg!(feature = "longint"), "assert str(int('1' * 20)) == '1' * 20", "OverflowError: result overflows long long storage"),
        (cfg!(feature = "longint"), "x = 99999999999999999999", "SyntaxError: invalid syntax for number"),
        (cfg!(feature = "float"), "x = 1.5", "SyntaxError: decimal numbers not supported"),
        // MicroPython's minimal ROM level leaves these out too.
        (cfg!(feature = "core-features"), "class C:\n    @property\n    def x(self):\n        return 5\nassert C().x == 5", "NameError"),
        (cfg!(feature = "core-features"), "assert pow(3, 4, 5) == 1", "NotImplementedError"),
        (cfg!(feature = "core-features"), "assert round(1250, -2) == 1200 and round(7, 2) == 7", "NotImplementedError"),
        (
            cfg!(feature = "core-features"),
            "assert (255).bit_length() == 8 and ((2 ** 62 - 1) * 2 + 1).bit_length() == 63 and (-(2 ** 62) * 2).bit_length() == 64",
            "AttributeError",
        ),
        (cfg!(feature = "core-features"), "assert '\\u00e9'.encode() == b'\\xc3\\xa9' and b'ab'.decode() == 'ab'", "AttributeError"),
        (cfg!(feature = "core-features"), "b = bytearray(b'abc')\nassert b.pop() == 99 and b == bytearray(b'ab')", "AttributeError"),
        (cfg!(feature = "core-features"), "import sys\nsys.stdout.write('')", "AttributeError"),
        (cfg!(feature = "core-features"), "import sys\nassert sys.atexit(None) is None", "AttributeError"),
        (cfg!(feature = "core-features"), "import sys\nassert sys.maxsize > 2 ** 30", "AttributeError"),
        (cfg!(feature = "core-features"), "assert NotImplemented is not None", "NameError"),
        // Special methods of instances past comparisons, + and - (with +=
        // and -=), and reflected ones (MicroPython's
        // MICROPY_PY_ALL_SPECIAL_METHODS, _REVERSE_SPECIAL_METHODS).
        (cfg!(feature = "core-features"), "class C:\n    def __mul__(s, o):\n        return 5\nassert C() * 2 == 5", "TypeError"),
        (cfg!(feature = "core-features"), "class C:\n    def __radd__(s, o):\n        return 5\nassert 1 + C() == 5", "TypeError"),
        (cfg!(feature = "core-features"), "class C:\n    def __neg__(s):\n        return 5\nassert -C() == 5", "TypeError"),
        (
            cfg!(feature = "core-features"),
            "class C:\n    def __imul__(s, o):\n        return 5\nc = C()\nc *= 2\nassert c == 5",
            "TypeError",
        ),
        // Functions' and ranges' attributes, equal ranges, builtin modules'
        // and types' __dict__ and types' __bases__ (MICROPY_PY_FUNCTION_ATTRS,
        // _BUILTINS_RANGE_ATTRS, _RANGE_BINOP, MICROPY_CPYTHON_COMPAT).
        (cfg!(feature = "core-features"), "def f():\n    pass\nassert f.__name__ == 'f'", "AttributeError"),
        (cfg!(feature = "core-features"), "assert range(1, 5).stop == 5", "AttributeError"),
        (cfg!(feature = "core-features"), "assert range(3) == range(3)", "AssertionError"),
        (cfg!(feature = "core-features"), "import sys\nassert 'exit' in sys.__dict__", "AttributeError"),
        (cfg!(feature = "core-features"), "assert int.__bases__ == (object,)", "AttributeError"),
        // A class's own __setattr__ and __delattr__, and object's
        // (MICROPY_PY_DELATTR_SETATTR).
        (
            cfg!(feature = "core-features"),
            "class A:\n    def __setattr__(s, n, v):\n        object.__setattr__(s, n, v * 2)\na = A()\na.x = 1\nassert a.x == 2",
            "AssertionError",
        ),
        (cfg!(feature = "core-features"), "class A:\n    pass\na = A()\nobject.__setattr__(a, 'x', 1)", "AttributeError"),
        // str.format's `{0.attr}` and `{0[key]}` (CPython's; MicroPython has
        // neither).
        (cfg!(feature = "core-features"), "class A:\n    x = 5\nassert '{0.x}{1[1]}'.format(A(), [0, 7]) == '57'", "NotImplementedError"),
        (cfg!(feature = "core-features"), "n = [3, 2, 1, 0]\nassert list(iter(n.pop, 1)) == [0]", "TypeError"),
        (cfg!(feature = "core-features"), "d = {1: 2} | {3: 4}\nd |= {5: 6}\nassert d == {1: 2, 3: 4, 5: 6}", "TypeError"),
        // print's `file` comes with streams (MicroPython's MICROPY_PY_IO and
        // _SYS_STDFILES).
        (
            cfg!(any(feature = "core-features", feature = "io", feature = "os")),
            "class W:\n    t = ''\n    def write(self, s):\n        W.t += s\nprint(1, 2, file=W())\nassert W.t == '1 2\\n'",
            "TypeError",
        ),
        (cfg!(feature = "core-features"), "class A:\n    pass\na = A()\na.x = 1\ndelattr(a, 'x')\nassert not hasattr(a, 'x')", "NameError"),
        // Without constants computed by the compiler `const` is a call and
        // `_A` a global; a tuple display makes a new tuple each time.
        (
            cfg!(feature = "compile-constants"),
            "from micropython import const\n_A = const(3 * 4)\nassert _A == 12 and '_A' not in globals()",
            if cfg!(feature = "core-features") { "AssertionError" } else { "ImportError" },
        ),
        (cfg!(feature = "compile-constants"), "def f():\n    return (1, 2)\nassert f() is f()", "AssertionError"),
        (cfg!(feature = "float"), "assert 7 / 2 == float('3.5') and '%.1f' % 2 == '2.0'", "TypeError: unsupported types for __truediv__"),
        (cfg!(feature = "float"), "float", "NameError: name 'float' isn't defined"),
        (cfg!(feature = "float"), "assert '{:e}'.format(5) == '5.000000e+00'", "ValueError"),
    ] {
        let r = run(&mut vm, src);
        if on {
            assert_eq!(r, Ok(()), "{src}");
        } else {
            let e = r.unwrap_err();
            assert!(e.starts_with(absent), "{src}: {e}");
        }
    }
    // Single precision: 24-bit fractions, f32's range, the shortest repr
    // that reads back.
    if cfg!(feature = "float") {
        let single = "assert repr(1 / 3) == '0.33333334' and 16777217.0 == 16777216.0 and float('3.5e38') == float('inf')\nassert str(123456789.0) == '123456790.0' and 2 ** 0.5 == 1.4142135 and 1e-45 > 0 and 1e-46 == 0";
        let double = "assert repr(1 / 3) == '0.3333333333333333' and 16777217.0 != 16777216.0 and 1e300 * 10 > 1e300";
        let (ok, bad) = if cfg!(feature = "float-single") { (single, double) } else { (double, single) };
        assert_eq!(run(&mut vm, ok), Ok(()), "{ok}");
        assert!(run(&mut vm, bad).is_err(), "{bad}");
    }
    // Grouped digits: ints always (as MicroPython), floats with core-features
    // (CPython's).
    if cfg!(feature = "float") {
        let grouped = if cfg!(feature = "core-features") { "1,234.5" } else { "1234.5" };
        let src = format!("assert '{{:,}}'.format(1234567) == '1,234,567' and '{{:,.1f}}'.format(1234.5) == '{grouped}'");
        assert_eq!(run(&mut vm, &src), Ok(()), "{src}");
    }
    // Unicode strs count characters; without str-unicode a str is its bytes
    // (MicroPython's MICROPY_PY_BUILTINS_STR_UNICODE).
    let text = if cfg!(feature = "str-unicode") {
        "s = 'a\\u00e9\\u263a'\nassert len(s) == 3 and s[1] == '\\u00e9' and s[-1:] == '\\u263a' and list(s)[2] == '\\u263a'\nassert ord(s[1]) == 233 and chr(0x263a) == s[2] and '{:>4}'.format(s) == ' ' + s and s.count('') == 4"
    } else {
        "s = 'a\\u00e9'\nassert len(s) == 3 and ord(s[1]) == 0xc3 and ord(s[2]) == 0xa9 and len(list(s)) == 3\nassert chr(97) == 'a' and len(chr(200)) == 1 and '{:>5}'.format(s) == '  ' + s"
    };
    assert_eq!(run(&mut vm, text), Ok(()), "{text}");
    let r = run(&mut vm, "chr(256)");
    if cfg!(feature = "str-unicode") {
        assert_eq!(r, Ok(()));
    } else {
        assert!(r.unwrap_err().starts_with("ValueError"));
    }
    // Tracebacks name source lines only with them (MicroPython's
    // MICROPY_ENABLE_SOURCE_LINE); files and functions always.
    {
        let (mut vm, seen) = new_vm(64 * 1024);
        let e = vm.exec(b"def f():\n    return 1 // 0\nf()\n", "t.py", Mode::File).unwrap_err();
        let exc = vm.exception_value(e);
        vm.print_exception(exc);
        let expected = if cfg!(feature = "source-lines") {
            "Traceback (most recent call last):\n  File \"t.py\", line 3, in <module>\n  File \"t.py\", line 2, in f\n"
        } else {
            "Traceback (most recent call last):\n  File \"t.py\", in <module>\n  File \"t.py\", in f\n"
        };
        let printed = String::from_utf8_lossy(&seen.borrow().out).into_owned();
        assert!(printed.starts_with(expected) && printed.contains("ZeroDivisionError"), "{printed}");
    }
    // What stays when those are left out: the common methods and builtins.
    assert_eq!(run(&mut vm, "assert 'a,b'.split(',') == ['a', 'b'] and sorted([2, 1]) == [1, 2] and {1: 2}[1] == 2"), Ok(()));
    // bytes share str's methods, not bytearray's own (append, pop, ...).
    let bytes_methods = "assert b'a b'.split() == [b'a', b'b'] and b' a '.strip() == b'a' and b','.join([b'a', b'b']) == b'a,b'\nassert b'ab'.find(b'b') == 1 and not hasattr(b'', 'append') and bytearray(b'a').upper() == b'A'";
    assert_eq!(run(&mut vm, bytes_methods), Ok(()), "{bytes_methods}");
    let ops = "class C:\n    def __init__(s, v):\n        s.v = v\n    def __add__(s, o):\n        return C(s.v + o)\n    def __sub__(s, o):\n        return C(s.v - o)\n    def __lt__(s, o):\n        return s.v < o\n    def __eq__(s, o):\n        return s.v == o\nc = C(1) + 5 - 2\nc += 3\nassert c == 7 and c < 8 and not (c != 7)";
    assert_eq!(run(&mut vm, ops), Ok(()), "{ops}");
    // Ints to 64 bits, floor division and powers need neither float nor
    // arbitrary precision.
    assert_eq!(run(&mut vm, "assert 7 // 2 == 3 and -7 % 3 == 2 and 2 ** 62 // 2 ** 60 == 4"), Ok(()));
    if cfg!(feature = "core-features") {
        assert_eq!(run(&mut vm, "assert round(1234, -2) == 1200 and round(-1250, -2) == -1200"), Ok(()));
    }
    let m = "m = (2 ** 62 - 1) * 2 + 1\nassert str(m) == '9223372036854775807' and -m - 1 == -(2 ** 62) * 2 and (-m - 1) // 3 == -3074457345618258603\nassert m & 0xff == 255 and m >> 60 == 7 and hex(m) == '0x7fffffffffffffff' and hash(m) == hash(m)";
    assert_eq!(run(&mut vm, m), Ok(()));
    let b = "assert m.to_bytes(8, 'little') == b'\\xff' * 7 + b'\\x7f' and (-m - 1).to_bytes(9, 'big', signed=True) == b'\\xff\\x80' + bytes(7)\nassert int.from_bytes(b'\\xff' * 8, 'little', signed=True) == -1 and int.from_bytes(b'\\x00\\x40' + bytes(7), 'big') == 2 ** 62\nassert abs(-m) == m and int('-9223372036854775808') == -m - 1 and bin(-5) == '-0b101' and oct(64) == '0o100'\nassert (255).to_bytes(1, 'big') == b'\\xff' and (-1).to_bytes(1, 'big', signed=True) == b'\\xff' and int.from_bytes(b'\\x01\\x00', 'big') == 256";
    assert_eq!(run(&mut vm, b), Ok(()), "{b}");
    for (src, over) in [
        ("(128).to_bytes(1, 'big', signed=True)", "OverflowError"),
        ("(256).to_bytes(1, 'big')", "OverflowError"),
        ("int.from_bytes(b'\\x80' + bytes(7), 'big')", if cfg!(feature = "longint") { "" } else { "OverflowError" }),
    ] {
        let r = run(&mut vm, src);
        if over.is_empty() {
            assert_eq!(r, Ok(()), "{src}");
        } else {
            assert!(r.as_ref().unwrap_err().starts_with(over), "{src}: {r:?}");
        }
    }
    let p = "assert pow(3, 200, 1000003) == 333986 and pow(-2, 3, 5) == 2 and pow(2, 3, -5) == -2 and pow(5, 0, 1) == 0\nassert pow(m, m, m - 2) == 2620771182203436563 and pow(-7, 3, -(2 ** 62) * 2) == -343";
    if cfg!(feature = "core-features") {
        assert_eq!(run(&mut vm, p), Ok(()));
    }
    let r = run(&mut vm, "help(1)");
    if cfg!(feature = "help") {
        assert_eq!(r, Ok(()));
    } else {
        assert_eq!(r.unwrap_err(), "NameError: name 'help' isn't defined");
    }
}

/// A port that knows where its thread's stack ends, as the Zephyr port does.
struct FloorPort {
    floor: usize,
    out: Rc<RefCell<Vec<u8>>>,
}

impl Port for FloorPort {
    fn stdout(&mut self, b: &[u8]) {
        self.out.borrow_mut().extend_from_slice(b);
    }
    fn ticks_us(&mut self) -> u64 {
        0
    }
    fn sleep_us(&mut self, _us: u64) {}
    fn platform(&self) -> &'static str {
        "test"
    }
    fn stack_floor(&mut self) -> Option<usize> {
        Some(self.floor)
    }
}

/// On a thread with a small stack, and with the depth counters set far too
/// high for it, the measured stack floor still turns native recursion
/// (nested containers, nested calls from native code, deeply nested source)
/// into Python exceptions instead of a stack overflow.
#[test]
fn stack_floor_stops_native_recursion_on_a_small_thread() {
    const STACK: usize = 192 * 1024;
    let results = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(|| {
            let marker = 0u8;
            let top = std::hint::black_box(&marker) as *const u8 as usize;
            // The thread's stack ends STACK bytes below its start; leave a
            // margin for what ran before this point.
            let floor = top - STACK + 16 * 1024;
            let out = Rc::new(RefCell::new(Vec::new()));
            let port = FloorPort { floor, out };
            let region = Box::leak(vec![0u8; 4 << 20].into_boxed_slice());
            let flag = Box::leak(Box::new(AtomicBool::new(false)));
            let limits = Limits { max_call_depth: 100_000, max_nesting: 1_000_000, max_native_depth: 1_000_000, stack_reserve: 24 * 1024 };
            let mut vm = Vm::new(region, Box::new(port), flag, limits).unwrap();
            let programs = [
                "a = []\nfor i in range(20000):\n    a = [a]\nrepr(a)",
                "class R:\n    def __repr__(self):\n        return repr(R())\nrepr(R())",
                "def g(n):\n    if n:\n        yield from g(n - 1)\n    yield n\nlist(g(20000))",
                &format!("x = {}1{}", "(".repeat(100_000), ")".repeat(100_000)),
            ];
            let mut results = Vec::new();
            for p in programs {
                results.push(run(&mut vm, p));
            }
            // The VM works on after each.
            results.push(run(&mut vm, "assert sum(range(10)) == 45"));
            results
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert_eq!(results[0], Err("RuntimeError: maximum recursion depth exceeded".into()));
    assert_eq!(results[1], Err("RuntimeError: maximum recursion depth exceeded".into()));
    assert_eq!(results[2], Err("RuntimeError: maximum recursion depth exceeded".into()));
    assert_eq!(results[3], Err("RuntimeError: maximum recursion depth exceeded".into()));
    assert_eq!(results[4], Ok(()));
}
