#ifndef PYRITE_H
#define PYRITE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int32_t pyrite_init(uint8_t *heap, size_t len, uint32_t max_call_depth, uint32_t max_nesting);

int32_t pyrite_exec(const uint8_t *src, size_t len);

void pyrite_repl(void);

bool pyrite_interrupt(void);

#endif  /* PYRITE_H */
