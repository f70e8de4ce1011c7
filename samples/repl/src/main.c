/*
 * Pyrite REPL sample: the module adds the `py` shell command and the Python
 * thread; the application has nothing else to do.
 */
#include <zephyr/kernel.h>

int main(void)
{
	printk("Pyrite ready: type 'py' for a Python REPL, 'py <code>' for one line\n");
	return 0;
}
