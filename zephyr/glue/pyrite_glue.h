/* Between the C glue files (not seen by Rust). */
#ifndef PYRITE_GLUE_H
#define PYRITE_GLUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef void (*pyrite_write_fn)(const uint8_t *data, size_t len);

/* Where Python's output goes (NULL: printk): as text (CR LF for a
 * terminal) and unchanged (raw, NULL: as text). */
void pyrite_console_set(pyrite_write_fn fn, pyrite_write_fn raw);
/* Feeds one typed byte to the REPL. */
void pyrite_console_put(uint8_t byte);
/* Whether Python is reading a console line (see pyrite_port_reading). */
bool pyrite_console_reading(void);
void pyrite_console_flush_input(void);

/* Whether a table's NUL-terminated `name` is the `len` bytes at `s` (a
 * Python string, not NUL-terminated). */
static inline bool pyrite_name_is(const char *name, const uint8_t *s, size_t len)
{
	return strlen(name) == len && memcmp(name, s, len) == 0;
}

/*
 * For the devicetree tables' X-macros: a device whose driver is not built
 * has no device object; a weak reference leaves it NULL instead of failing
 * the link.
 */
#define PYRITE_WEAK_DEVICE(n, node)                                                                \
	extern const struct device DEVICE_DT_NAME_GET(node) __attribute__((weak));

#endif
