/*
 * Pyrite REPL sample: the module adds the `py` shell command and the Python
 * thread; the application has nothing else to do.
 */
#include <zephyr/kernel.h>

int main(void)
{
	/* With CONFIG_PYRITE_BOOT_REPL the Python REPL greets instead. */
	if (!IS_ENABLED(CONFIG_PYRITE_BOOT_REPL)) {
		printk("Pyrite ready: type 'py' for a Python REPL, 'py <code>' for one line\n");
	}
	return 0;
}
