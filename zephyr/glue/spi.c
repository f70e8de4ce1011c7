/*
 * machine.SPI's bus access. Names resolve through two tables generated from
 * the devicetree (pyrite_dt_tables.h): SPI controllers, driven with no chip
 * select (Python drives one with a Pin, as in MicroPython), and devices on an
 * SPI bus, whose chip select, slave number, mode and top frequency come from
 * their node (SPI_CONFIG_DT). A handle is an index into the joined table;
 * each has a spi_config in RAM that init() changes (drivers keep a pointer to
 * the last one they were given, so it must outlive the call).
 */
#include <errno.h>
#include <string.h>
#include <zephyr/kernel.h>

#include "pyrite_glue.h"
#include "pyrite_port.h"

#ifdef CONFIG_SPI

#include <zephyr/drivers/spi.h>
#include "pyrite_dt_tables.h"

/* The bus of a device node. */
#define PYRITE_WEAK_BUS(n, node) PYRITE_WEAK_DEVICE(n, DT_BUS(node))

PYRITE_DT_SPI_BUSES(PYRITE_WEAK_DEVICE)
PYRITE_DT_SPI_DEVICES(PYRITE_WEAK_BUS)

/* A controller on its own, and a device's word size and role, as Python's
 * SPI() defaults them (the rest comes from init()). */
#define PYRITE_SPI_OP (SPI_WORD_SET(8) | SPI_OP_MODE_MASTER)

struct spi_entry {
	const char *name;
	const struct device *dev;
	struct spi_config config;
};

#define PYRITE_SPI_BUS(n, node) {n, &DEVICE_DT_NAME_GET(node), {.frequency = 1000000, .operation = PYRITE_SPI_OP}},
#define PYRITE_SPI_DEVICE(n, node) {n, &DEVICE_DT_NAME_GET(DT_BUS(node)), SPI_CONFIG_DT(node, PYRITE_SPI_OP, 0)},

static const struct spi_entry entries[] = {
	PYRITE_DT_SPI_BUSES(PYRITE_SPI_BUS) PYRITE_DT_SPI_DEVICES(PYRITE_SPI_DEVICE)};

#define N_ENTRIES ARRAY_SIZE(entries)

/* Each handle's configuration as last set (zero-sized tables still build). */
static struct spi_config configs[N_ENTRIES + 1];

static const struct device *entry_dev(int handle)
{
	if (handle < 0 || handle >= (int)N_ENTRIES) {
		return NULL;
	}
	return entries[handle].dev;
}

int pyrite_spi_open(const uint8_t *name, size_t len)
{
	for (size_t i = 0; i < N_ENTRIES; i++) {
		if (pyrite_name_is(entries[i].name, name, len)) {
			const struct device *dev = entries[i].dev;

			if (dev == NULL || !device_is_ready(dev)) {
				return -EIO;
			}
			configs[i] = entries[i].config;
			return (int)i;
		}
	}
	return -ENOENT;
}

int pyrite_spi_count(void)
{
	return (int)N_ENTRIES;
}

const char *pyrite_spi_name(int index)
{
	return (index >= 0 && index < (int)N_ENTRIES) ? entries[index].name : NULL;
}

int pyrite_spi_configure(int handle, const struct pyrite_spi_settings *s)
{
	if (entry_dev(handle) == NULL) {
		return -ENOENT;
	}
	struct spi_config *c = &configs[handle];
	spi_operation_t op = c->operation &
			     ~(SPI_WORD_SIZE_MASK | SPI_MODE_CPOL | SPI_MODE_CPHA | SPI_TRANSFER_LSB);

	op |= SPI_WORD_SET(s->bits) | (s->polarity ? SPI_MODE_CPOL : 0) |
	      (s->phase ? SPI_MODE_CPHA : 0) | (s->lsb_first ? SPI_TRANSFER_LSB : 0);
	if (s->baudrate != 0) {
		c->frequency = s->baudrate;
	}
	c->operation = op;
	return 0;
}

int pyrite_spi_get(int handle, struct pyrite_spi_settings *s)
{
	if (entry_dev(handle) == NULL) {
		return -ENOENT;
	}
	const struct spi_config *c = &configs[handle];

	s->baudrate = c->frequency;
	s->bits = SPI_WORD_SIZE_GET(c->operation);
	s->polarity = (c->operation & SPI_MODE_CPOL) != 0;
	s->phase = (c->operation & SPI_MODE_CPHA) != 0;
	s->lsb_first = (c->operation & SPI_TRANSFER_LSB) != 0;
	return 0;
}

int pyrite_spi_transfer(int handle, const struct pyrite_spi_seg *segs, size_t n)
{
	const struct device *dev = entry_dev(handle);
	struct spi_buf tx[PYRITE_SPI_MAX_SEGS];
	struct spi_buf rx[PYRITE_SPI_MAX_SEGS];
	bool reads = false;

	if (dev == NULL) {
		return -ENOENT;
	}
	if (n == 0 || n > ARRAY_SIZE(tx)) {
		return -EINVAL;
	}
	/* A segment with no data to send clocks out zeros; one that reads
	 * nothing discards what comes in. Both sets have every segment, so the
	 * chip select stays asserted across all of them in one transceive. */
	for (size_t i = 0; i < n; i++) {
		tx[i] = (struct spi_buf){.buf = (void *)segs[i].tx, .len = segs[i].len};
		rx[i] = (struct spi_buf){.buf = segs[i].rx, .len = segs[i].len};
		reads |= segs[i].rx != NULL;
	}
	const struct spi_buf_set txs = {.buffers = tx, .count = n};
	const struct spi_buf_set rxs = {.buffers = rx, .count = n};

	return spi_transceive(dev, &configs[handle], &txs, reads ? &rxs : NULL);
}

#else /* !CONFIG_SPI */

int pyrite_spi_open(const uint8_t *name, size_t len)
{
	ARG_UNUSED(name);
	ARG_UNUSED(len);
	return -ENODEV;
}

int pyrite_spi_count(void)
{
	return 0;
}

const char *pyrite_spi_name(int index)
{
	ARG_UNUSED(index);
	return NULL;
}

int pyrite_spi_configure(int handle, const struct pyrite_spi_settings *s)
{
	ARG_UNUSED(handle);
	ARG_UNUSED(s);
	return -ENODEV;
}

int pyrite_spi_get(int handle, struct pyrite_spi_settings *s)
{
	ARG_UNUSED(handle);
	ARG_UNUSED(s);
	return -ENODEV;
}

int pyrite_spi_transfer(int handle, const struct pyrite_spi_seg *segs, size_t n)
{
	ARG_UNUSED(handle);
	ARG_UNUSED(segs);
	ARG_UNUSED(n);
	return -ENODEV;
}

#endif
