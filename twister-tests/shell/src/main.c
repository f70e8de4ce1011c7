/*
 * Test application: the Pyrite module plus test-only shell commands that
 * read back what the emulated GPIO controller drives and set what the
 * emulated ADC sees, so the tests check the machine classes against the
 * hardware models rather than against Python.
 */
#include <stdlib.h>
#include <zephyr/kernel.h>
#include <zephyr/shell/shell.h>

#if DT_HAS_COMPAT_STATUS_OKAY(zephyr_gpio_emul)
#include <zephyr/drivers/gpio/gpio_emul.h>

#define EMUL_GPIO DEVICE_DT_GET(DT_COMPAT_GET_ANY_STATUS_OKAY(zephyr_gpio_emul))

/* emul_out <pin>: prints "emul_out <pin> = <level>" as the controller drives it. */
static int cmd_emul_out(const struct shell *sh, size_t argc, char **argv)
{
	int pin = atoi(argv[1]);
	int level = gpio_emul_output_get(EMUL_GPIO, pin);

	shell_print(sh, "emul_out %d = %d", pin, level);
	return 0;
}

SHELL_CMD_ARG_REGISTER(emul_out, NULL, "Level the emulated GPIO drives on a pin", cmd_emul_out, 2,
		       0);

/* emul_in <pin> <level>: drives an input of the emulated controller, which
 * raises its interrupt as a real edge would. */
static int cmd_emul_in(const struct shell *sh, size_t argc, char **argv)
{
	int ret = gpio_emul_input_set(EMUL_GPIO, atoi(argv[1]), atoi(argv[2]));

	shell_print(sh, "emul_in %s = %s: %d", argv[1], argv[2], ret);
	return ret;
}

SHELL_CMD_ARG_REGISTER(emul_in, NULL, "Drive an input of the emulated GPIO", cmd_emul_in, 3, 0);

/* emul_pulse <pin> <edges> <period_ms>: toggles an input of the emulated
 * controller from a timer's expiry (interrupt context) `edges` times, every
 * `period_ms`, while the shell goes on: edges that arrive while Python runs. */
static struct k_timer pulse_timer;
static int pulse_pin;
static atomic_t pulse_left;

static void pulse_expiry(struct k_timer *t)
{
	if (atomic_dec(&pulse_left) <= 0) {
		k_timer_stop(t);
		return;
	}
	gpio_emul_input_set(EMUL_GPIO, pulse_pin, atomic_get(&pulse_left) & 1);
}

static int cmd_emul_pulse(const struct shell *sh, size_t argc, char **argv)
{
	int period = atoi(argv[3]);

	pulse_pin = atoi(argv[1]);
	atomic_set(&pulse_left, atoi(argv[2]) + 1);
	k_timer_init(&pulse_timer, pulse_expiry, NULL);
	k_timer_start(&pulse_timer, K_MSEC(period), K_MSEC(period));
	shell_print(sh, "emul_pulse %s started", argv[1]);
	return 0;
}

SHELL_CMD_ARG_REGISTER(emul_pulse, NULL, "Toggle an emulated GPIO input from a timer", cmd_emul_pulse,
		       4, 0);
#endif

#if defined(CONFIG_ADC_EMUL)
#include <zephyr/drivers/adc/adc_emul.h>

#define EMUL_ADC DEVICE_DT_GET(DT_COMPAT_GET_ANY_STATUS_OKAY(zephyr_adc_emul))

/* adc_set <channel> <mV>: the voltage the emulated ADC sees on a channel. */
static int cmd_adc_set(const struct shell *sh, size_t argc, char **argv)
{
	int ret = adc_emul_const_value_set(EMUL_ADC, atoi(argv[1]), atoi(argv[2]));

	shell_print(sh, "adc_set %s = %s mV: %d", argv[1], argv[2], ret);
	return ret;
}

SHELL_CMD_ARG_REGISTER(adc_set, NULL, "Voltage (mV) on an emulated ADC channel", cmd_adc_set, 3, 0);
#endif

int main(void)
{
	return 0;
}
