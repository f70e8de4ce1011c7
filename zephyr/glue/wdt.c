/*
 * machine.WDT over the watchdog the devicetree's `watchdog0` alias names.
 * As in MicroPython, once started it cannot be stopped or changed: a second
 * WDT() feeds the same channel. On expiry the SoC resets.
 */
#include <errno.h>
#include <zephyr/kernel.h>

#include "pyrite_port.h"

#if defined(CONFIG_WATCHDOG) && DT_NODE_HAS_STATUS(DT_ALIAS(watchdog0), okay)

#include <zephyr/drivers/watchdog.h>
#include "pyrite_glue.h"

PYRITE_WEAK_DEVICE(0, DT_ALIAS(watchdog0))
static const struct device *const wdt = &DEVICE_DT_NAME_GET(DT_ALIAS(watchdog0));
/* The installed channel, or -1 before the first WDT(). */
static int channel = -1;

int pyrite_wdt_start(uint32_t timeout_ms)
{
	if (channel >= 0) {
		return channel;
	}
	if (wdt == NULL || !device_is_ready(wdt)) {
		return -EIO;
	}
	const struct wdt_timeout_cfg cfg = {
		.window = {.min = 0, .max = timeout_ms},
		.flags = WDT_FLAG_RESET_SOC,
	};
	int ch = wdt_install_timeout(wdt, &cfg);

	if (ch < 0) {
		return ch;
	}
	/* Paused under a debugger where the driver can be: a breakpoint
	 * should not reset the board. */
	int rc = wdt_setup(wdt, WDT_OPT_PAUSE_HALTED_BY_DBG);

	if (rc == -ENOTSUP) {
		rc = wdt_setup(wdt, 0);
	}
	if (rc < 0) {
		return rc;
	}
	channel = ch;
	return ch;
}

int pyrite_wdt_feed(int ch)
{
	return wdt_feed(wdt, ch);
}

#else

int pyrite_wdt_start(uint32_t timeout_ms)
{
	ARG_UNUSED(timeout_ms);
	return -ENOENT;
}

int pyrite_wdt_feed(int ch)
{
	ARG_UNUSED(ch);
	return -ENODEV;
}

#endif
