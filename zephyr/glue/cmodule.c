/*
 * C modules: the iterable section PYRITE_MODULE_DEFINE and PYRITE_TYPE_DEFINE
 * fill (laid out by zephyr/pyrite_modules.ld), the Python thread's identity,
 * and the C API's variadic calls (pyrite_callf, pyrite_call_named), which only
 * C can take apart.
 */
#include <stdarg.h>
#include <string.h>
#include <zephyr/kernel.h>
#include <zephyr/sys/iterable_sections.h>
#include <pyrite.h>
#include "pyrite_port.h"

TYPE_SECTION_START_EXTERN(const struct PyriteModule, pyrite_module);
TYPE_SECTION_END_EXTERN(const struct PyriteModule, pyrite_module);

const void *pyrite_port_modules(size_t *count)
{
	*count = TYPE_SECTION_END(pyrite_module) - TYPE_SECTION_START(pyrite_module);
	return TYPE_SECTION_START(pyrite_module);
}

uintptr_t pyrite_port_current_thread(void)
{
#ifdef CONFIG_MULTITHREADING
	return (uintptr_t)k_current_get();
#else
	/* One thread: main's, which runs Python. */
	return 1;
#endif
}

/* The most arguments pyrite_callf converts. */
#define PYRITE_CALLF_MAX_ARGS 8

static int vcallf(PyriteHandle f, PyriteValue *result, const char *fmt, va_list ap)
{
	PyriteValue args[PYRITE_CALLF_MAX_ARGS];
	size_t n = 0;

	for (const char *p = fmt ? fmt : ""; *p != '\0'; p++) {
		if (n == PYRITE_CALLF_MAX_ARGS) {
			return PYRITE_ERR_FORMAT;
		}
		PyriteValue *v = &args[n++];

		switch (*p) {
		case 'i':
			*v = pyrite_int(va_arg(ap, int));
			break;
		case 'u':
			*v = pyrite_int(va_arg(ap, unsigned int));
			break;
		case 'q':
			*v = pyrite_int(va_arg(ap, int64_t));
			break;
		case 'b':
			*v = pyrite_bool(va_arg(ap, int) != 0);
			break;
		case 'd':
			*v = pyrite_float(va_arg(ap, double));
			break;
		case 's':
			*v = pyrite_str(va_arg(ap, const char *));
			break;
		case 'y': {
			const void *data = va_arg(ap, const void *);

			*v = pyrite_bytes(data, va_arg(ap, size_t));
			break;
		}
		case 'n':
			*v = pyrite_none();
			break;
		case 'h':
			if (pyrite_handle_value(va_arg(ap, PyriteHandle), v) != PYRITE_OK) {
				return PYRITE_ERR_HANDLE;
			}
			break;
		default:
			return PYRITE_ERR_FORMAT;
		}
	}
	return pyrite_call(f, args, n, result);
}

int pyrite_callf(PyriteHandle f, PyriteValue *result, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int rc = vcallf(f, result, fmt, ap);

	va_end(ap);
	return rc;
}

int pyrite_call_named(const char *name, PyriteValue *result, const char *fmt, ...)
{
	PyriteHandle f = pyrite_find(name);

	if (f == 0) {
		return pyrite_on_python_thread() ? PYRITE_ERR_EXCEPTION : PYRITE_ERR_THREAD;
	}
	va_list ap;

	va_start(ap, fmt);
	int rc = vcallf(f, result, fmt, ap);

	va_end(ap);
	pyrite_release(f);
	return rc;
}
