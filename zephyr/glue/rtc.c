/*
 * machine.RTC's clock: the device the devicetree's rtc alias (else the rtc
 * node label) names, through Zephyr's RTC API.
 */
#include <errno.h>
#include <zephyr/kernel.h>

#include "pyrite_port.h"

#if defined(CONFIG_RTC) && (DT_NODE_HAS_STATUS(DT_ALIAS(rtc), okay) ||                         \
			    DT_NODE_HAS_STATUS(DT_NODELABEL(rtc), okay))

#include <zephyr/drivers/rtc.h>

#if DT_NODE_HAS_STATUS(DT_ALIAS(rtc), okay)
#define PYRITE_RTC DEVICE_DT_GET(DT_ALIAS(rtc))
#else
#define PYRITE_RTC DEVICE_DT_GET(DT_NODELABEL(rtc))
#endif

int pyrite_rtc_get(struct pyrite_datetime *dt)
{
	struct rtc_time t;
	int ret;

	if (!device_is_ready(PYRITE_RTC)) {
		return -EIO;
	}
	ret = rtc_get_time(PYRITE_RTC, &t);
	if (ret < 0) {
		return ret;
	}
	dt->year = (uint16_t)(t.tm_year + 1900);
	dt->month = (uint8_t)(t.tm_mon + 1);
	dt->day = (uint8_t)t.tm_mday;
	/* struct rtc_time counts weekdays from Sunday; Python from Monday. */
	dt->weekday = (uint8_t)((t.tm_wday + 6) % 7);
	dt->hour = (uint8_t)t.tm_hour;
	dt->minute = (uint8_t)t.tm_min;
	dt->second = (uint8_t)t.tm_sec;
	dt->micros = (uint32_t)(t.tm_nsec / 1000);
	return 0;
}

int pyrite_rtc_set(const struct pyrite_datetime *dt)
{
	struct rtc_time t = {
		.tm_year = dt->year - 1900,
		.tm_mon = dt->month - 1,
		.tm_mday = dt->day,
		.tm_wday = (dt->weekday + 1) % 7,
		.tm_hour = dt->hour,
		.tm_min = dt->minute,
		.tm_sec = dt->second,
		.tm_nsec = (int)dt->micros * 1000,
		.tm_yday = -1,
		.tm_isdst = -1,
	};

	if (!device_is_ready(PYRITE_RTC)) {
		return -EIO;
	}
	return rtc_set_time(PYRITE_RTC, &t);
}

#else /* no RTC */

int pyrite_rtc_get(struct pyrite_datetime *dt)
{
	ARG_UNUSED(dt);
	return -ENOTSUP;
}

int pyrite_rtc_set(const struct pyrite_datetime *dt)
{
	ARG_UNUSED(dt);
	return -ENOTSUP;
}

#endif
