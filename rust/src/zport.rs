//! The `Port` over Zephyr: console and clock through the C glue, GPIO lines
//! as `embedded-hal` pins over the devicetree pin table, I2C controllers as
//! `embedded-hal` buses (`crate::i2c`).

use crate::bindings as c;
#[cfg(feature = "machine-i2c")]
use crate::i2c::ZephyrI2c;
#[cfg(feature = "machine-spi")]
use crate::spi::ZephyrSpi;
#[cfg(feature = "machine-uart")]
use crate::uart::ZephyrUart;
#[cfg(any(feature = "machine", feature = "os", feature = "builtins-extra", feature = "core-features"))]
use alloc::vec::Vec;
#[cfg(feature = "machine")]
use embedded_hal::digital::{ErrorType, InputPin, OutputPin, StatefulOutputPin};
#[cfg(feature = "machine-adc")]
use pyrite_vm::port::AdcId;
#[cfg(feature = "machine-rtc")]
use pyrite_vm::port::DateTime;
#[cfg(feature = "machine")]
use pyrite_vm::port::DeviceError;
#[cfg(any(feature = "machine", feature = "os"))]
use pyrite_vm::port::Errno;
#[cfg(any(feature = "machine-pin-extras", feature = "machine-timer", feature = "machine-uart", feature = "foreign"))]
use pyrite_vm::port::Event;
#[cfg(feature = "machine-i2c")]
use pyrite_vm::port::I2cBus;
use pyrite_vm::port::Port;
#[cfg(feature = "machine")]
use pyrite_vm::port::{DigitalPin, Machine, PinError, PinId, PinMode, Pull};
#[cfg(feature = "os")]
use pyrite_vm::port::{FileStat, FileSystem, FsStat, OpenMode};
#[cfg(feature = "machine-uart")]
use pyrite_vm::port::{SerialPort, UartConfig};
#[cfg(feature = "machine-spi")]
use pyrite_vm::port::{SpiConfig, SpiDev};

// Zephyr's errnos the device glue returns (the machine classes' only).
#[cfg(feature = "machine")]
const ENOENT: i32 = 2;
#[cfg(feature = "machine")]
const EIO: i32 = 5;
#[cfg(feature = "machine")]
const ENOMEM: i32 = 12;
#[cfg(feature = "machine")]
const ENODEV: i32 = 19;

/// A device call's glue result: the value, or the `DeviceError` of a
/// negative one.
#[cfg(feature = "machine")]
pub(crate) fn checked(rc: i32) -> Result<u32, DeviceError> {
    match -rc {
        n if n <= 0 => Ok(rc as u32),
        ENOENT => Err(DeviceError::NotFound),
        ENODEV => Err(DeviceError::Unsupported),
        n => Err(DeviceError::Errno(py_errno(n))),
    }
}

/// Zephyr's number for an errno as MicroPython's `errno` module numbers it,
/// where the two differ: Zephyr's libcs number them as newlib does, except
/// on native_sim, which has the host's (Linux) numbers, as MicroPython.
#[cfg(any(feature = "os", feature = "machine"))]
fn py_errno(n: Errno) -> Errno {
    if cfg!(target_os = "linux") {
        return n;
    }
    match n {
        88 | 134 => 95, // ENOSYS, ENOTSUP: EOPNOTSUPP
        116 => 110,     // ETIMEDOUT
        119 => 115,     // EINPROGRESS
        120 => 114,     // EALREADY
        128 => 107,     // ENOTCONN
        _ => n,
    }
}

/// Calls `each` with the names `name(0)` to `name(count - 1)` of a glue
/// table, skipping its unnamed (NULL) entries.
#[cfg(feature = "machine")]
fn each_name(name: unsafe extern "C" fn(i32) -> *const core::ffi::c_char, count: i32, each: &mut dyn FnMut(&[u8])) {
    for i in 0..count {
        // SAFETY: the glue returns NULL or a NUL-terminated string in its
        // static table.
        let n = unsafe { name(i) };
        if !n.is_null() {
            // SAFETY: as above: a valid C string that lives for the program.
            each(unsafe { core::ffi::CStr::from_ptr(n) }.to_bytes());
        }
    }
}

/// A glue result: the value, or the errno of a negative one.
#[cfg(feature = "os")]
fn errno(rc: i32) -> Result<i32, Errno> {
    if rc < 0 {
        Err(py_errno(-rc))
    } else {
        Ok(rc)
    }
}

#[cfg(feature = "machine")]
fn pin_error(rc: i32) -> PinError {
    match -rc {
        ENOENT => PinError::NotFound,
        ENODEV => PinError::Unsupported,
        EIO | ENOMEM => PinError::Io,
        _ => PinError::Config,
    }
}

#[cfg(feature = "machine")]
/// One GPIO line; remembers the level it drives, for `is_set_high`.
pub struct ZephyrPin {
    handle: i32,
    driven_high: bool,
    mode: Option<PinMode>,
}

#[cfg(feature = "machine")]
impl ZephyrPin {
    fn set(&mut self, high: bool) -> Result<(), PinError> {
        // SAFETY: plain C call; the glue validates the handle.
        let rc = unsafe { c::pyrite_gpio_set(self.handle, high as i32) };
        if rc < 0 {
            return Err(pin_error(rc));
        }
        self.driven_high = high;
        Ok(())
    }
}

#[cfg(feature = "machine")]
impl ErrorType for ZephyrPin {
    type Error = PinError;
}

#[cfg(feature = "machine")]
impl OutputPin for ZephyrPin {
    fn set_high(&mut self) -> Result<(), PinError> {
        self.set(true)
    }
    fn set_low(&mut self) -> Result<(), PinError> {
        self.set(false)
    }
}

#[cfg(feature = "machine")]
impl StatefulOutputPin for ZephyrPin {
    fn is_set_high(&mut self) -> Result<bool, PinError> {
        Ok(self.driven_high)
    }
    fn is_set_low(&mut self) -> Result<bool, PinError> {
        Ok(!self.driven_high)
    }
}

#[cfg(feature = "machine")]
impl InputPin for ZephyrPin {
    fn is_high(&mut self) -> Result<bool, PinError> {
        // SAFETY: plain C call; the glue validates the handle.
        let rc = unsafe { c::pyrite_gpio_get(self.handle) };
        if rc < 0 {
            return Err(pin_error(rc));
        }
        Ok(rc != 0)
    }
    fn is_low(&mut self) -> Result<bool, PinError> {
        self.is_high().map(|h| !h)
    }
}

#[derive(Default)]
pub struct ZephyrPort {
    /// Indexed by the glue's handle.
    #[cfg(feature = "machine")]
    pins: Vec<Option<ZephyrPin>>,
    /// The bus `Port::i2c` lends out, pointed at the handle asked for.
    #[cfg(feature = "machine-i2c")]
    i2c: ZephyrI2c,
    /// The UART `Port::uart` lends out, pointed at the handle asked for.
    #[cfg(feature = "machine-uart")]
    uart: ZephyrUart,
    /// The SPI bus or device `Port::spi` lends out, pointed at the handle asked for.
    #[cfg(feature = "machine-spi")]
    spi: ZephyrSpi,
    /// The last line ended with CR: a LF right after it is the same newline.
    #[cfg(any(feature = "builtins-extra", feature = "core-features"))]
    after_cr: bool,
}

/// The port goes with its VM (a soft reset): files Python left open are
/// closed, so what they hold back is written and their slots come free.
#[cfg(feature = "os")]
impl Drop for ZephyrPort {
    fn drop(&mut self) {
        // SAFETY: plain C call, on the Python thread.
        unsafe { c::pyrite_fs_close_all() }
    }
}

pub(crate) fn write(b: &[u8]) {
    // SAFETY: the slice is valid for the call.
    unsafe { c::pyrite_port_write(b.as_ptr(), b.len()) }
}

#[cfg(feature = "machine")]
fn mode_code(m: PinMode) -> i32 {
    match m {
        PinMode::In => c::pyrite_pin_mode_PYRITE_PIN_IN as i32,
        PinMode::Out => c::pyrite_pin_mode_PYRITE_PIN_OUT as i32,
        PinMode::OpenDrain => c::pyrite_pin_mode_PYRITE_PIN_OPEN_DRAIN as i32,
    }
}

#[cfg(feature = "machine")]
fn pull_code(p: Pull) -> i32 {
    match p {
        Pull::None => c::pyrite_pin_pull_PYRITE_PULL_NONE as i32,
        Pull::Up => c::pyrite_pin_pull_PYRITE_PULL_UP as i32,
        Pull::Down => c::pyrite_pin_pull_PYRITE_PULL_DOWN as i32,
    }
}

impl Port for ZephyrPort {
    fn stdout(&mut self, bytes: &[u8]) {
        write(bytes)
    }

    #[cfg(feature = "os")]
    fn stdout_raw(&mut self, bytes: &[u8]) {
        // SAFETY: the slice is valid for the call.
        unsafe { c::pyrite_port_write_raw(bytes.as_ptr(), bytes.len()) }
    }

    fn set_interrupt_char(&mut self, ch: i32) {
        crate::api::INTERRUPT_CHAR.store(ch, core::sync::atomic::Ordering::Relaxed);
    }

    /// Console bytes as they come, unechoed: all of `buf` (mpremote's
    /// transfers), or fewer at end of input.
    #[cfg(feature = "os")]
    fn read_raw(&mut self, buf: &mut [u8]) -> Option<usize> {
        self.prepare_read();
        let mut n = 0;
        while n < buf.len() {
            // SAFETY: plain C call; blocks the Python thread only.
            let ch = unsafe { c::pyrite_port_getc() };
            if ch < 0 {
                break;
            }
            buf[n] = ch as u8;
            n += 1;
        }
        // SAFETY: plain C call (an atomic flag).
        unsafe { c::pyrite_port_reading(false) };
        Some(n)
    }

    fn ticks_us(&mut self) -> u64 {
        // SAFETY: plain C call.
        unsafe { c::pyrite_port_ticks_us() }
    }

    fn sleep_us(&mut self, us: u64) {
        // SAFETY: plain C call.
        unsafe { c::pyrite_port_sleep_us(us) }
    }

    fn poll(&mut self) {
        // SAFETY: plain C call (k_yield).
        unsafe { c::pyrite_port_poll() }
    }

    fn prepare_read(&mut self) {
        // SAFETY: plain C call (an atomic flag).
        unsafe { c::pyrite_port_reading(true) }
    }

    /// A console line for input(), echoed and editable with backspace, as
    /// a terminal user expects; Ctrl-D on an empty line is end of input,
    /// Ctrl-C ends it (the VM then raises KeyboardInterrupt). Only input()
    /// and sys.stdin read lines: without them, the trait's none.
    #[cfg(any(feature = "builtins-extra", feature = "core-features"))]
    fn read_line(&mut self, line: &mut Vec<u8>) -> Option<bool> {
        self.prepare_read();
        let r = loop {
            // SAFETY: plain C call; blocks the Python thread only.
            let ch = unsafe { c::pyrite_port_getc() };
            let after_cr = core::mem::take(&mut self.after_cr);
            match ch {
                _ if ch < 0 => break Some(false),
                0x03 => break Some(false),
                0x04 if line.is_empty() => break Some(false),
                0x0a if after_cr && line.is_empty() => {}
                0x0d | 0x0a => {
                    self.after_cr = ch == 0x0d;
                    write(b"\r\n");
                    break Some(true);
                }
                0x08 | 0x7f => {
                    // One character: a UTF-8 lead byte and its continuations.
                    while let Some(b) = line.pop() {
                        if b & 0xc0 != 0x80 {
                            write(b"\x08 \x08");
                            break;
                        }
                    }
                }
                _ if ch >= 0x20 && line.try_reserve(1).is_ok() => {
                    line.push(ch as u8);
                    write(&[ch as u8]);
                }
                _ => {}
            }
        };
        // SAFETY: plain C call (an atomic flag).
        unsafe { c::pyrite_port_reading(false) };
        r
    }

    #[cfg(feature = "random")]
    fn random_seed(&mut self) -> Option<u32> {
        let mut seed = 0u32;
        // SAFETY: `seed` is a valid u32 for the call to write.
        unsafe { c::pyrite_port_random_seed(&mut seed) }.then_some(seed)
    }

    #[cfg(feature = "os")]
    fn random_bytes(&mut self, buf: &mut [u8]) -> Result<(), pyrite_vm::port::Errno> {
        // SAFETY: `buf` is valid for `buf.len()` bytes of writing.
        errno(unsafe { c::pyrite_port_random_bytes(buf.as_mut_ptr(), buf.len()) }).map(|_| ())
    }

    /// A module's source for `import`, from the file system.
    #[cfg(feature = "os")]
    fn read_file(&mut self, path: &[u8]) -> Option<Vec<u8>> {
        let st = self.fs_stat(path).ok().filter(|st| !st.is_dir)?;
        let h = self.fs_open(path, OpenMode { read: true, ..OpenMode::default() }).ok()?;
        let mut src = Vec::new();
        let ok = src.try_reserve_exact(st.size as usize).is_ok() && {
            src.resize(st.size as usize, 0);
            let mut got = 0;
            while got < src.len() {
                match self.fs_read(h, &mut src[got..]) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => got += n,
                }
            }
            src.truncate(got);
            true
        };
        let _ = self.fs_close(h);
        ok.then_some(src)
    }

    fn stack_floor(&mut self) -> Option<usize> {
        // SAFETY: plain C call reading the current thread's stack_info.
        let floor = unsafe { c::pyrite_port_stack_floor() };
        (floor != 0).then_some(floor)
    }

    fn platform(&self) -> &'static str {
        "zephyr"
    }

    #[cfg(any(feature = "machine-pin-extras", feature = "machine-timer", feature = "machine-uart", feature = "foreign"))]
    fn take_event(&mut self) -> Option<Event> {
        loop {
            match crate::events::take()? {
                // A call C scheduled: for this VM's slot, or dropped if the
                // handle is from before a soft reset.
                #[cfg(feature = "foreign")]
                Event::Call { handle, arg } => match crate::embed::slot_of(handle) {
                    Some(slot) => return Some(Event::Call { handle: slot, arg }),
                    None => continue,
                },
                e => return Some(e),
            }
        }
    }

    #[cfg(feature = "frozen-modules")]
    fn frozen_modules(&self) -> &'static [u8] {
        let mut len = 0usize;
        // SAFETY: the glue returns the linked blob (constant, in flash) and
        // its length.
        unsafe {
            let p = c::pyrite_port_frozen(&mut len);
            if p.is_null() || len == 0 {
                return &[];
            }
            core::slice::from_raw_parts(p, len)
        }
    }

    #[cfg(feature = "foreign")]
    fn foreign(&self) -> Option<&'static dyn pyrite_vm::foreign::Foreign> {
        Some(&crate::cmodule::C_MODULES)
    }

    #[cfg(feature = "machine")]
    fn machine(&mut self) -> Option<&mut dyn Machine> {
        Some(self)
    }

    #[cfg(feature = "os")]
    fn fs(&mut self) -> Option<&mut dyn FileSystem> {
        Some(self)
    }
}

#[cfg(feature = "machine")]
impl Machine for ZephyrPort {
    fn delay_us(&mut self, us: u32) {
        // SAFETY: plain C call (k_busy_wait).
        unsafe { c::pyrite_port_busy_wait_us(us) }
    }

    #[cfg(feature = "machine")]
    fn pin_open(&mut self, id: PinId<'_>, mode: Option<PinMode>, pull: Pull) -> Result<u32, PinError> {
        // SAFETY: the name slice is valid for the call; the glue copies nothing.
        let rc = unsafe {
            match id {
                PinId::Name(n) => c::pyrite_gpio_open_name(n.as_ptr(), n.len()),
                PinId::Port(ctrl, pin) => c::pyrite_gpio_open_port(ctrl.as_ptr(), ctrl.len(), pin),
            }
        };
        if rc < 0 {
            return Err(pin_error(rc));
        }
        let h = rc as usize;
        if self.pins.len() <= h {
            self.pins.try_reserve(h + 1 - self.pins.len()).map_err(|_| PinError::Io)?;
            self.pins.resize_with(h + 1, || None);
        }
        if self.pins[h].is_none() {
            self.pins[h] = Some(ZephyrPin { handle: rc, driven_high: false, mode: None });
        }
        if let Some(m) = mode {
            self.pin_configure(h as u32, m, pull)?;
        }
        Ok(h as u32)
    }

    #[cfg(feature = "machine")]
    fn pin_drive(&mut self, handle: u32, strength: u8) -> Result<(), PinError> {
        // SAFETY: plain C call; the glue validates the handle.
        let rc = unsafe { c::pyrite_gpio_drive(handle as i32, strength as i32) };
        if rc < 0 {
            return Err(pin_error(rc));
        }
        Ok(())
    }

    #[cfg(feature = "machine")]
    fn pin_names(&mut self, each: &mut dyn FnMut(&[u8])) {
        // SAFETY: plain C call returning the table's size.
        each_name(c::pyrite_gpio_name, unsafe { c::pyrite_gpio_count() }, each);
    }

    #[cfg(feature = "machine")]
    fn pin_configure(&mut self, handle: u32, mode: PinMode, pull: Pull) -> Result<(), PinError> {
        // SAFETY: plain C call; the glue validates the handle.
        let rc = unsafe { c::pyrite_gpio_configure(handle as i32, mode_code(mode), pull_code(pull)) };
        if rc < 0 {
            return Err(pin_error(rc));
        }
        if let Some(Some(p)) = self.pins.get_mut(handle as usize) {
            p.mode = Some(mode);
        }
        Ok(())
    }

    #[cfg(feature = "machine")]
    fn pin_mode(&mut self, handle: u32) -> Option<PinMode> {
        self.pins.get(handle as usize).and_then(|p| p.as_ref()).and_then(|p| p.mode)
    }

    #[cfg(feature = "machine")]
    fn pin(&mut self, handle: u32) -> Option<&mut dyn DigitalPin> {
        match self.pins.get_mut(handle as usize) {
            Some(Some(p)) => Some(p),
            _ => None,
        }
    }

    #[cfg(feature = "machine-pin-extras")]
    fn pin_irq(&mut self, handle: u32, trigger: u32) -> Result<(), PinError> {
        // SAFETY: plain C call; the glue validates the handle.
        let rc = unsafe { c::pyrite_gpio_irq(handle as i32, trigger as i32) };
        if rc < 0 {
            Err(pin_error(rc))
        } else {
            Ok(())
        }
    }

    #[cfg(feature = "machine-uart")]
    fn uart_open(&mut self, name: &[u8]) -> Result<u32, DeviceError> {
        // SAFETY: the name slice is valid for the call.
        let rc = unsafe { c::pyrite_uart_open(name.as_ptr(), name.len()) };
        checked(rc)
    }

    #[cfg(feature = "machine-uart")]
    fn uart_configure(&mut self, handle: u32, config: UartConfig) -> Result<(), DeviceError> {
        let parity = config.parity.map_or(-1, i32::from);
        // SAFETY: plain C call; the glue validates the handle.
        let rc = unsafe { c::pyrite_uart_configure(handle as i32, config.baudrate, config.bits, parity, config.stop) };
        checked(rc).map(|_| ())
    }

    #[cfg(feature = "machine-uart")]
    fn uart(&mut self, handle: u32) -> Option<&mut dyn SerialPort> {
        self.uart.handle = handle as i32;
        Some(&mut self.uart)
    }

    #[cfg(feature = "machine-uart")]
    fn uart_any(&mut self, handle: u32) -> usize {
        ZephyrUart { handle: handle as i32 }.any()
    }

    #[cfg(feature = "machine-uart")]
    fn uart_irq(&mut self, handle: u32, on: bool) -> Result<(), DeviceError> {
        // SAFETY: plain C call; the glue validates the handle.
        checked(unsafe { c::pyrite_uart_irq(handle as i32, on) }).map(|_| ())
    }

    #[cfg(feature = "machine-uart")]
    fn uart_names(&mut self, each: &mut dyn FnMut(&[u8])) {
        // SAFETY: plain C call returning the table's size.
        each_name(c::pyrite_uart_name, unsafe { c::pyrite_uart_count() }, each);
    }

    #[cfg(feature = "machine-timer")]
    fn timer_open(&mut self) -> Result<u32, DeviceError> {
        // SAFETY: plain C call.
        let rc = unsafe { c::pyrite_timer_open() };
        checked(rc)
    }

    #[cfg(feature = "machine-timer")]
    fn timer_start(&mut self, handle: u32, period_us: u64, periodic: bool) -> Result<(), DeviceError> {
        // SAFETY: plain C call; the glue validates the handle.
        let rc = unsafe { c::pyrite_timer_start(handle as i32, period_us, periodic) };
        checked(rc).map(|_| ())
    }

    #[cfg(feature = "machine-timer")]
    fn timer_stop(&mut self, handle: u32) {
        // SAFETY: plain C call; the glue validates the handle.
        unsafe { c::pyrite_timer_stop(handle as i32) }
    }

    #[cfg(feature = "machine-pwm")]
    fn pwm_open(&mut self, name: &[u8]) -> Result<(u32, u32), DeviceError> {
        let mut period = 0u32;
        // SAFETY: the name slice and `period` are valid for the call.
        let h = checked(unsafe { c::pyrite_pwm_open(name.as_ptr(), name.len(), &mut period) })?;
        Ok((h, period))
    }

    #[cfg(feature = "machine-pwm")]
    fn pwm_set(&mut self, handle: u32, period_ns: u32, pulse_ns: u32) -> Result<(), DeviceError> {
        // SAFETY: plain C call; the glue validates the handle.
        checked(unsafe { c::pyrite_pwm_set(handle as i32, period_ns, pulse_ns) }).map(|_| ())
    }

    #[cfg(feature = "machine-pwm")]
    fn pwm_names(&mut self, each: &mut dyn FnMut(&[u8])) {
        // SAFETY: plain C call returning the table's size.
        each_name(c::pyrite_pwm_name, unsafe { c::pyrite_pwm_count() }, each);
    }

    #[cfg(feature = "machine-rtc")]
    fn rtc_get(&mut self) -> Result<DateTime, DeviceError> {
        let mut t = c::pyrite_datetime { year: 0, month: 0, day: 0, weekday: 0, hour: 0, minute: 0, second: 0, micros: 0 };
        // SAFETY: `t` is valid for the call.
        checked(unsafe { c::pyrite_rtc_get(&mut t) })?;
        Ok(DateTime {
            year: t.year,
            month: t.month,
            day: t.day,
            weekday: t.weekday,
            hour: t.hour,
            minute: t.minute,
            second: t.second,
            micros: t.micros,
        })
    }

    #[cfg(feature = "machine-rtc")]
    fn rtc_set(&mut self, d: &DateTime) -> Result<(), DeviceError> {
        let t = c::pyrite_datetime {
            year: d.year,
            month: d.month,
            day: d.day,
            weekday: d.weekday,
            hour: d.hour,
            minute: d.minute,
            second: d.second,
            micros: d.micros,
        };
        // SAFETY: `t` is valid for the call.
        checked(unsafe { c::pyrite_rtc_set(&t) }).map(|_| ())
    }

    #[cfg(feature = "machine")]
    fn reset(&mut self) -> DeviceError {
        // SAFETY: plain C call; returns only if the chip could not reset.
        let rc = unsafe { c::pyrite_port_reset() };
        checked(rc).err().unwrap_or(DeviceError::Unsupported)
    }

    #[cfg(feature = "machine")]
    fn poweroff(&mut self) -> DeviceError {
        // SAFETY: plain C call; returns only if the chip cannot power off.
        let rc = unsafe { c::pyrite_port_poweroff() };
        checked(rc).err().unwrap_or(DeviceError::Unsupported)
    }

    #[cfg(feature = "machine")]
    fn reset_cause(&mut self) -> Result<u32, DeviceError> {
        // SAFETY: plain C call.
        checked(unsafe { c::pyrite_port_reset_cause() })
    }

    #[cfg(feature = "machine")]
    fn unique_id(&mut self, buf: &mut [u8]) -> Result<usize, DeviceError> {
        // SAFETY: `buf` is valid for `buf.len()` bytes for the call.
        checked(unsafe { c::pyrite_port_unique_id(buf.as_mut_ptr(), buf.len()) }).map(|n| n as usize)
    }

    #[cfg(feature = "machine")]
    fn cpu_freq(&self) -> u32 {
        // SAFETY: plain C call.
        unsafe { c::pyrite_port_cpu_freq() }
    }

    #[cfg(feature = "machine")]
    fn disable_irq(&mut self) -> Option<u32> {
        // SAFETY: plain C call; Python gives the key back to enable_irq.
        Some(unsafe { c::pyrite_irq_lock() })
    }

    #[cfg(feature = "machine")]
    fn enable_irq(&mut self, key: u32) {
        // SAFETY: `key` came from disable_irq (irq_unlock of a key it did not
        // return restores that interrupt state, which is what was asked).
        unsafe { c::pyrite_irq_unlock(key) }
    }

    #[cfg(any(feature = "machine-i2c", feature = "machine-spi", feature = "machine-uart"))]
    fn default_device(&mut self, class: &[u8]) -> Option<&'static [u8]> {
        let kind = match class {
            b"I2C" => c::pyrite_default_kind_PYRITE_DEFAULT_I2C,
            b"SPI" => c::pyrite_default_kind_PYRITE_DEFAULT_SPI,
            b"UART" => c::pyrite_default_kind_PYRITE_DEFAULT_UART,
            _ => return None,
        };
        // SAFETY: plain C call returning NULL or a string in static storage.
        let name = unsafe { c::pyrite_default_device(kind as i32) };
        // SAFETY: as above: a valid C string that lives for the program.
        (!name.is_null()).then(|| unsafe { core::ffi::CStr::from_ptr(name) }.to_bytes())
    }

    #[cfg(feature = "machine-i2c")]
    fn i2c_open(&mut self, name: &[u8]) -> Result<u32, DeviceError> {
        // SAFETY: the name slice is valid for the call.
        let rc = unsafe { c::pyrite_i2c_open(name.as_ptr(), name.len()) };
        checked(rc)
    }

    #[cfg(feature = "machine-i2c")]
    fn i2c_set_freq(&mut self, handle: u32, freq: u32) -> Result<(), DeviceError> {
        // SAFETY: plain C call; the glue validates the handle.
        let rc = unsafe { c::pyrite_i2c_set_freq(handle as i32, freq) };
        checked(rc).map(|_| ())
    }

    #[cfg(feature = "machine-i2c")]
    fn i2c(&mut self, handle: u32) -> Option<&mut dyn I2cBus> {
        self.i2c.handle = handle as i32;
        Some(&mut self.i2c)
    }

    #[cfg(feature = "machine-i2c")]
    fn i2c_names(&mut self, each: &mut dyn FnMut(&[u8])) {
        // SAFETY: plain C call returning the table's size.
        each_name(c::pyrite_i2c_name, unsafe { c::pyrite_i2c_count() }, each);
    }

    #[cfg(feature = "machine-wdt")]
    fn wdt_start(&mut self, timeout_ms: u32) -> Result<u32, DeviceError> {
        // SAFETY: plain C call.
        checked(unsafe { c::pyrite_wdt_start(timeout_ms) })
    }

    #[cfg(feature = "machine-wdt")]
    fn wdt_feed(&mut self, handle: u32) -> Result<(), DeviceError> {
        // SAFETY: plain C call with the channel wdt_start gave.
        checked(unsafe { c::pyrite_wdt_feed(handle as i32) }).map(|_| ())
    }

    #[cfg(feature = "machine-spi")]
    fn spi_open(&mut self, name: &[u8]) -> Result<(u32, SpiConfig), DeviceError> {
        // SAFETY: the name slice is valid for the call.
        let h = checked(unsafe { c::pyrite_spi_open(name.as_ptr(), name.len()) })?;
        let mut s = c::pyrite_spi_settings { baudrate: 0, bits: 0, polarity: false, phase: false, lsb_first: false };
        // SAFETY: `s` is valid for the glue to fill.
        checked(unsafe { c::pyrite_spi_get(h as i32, &mut s) })?;
        Ok((h, SpiConfig { baudrate: s.baudrate, polarity: s.polarity, phase: s.phase, bits: s.bits, lsb_first: s.lsb_first }))
    }

    #[cfg(feature = "machine-spi")]
    fn spi_configure(&mut self, handle: u32, config: &SpiConfig) -> Result<(), DeviceError> {
        let s = c::pyrite_spi_settings {
            baudrate: config.baudrate,
            bits: config.bits,
            polarity: config.polarity,
            phase: config.phase,
            lsb_first: config.lsb_first,
        };
        // SAFETY: `s` is valid for the call; the glue validates the handle.
        checked(unsafe { c::pyrite_spi_configure(handle as i32, &s) }).map(|_| ())
    }

    #[cfg(feature = "machine-spi")]
    fn spi(&mut self, handle: u32) -> Option<&mut dyn SpiDev> {
        self.spi.handle = handle as i32;
        Some(&mut self.spi)
    }

    #[cfg(feature = "machine-spi")]
    fn spi_names(&mut self, each: &mut dyn FnMut(&[u8])) {
        // SAFETY: plain C call returning the table's size.
        each_name(c::pyrite_spi_name, unsafe { c::pyrite_spi_count() }, each);
    }

    #[cfg(feature = "machine-adc")]
    fn adc_open(&mut self, id: AdcId<'_>) -> Result<u32, DeviceError> {
        // SAFETY: the name slice is valid for the call.
        let rc = unsafe {
            match id {
                AdcId::Name(n) => c::pyrite_adc_open_name(n.as_ptr(), n.len()),
                AdcId::Channel(ctrl, input) => c::pyrite_adc_open_channel(ctrl.as_ptr(), ctrl.len(), input),
            }
        };
        checked(rc)
    }

    #[cfg(feature = "machine-adc")]
    fn adc_read_u16(&mut self, handle: u32) -> Result<u16, DeviceError> {
        let mut v = 0u16;
        // SAFETY: `v` is valid for the call; the glue validates the handle.
        let rc = unsafe { c::pyrite_adc_read_u16(handle as i32, &mut v) };
        checked(rc).map(|_| v)
    }

    #[cfg(feature = "machine-adc")]
    fn adc_read_uv(&mut self, handle: u32) -> Result<i32, DeviceError> {
        let mut v = 0i32;
        // SAFETY: `v` is valid for the call; the glue validates the handle.
        let rc = unsafe { c::pyrite_adc_read_uv(handle as i32, &mut v) };
        checked(rc).map(|_| v)
    }

    #[cfg(feature = "machine-adc")]
    fn adc_names(&mut self, each: &mut dyn FnMut(&[u8])) {
        // SAFETY: plain C call returning the table's size.
        each_name(c::pyrite_adc_name, unsafe { c::pyrite_adc_count() }, each);
    }
}

#[cfg(feature = "os")]
impl FileSystem for ZephyrPort {
    /// CONFIG_PYRITE_FS_ROOT when something is mounted there, as MicroPython
    /// starts in /flash.
    #[cfg(feature = "os")]
    fn fs_initial_dir(&mut self) -> Vec<u8> {
        let root = fs_root();
        match self.fs_stat(root) {
            Ok(st) if st.is_dir => root.to_vec(),
            _ => b"/".to_vec(),
        }
    }

    #[cfg(feature = "os")]
    fn fs_open(&mut self, path: &[u8], mode: OpenMode) -> Result<u32, Errno> {
        let flags = [
            (mode.read, c::pyrite_open_flags_PYRITE_O_READ),
            (mode.write, c::pyrite_open_flags_PYRITE_O_WRITE),
            (mode.append, c::pyrite_open_flags_PYRITE_O_APPEND),
            (mode.create, c::pyrite_open_flags_PYRITE_O_CREATE),
            (mode.truncate, c::pyrite_open_flags_PYRITE_O_TRUNCATE),
            (mode.exclusive, c::pyrite_open_flags_PYRITE_O_EXCLUSIVE),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .fold(0, |acc, (_, f)| acc | *f as i32);
        // SAFETY: the path slice is valid for the call; the glue copies it.
        errno(unsafe { c::pyrite_fs_open(path.as_ptr(), path.len(), flags) }).map(|h| h as u32)
    }

    #[cfg(feature = "os")]
    fn fs_read(&mut self, h: u32, buf: &mut [u8]) -> Result<usize, Errno> {
        // SAFETY: `buf` is valid for `buf.len()` bytes of writing.
        errno(unsafe { c::pyrite_fs_read(h as i32, buf.as_mut_ptr(), buf.len()) }).map(|n| n as usize)
    }

    #[cfg(feature = "os")]
    fn fs_write(&mut self, h: u32, buf: &[u8]) -> Result<usize, Errno> {
        // SAFETY: `buf` is valid for `buf.len()` bytes of reading.
        errno(unsafe { c::pyrite_fs_write(h as i32, buf.as_ptr(), buf.len()) }).map(|n| n as usize)
    }

    #[cfg(feature = "os")]
    fn fs_seek(&mut self, h: u32, offset: i64, whence: u8) -> Result<u64, Errno> {
        // SAFETY: plain C call; the glue validates the handle.
        let pos = unsafe { c::pyrite_fs_seek(h as i32, offset, whence as i32) };
        if pos < 0 {
            Err(-pos as Errno)
        } else {
            Ok(pos as u64)
        }
    }

    #[cfg(feature = "os")]
    fn fs_flush(&mut self, h: u32) -> Result<(), Errno> {
        // SAFETY: plain C call; the glue validates the handle.
        errno(unsafe { c::pyrite_fs_flush(h as i32) }).map(|_| ())
    }

    #[cfg(feature = "os")]
    fn fs_sync(&mut self) -> Result<(), Errno> {
        // SAFETY: plain C call.
        errno(unsafe { c::pyrite_fs_sync() }).map(|_| ())
    }

    #[cfg(feature = "os")]
    fn fs_close(&mut self, h: u32) -> Result<(), Errno> {
        // SAFETY: plain C call; the glue validates the handle.
        errno(unsafe { c::pyrite_fs_close(h as i32) }).map(|_| ())
    }

    #[cfg(feature = "os")]
    fn fs_list(&mut self, path: &[u8], each: &mut dyn FnMut(&[u8], FileStat)) -> Result<(), Errno> {
        unsafe extern "C" fn one(ctx: *mut core::ffi::c_void, name: *const u8, len: usize, st: *const c::pyrite_stat) {
            // SAFETY: `ctx` is the `&mut &mut dyn FnMut` passed below, alive
            // for the whole listing; `name` and `st` are valid for this call.
            let (each, name, st) =
                unsafe { (&mut *(ctx as *mut &mut dyn FnMut(&[u8], FileStat)), core::slice::from_raw_parts(name, len), &*st) };
            each(name, FileStat { is_dir: st.is_dir, size: st.size, mtime: 0 });
        }
        let mut each = each;
        let ctx = &mut each as *mut &mut dyn FnMut(&[u8], FileStat) as *mut core::ffi::c_void;
        // SAFETY: the path is valid for the call; `one` only uses `ctx` as
        // the closure above during the call.
        errno(unsafe { c::pyrite_fs_list(path.as_ptr(), path.len(), Some(one), ctx) }).map(|_| ())
    }

    #[cfg(feature = "os")]
    fn fs_stat(&mut self, path: &[u8]) -> Result<FileStat, Errno> {
        let mut st = c::pyrite_stat { is_dir: false, size: 0 };
        // SAFETY: the path and `st` are valid for the call.
        errno(unsafe { c::pyrite_fs_stat(path.as_ptr(), path.len(), &mut st) })?;
        Ok(FileStat { is_dir: st.is_dir, size: st.size, mtime: 0 })
    }

    #[cfg(feature = "os")]
    fn fs_statvfs(&mut self, path: &[u8]) -> Result<FsStat, Errno> {
        let mut st = c::pyrite_statvfs { block_size: 0, blocks: 0, blocks_free: 0 };
        // SAFETY: the path and `st` are valid for the call.
        errno(unsafe { c::pyrite_fs_statvfs(path.as_ptr(), path.len(), &mut st) })?;
        Ok(FsStat { block_size: st.block_size, blocks: st.blocks, blocks_free: st.blocks_free, name_max: 255 })
    }

    #[cfg(feature = "os")]
    fn fs_mkdir(&mut self, path: &[u8]) -> Result<(), Errno> {
        // SAFETY: the path slice is valid for the call.
        errno(unsafe { c::pyrite_fs_mkdir(path.as_ptr(), path.len()) }).map(|_| ())
    }

    #[cfg(feature = "os")]
    fn fs_remove(&mut self, path: &[u8], dir: bool) -> Result<(), Errno> {
        // SAFETY: the path slice is valid for the call.
        errno(unsafe { c::pyrite_fs_remove(path.as_ptr(), path.len(), dir) }).map(|_| ())
    }

    #[cfg(feature = "os")]
    fn fs_rename(&mut self, from: &[u8], to: &[u8]) -> Result<(), Errno> {
        // SAFETY: both path slices are valid for the call.
        errno(unsafe { c::pyrite_fs_rename(from.as_ptr(), from.len(), to.as_ptr(), to.len()) }).map(|_| ())
    }
}

/// CONFIG_PYRITE_FS_ROOT, where Python's files are.
#[cfg(feature = "os")]
pub fn fs_root() -> &'static [u8] {
    // SAFETY: the glue returns a NUL-terminated string constant.
    unsafe { core::ffi::CStr::from_ptr(c::pyrite_fs_root()) }.to_bytes()
}
