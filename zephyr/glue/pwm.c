/*
 * machine.PWM's channels: nodes with a pwms property (pyrite_dt_tables.h),
 * each a pwm_dt_spec; a handle is an index into the table.
 */
#include <errno.h>
#include <zephyr/kernel.h>

#include "pyrite_glue.h"
#include "pyrite_port.h"

#ifdef CONFIG_PWM

#include <zephyr/drivers/pwm.h>
#include "pyrite_dt_tables.h"

#define PYRITE_WEAK_PWM(n, node) PYRITE_WEAK_DEVICE(n, DT_PWMS_CTLR(node))
PYRITE_DT_PWMS(PYRITE_WEAK_PWM)

struct pwm_entry {
	const char *name;
	struct pwm_dt_spec spec;
};

#define PYRITE_PWM(n, node) {n, PWM_DT_SPEC_GET(node)},

static const struct pwm_entry pwms[] = {PYRITE_DT_PWMS(PYRITE_PWM)};

int pyrite_pwm_open(const uint8_t *name, size_t len, uint32_t *period_ns)
{
	for (size_t i = 0; i < ARRAY_SIZE(pwms); i++) {
		if (pyrite_name_is(pwms[i].name, name, len)) {
			if (pwms[i].spec.dev == NULL || !pwm_is_ready_dt(&pwms[i].spec)) {
				return -EIO;
			}
			*period_ns = pwms[i].spec.period;
			return (int)i;
		}
	}
	return -ENOENT;
}

int pyrite_pwm_set(int handle, uint32_t period_ns, uint32_t pulse_ns)
{
	if (handle < 0 || handle >= (int)ARRAY_SIZE(pwms)) {
		return -ENOENT;
	}
	return pwm_set_dt(&pwms[handle].spec, period_ns, pulse_ns);
}

int pyrite_pwm_count(void)
{
	return (int)ARRAY_SIZE(pwms);
}

const char *pyrite_pwm_name(int index)
{
	return (index >= 0 && index < (int)ARRAY_SIZE(pwms)) ? pwms[index].name : NULL;
}

#else /* !CONFIG_PWM */

int pyrite_pwm_open(const uint8_t *name, size_t len, uint32_t *period_ns)
{
	ARG_UNUSED(name);
	ARG_UNUSED(len);
	ARG_UNUSED(period_ns);
	return -ENODEV;
}

int pyrite_pwm_set(int handle, uint32_t period_ns, uint32_t pulse_ns)
{
	ARG_UNUSED(handle);
	ARG_UNUSED(period_ns);
	ARG_UNUSED(pulse_ns);
	return -ENODEV;
}

int pyrite_pwm_count(void)
{
	return 0;
}

const char *pyrite_pwm_name(int index)
{
	ARG_UNUSED(index);
	return NULL;
}

#endif
