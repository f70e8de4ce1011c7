/* Between the C glue files (not seen by Rust). */
#ifndef PYRITE_GLUE_H
#define PYRITE_GLUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef void (*pyrite_write_fn)(const uint8_t *data, size_t len);

/* Where Python's output goes (NULL: printk). */
void pyrite_console_set(pyrite_write_fn fn);
/* Feeds one typed byte to the REPL. */
void pyrite_console_put(uint8_t byte);
/* Whether Python is reading a console line (see pyrite_port_reading). */
bool pyrite_console_reading(void);
void pyrite_console_flush_input(void);

#endif
