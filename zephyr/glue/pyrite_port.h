/*
 * What the C glue gives the Rust port (rust/src/bindings.rs is generated from
 * this header by bindgen). Everything Zephyr-specific that is a macro or a
 * static inline in Zephyr's headers is wrapped here.
 */
#ifndef PYRITE_PORT_H
#define PYRITE_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Memory for Rust's own allocations (the compiler, the VM's stacks). */
void *pyrite_port_alloc(size_t size, size_t align);
void pyrite_port_free(void *ptr);

/* A Rust panic: prints the message and stops the system (k_panic). */
void pyrite_port_panic(const uint8_t *msg, size_t len);

/* Python's console: the shell that started it, else printk. */
void pyrite_port_write(const uint8_t *data, size_t len);
/* The same bytes unchanged, no CR before LF (sys.stdout.buffer: mpremote's
 * binary protocols). */
void pyrite_port_write_raw(const uint8_t *data, size_t len);

/* Blocks for the next byte typed at the Python REPL; -1 when it is closed. */
int pyrite_port_getc(void);
/* Whether a Ctrl-C is among the bytes typed so far (they are dropped if
 * so): held while the board starts, it skips boot.py and main.py. */
bool pyrite_port_take_safe_boot(void);

uint64_t pyrite_port_ticks_us(void);
/* Sleeps `us`, or until pyrite_port_wake (an interrupt event came). */
void pyrite_port_sleep_us(uint64_t us);
/* Spins for `us` microseconds (k_busy_wait), for bit-banged buses. */
void pyrite_port_busy_wait_us(uint32_t us);
void pyrite_port_wake(void);

/* The C modules and types registered at link time (the pyrite_module
 * iterable section of PYRITE_MODULE_DEFINE and PYRITE_TYPE_DEFINE): its
 * first entry (a PyriteModule), and in *count how many there are. */
const void *pyrite_port_modules(size_t *count);
/* The application's frozen modules (pyrite_freeze() in CMake): the blob
 * pyrite-cross made, its length in *len (0: none). */
const uint8_t *pyrite_port_frozen(size_t *len);
/* The calling thread (k_current_get), for the C API's thread checks. */
uintptr_t pyrite_port_current_thread(void);

/* Called regularly by running Python code: lets the shell thread run. */
void pyrite_port_poll(void);

/* Python is reading a console line (input(), sys.stdin): typed bytes go to
 * pyrite_port_getc even outside the REPL, and Ctrl-C wakes the reader. */
void pyrite_port_reading(bool on);

/* A 32-bit seed from Zephyr's random subsystem; false if none is built in. */
bool pyrite_port_random_seed(uint32_t *seed);

/* Random bytes from Zephyr's random subsystem: 0, or -ENODEV without one. */
int pyrite_port_random_bytes(uint8_t *buf, size_t len);

/* Files over Zephyr's file system API (fs.c). Paths are absolute and not
 * NUL-terminated. Results are >= 0, or negative errno values (-ENODEV for
 * everything when CONFIG_FILE_SYSTEM is off). */
enum pyrite_open_flags {
	PYRITE_O_READ = 1,
	PYRITE_O_WRITE = 2,
	PYRITE_O_APPEND = 4,
	PYRITE_O_CREATE = 8,
	PYRITE_O_TRUNCATE = 16,
	PYRITE_O_EXCLUSIVE = 32,
};
struct pyrite_stat {
	bool is_dir;
	uint64_t size;
};
struct pyrite_statvfs {
	uint64_t block_size;
	uint64_t blocks;
	uint64_t blocks_free;
};
/* CONFIG_PYRITE_FS_ROOT: where Python's files are (NUL-terminated). */
const char *pyrite_fs_root(void);
/* Closes every open file (the VM is going: a soft reset). */
void pyrite_fs_close_all(void);
/* os.sync(): every open file's buffered writes to storage. */
int pyrite_fs_sync(void);
/* A handle, which stays invalid once closed. */
int pyrite_fs_open(const uint8_t *path, size_t len, int flags);
int pyrite_fs_read(int handle, uint8_t *buf, size_t len);
int pyrite_fs_write(int handle, const uint8_t *buf, size_t len);
/* The new position. */
int64_t pyrite_fs_seek(int handle, int64_t offset, int whence);
int pyrite_fs_flush(int handle);
int pyrite_fs_close(int handle);
/* Lists a directory: `each` is called for every entry with `ctx`. */
int pyrite_fs_list(const uint8_t *path, size_t len,
		   void (*each)(void *ctx, const uint8_t *name, size_t name_len, const struct pyrite_stat *st),
		   void *ctx);
int pyrite_fs_stat(const uint8_t *path, size_t len, struct pyrite_stat *st);
int pyrite_fs_statvfs(const uint8_t *path, size_t len, struct pyrite_statvfs *st);
int pyrite_fs_mkdir(const uint8_t *path, size_t len);
/* Removes a file (dir false) or an empty directory (dir true). */
int pyrite_fs_remove(const uint8_t *path, size_t len, bool dir);
int pyrite_fs_rename(const uint8_t *from, size_t from_len, const uint8_t *to, size_t to_len);

/* machine.reset(): a cold reboot (CONFIG_REBOOT); returns -ENOTSUP without. */
int pyrite_port_reset(void);
/* Powers the chip off (CONFIG_POWEROFF); returns -ENOTSUP where it cannot. */
int pyrite_port_poweroff(void);
/* machine.reset_cause(): PYRITE_RESET_* from hwinfo (CONFIG_HWINFO), or a
 * negative errno. */
enum pyrite_reset_cause {
	PYRITE_RESET_PWRON = 1,
	PYRITE_RESET_HARD = 2,
	PYRITE_RESET_WDT = 3,
	PYRITE_RESET_DEEPSLEEP = 4,
	PYRITE_RESET_SOFT = 5,
};
int pyrite_port_reset_cause(void);
/* machine.unique_id(): the device id from hwinfo into `buf`; its length. */
int pyrite_port_unique_id(uint8_t *buf, size_t len);
uint32_t pyrite_port_cpu_freq(void);

/* irq_lock()/irq_unlock(): the critical section around the event queue. */
uint32_t pyrite_irq_lock(void);
void pyrite_irq_unlock(uint32_t key);

/* The lowest address of the calling thread's stack, or 0 if unknown. */
uintptr_t pyrite_port_stack_floor(void);

/* GPIO, by the pin table generated from the devicetree.
 * Handles are >= 0; errors are negative errno values
 * (-ENOENT: no such pin, -ENOTSUP: cannot configure, -EIO, -ENOMEM). */
enum pyrite_pin_mode {
	PYRITE_PIN_IN = 0,
	PYRITE_PIN_OUT = 1,
	PYRITE_PIN_OPEN_DRAIN = 2,
};
enum pyrite_pin_pull {
	PYRITE_PULL_NONE = 0,
	PYRITE_PULL_UP = 1,
	PYRITE_PULL_DOWN = 2,
};
int pyrite_gpio_open_name(const uint8_t *name, size_t len);
/* How many named pins the table has, and the name of each. */
int pyrite_gpio_count(void);
const char *pyrite_gpio_name(int index);
int pyrite_gpio_open_port(const uint8_t *ctrl, size_t len, uint32_t pin);
int pyrite_gpio_configure(int handle, int mode, int pull);
/* Drive strength: 0 the default, 1 the SoC's high drive (-ENOTSUP where the
 * GPIO flags have none); applied now if the pin is configured, else with
 * its configuration. */
int pyrite_gpio_drive(int handle, int strength);
int pyrite_gpio_set(int handle, int value);
int pyrite_gpio_get(int handle);
/* Interrupts on an opened pin's edges (PYRITE_IRQ_* bits; 0 turns them off):
 * each calls pyrite_event_pin(handle) from the interrupt handler. */
enum pyrite_pin_irq {
	PYRITE_IRQ_FALLING = 1,
	PYRITE_IRQ_RISING = 2,
};
int pyrite_gpio_irq(int handle, int trigger);

/* The name of the bus I2C(), SPI() or UART() opens when given none: the
 * board's `pyrite,machine` devicetree node says (NULL: it names none). */
enum pyrite_default_kind {
	PYRITE_DEFAULT_I2C = 0,
	PYRITE_DEFAULT_SPI = 1,
	PYRITE_DEFAULT_UART = 2,
};
const char *pyrite_default_device(int kind);

/* I2C controllers, by the bus table generated from the devicetree (i2c.c).
 * Handles are >= 0; errors are negative errno values (-ENOENT: no such bus,
 * -ENODEV: built without CONFIG_I2C, -EIO: the driver failed or a target
 * did not acknowledge). */
enum pyrite_i2c_limits { PYRITE_I2C_MAX_MSGS = 4 };
/* One message of a transfer: read into or write from `buf`. The last one
 * ends with a STOP; `restart` puts a repeated START before one. */
struct pyrite_i2c_msg {
	uint8_t *buf;
	uint32_t len;
	bool read;
	bool restart;
};
int pyrite_i2c_open(const uint8_t *name, size_t len);
/* How many entries the bus table has, and the name of each. */
int pyrite_i2c_count(void);
const char *pyrite_i2c_name(int index);
int pyrite_i2c_set_freq(int handle, uint32_t freq);
int pyrite_i2c_transfer(int handle, uint16_t addr, struct pyrite_i2c_msg *msgs, size_t n);

/* SPI controllers and devices for machine.SPI (spi.c), by the tables
 * generated from the devicetree. Handles are >= 0; errors are negative errno
 * values (-ENOENT: no such name, -ENODEV: built without CONFIG_SPI, -EIO: the
 * driver failed). */
enum pyrite_spi_limits { PYRITE_SPI_MAX_SEGS = 8 };
/* Clock, mode and framing: `baudrate` 0 leaves the clock as it is. */
struct pyrite_spi_settings {
	uint32_t baudrate;
	uint8_t bits;
	bool polarity;
	bool phase;
	bool lsb_first;
};
/* One segment of a transfer: `len` bytes sent from `tx` (zeros if NULL)
 * while as many are received into `rx` (dropped if NULL). */
struct pyrite_spi_seg {
	const uint8_t *tx;
	uint8_t *rx;
	uint32_t len;
};
int pyrite_spi_open(const uint8_t *name, size_t len);
int pyrite_spi_count(void);
const char *pyrite_spi_name(int index);
int pyrite_spi_configure(int handle, const struct pyrite_spi_settings *s);
int pyrite_spi_get(int handle, struct pyrite_spi_settings *s);
/* The segments in one transaction, the chip select held across them. */
int pyrite_spi_transfer(int handle, const struct pyrite_spi_seg *segs, size_t n);

/* The watchdog the `watchdog0` alias names (wdt.c): started once, resetting
 * the SoC when not fed within `timeout_ms`; later starts return the same
 * channel. -ENOENT: no such alias or no watchdog driver. */
int pyrite_wdt_start(uint32_t timeout_ms);
int pyrite_wdt_feed(int channel);

/* UARTs for machine.UART (uart.c), by the table generated from the
 * devicetree: received bytes go to a buffer from the UART's interrupt from
 * open on. Handles are >= 0; errors are negative errno values (-ENOENT: no
 * such UART, -ENODEV: built without machine.UART, -ENOMEM: too many open,
 * -ENOTSUP: no runtime configuration). */
int pyrite_uart_open(const uint8_t *name, size_t len);
int pyrite_uart_configure(int handle, uint32_t baudrate, uint8_t bits, int parity, uint8_t stop);
/* Copies up to `len` received bytes into `buf`: how many. */
int pyrite_uart_read(int handle, uint8_t *buf, size_t len);
int pyrite_uart_any(int handle);
/* UART.irq: report received bytes with pyrite_event_uart(handle) (`on`), or stop. */
int pyrite_uart_irq(int handle, bool on);
int pyrite_uart_write(int handle, const uint8_t *data, size_t len);
int pyrite_uart_count(void);
const char *pyrite_uart_name(int index);

/* PWM channels for machine.PWM (pwm.c), by the table of nodes with a pwms
 * property. Open gives the handle and puts the devicetree's period (ns) in
 * *period_ns. -ENODEV without CONFIG_PWM. */
int pyrite_pwm_open(const uint8_t *name, size_t len, uint32_t *period_ns);
int pyrite_pwm_set(int handle, uint32_t period_ns, uint32_t pulse_ns);
int pyrite_pwm_count(void);
const char *pyrite_pwm_name(int index);

/* machine.RTC (rtc.c): the real-time clock the devicetree's rtc alias or
 * node label names. -ENOTSUP without CONFIG_RTC or such a device. */
struct pyrite_datetime {
	uint16_t year;
	uint8_t month;   /* 1-12 */
	uint8_t day;     /* 1-31 */
	uint8_t weekday; /* 0 Monday - 6 Sunday */
	uint8_t hour;
	uint8_t minute;
	uint8_t second;
	uint32_t micros;
};
int pyrite_rtc_get(struct pyrite_datetime *dt);
int pyrite_rtc_set(const struct pyrite_datetime *dt);

/* Virtual timers for machine.Timer (timer.c), over k_timer: each expiry
 * calls pyrite_event_timer(handle) from the timer's interrupt. Handles are
 * >= 0; -ENOMEM when all CONFIG_PYRITE_MAX_TIMERS are taken. */
int pyrite_timer_open(void);
int pyrite_timer_start(int handle, uint64_t period_us, bool periodic);
void pyrite_timer_stop(int handle);
/* Stops and frees every timer (a soft reset). */
void pyrite_timer_reset(void);

/* ADC channels, by the channel table generated from the devicetree (adc.c),
 * set up as their channel nodes configure them. Handles are >= 0; errors are
 * negative errno values (-ENOENT: no such channel, -ENODEV: built without
 * CONFIG_ADC). */
int pyrite_adc_open_name(const uint8_t *name, size_t len);
int pyrite_adc_open_channel(const uint8_t *ctrl, size_t len, uint32_t input);
/* How many entries the channel table has, and the name of each named one
 * (NULL for a controller's channel@N). */
int pyrite_adc_count(void);
const char *pyrite_adc_name(int index);
int pyrite_adc_read_u16(int handle, uint16_t *value);
int pyrite_adc_read_uv(int handle, int32_t *uv);

#endif
