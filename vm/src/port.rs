//! The one trait a port implements: everything the VM needs from outside.
//! Hardware is reached through `embedded-hal` 1.0 traits, so a port wraps
//! its GPIO driver once and the `machine` classes work unchanged.

use embedded_hal::digital::{ErrorKind, ErrorType, InputPin, StatefulOutputPin};

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

pub trait Port {
    /// Python's standard output (the console on a device).
    fn stdout(&mut self, bytes: &[u8]);

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

    /// The contents of a file, for `import` (None: no such file, or no
    /// file system).
    /// Whether console input is waiting to be read, for `select.poll`;
    /// None when the port cannot tell (a read may then block).
    fn input_ready(&mut self) -> Option<bool> {
        None
    }

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

    /// Claims a pin and configures it if `mode` is given (else it stays as it
    /// is until first used); returns a handle for [`Port::pin`].
    fn pin_open(&mut self, _id: PinId<'_>, _mode: Option<PinMode>, _pull: Pull) -> Result<u32, PinError> {
        Err(PinError::Unsupported)
    }

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
}
