/*
 * machine.I2C's bus access. Names resolve through a table generated from the
 * devicetree at build time (pyrite_dt_tables.h); a handle is an index into it.
 * i2c_transfer() is a static inline syscall wrapper, so it is called here.
 */
#include <errno.h>
#include <string.h>
#include <zephyr/kernel.h>

#include "pyrite_glue.h"
#include "pyrite_port.h"

#ifdef CONFIG_I2C

#include <zephyr/drivers/i2c.h>
#include <zephyr/dt-bindings/i2c/i2c.h>
#include "pyrite_dt_tables.h"

/* An emulated bus without CONFIG_EMUL has no device: NULL, not a link error. */
PYRITE_DT_I2C_BUSES(PYRITE_WEAK_DEVICE)

struct i2c_bus {
	const char *name;
	const struct device *dev;
};

#define PYRITE_I2C_BUS(n, node) {n, &DEVICE_DT_NAME_GET(node)},

static const struct i2c_bus buses[] = {PYRITE_DT_I2C_BUSES(PYRITE_I2C_BUS)};

static const struct device *bus_dev(int handle)
{
	if (handle < 0 || handle >= (int)ARRAY_SIZE(buses)) {
		return NULL;
	}
	return buses[handle].dev;
}

int pyrite_i2c_open(const uint8_t *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(buses); i++) {
		if (pyrite_name_is(buses[i].name, name, len)) {
			const struct device *dev = buses[i].dev;

			return (dev != NULL && device_is_ready(dev)) ? (int)i : -EIO;
		}
	}
	return -ENOENT;
}

int pyrite_i2c_count(void)
{
	return (int)ARRAY_SIZE(buses);
}

const char *pyrite_i2c_name(int index)
{
	return (index >= 0 && index < (int)ARRAY_SIZE(buses)) ? buses[index].name : NULL;
}

int pyrite_i2c_set_freq(int handle, uint32_t freq)
{
	const struct device *dev = bus_dev(handle);
	uint32_t speed;

	if (dev == NULL) {
		return -ENOENT;
	}
	if (freq <= I2C_BITRATE_STANDARD) {
		speed = I2C_SPEED_STANDARD;
	} else if (freq <= I2C_BITRATE_FAST) {
		speed = I2C_SPEED_FAST;
	} else if (freq <= I2C_BITRATE_FAST_PLUS) {
		speed = I2C_SPEED_FAST_PLUS;
	} else if (freq <= I2C_BITRATE_HIGH) {
		speed = I2C_SPEED_HIGH;
	} else {
		speed = I2C_SPEED_ULTRA;
	}
	return i2c_configure(dev, I2C_SPEED_SET(speed) | I2C_MODE_CONTROLLER);
}

int pyrite_i2c_transfer(int handle, uint16_t addr, struct pyrite_i2c_msg *msgs, size_t n)
{
	const struct device *dev = bus_dev(handle);
	struct i2c_msg zmsgs[PYRITE_I2C_MAX_MSGS];

	if (dev == NULL) {
		return -ENOENT;
	}
	if (n == 0 || n > ARRAY_SIZE(zmsgs)) {
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		zmsgs[i].buf = msgs[i].buf;
		zmsgs[i].len = msgs[i].len;
		zmsgs[i].flags = (msgs[i].read ? I2C_MSG_READ : I2C_MSG_WRITE) |
				 (msgs[i].restart ? I2C_MSG_RESTART : 0) |
				 (i == n - 1 ? I2C_MSG_STOP : 0);
	}
	return i2c_transfer(dev, zmsgs, (uint8_t)n, addr);
}

#else /* !CONFIG_I2C */

int pyrite_i2c_count(void)
{
	return 0;
}

int pyrite_i2c_open(const uint8_t *name, size_t len)
{
	ARG_UNUSED(name);
	ARG_UNUSED(len);
	return -ENODEV;
}

const char *pyrite_i2c_name(int index)
{
	ARG_UNUSED(index);
	return NULL;
}

int pyrite_i2c_set_freq(int handle, uint32_t freq)
{
	ARG_UNUSED(handle);
	ARG_UNUSED(freq);
	return -ENODEV;
}

int pyrite_i2c_transfer(int handle, uint16_t addr, struct pyrite_i2c_msg *msgs, size_t n)
{
	ARG_UNUSED(handle);
	ARG_UNUSED(addr);
	ARG_UNUSED(msgs);
	ARG_UNUSED(n);
	return -ENODEV;
}

#endif
