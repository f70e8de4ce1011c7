/*
 * The ARM run-time ABI's memmove helpers, which LLVM calls for overlapping
 * copies in Rust code (list inserts and deletes, buffer shifts), handed to
 * the C library's memmove: otherwise Rust's compiler-builtins links a
 * second memmove of its own, 0.7 KB on a Cortex-M3. Linked when the VM is
 * built for size (CONFIG_PYRITE_OPTIMIZE_SIZE).
 *
 * memcpy and memset go the same way only with Zephyr's minimal C library
 * built to copy words at a time (without
 * CONFIG_MINIMAL_LIBC_OPTIMIZE_STRING_FOR_SIZE, its default when Zephyr
 * is built for size; other C libraries bring run-time ABI helpers of
 * their own): handing them to byte-at-a-time ones saved 0.5 KB
 * but made calls 6-16 % slower (frames and argument slots are copied and
 * filled on every call). samples/minimal takes the word-at-a-time ones.
 */
#include <stddef.h>
#include <string.h>

/* The 4- and 8-byte-aligned forms are the same functions. */
#define ALIGNED_FORMS(name)                                                \
	extern __typeof__(name) name##4 __attribute__((alias(#name)));     \
	extern __typeof__(name) name##8 __attribute__((alias(#name)))

void __aeabi_memmove(void *dest, const void *src, size_t n)
{
	memmove(dest, src, n);
}
ALIGNED_FORMS(__aeabi_memmove);

#if defined(CONFIG_MINIMAL_LIBC) && !defined(CONFIG_MINIMAL_LIBC_OPTIMIZE_STRING_FOR_SIZE)
void __aeabi_memcpy(void *dest, const void *src, size_t n)
{
	memcpy(dest, src, n);
}
ALIGNED_FORMS(__aeabi_memcpy);

/* The run-time ABI's memset takes its arguments in another order. */
void __aeabi_memset(void *dest, size_t n, int c)
{
	memset(dest, c, n);
}
ALIGNED_FORMS(__aeabi_memset);

void __aeabi_memclr(void *dest, size_t n)
{
	memset(dest, 0, n);
}
ALIGNED_FORMS(__aeabi_memclr);
#endif
