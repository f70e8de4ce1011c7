/*
 * The Python REPL on the console UART, without the Zephyr shell (as
 * MicroPython's own ports): the Python thread reads what the UART's receive
 * interrupt queues, and Ctrl-C typed while code runs raises
 * KeyboardInterrupt from that interrupt. Ctrl-D at the prompt soft-resets
 * the VM: a fresh heap, and the REPL again.
 */
#include <zephyr/device.h>
#include <zephyr/drivers/uart.h>
#include <zephyr/kernel.h>
#include <zephyr/sys/printk.h>
#include <zephyr/init.h>

#include "pyrite.h"
#include "pyrite_glue.h"

static const struct device *const uart = DEVICE_DT_GET(DT_CHOSEN(zephyr_console));

static uint8_t __aligned(16) pyrite_heap[CONFIG_PYRITE_HEAP_SIZE];

/* Output goes straight to the UART; a terminal wants CR LF. */
static void uart_write(const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n') {
			uart_poll_out(uart, '\r');
		}
		uart_poll_out(uart, data[i]);
	}
}

#ifdef CONFIG_PYRITE_MODULE_OS
/* Bytes unchanged (mpremote's binary protocols, which need the os module). */
static void uart_write_raw(const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		uart_poll_out(uart, data[i]);
	}
}
#else
#define uart_write_raw NULL
#endif

static void uart_rx_isr(const struct device *dev, void *user_data)
{
	ARG_UNUSED(user_data);
	uint8_t buf[16];

	while (uart_irq_update(dev) > 0 && uart_irq_rx_ready(dev) > 0) {
		int n = uart_fifo_read(dev, buf, sizeof(buf));

		for (int i = 0; i < n; i++) {
			/* Ctrl-C while code runs is used up raising there; a line
			 * being read by input() ends with it too.
			 */
			if (buf[i] == pyrite_interrupt_char() && pyrite_interrupt() &&
			    !pyrite_console_reading()) {
				continue;
			}
			pyrite_console_put(buf[i]);
		}
	}
}

static bool start_vm(void)
{
	return pyrite_init(pyrite_heap, sizeof(pyrite_heap), CONFIG_PYRITE_MAX_CALL_DEPTH,
			   CONFIG_PYRITE_MAX_NESTING, CONFIG_PYRITE_MAX_NATIVE_DEPTH,
			   CONFIG_PYRITE_STACK_RESERVE) == 0;
}

static void python_thread(void *a, void *b, void *c)
{
	ARG_UNUSED(a);
	ARG_UNUSED(b);
	ARG_UNUSED(c);

	if (!device_is_ready(uart)) {
		printk("pyrite: the console UART is not ready\n");
		return;
	}
	pyrite_console_set(uart_write, uart_write_raw);
	uart_irq_callback_user_data_set(uart, uart_rx_isr, NULL);
	uart_irq_rx_enable(uart);
	for (;;) {
		if (!start_vm()) {
			printk("pyrite: the heap is too small to start\n");
			return;
		}
		pyrite_boot();
		pyrite_repl(PYRITE_REPL_MODE_CONSOLE);
		pyrite_deinit();
		uart_write((const uint8_t *)"MPY: soft reboot\n", 17);
	}
}

#ifdef CONFIG_MULTITHREADING
K_THREAD_DEFINE(pyrite_thread, CONFIG_PYRITE_THREAD_STACK_SIZE, python_thread, NULL, NULL, NULL,
		CONFIG_PYRITE_THREAD_PRIORITY, 0, 0);
#else
/* A kernel without threads runs the REPL last in its start-up, in main's
 * place: main() is not reached (Python owns the device from boot either
 * way). */
static int python_main(void)
{
	python_thread(NULL, NULL, NULL);
	return 0;
}
SYS_INIT(python_main, APPLICATION, 99);
#endif
