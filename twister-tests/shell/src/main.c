/*
 * Test application: the Pyrite module plus one test-only shell command that
 * reads back what the emulated GPIO controller drives, so the tests can check
 * machine.Pin against the hardware model rather than against Python.
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
#endif

int main(void)
{
	return 0;
}
