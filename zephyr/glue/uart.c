/*
 * machine.UART's serial ports. Names resolve through a table generated from
 * the devicetree (pyrite_dt_tables.h). From open on, the UART's interrupt
 * moves received bytes into a ring buffer the Python thread reads (a driver
 * without the interrupt API is polled into it by a timer instead); writes go
 * out with uart_poll_out.
 */
#include <errno.h>
#include <string.h>
#include <zephyr/kernel.h>

#include "pyrite.h"
#include "pyrite_glue.h"
#include "pyrite_port.h"

#if defined(CONFIG_PYRITE_MACHINE_UART)

#include <zephyr/drivers/uart.h>
#include <zephyr/sys/ring_buffer.h>
#include "pyrite_dt_tables.h"

PYRITE_DT_UARTS(PYRITE_WEAK_DEVICE)

struct uart_entry {
	const char *name;
	const struct device *dev;
};

#define PYRITE_UART(n, node) {n, &DEVICE_DT_NAME_GET(node)},

static const struct uart_entry uarts[] = {PYRITE_DT_UARTS(PYRITE_UART)};

struct open_uart {
	const struct device *dev;
	struct ring_buf rx;
	uint8_t rx_buf[CONFIG_PYRITE_UART_RXBUF_SIZE];
	/* The driver has no interrupt API: a timer polls it into the buffer. */
	bool polled;
	struct k_timer poller;
	/* UART.irq is on: received bytes are reported as an event. */
	bool irq;
};

static struct open_uart open_uarts[CONFIG_PYRITE_MAX_UARTS];

static void uart_isr(const struct device *dev, void *user_data)
{
	struct open_uart *u = user_data;
	uint8_t chunk[16];
	bool got = false;

	while (uart_irq_update(dev) && uart_irq_rx_ready(dev)) {
		int n = uart_fifo_read(dev, chunk, sizeof(chunk));

		if (n <= 0) {
			break;
		}
		/* A full buffer drops the newest bytes, as a UART's FIFO would. */
		(void)ring_buf_put(&u->rx, chunk, n);
		got = true;
	}
	if (got && u->irq) {
		pyrite_event_uart((uint32_t)(u - open_uarts));
	}
}

/* Every 5 ms for a driver without the interrupt API: what poll_in has,
 * into the buffer (this timer is its only writer, as the interrupt is for
 * the others), so bytes are taken while Python does something else. */
static void poll_expiry(struct k_timer *t)
{
	struct open_uart *u = k_timer_user_data_get(t);
	unsigned char c;
	bool got = false;

	while (ring_buf_space_get(&u->rx) > 0 && uart_poll_in(u->dev, &c) == 0) {
		ring_buf_put(&u->rx, &c, 1);
		got = true;
	}
	if (got && u->irq) {
		pyrite_event_uart((uint32_t)(u - open_uarts));
	}
}

static struct open_uart *open_of(int handle)
{
	if (handle < 0 || handle >= CONFIG_PYRITE_MAX_UARTS || open_uarts[handle].dev == NULL) {
		return NULL;
	}
	return &open_uarts[handle];
}

int pyrite_uart_open(const uint8_t *name, size_t len)
{
	const struct device *dev = NULL;
	int free_slot = -1;

	for (size_t i = 0; i < ARRAY_SIZE(uarts); i++) {
		if (pyrite_name_is(uarts[i].name, name, len)) {
			dev = uarts[i].dev;
			break;
		}
	}
	if (dev == NULL) {
		return -ENOENT;
	}
	if (!device_is_ready(dev)) {
		return -EIO;
	}
	for (int i = 0; i < CONFIG_PYRITE_MAX_UARTS; i++) {
		if (open_uarts[i].dev == dev) {
			return i;
		}
		if (open_uarts[i].dev == NULL && free_slot < 0) {
			free_slot = i;
		}
	}
	if (free_slot < 0) {
		return -ENOMEM;
	}
	struct open_uart *u = &open_uarts[free_slot];

	ring_buf_init(&u->rx, sizeof(u->rx_buf), u->rx_buf);
	u->dev = dev;
	u->polled = uart_irq_callback_user_data_set(dev, uart_isr, u) < 0;
	if (!u->polled) {
		uart_irq_rx_enable(dev);
	} else {
		k_timer_init(&u->poller, poll_expiry, NULL);
		k_timer_user_data_set(&u->poller, u);
		k_timer_start(&u->poller, K_MSEC(5), K_MSEC(5));
	}
	return free_slot;
}

int pyrite_uart_configure(int handle, uint32_t baudrate, uint8_t bits, int parity, uint8_t stop)
{
	struct open_uart *u = open_of(handle);
	static const uint8_t data_bits[] = {UART_CFG_DATA_BITS_5, UART_CFG_DATA_BITS_6,
					    UART_CFG_DATA_BITS_7, UART_CFG_DATA_BITS_8,
					    UART_CFG_DATA_BITS_9};

	if (u == NULL) {
		return -ENOENT;
	}
	if (bits < 5 || bits > 9) {
		return -EINVAL;
	}
	struct uart_config cfg = {
		.baudrate = baudrate,
		.parity = parity < 0 ? UART_CFG_PARITY_NONE
				     : (parity == 0 ? UART_CFG_PARITY_EVEN : UART_CFG_PARITY_ODD),
		.stop_bits = stop == 2 ? UART_CFG_STOP_BITS_2 : UART_CFG_STOP_BITS_1,
		.data_bits = data_bits[bits - 5],
		.flow_ctrl = UART_CFG_FLOW_CTRL_NONE,
	};
#ifdef CONFIG_UART_USE_RUNTIME_CONFIGURE
	return uart_configure(u->dev, &cfg);
#else
	ARG_UNUSED(cfg);
	return -ENOTSUP;
#endif
}

int pyrite_uart_read(int handle, uint8_t *buf, size_t len)
{
	struct open_uart *u = open_of(handle);
	unsigned int key;
	uint32_t n;

	if (u == NULL) {
		return -ENOENT;
	}
	key = irq_lock();
	n = ring_buf_get(&u->rx, buf, len);
	irq_unlock(key);
	return (int)n;
}

int pyrite_uart_any(int handle)
{
	struct open_uart *u = open_of(handle);

	return u == NULL ? -ENOENT : (int)ring_buf_size_get(&u->rx);
}

int pyrite_uart_irq(int handle, bool on)
{
	struct open_uart *u = open_of(handle);

	if (u == NULL) {
		return -ENOENT;
	}
	u->irq = on;
	return 0;
}

int pyrite_uart_write(int handle, const uint8_t *data, size_t len)
{
	struct open_uart *u = open_of(handle);

	if (u == NULL) {
		return -ENOENT;
	}
	for (size_t i = 0; i < len; i++) {
		uart_poll_out(u->dev, data[i]);
	}
	return (int)len;
}

int pyrite_uart_count(void)
{
	return (int)ARRAY_SIZE(uarts);
}

const char *pyrite_uart_name(int index)
{
	return (index >= 0 && index < (int)ARRAY_SIZE(uarts)) ? uarts[index].name : NULL;
}

#else /* !CONFIG_PYRITE_MACHINE_UART */

int pyrite_uart_open(const uint8_t *name, size_t len)
{
	ARG_UNUSED(name);
	ARG_UNUSED(len);
	return -ENODEV;
}

int pyrite_uart_configure(int handle, uint32_t baudrate, uint8_t bits, int parity, uint8_t stop)
{
	ARG_UNUSED(handle);
	ARG_UNUSED(baudrate);
	ARG_UNUSED(bits);
	ARG_UNUSED(parity);
	ARG_UNUSED(stop);
	return -ENODEV;
}

int pyrite_uart_read(int handle, uint8_t *buf, size_t len)
{
	ARG_UNUSED(handle);
	ARG_UNUSED(buf);
	ARG_UNUSED(len);
	return -ENODEV;
}

int pyrite_uart_any(int handle)
{
	ARG_UNUSED(handle);
	return -ENODEV;
}

int pyrite_uart_irq(int handle, bool on)
{
	ARG_UNUSED(handle);
	ARG_UNUSED(on);
	return -ENODEV;
}

int pyrite_uart_write(int handle, const uint8_t *data, size_t len)
{
	ARG_UNUSED(handle);
	ARG_UNUSED(data);
	ARG_UNUSED(len);
	return -ENODEV;
}

int pyrite_uart_count(void)
{
	return 0;
}

const char *pyrite_uart_name(int index)
{
	ARG_UNUSED(index);
	return NULL;
}

#endif
