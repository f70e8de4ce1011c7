/*
 * The ARM run-time ABI's memmove helpers, which LLVM calls for overlapping
 * copies in Rust code (list inserts and deletes, buffer shifts), handed to
 * the C library's memmove: otherwise Rust's compiler-builtins links a
 * second memmove of its own, 0.7 KB on a Cortex-M3. Linked when the VM is
 * built for size (CONFIG_PYRITE_OPTIMIZE_SIZE). memcpy and memset stay
 * Rust's: with Zephyr's size-optimised C library, which copies a byte at a
 * time, handing them over too saved 0.5 KB more but made calls 6-16 %
 * slower (frames and argument slots are copied and filled on every call).
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
