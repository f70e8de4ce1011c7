/*
 * machine.ADC's channel access. Channels resolve through a table generated
 * from the devicetree (pyrite_dt_tables.h), each with the configuration its
 * channel node gives (gain, reference, acquisition time, resolution); a
 * handle is an index into the table.
 */
#include <errno.h>
#include <string.h>
#include <zephyr/kernel.h>

#include "pyrite_glue.h"
#include "pyrite_port.h"

#ifdef CONFIG_ADC

#include <zephyr/drivers/adc.h>
#include "pyrite_dt_tables.h"

/* Weak references to the controllers (see PYRITE_WEAK_DEVICE). */
#define PYRITE_WEAK_NAMED(n, node, name)                                                           \
	extern const struct device DEVICE_DT_NAME_GET(DT_IO_CHANNELS_CTLR_BY_NAME(node, name))     \
		__attribute__((weak));
#define PYRITE_WEAK_CHANNEL(l, i, ctlr, ch)                                                        \
	extern const struct device DEVICE_DT_NAME_GET(ctlr) __attribute__((weak));
PYRITE_DT_ADC_NAMED(PYRITE_WEAK_NAMED)
PYRITE_DT_ADC_CHANNELS(PYRITE_WEAK_CHANNEL)

struct adc_entry {
	const char *name;
	/* The input number for ADC(("adc0", n)); unused for a named channel. */
	uint32_t input;
	bool named;
	struct adc_dt_spec spec;
};

#define PYRITE_ADC_NAMED(n, node, name) {n, 0, true, ADC_DT_SPEC_GET_BY_NAME(node, name)},
#define PYRITE_ADC_CHANNEL(l, i, ctlr, ch)                                                         \
	{l,                                                                                        \
	 i,                                                                                        \
	 false,                                                                                    \
	 {                                                                                         \
		 .dev = &DEVICE_DT_NAME_GET(ctlr),                                                 \
		 .channel_id = i,                                                                  \
		 .channel_cfg_dt_node_exists = true,                                               \
		 .channel_cfg = ADC_CHANNEL_CFG_DT(ch),                                            \
		 .vref_mv = DT_PROP_OR(ch, zephyr_vref_mv, 0),                                     \
		 .resolution = DT_PROP_OR(ch, zephyr_resolution, 0),                               \
		 .oversampling = DT_PROP_OR(ch, zephyr_oversampling, 0),                           \
	 }},

static const struct adc_entry channels[] = {
	PYRITE_DT_ADC_NAMED(PYRITE_ADC_NAMED) PYRITE_DT_ADC_CHANNELS(PYRITE_ADC_CHANNEL)};

/* Whether each channel has been set up (adc_channel_setup_dt) yet. */
static bool ready[ARRAY_SIZE(channels) + 1];

static int setup(size_t i)
{
	const struct adc_dt_spec *spec = &channels[i].spec;
	int ret;

	if (spec->dev == NULL || !device_is_ready(spec->dev)) {
		return -EIO;
	}
	if (!ready[i]) {
		ret = adc_channel_setup_dt(spec);
		if (ret < 0) {
			return ret;
		}
		ready[i] = true;
	}
	return (int)i;
}

int pyrite_adc_open_name(const uint8_t *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(channels); i++) {
		if (channels[i].named && pyrite_name_is(channels[i].name, name, len)) {
			return setup(i);
		}
	}
	return -ENOENT;
}

int pyrite_adc_open_channel(const uint8_t *ctrl, size_t len, uint32_t input)
{
	for (size_t i = 0; i < ARRAY_SIZE(channels); i++) {
		if (!channels[i].named && channels[i].input == input &&
		    pyrite_name_is(channels[i].name, ctrl, len)) {
			return setup(i);
		}
	}
	return -ENOENT;
}

int pyrite_adc_count(void)
{
	return (int)ARRAY_SIZE(channels);
}

const char *pyrite_adc_name(int index)
{
	return (index >= 0 && index < (int)ARRAY_SIZE(channels) && channels[index].named)
		       ? channels[index].name
		       : NULL;
}

/* One conversion: the raw value, sign-extended for differential inputs. */
static int read_raw(int handle, int32_t *raw, const struct adc_dt_spec **spec_out)
{
	union {
		int16_t s16;
		int32_t s32;
	} buf = {0};
	struct adc_sequence seq = {.buffer = &buf, .buffer_size = sizeof(buf)};
	const struct adc_dt_spec *spec;
	int ret;

	if (handle < 0 || handle >= (int)ARRAY_SIZE(channels) || !ready[handle]) {
		return -ENOENT;
	}
	spec = &channels[handle].spec;
	ret = adc_sequence_init_dt(spec, &seq);
	if (ret == 0) {
		seq.buffer_size = spec->resolution > 16 ? sizeof(int32_t) : sizeof(int16_t);
		ret = adc_read(spec->dev, &seq);
	}
	if (ret < 0) {
		return ret;
	}
	*raw = spec->resolution > 16 ? buf.s32 : buf.s16;
	*spec_out = spec;
	return 0;
}

int pyrite_adc_read_u16(int handle, uint16_t *value)
{
	const struct adc_dt_spec *spec;
	int32_t raw;
	int ret = read_raw(handle, &raw, &spec);
	uint8_t bits;

	if (ret < 0) {
		return ret;
	}
	bits = spec->channel_cfg.differential ? spec->resolution - 1 : spec->resolution;
	if (raw < 0) {
		raw = 0;
	}
	if (bits >= 16) {
		*value = (uint16_t)(raw >> (bits - 16));
	} else {
		/* Scaled so full scale reads 65535: the top bits repeated below. */
		uint32_t v = (uint32_t)raw << (16 - bits);

		*value = (uint16_t)(v | (v >> bits));
	}
	return 0;
}

int pyrite_adc_read_uv(int handle, int32_t *uv)
{
	const struct adc_dt_spec *spec;
	int32_t raw;
	int32_t scale = 1000;
	int64_t vref_mv;
	int ret = read_raw(handle, &raw, &spec);
	uint8_t bits;

	if (ret < 0) {
		return ret;
	}
	vref_mv = spec->channel_cfg.reference == ADC_REF_INTERNAL ? adc_ref_internal(spec->dev)
								   : spec->vref_mv;
	if (vref_mv == 0) {
		return -ENOTSUP;
	}
	/* 1000 divided by the gain: microvolts per millivolt at the input. */
	ret = adc_gain_invert(spec->channel_cfg.gain, &scale);
	if (ret < 0) {
		return ret;
	}
	bits = spec->channel_cfg.differential ? spec->resolution - 1 : spec->resolution;
	*uv = (int32_t)(((int64_t)raw * vref_mv * scale) >> bits);
	return 0;
}

#else /* !CONFIG_ADC */

int pyrite_adc_count(void)
{
	return 0;
}

int pyrite_adc_open_name(const uint8_t *name, size_t len)
{
	ARG_UNUSED(name);
	ARG_UNUSED(len);
	return -ENODEV;
}

int pyrite_adc_open_channel(const uint8_t *ctrl, size_t len, uint32_t input)
{
	ARG_UNUSED(ctrl);
	ARG_UNUSED(len);
	ARG_UNUSED(input);
	return -ENODEV;
}

const char *pyrite_adc_name(int index)
{
	ARG_UNUSED(index);
	return NULL;
}

int pyrite_adc_read_u16(int handle, uint16_t *value)
{
	ARG_UNUSED(handle);
	ARG_UNUSED(value);
	return -ENODEV;
}

int pyrite_adc_read_uv(int handle, int32_t *uv)
{
	ARG_UNUSED(handle);
	ARG_UNUSED(uv);
	return -ENODEV;
}

#endif
