//! The one trait a port implements: everything the VM needs from outside.
//! Hardware is reached through `embedded-hal` 1.0 traits, so a port wraps
//! its GPIO driver once and the `machine` classes work unchanged.

use embedded_hal::digital::{ErrorKind, ErrorType, InputPin, StatefulOutputPin};
use embedded_hal::i2c::{I2c, NoAcknowledgeSource};

/// How `machine.Pin` names a pin.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PinId<'a> {
    /// A devicetree alias (`led0`) or the node label of a `gpio-leds` /
    /// `gpio-keys` child.
    Name(&'a [u8]),
    /// A GPIO controller's node label and a pin number on it.
    Port(&'a [u8], u32),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PinMode {
    In,
    Out,
    OpenDrain,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Pull {
    None,
    Up,
    Down,
}

/// Why a pin could not be had or driven.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PinError {
    /// No such pin: not in the devicetree (or the port has no GPIO at all).
    NotFound,
    /// The controller refused the configuration (unsupported flags, busy).
    Config,
    /// A driver call failed.
    Io,
    /// This port has no GPIO at all.
    Unsupported,
}

impl embedded_hal::digital::Error for PinError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Other
    }
}

/// A GPIO line as the VM drives it: any `embedded-hal` 1.0 input and
/// stateful output pin whose error is `PinError`.
pub trait DigitalPin: InputPin + StatefulOutputPin + ErrorType<Error = PinError> {}

impl<T: InputPin + StatefulOutputPin + ErrorType<Error = PinError>> DigitalPin for T {}

/// An errno value (`ENOENT` is 2), for `OSError`.
pub type Errno = i32;
pub const ENOENT: Errno = 2;
pub const EIO: Errno = 5;
pub const EBADF: Errno = 9;
pub const ENODEV: Errno = 19;
pub const EOPNOTSUPP: Errno = 95;

/// Why a bus or other peripheral (`machine.I2C`, `machine.ADC`) could not
/// be had or used.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum DeviceError {
    /// No such device: not in the devicetree.
    NotFound,
    /// This port has no device of that kind at all.
    Unsupported,
    /// The target did not acknowledge.
    Nack,
    /// The driver failed with this errno (Zephyr reports a NACK as `EIO`).
    Errno(Errno),
}

impl embedded_hal::i2c::Error for DeviceError {
    fn kind(&self) -> embedded_hal::i2c::ErrorKind {
        match self {
            DeviceError::Nack => embedded_hal::i2c::ErrorKind::NoAcknowledge(NoAcknowledgeSource::Unknown),
            _ => embedded_hal::i2c::ErrorKind::Other,
        }
    }
}

impl embedded_hal::spi::Error for DeviceError {
    fn kind(&self) -> embedded_hal::spi::ErrorKind {
        embedded_hal::spi::ErrorKind::Other
    }
}

/// What raised an interrupt event.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum EventSource {
    /// A pin's edge (`Pin.irq`); the id is the pin's handle.
    Pin = 0,
    /// A `machine.Timer` expiry; the id is the timer's handle.
    Timer = 1,
    /// Bytes arrived on a `machine.UART` (`UART.irq`); the id is its handle.
    Uart = 2,
}

/// An interrupt handler's report, queued by the port (never Python in an
/// interrupt handler): the VM runs the callback registered for it between
/// instructions, as `micropython.schedule` does.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Irq {
        source: EventSource,
        id: u32,
    },
    /// Native code asked for a call of the object it holds by `handle`
    /// (`Vm::hold`) with the int `arg`.
    Call {
        handle: u32,
        arg: i32,
    },
}

/// A calendar time of the real-time clock (`machine.RTC`).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct DateTime {
    pub year: u16,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
    /// 0 for Monday to 6 for Sunday.
    pub weekday: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub micros: u32,
}

/// `Pin.irq` triggers (bit mask).
pub const IRQ_FALLING: u32 = 1;
pub const IRQ_RISING: u32 = 2;

/// How `machine.ADC` names a channel.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AdcId<'a> {
    /// A name from an `io-channel-names` property (`adc_pot`).
    Name(&'a [u8]),
    /// An ADC controller's node label and a channel (input) number on it.
    Channel(&'a [u8], u32),
}

/// A UART's frame format, from `UART(...)`/`init(...)`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct UartConfig {
    pub baudrate: u32,
    /// Data bits: 5 to 9.
    pub bits: u8,
    /// None, or Some(0) even / Some(1) odd, as MicroPython numbers them.
    pub parity: Option<u8>,
    /// Stop bits: 1 or 2.
    pub stop: u8,
}

impl embedded_io::Error for DeviceError {
    fn kind(&self) -> embedded_io::ErrorKind {
        embedded_io::ErrorKind::Other
    }
}

/// A serial port as the VM drives it: `embedded-io` reads and writes, and
/// whether a read would return at once (the VM times reads itself).
pub trait SerialPort:
    embedded_io::Read + embedded_io::Write + embedded_io::ReadReady + embedded_io::ErrorType<Error = DeviceError>
{
}

impl<T: embedded_io::Read + embedded_io::Write + embedded_io::ReadReady + embedded_io::ErrorType<Error = DeviceError>> SerialPort for T {}

/// An I2C controller as the VM drives it: any `embedded-hal` 1.0 `I2c`
/// (7-bit addresses) whose error is `DeviceError`.
pub trait I2cBus: I2c<Error = DeviceError> {}

impl<T: I2c<Error = DeviceError>> I2cBus for T {}

/// An SPI bus or device as the VM drives it: any `embedded-hal` 1.0
/// `SpiDevice` on bytes, so one transaction (its operations in order) runs
/// with the chip select held, when the port drives one.
pub trait SpiDev: embedded_hal::spi::SpiDevice<u8, Error = DeviceError> {}

impl<T: embedded_hal::spi::SpiDevice<u8, Error = DeviceError>> SpiDev for T {}

/// An SPI bus's clock, mode and framing (`machine.SPI.init`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct SpiConfig {
    /// Clock in Hz.
    pub baudrate: u32,
    /// Clock idle level (CPOL).
    pub polarity: bool,
    /// Sample on the second edge (CPHA).
    pub phase: bool,
    /// Bits per word.
    pub bits: u8,
    /// Least significant bit first.
    pub lsb_first: bool,
}

/// How a file is opened (from `open()`'s mode string).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct OpenMode {
    pub read: bool,
    pub write: bool,
    /// Writes go to the end.
    pub append: bool,
    /// Create the file if it does not exist.
    pub create: bool,
    /// Empty it first.
    pub truncate: bool,
    /// Fail if it exists.
    pub exclusive: bool,
}

/// What `os.stat` and `os.ilistdir` report of a file.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct FileStat {
    pub is_dir: bool,
    pub size: u64,
    /// Seconds since the epoch; 0 when the file system keeps no times.
    pub mtime: i64,
}

/// What `os.statvfs` reports of a file system.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct FsStat {
    pub block_size: u64,
    pub blocks: u64,
    pub blocks_free: u64,
    pub name_max: u64,
}

pub trait Port {
    /// Python's standard output (the console on a device).
    fn stdout(&mut self, bytes: &[u8]);

    /// `sys.stdout.buffer`: the bytes unchanged (a port that turns LF into
    /// CR LF for a terminal must not here: mpremote's protocols are binary).
    fn stdout_raw(&mut self, bytes: &[u8]) {
        self.stdout(bytes)
    }

    /// `sys.stdin.buffer`'s `read(n)` and `readinto`: console bytes as they
    /// come, unechoed and uninterpreted, blocking until `buf` is full or input
    /// ends; the count read. None when the port has no console input.
    fn read_raw(&mut self, _buf: &mut [u8]) -> Option<usize> {
        None
    }

    /// Python's standard error; the console too, unless the port has more.
    fn stderr(&mut self, bytes: &[u8]) {
        self.stdout(bytes)
    }

    /// `micropython.kbd_intr(c)`: the console character that raises
    /// KeyboardInterrupt from now on (-1: none). Ports that see Ctrl-C by
    /// other means may ignore it.
    fn set_interrupt_char(&mut self, _c: i32) {}

    /// A seed from a hardware or OS random source, for `random`; None when
    /// the board has none (then, as MicroPython, a fixed seed is used).
    fn random_seed(&mut self) -> Option<u32> {
        None
    }

    /// Random bytes from a hardware or OS source, for `os.urandom`.
    fn random_bytes(&mut self, _buf: &mut [u8]) -> Result<(), Errno> {
        Err(ENODEV)
    }

    /// Whether console input is waiting to be read, for `select.poll`;
    /// None when the port cannot tell (a read may then block).
    fn input_ready(&mut self) -> Option<bool> {
        None
    }

    /// The contents of a file, for `import` (None: no such file, or no
    /// file system).
    fn read_file(&mut self, _path: &[u8]) -> Option<alloc::vec::Vec<u8>> {
        None
    }

    /// A monotonic microsecond clock.
    fn ticks_us(&mut self) -> u64;

    /// Wall-clock time in nanoseconds since 1970-01-01 UTC. Boards without a
    /// real-time clock count from boot, as if booted at the epoch.
    fn time_ns(&mut self) -> i64 {
        self.ticks_us() as i64 * 1000
    }

    /// One line from the console for `input()` and `sys.stdin`, without its
    /// newline: `Some(true)` with the line in `line`, `Some(false)` at end of
    /// input, `None` if this port has no console input.
    fn read_line(&mut self, _line: &mut alloc::vec::Vec<u8>) -> Option<bool> {
        None
    }

    /// Called before `input()` prints its prompt, so a port that must
    /// route console bytes to Python first loses none typed right after.
    fn prepare_read(&mut self) {}

    /// Sleeps; may return early once an interrupt (Ctrl-C) is pending.
    fn sleep_us(&mut self, us: u64);

    /// Called regularly while Python code runs (loop back edges and calls):
    /// a port on an RTOS yields here so other threads, such as the one that
    /// reads Ctrl-C, get the CPU.
    fn poll(&mut self) {}

    /// The lowest address of the calling thread's native stack, if the port
    /// knows it: the VM then raises RuntimeError before its recursion (and
    /// the parser's) comes within `Limits::stack_reserve` of it.
    fn stack_floor(&mut self) -> Option<usize> {
        None
    }

    /// A short name of the platform, for the banner and `sys.platform`.
    fn platform(&self) -> &'static str;

    /// The application's frozen modules, a blob `pyrite-cross freeze` made
    /// (see `frozen::app`); empty for none.
    fn frozen_modules(&self) -> &'static [u8] {
        &[]
    }

    /// The native modules and types the port links in (see `foreign`).
    #[cfg(feature = "foreign")]
    fn foreign(&self) -> Option<&'static dyn crate::foreign::Foreign> {
        None
    }

    /// The next queued interrupt event. The port sets the VM's event flag
    /// (`Vm::set_event_flag`) when it queues one.
    fn take_event(&mut self) -> Option<Event> {
        None
    }

    /// The board's hardware, for `machine`; None on a port without any.
    /// Apart from the rest so that a build without `machine` links none of
    /// it (every method of a trait object is in its vtable).
    fn machine(&mut self) -> Option<&mut dyn Machine> {
        None
    }

    /// The file system, for `open()`, `os` and `vfs`; None on a port
    /// without one. Apart for the same reason as [`Port::machine`].
    fn fs(&mut self) -> Option<&mut dyn FileSystem> {
        None
    }
}

/// The board's hardware, for `machine` ([`Port::machine`]): pins, buses and
/// the chip. The defaults are a board without the part in question.
pub trait Machine {
    /// Waits `us` microseconds without giving up the CPU: the bit timing of
    /// `SoftI2C` and `SoftSPI`. By default it returns at once (the buses run
    /// as fast as the pins switch), for ports with no such clock.
    fn delay_us(&mut self, _us: u32) {}

    /// Claims a pin and configures it if `mode` is given (else it stays as it
    /// is until first used); returns a handle for [`Machine::pin`].
    fn pin_open(&mut self, _id: PinId<'_>, _mode: Option<PinMode>, _pull: Pull) -> Result<u32, PinError> {
        Err(PinError::Unsupported)
    }

    /// Sets an opened pin's drive strength: 0 the default, 1 the port's high
    /// drive. A port without one refuses 1.
    fn pin_drive(&mut self, _handle: u32, strength: u8) -> Result<(), PinError> {
        if strength == 0 {
            Ok(())
        } else {
            Err(PinError::Config)
        }
    }

    /// Calls `each` with every name [`Machine::pin_open`] accepts as
    /// [`PinId::Name`], for the message of an unknown one.
    fn pin_names(&mut self, _each: &mut dyn FnMut(&[u8])) {}

    /// Reconfigures an opened pin.
    fn pin_configure(&mut self, _handle: u32, _mode: PinMode, _pull: Pull) -> Result<(), PinError> {
        Err(PinError::Unsupported)
    }

    /// How an opened pin is configured now (another `Pin` object for the
    /// same line may have configured it), or `None` if it never was.
    fn pin_mode(&mut self, _handle: u32) -> Option<PinMode> {
        None
    }

    fn pin(&mut self, _handle: u32) -> Option<&mut dyn DigitalPin> {
        None
    }

    /// Makes an opened pin report the edges in `trigger` (`IRQ_FALLING`,
    /// `IRQ_RISING`; 0 stops it) as [`Event::Irq`]s.
    fn pin_irq(&mut self, _handle: u32, _trigger: u32) -> Result<(), PinError> {
        Err(PinError::Unsupported)
    }

    /// The name of the device `I2C()`, `SPI()` or `UART()` opens when
    /// given none (`class` is the class's name): the board's default.
    fn default_device(&mut self, _class: &[u8]) -> Option<&'static [u8]> {
        None
    }

    /// Claims the I2C controller a devicetree node label or alias names
    /// (`i2c0`, `arduino_i2c`); returns a handle for [`Machine::i2c`].
    fn i2c_open(&mut self, _name: &[u8]) -> Result<u32, DeviceError> {
        Err(DeviceError::Unsupported)
    }

    /// Sets an opened controller's clock, in Hz.
    fn i2c_set_freq(&mut self, _handle: u32, _freq: u32) -> Result<(), DeviceError> {
        Err(DeviceError::Unsupported)
    }

    fn i2c(&mut self, _handle: u32) -> Option<&mut dyn I2cBus> {
        None
    }

    /// Calls `each` with every name [`Machine::i2c_open`] accepts, for the
    /// message of an unknown one.
    fn i2c_names(&mut self, _each: &mut dyn FnMut(&[u8])) {}

    /// Claims the UART a devicetree node label or alias names (`uart1`),
    /// receiving into a buffer from then on; a handle for [`Machine::uart`].
    fn uart_open(&mut self, _name: &[u8]) -> Result<u32, DeviceError> {
        Err(DeviceError::Unsupported)
    }

    /// Sets an opened UART's baud rate and frame format.
    fn uart_configure(&mut self, _handle: u32, _config: UartConfig) -> Result<(), DeviceError> {
        Err(DeviceError::Unsupported)
    }

    fn uart(&mut self, _handle: u32) -> Option<&mut dyn SerialPort> {
        None
    }

    /// Bytes received and not yet read.
    fn uart_any(&mut self, _handle: u32) -> usize {
        0
    }

    /// Whether everything written has left the transmitter.
    fn uart_txdone(&mut self, _handle: u32) -> bool {
        true
    }

    /// Calls `each` with every name [`Machine::uart_open`] accepts.
    fn uart_names(&mut self, _each: &mut dyn FnMut(&[u8])) {}

    /// Makes an opened UART report received bytes as [`Event::Irq`]s from
    /// [`EventSource::Uart`] (`on`), or stop.
    fn uart_irq(&mut self, _handle: u32, _on: bool) -> Result<(), DeviceError> {
        Err(DeviceError::Unsupported)
    }

    /// Resets the chip; returns (the reason it cannot) only if it did not.
    fn reset(&mut self) -> DeviceError {
        DeviceError::Unsupported
    }

    /// Powers the chip off, waking only through a reset. Returns only when
    /// it cannot: why.
    fn poweroff(&mut self) -> DeviceError {
        DeviceError::Unsupported
    }

    /// Why the chip last reset, as `machine.reset_cause()` numbers it.
    fn reset_cause(&mut self) -> Result<u32, DeviceError> {
        Err(DeviceError::Unsupported)
    }

    /// The chip's unique id, into `buf`: its length.
    fn unique_id(&mut self, _buf: &mut [u8]) -> Result<usize, DeviceError> {
        Err(DeviceError::Unsupported)
    }

    /// The CPU clock in Hz (0 if unknown).
    fn cpu_freq(&self) -> u32 {
        0
    }

    /// Masks interrupts: the key to restore them with, or None if this port
    /// cannot.
    fn disable_irq(&mut self) -> Option<u32> {
        None
    }

    fn enable_irq(&mut self, _key: u32) {}

    /// Claims the PWM channel a node label or alias names (a node with a
    /// `pwms` property): its handle and the devicetree's period (ns).
    fn pwm_open(&mut self, _name: &[u8]) -> Result<(u32, u32), DeviceError> {
        Err(DeviceError::Unsupported)
    }

    /// Sets a PWM channel's period and pulse width (ns).
    fn pwm_set(&mut self, _handle: u32, _period_ns: u32, _pulse_ns: u32) -> Result<(), DeviceError> {
        Err(DeviceError::Unsupported)
    }

    /// Calls `each` with every name [`Machine::pwm_open`] accepts.
    fn pwm_names(&mut self, _each: &mut dyn FnMut(&[u8])) {}

    /// Claims the SPI controller, or the device on one, a devicetree node
    /// label or alias names (`spi1`, `bmi160`); returns a handle for
    /// [`Machine::spi`] and the configuration it starts with (a device's comes
    /// from its node).
    fn spi_open(&mut self, _name: &[u8]) -> Result<(u32, SpiConfig), DeviceError> {
        Err(DeviceError::Unsupported)
    }

    /// Sets an opened bus's clock, mode and framing.
    fn spi_configure(&mut self, _handle: u32, _config: &SpiConfig) -> Result<(), DeviceError> {
        Err(DeviceError::Unsupported)
    }

    fn spi(&mut self, _handle: u32) -> Option<&mut dyn SpiDev> {
        None
    }

    /// Calls `each` with every name [`Machine::spi_open`] accepts.
    fn spi_names(&mut self, _each: &mut dyn FnMut(&[u8])) {}

    /// Starts the watchdog (the devicetree's `watchdog0`): the SoC resets
    /// unless [`Machine::wdt_feed`] is called within `timeout_ms`. Once started
    /// it stays started; a later call returns the same handle.
    fn wdt_start(&mut self, _timeout_ms: u32) -> Result<u32, DeviceError> {
        Err(DeviceError::Unsupported)
    }

    fn wdt_feed(&mut self, _handle: u32) -> Result<(), DeviceError> {
        Err(DeviceError::Unsupported)
    }

    /// The real-time clock's time.
    fn rtc_get(&mut self) -> Result<DateTime, DeviceError> {
        Err(DeviceError::Unsupported)
    }

    fn rtc_set(&mut self, _time: &DateTime) -> Result<(), DeviceError> {
        Err(DeviceError::Unsupported)
    }

    /// A new virtual timer, stopped; a handle for the calls below.
    fn timer_open(&mut self) -> Result<u32, DeviceError> {
        Err(DeviceError::Unsupported)
    }

    /// (Re)starts a timer: an [`Event::Irq`] after `period_us`, and every
    /// `period_us` after that if `periodic`.
    fn timer_start(&mut self, _handle: u32, _period_us: u64, _periodic: bool) -> Result<(), DeviceError> {
        Err(DeviceError::Unsupported)
    }

    fn timer_stop(&mut self, _handle: u32) {}

    /// Claims and sets up an ADC channel as the devicetree configures it;
    /// returns a handle for the reads.
    fn adc_open(&mut self, _id: AdcId<'_>) -> Result<u32, DeviceError> {
        Err(DeviceError::Unsupported)
    }

    /// One conversion, scaled to 0-65535.
    fn adc_read_u16(&mut self, _handle: u32) -> Result<u16, DeviceError> {
        Err(DeviceError::Unsupported)
    }

    /// One conversion, in microvolts.
    fn adc_read_uv(&mut self, _handle: u32) -> Result<i32, DeviceError> {
        Err(DeviceError::Unsupported)
    }

    /// Calls `each` with every channel name [`Machine::adc_open`] accepts.
    fn adc_names(&mut self, _each: &mut dyn FnMut(&[u8])) {}
}

/// A file system, for `open()` and `os` ([`Port::fs`]). Paths reach it
/// absolute and normalised (the VM keeps the current directory); handles are
/// its own. The defaults are a board without a file system.
pub trait FileSystem {
    /// The directory `os.getcwd()` starts in.
    fn fs_initial_dir(&mut self) -> alloc::vec::Vec<u8> {
        alloc::vec::Vec::from(&b"/"[..])
    }

    fn fs_open(&mut self, _path: &[u8], _mode: OpenMode) -> Result<u32, Errno> {
        Err(ENODEV)
    }

    /// Reads up to `buf.len()` bytes; 0 at the end of the file.
    fn fs_read(&mut self, _h: u32, _buf: &mut [u8]) -> Result<usize, Errno> {
        Err(EBADF)
    }

    fn fs_write(&mut self, _h: u32, _buf: &[u8]) -> Result<usize, Errno> {
        Err(EBADF)
    }

    /// Moves to `offset` from the start (whence 0), the current position
    /// (1) or the end (2); returns the new position.
    fn fs_seek(&mut self, _h: u32, _offset: i64, _whence: u8) -> Result<u64, Errno> {
        Err(EBADF)
    }

    fn fs_flush(&mut self, _h: u32) -> Result<(), Errno> {
        Ok(())
    }

    /// `os.sync()`: every open file's buffered writes to storage.
    fn fs_sync(&mut self) -> Result<(), Errno> {
        Ok(())
    }

    /// Closes a handle; later use of it is `EBADF`.
    fn fs_close(&mut self, _h: u32) -> Result<(), Errno> {
        Err(EBADF)
    }

    /// Calls `each` with every entry of a directory, `.` and `..` left out.
    fn fs_list(&mut self, _path: &[u8], _each: &mut dyn FnMut(&[u8], FileStat)) -> Result<(), Errno> {
        Err(ENODEV)
    }

    fn fs_stat(&mut self, _path: &[u8]) -> Result<FileStat, Errno> {
        Err(ENODEV)
    }

    fn fs_statvfs(&mut self, _path: &[u8]) -> Result<FsStat, Errno> {
        Err(ENODEV)
    }

    fn fs_mkdir(&mut self, _path: &[u8]) -> Result<(), Errno> {
        Err(ENODEV)
    }

    /// Removes a file (`os.remove`) or an empty directory (`os.rmdir`).
    fn fs_remove(&mut self, _path: &[u8], _dir: bool) -> Result<(), Errno> {
        Err(ENODEV)
    }

    fn fs_rename(&mut self, _from: &[u8], _to: &[u8]) -> Result<(), Errno> {
        Err(ENODEV)
    }
}

/// A board without hardware for `machine`: every part unsupported.
pub(crate) struct NoMachine;

impl Machine for NoMachine {}

/// A board without a file system.
pub(crate) struct NoFileSystem;

impl FileSystem for NoFileSystem {}
