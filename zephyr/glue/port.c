/*
 * Port services for the Rust side: memory for Rust's own allocations, panics,
 * the console, the clock, and yielding to the shell while Python runs.
 */
#include <zephyr/kernel.h>
#include <zephyr/drivers/hwinfo.h>
#include <zephyr/sys/reboot.h>
#include <zephyr/sys/poweroff.h>
#include <zephyr/random/random.h>
#include <zephyr/sys/atomic.h>
#include <zephyr/sys/printk.h>

#include "pyrite_port.h"
#include "pyrite_glue.h"
#include "pyrite_dt_tables.h"

/* Compiler temporaries and VM stacks; Python objects live in the GC heap. */
K_HEAP_DEFINE(pyrite_rust_heap, CONFIG_PYRITE_RUST_HEAP_SIZE);

/* Bytes typed at the REPL: a ring of bytes that one writer (the UART's receive
 * interrupt, or the shell thread) fills and the Python thread drains,
 * counted by a semaphore. Smaller than a message queue (0.3 KB), and the
 * semaphore is linked anyway (sleeps wait on one). A kernel without threads
 * (CONFIG_MULTITHREADING=n) has no semaphores: Python, running in main's
 * place, idles the CPU until an interrupt has given what it waits for. */
static uint8_t input[CONFIG_PYRITE_INPUT_BUFFER_SIZE + 1];
static volatile uint32_t input_head, input_tail;
#ifdef CONFIG_MULTITHREADING
K_SEM_DEFINE(input_ready, 0, CONFIG_PYRITE_INPUT_BUFFER_SIZE);
#endif

static pyrite_write_fn console_write;
static pyrite_write_fn console_write_raw;

#ifndef CONFIG_MULTITHREADING
/* Sleeps until an interrupt makes done() true; checked with interrupts
 * locked, so one that comes just before the sleep still wakes it. */
static void idle_until(bool (*done)(void))
{
	for (;;) {
		unsigned int key = irq_lock();

		if (done()) {
			irq_unlock(key);
			return;
		}
		k_cpu_atomic_idle(key);
	}
}

static bool input_waiting(void)
{
	return input_head != input_tail;
}
#endif

void *pyrite_port_alloc(size_t size, size_t align)
{
	return k_heap_aligned_alloc(&pyrite_rust_heap, align, size, K_NO_WAIT);
}

void pyrite_port_free(void *ptr)
{
	k_heap_free(&pyrite_rust_heap, ptr);
}

void pyrite_port_panic(const uint8_t *msg, size_t len)
{
	printk("pyrite: panic: %.*s\n", (int)len, (const char *)msg);
	k_panic();
	CODE_UNREACHABLE;
}

void pyrite_console_set(pyrite_write_fn fn, pyrite_write_fn raw)
{
	console_write = fn;
	console_write_raw = raw;
}

void pyrite_port_write(const uint8_t *data, size_t len)
{
	if (console_write != NULL) {
		console_write(data, len);
	} else {
		printk("%.*s", (int)len, (const char *)data);
	}
}

void pyrite_port_write_raw(const uint8_t *data, size_t len)
{
	if (console_write_raw != NULL) {
		console_write_raw(data, len);
	} else {
		pyrite_port_write(data, len);
	}
}

void pyrite_console_put(uint8_t byte)
{
	uint32_t head = input_head;
	uint32_t next = head == CONFIG_PYRITE_INPUT_BUFFER_SIZE ? 0 : head + 1;

#if defined(CONFIG_MULTITHREADING) && defined(CONFIG_PYRITE_MODULE_OS)
	/* A full ring: a thread (the shell's) waits a little for Python to
	 * read, so a burst larger than the ring (mpremote sending a file) is
	 * not cut; once a wait has run out, input is dropped until there is
	 * room again, so the sender is never held long (and a Ctrl-C behind
	 * it still comes through). An interrupt handler never waits.
	 */
	static bool dropping;

	if (next == input_tail && !dropping && !k_is_in_isr()) {
		for (int ms = 0; ms < 200 && next == input_tail; ms++) {
			k_msleep(1);
		}
	}
	if (next == input_tail) {
		dropping = true;
		return;
	}
	dropping = false;
#else
	/* A full ring drops input. */
	if (next == input_tail) {
		return;
	}
#endif
	input[head] = byte;
	/* The byte is in place before the reader can see the new head. */
	compiler_barrier();
	input_head = next;
#ifdef CONFIG_MULTITHREADING
	k_sem_give(&input_ready);
#endif
}

void pyrite_console_flush_input(void)
{
	unsigned int key = irq_lock();

#ifdef CONFIG_MULTITHREADING
	k_sem_reset(&input_ready);
#endif
	input_tail = input_head;
	irq_unlock(key);
}

/* An application without pyrite_freeze() has no frozen modules: these weak
 * definitions stand in for the generated ones. */
__weak const uint8_t pyrite_frozen_modules[1];
__weak const size_t pyrite_frozen_modules_len;

const uint8_t *pyrite_port_frozen(size_t *len)
{
	*len = pyrite_frozen_modules_len;
	return pyrite_frozen_modules;
}

bool pyrite_port_take_safe_boot(void)
{
	bool found = false;

	for (uint32_t i = input_tail; i != input_head;
	     i = i == CONFIG_PYRITE_INPUT_BUFFER_SIZE ? 0 : i + 1) {
		found = found || input[i] == 0x03;
	}
	if (found) {
		pyrite_console_flush_input();
	}
	return found;
}

int pyrite_port_getc(void)
{
	uint32_t tail;
	uint8_t byte;

#ifdef CONFIG_MULTITHREADING
	if (k_sem_take(&input_ready, K_FOREVER) != 0) {
		return -1;
	}
#else
	idle_until(input_waiting);
#endif
	tail = input_tail;
	byte = input[tail];
	input_tail = tail == CONFIG_PYRITE_INPUT_BUFFER_SIZE ? 0 : tail + 1;
	return byte;
}

/* Microseconds since boot from the hardware cycle counter (the kernel tick,
 * 10 ms on many boards, is too coarse for ticks_us). Where the counter is
 * only 32 bits wide, it is extended here: the uptime says how many times it
 * wrapped since the last call, however long ago that was.
 */
uint64_t pyrite_port_ticks_us(void)
{
#ifdef CONFIG_ARCH_POSIX
	/* native_sim's clock only moves while the CPU waits: each reading costs
	 * a microsecond, so a loop waiting on the clock (time_pulse_us, a
	 * ticks_diff loop) sees it move, as on hardware. */
	k_busy_wait(1);
#endif
#ifdef CONFIG_TIMER_HAS_64BIT_CYCLE_COUNTER
	return k_cyc_to_us_floor64(k_cycle_get_64());
#else
	static struct k_spinlock lock;
	static uint64_t cycles;
	static int64_t last_ticks;
	static uint32_t last;
	k_spinlock_key_t key = k_spin_lock(&lock);
	int64_t ticks = k_uptime_ticks();
	uint32_t now = k_cycle_get_32();
	uint32_t delta = now - last;
	uint64_t expected = (uint64_t)(ticks - last_ticks) *
			    (sys_clock_hw_cycles_per_sec() / CONFIG_SYS_CLOCK_TICKS_PER_SEC);
	uint64_t wraps = expected > delta ? (expected - delta + (1ULL << 31)) >> 32 : 0;

	cycles += (wraps << 32) + delta;
	last = now;
	last_ticks = ticks;
	k_spin_unlock(&lock, key);
	return k_cyc_to_us_floor64(cycles);
#endif
}

/* Given by pyrite_port_wake: an interrupt event ends a sleep early. */
#ifdef CONFIG_MULTITHREADING
static K_SEM_DEFINE(wake, 0, 1);

void pyrite_port_sleep_us(uint64_t us)
{
	(void)k_sem_take(&wake, K_USEC(MIN(us, (uint64_t)INT32_MAX)));
}
#else
/* One thread: the CPU idles until the sleep is over or the wake below ends
 * it. A periodic tick wakes it to look at the clock; a tickless kernel has
 * none, and a one-shot timer ends the sleep instead. */
static volatile bool woken;
static int64_t sleep_end;

static bool sleep_over(void)
{
	return woken || (!IS_ENABLED(CONFIG_TICKLESS_KERNEL) && k_uptime_ticks() >= sleep_end);
}

#ifdef CONFIG_TICKLESS_KERNEL
static void sleep_expired(struct k_timer *t)
{
	ARG_UNUSED(t);
	woken = true;
}

static K_TIMER_DEFINE(sleep_timer, sleep_expired, NULL);
#endif

void pyrite_port_sleep_us(uint64_t us)
{
	k_timeout_t t = K_USEC(MIN(us, (uint64_t)INT32_MAX));

	woken = false;
#ifdef CONFIG_TICKLESS_KERNEL
	k_timer_start(&sleep_timer, t, K_NO_WAIT);
#else
	/* At least the time asked for: the current tick has partly gone. */
	sleep_end = k_uptime_ticks() + t.ticks + 1;
#endif
	idle_until(sleep_over);
#ifdef CONFIG_TICKLESS_KERNEL
	k_timer_stop(&sleep_timer);
#endif
}
#endif

void pyrite_port_busy_wait_us(uint32_t us)
{
	k_busy_wait(us);
}

void pyrite_port_wake(void)
{
#ifdef CONFIG_MULTITHREADING
	k_sem_give(&wake);
#else
	woken = true;
#endif
}

static atomic_t reading;

void pyrite_port_reading(bool on)
{
	atomic_set(&reading, on ? 1 : 0);
}

bool pyrite_console_reading(void)
{
	return atomic_get(&reading) != 0;
}

bool pyrite_port_random_seed(uint32_t *seed)
{
#if defined(CONFIG_ENTROPY_DEVICE_RANDOM_GENERATOR) || defined(CONFIG_XOSHIRO_RANDOM_GENERATOR) ||  \
	defined(CONFIG_TIMER_RANDOM_GENERATOR)
	*seed = sys_rand32_get();
	return true;
#else
	ARG_UNUSED(seed);
	return false;
#endif
}

int pyrite_port_random_bytes(uint8_t *buf, size_t len)
{
#if defined(CONFIG_ENTROPY_DEVICE_RANDOM_GENERATOR) || defined(CONFIG_XOSHIRO_RANDOM_GENERATOR) ||  \
	defined(CONFIG_TIMER_RANDOM_GENERATOR)
	sys_rand_get(buf, len);
	return 0;
#else
	ARG_UNUSED(buf);
	ARG_UNUSED(len);
	return -ENODEV;
#endif
}

int pyrite_port_reset(void)
{
#ifdef CONFIG_REBOOT
	sys_reboot(SYS_REBOOT_COLD);
#endif
	return -ENOTSUP;
}

int pyrite_port_poweroff(void)
{
#ifdef CONFIG_POWEROFF
	sys_poweroff();
#endif
	return -ENOTSUP;
}

int pyrite_port_reset_cause(void)
{
#ifdef CONFIG_HWINFO
	uint32_t cause;
	int ret = hwinfo_get_reset_cause(&cause);

	if (ret < 0) {
		return ret == -ENOSYS ? -ENOTSUP : ret;
	}
	if (cause & RESET_WATCHDOG) {
		return PYRITE_RESET_WDT;
	}
	if (cause & RESET_LOW_POWER_WAKE) {
		return PYRITE_RESET_DEEPSLEEP;
	}
	if (cause & RESET_SOFTWARE) {
		return PYRITE_RESET_SOFT;
	}
	if (cause & RESET_PIN) {
		return PYRITE_RESET_HARD;
	}
	return PYRITE_RESET_PWRON;
#else
	return -ENOTSUP;
#endif
}

int pyrite_port_unique_id(uint8_t *buf, size_t len)
{
#ifdef CONFIG_HWINFO
	ssize_t n = hwinfo_get_device_id(buf, len);

	return n == -ENOSYS ? -ENOTSUP : (int)n;
#else
	ARG_UNUSED(buf);
	ARG_UNUSED(len);
	return -ENOTSUP;
#endif
}

uint32_t pyrite_port_cpu_freq(void)
{
	return (uint32_t)sys_clock_hw_cycles_per_sec();
}

uint32_t pyrite_irq_lock(void)
{
	return irq_lock();
}

void pyrite_irq_unlock(uint32_t key)
{
	irq_unlock(key);
}

#ifndef CONFIG_MULTITHREADING
/* The kernel's main stack (kernel/init.c), which a kernel without threads
 * runs main, and so Python, on. */
K_THREAD_STACK_DECLARE(z_main_stack, CONFIG_MAIN_STACK_SIZE);
#endif

uintptr_t pyrite_port_stack_floor(void)
{
#if !defined(CONFIG_MULTITHREADING)
	/* Python runs on the one stack there is, main's. */
	return (uintptr_t)K_THREAD_STACK_BUFFER(z_main_stack);
#elif defined(CONFIG_THREAD_STACK_INFO) && !defined(CONFIG_ARCH_POSIX)
	return k_current_get()->stack_info.start;
#else
	/* native_sim threads run on host stacks that stack_info does not describe. */
	return 0;
#endif
}

void pyrite_port_poll(void)
{
#ifdef CONFIG_ARCH_POSIX
	/* native_sim's clock only moves while the CPU waits: without this a busy
	 * Python loop would stop the timers that poll the console for Ctrl-C. */
	k_busy_wait(100);
#endif
#ifdef CONFIG_MULTITHREADING
	k_yield();
#endif
}

const char *pyrite_default_device(int kind)
{
	switch (kind) {
#ifdef PYRITE_DT_DEFAULT_I2C
	case PYRITE_DEFAULT_I2C:
		return PYRITE_DT_DEFAULT_I2C;
#endif
#ifdef PYRITE_DT_DEFAULT_SPI
	case PYRITE_DEFAULT_SPI:
		return PYRITE_DT_DEFAULT_SPI;
#endif
#ifdef PYRITE_DT_DEFAULT_UART
	case PYRITE_DEFAULT_UART:
		return PYRITE_DT_DEFAULT_UART;
#endif
	default:
		return NULL;
	}
}
