/*
 * A PWM driver for the tests (compatible "vnd,pyrite-test-pwm", "vnd" being the vendor prefix Zephyr keeps for tests): its clock
 * counts nanoseconds, and it keeps the last period and pulse each channel
 * was set to, which the `pwm_seen` shell command prints.
 */
#include <stdlib.h>
#include <zephyr/device.h>
#include <zephyr/drivers/pwm.h>
#include <zephyr/shell/shell.h>

#define DT_DRV_COMPAT vnd_pyrite_test_pwm

#if DT_HAS_COMPAT_STATUS_OKAY(vnd_pyrite_test_pwm)

#define CHANNELS 4

static uint32_t seen_period[CHANNELS];
static uint32_t seen_pulse[CHANNELS];

static int test_pwm_set_cycles(const struct device *dev, uint32_t channel, uint32_t period_cycles,
			       uint32_t pulse_cycles, pwm_flags_t flags)
{
	ARG_UNUSED(dev);
	ARG_UNUSED(flags);
	if (channel >= CHANNELS) {
		return -EINVAL;
	}
	seen_period[channel] = period_cycles;
	seen_pulse[channel] = pulse_cycles;
	return 0;
}

static int test_pwm_get_cycles_per_sec(const struct device *dev, uint32_t channel, uint64_t *cycles)
{
	ARG_UNUSED(dev);
	ARG_UNUSED(channel);
	*cycles = NSEC_PER_SEC;
	return 0;
}

static const struct pwm_driver_api test_pwm_api = {
	.set_cycles = test_pwm_set_cycles,
	.get_cycles_per_sec = test_pwm_get_cycles_per_sec,
};

DEVICE_DT_INST_DEFINE(0, NULL, NULL, NULL, NULL, POST_KERNEL, CONFIG_KERNEL_INIT_PRIORITY_DEVICE,
		      &test_pwm_api);

/* pwm_seen <channel>: "pwm_seen <channel> = <period> <pulse>" (ns). */
static int cmd_pwm_seen(const struct shell *sh, size_t argc, char **argv)
{
	int ch = atoi(argv[1]);

	if (ch < 0 || ch >= CHANNELS) {
		return -EINVAL;
	}
	shell_print(sh, "pwm_seen %d = %u %u", ch, seen_period[ch], seen_pulse[ch]);
	return 0;
}

SHELL_CMD_ARG_REGISTER(pwm_seen, NULL, "Last period and pulse of a test PWM channel", cmd_pwm_seen, 2,
		       0);

#endif
