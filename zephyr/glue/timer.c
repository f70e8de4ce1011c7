/*
 * machine.Timer's virtual timers: k_timers whose expiry function (run in the
 * system clock interrupt) only queues an event for the Python thread.
 */
#include <errno.h>
#include <zephyr/kernel.h>

#include "pyrite.h"
#include "pyrite_port.h"

static struct k_timer timers[CONFIG_PYRITE_MAX_TIMERS];
static bool used[CONFIG_PYRITE_MAX_TIMERS];

static void expired(struct k_timer *t)
{
	pyrite_event_timer((uint32_t)(t - timers));
}

int pyrite_timer_open(void)
{
	for (int i = 0; i < CONFIG_PYRITE_MAX_TIMERS; i++) {
		if (!used[i]) {
			used[i] = true;
			k_timer_init(&timers[i], expired, NULL);
			return i;
		}
	}
	return -ENOMEM;
}

int pyrite_timer_start(int handle, uint64_t period_us, bool periodic)
{
	if (handle < 0 || handle >= CONFIG_PYRITE_MAX_TIMERS || !used[handle]) {
		return -ENOENT;
	}
	k_timer_start(&timers[handle], K_USEC(period_us), periodic ? K_USEC(period_us) : K_NO_WAIT);
	return 0;
}

void pyrite_timer_stop(int handle)
{
	if (handle >= 0 && handle < CONFIG_PYRITE_MAX_TIMERS && used[handle]) {
		k_timer_stop(&timers[handle]);
	}
}

void pyrite_timer_reset(void)
{
	for (int i = 0; i < CONFIG_PYRITE_MAX_TIMERS; i++) {
		if (used[i]) {
			k_timer_stop(&timers[i]);
			used[i] = false;
		}
	}
}
