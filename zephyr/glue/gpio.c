/*
 * machine.Pin's GPIO access. Names resolve through a table generated from
 * the devicetree at build time (pyrite_dt_tables.h), so every gpio_dt_spec is
 * a compile-time constant; only the user's string is looked up at run time.
 */
#include <errno.h>
#include <string.h>
#include <zephyr/kernel.h>

#include "pyrite.h"
#include "pyrite_glue.h"
#include "pyrite_port.h"

#ifdef CONFIG_GPIO

#include <zephyr/drivers/gpio.h>
#include "pyrite_dt_tables.h"

/* Pin.DRIVE_1: the SoC's high drive, where its GPIO flags have one (Zephyr
 * 3.7 has no portable drive-strength flag). */
#if defined(CONFIG_SOC_FAMILY_NORDIC_NRF)
#include <zephyr/dt-bindings/gpio/nordic-nrf-gpio.h>
#define PYRITE_HIGH_DRIVE NRF_GPIO_DRIVE_H0H1
#endif

struct named_pin {
	const char *name;
	struct gpio_dt_spec spec;
};

struct gpio_port {
	const char *name;
	const struct device *dev;
	uint8_t ngpios;
};

#define PYRITE_NAMED(n, node, prop, idx) {n, GPIO_DT_SPEC_GET_BY_IDX(node, prop, idx)},
#define PYRITE_PORT(n, node) {n, DEVICE_DT_GET(node), DT_PROP_OR(node, ngpios, 32)},

static const struct named_pin named_pins[] = {PYRITE_DT_NAMED_PINS(PYRITE_NAMED)};
static const struct gpio_port gpio_ports[] = {PYRITE_DT_GPIO_PORTS(PYRITE_PORT)};

/* Pins handed to Python; reopening a pin returns its existing handle. */
static struct gpio_dt_spec open_pins[CONFIG_PYRITE_MAX_PINS];
static int n_open;
/* Each open pin's configuration as last set (0: none yet) and drive. */
static gpio_flags_t config_of[CONFIG_PYRITE_MAX_PINS];
static bool high_drive[CONFIG_PYRITE_MAX_PINS];
/* Each open pin's interrupt callback, added to its controller on first use. */
static struct gpio_callback callbacks[CONFIG_PYRITE_MAX_PINS];
static bool callback_added[CONFIG_PYRITE_MAX_PINS];

static int open_spec(const struct gpio_dt_spec *spec)
{
	if (!gpio_is_ready_dt(spec)) {
		return -EIO;
	}
	for (int i = 0; i < n_open; i++) {
		if (open_pins[i].port == spec->port && open_pins[i].pin == spec->pin) {
			return i;
		}
	}
	if (n_open == ARRAY_SIZE(open_pins)) {
		return -ENOMEM;
	}
	open_pins[n_open] = *spec;
	return n_open++;
}

int pyrite_gpio_open_name(const uint8_t *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(named_pins); i++) {
		if (pyrite_name_is(named_pins[i].name, name, len)) {
			return open_spec(&named_pins[i].spec);
		}
	}
	return -ENOENT;
}

int pyrite_gpio_count(void)
{
	return (int)ARRAY_SIZE(named_pins);
}

const char *pyrite_gpio_name(int index)
{
	return (index >= 0 && index < (int)ARRAY_SIZE(named_pins)) ? named_pins[index].name : NULL;
}

int pyrite_gpio_open_port(const uint8_t *ctrl, size_t len, uint32_t pin)
{
	for (size_t i = 0; i < ARRAY_SIZE(gpio_ports); i++) {
		if (pyrite_name_is(gpio_ports[i].name, ctrl, len)) {
			if (pin >= gpio_ports[i].ngpios) {
				return -ENOENT;
			}
			struct gpio_dt_spec spec = {
				.port = gpio_ports[i].dev,
				.pin = (gpio_pin_t)pin,
				.dt_flags = 0,
			};
			return open_spec(&spec);
		}
	}
	return -ENOENT;
}

static const struct gpio_dt_spec *spec_of(int handle)
{
	return (handle >= 0 && handle < n_open) ? &open_pins[handle] : NULL;
}

/* Configures a pin with `flags` and its drive, and remembers them. */
static int apply(int handle, gpio_flags_t flags)
{
	const struct gpio_dt_spec *spec = spec_of(handle);
	gpio_flags_t drive = 0;

#ifdef PYRITE_HIGH_DRIVE
	drive = high_drive[handle] ? PYRITE_HIGH_DRIVE : 0;
#endif
	int rc = gpio_pin_configure_dt(spec, flags | drive);

	if (rc == -ENOTSUP && (flags & GPIO_OPEN_DRAIN) && (flags & GPIO_INPUT)) {
		flags &= ~GPIO_INPUT;
		rc = gpio_pin_configure_dt(spec, flags | drive);
	}
	if (rc == 0) {
		config_of[handle] = flags;
	}
	return rc;
}

int pyrite_gpio_configure(int handle, int mode, int pull)
{
	const struct gpio_dt_spec *spec = spec_of(handle);
	gpio_flags_t flags;

	if (spec == NULL) {
		return -ENOENT;
	}
	switch (mode) {
	case PYRITE_PIN_IN:
		flags = GPIO_INPUT;
		break;
	case PYRITE_PIN_OUT:
		flags = GPIO_OUTPUT;
		break;
	case PYRITE_PIN_OPEN_DRAIN:
		/* Input too, so reading gives the line (a bit-banged bus reads
		 * back SDA and SCL), where the driver allows both. */
		flags = GPIO_INPUT | GPIO_OUTPUT | GPIO_OPEN_DRAIN;
		break;
	default:
		return -EINVAL;
	}
	if (pull == PYRITE_PULL_UP) {
		flags |= GPIO_PULL_UP;
	} else if (pull == PYRITE_PULL_DOWN) {
		flags |= GPIO_PULL_DOWN;
	}
	return apply(handle, flags);
}

int pyrite_gpio_drive(int handle, int strength)
{
	if (spec_of(handle) == NULL) {
		return -ENOENT;
	}
	if (strength < 0 || strength > 1) {
		return -EINVAL;
	}
#ifndef PYRITE_HIGH_DRIVE
	if (strength != 0) {
		return -ENOTSUP;
	}
#endif
	high_drive[handle] = strength == 1;
	return config_of[handle] != 0 ? apply(handle, config_of[handle]) : 0;
}

int pyrite_gpio_set(int handle, int value)
{
	const struct gpio_dt_spec *spec = spec_of(handle);

	return spec == NULL ? -ENOENT : gpio_pin_set_dt(spec, value);
}

int pyrite_gpio_get(int handle)
{
	const struct gpio_dt_spec *spec = spec_of(handle);

	return spec == NULL ? -ENOENT : gpio_pin_get_dt(spec);
}

/* In the interrupt: only queue the event; Python runs the handler later. */
static void pin_isr(const struct device *port, struct gpio_callback *cb, gpio_port_pins_t pins)
{
	ARG_UNUSED(port);
	ARG_UNUSED(pins);
	pyrite_event_pin((uint32_t)(cb - callbacks));
}

int pyrite_gpio_irq(int handle, int trigger)
{
	const struct gpio_dt_spec *spec = spec_of(handle);
	gpio_flags_t flags;
	int ret;

	if (spec == NULL) {
		return -ENOENT;
	}
	switch (trigger & (PYRITE_IRQ_FALLING | PYRITE_IRQ_RISING)) {
	case PYRITE_IRQ_FALLING:
		flags = GPIO_INT_EDGE_FALLING;
		break;
	case PYRITE_IRQ_RISING:
		flags = GPIO_INT_EDGE_RISING;
		break;
	case PYRITE_IRQ_FALLING | PYRITE_IRQ_RISING:
		flags = GPIO_INT_EDGE_BOTH;
		break;
	default:
		flags = GPIO_INT_DISABLE;
		break;
	}
	if (flags != GPIO_INT_DISABLE && !callback_added[handle]) {
		gpio_init_callback(&callbacks[handle], pin_isr, BIT(spec->pin));
		ret = gpio_add_callback(spec->port, &callbacks[handle]);
		if (ret < 0) {
			return ret;
		}
		callback_added[handle] = true;
	}
	return gpio_pin_interrupt_configure_dt(spec, flags);
}

#else /* !CONFIG_GPIO: a board without GPIO support */

int pyrite_gpio_drive(int handle, int strength)
{
	ARG_UNUSED(handle);
	ARG_UNUSED(strength);
	return -ENODEV;
}

int pyrite_gpio_count(void)
{
	return 0;
}

const char *pyrite_gpio_name(int index)
{
	ARG_UNUSED(index);
	return NULL;
}

int pyrite_gpio_open_name(const uint8_t *name, size_t len)
{
	ARG_UNUSED(name);
	ARG_UNUSED(len);
	return -ENODEV;
}

int pyrite_gpio_open_port(const uint8_t *ctrl, size_t len, uint32_t pin)
{
	ARG_UNUSED(ctrl);
	ARG_UNUSED(len);
	ARG_UNUSED(pin);
	return -ENODEV;
}

int pyrite_gpio_configure(int handle, int mode, int pull)
{
	ARG_UNUSED(handle);
	ARG_UNUSED(mode);
	ARG_UNUSED(pull);
	return -ENODEV;
}

int pyrite_gpio_set(int handle, int value)
{
	ARG_UNUSED(handle);
	ARG_UNUSED(value);
	return -ENODEV;
}

int pyrite_gpio_get(int handle)
{
	ARG_UNUSED(handle);
	return -ENODEV;
}

int pyrite_gpio_irq(int handle, int trigger)
{
	ARG_UNUSED(handle);
	ARG_UNUSED(trigger);
	return -ENODEV;
}

#endif
