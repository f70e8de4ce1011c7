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

void __aeabi_memmove(void *dest, const void *src, size_t n)
{
	memmove(dest, src, n);
}

void __aeabi_memmove4(void *dest, const void *src, size_t n)
{
	memmove(dest, src, n);
}

void __aeabi_memmove8(void *dest, const void *src, size_t n)
{
	memmove(dest, src, n);
}

#if defined(CONFIG_MINIMAL_LIBC) && !defined(CONFIG_MINIMAL_LIBC_OPTIMIZE_STRING_FOR_SIZE)
void __aeabi_memcpy(void *dest, const void *src, size_t n)
{
	memcpy(dest, src, n);
}

void __aeabi_memcpy4(void *dest, const void *src, size_t n)
{
	memcpy(dest, src, n);
}

void __aeabi_memcpy8(void *dest, const void *src, size_t n)
{
	memcpy(dest, src, n);
}

/* The run-time ABI's memset takes its arguments in another order. */
void __aeabi_memset(void *dest, size_t n, int c)
{
	memset(dest, c, n);
}

void __aeabi_memset4(void *dest, size_t n, int c)
{
	memset(dest, c, n);
}

void __aeabi_memset8(void *dest, size_t n, int c)
{
	memset(dest, c, n);
}

void __aeabi_memclr(void *dest, size_t n)
{
	memset(dest, 0, n);
}

void __aeabi_memclr4(void *dest, size_t n)
{
	memset(dest, 0, n);
}

void __aeabi_memclr8(void *dest, size_t n)
{
	memset(dest, 0, n);
}
#endif
