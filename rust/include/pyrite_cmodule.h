/*
 * Pyrite's C modules: the macros that register a Python module (or a type of
 * C objects) written in C at link time, and helpers for the values C
 * functions take and return. Included at the end of pyrite.h; written by
 * hand (the types and functions it uses are generated from the Rust). See
 * docs/c-api.md.
 */
#ifndef PYRITE_CMODULE_H
#define PYRITE_CMODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pyrite.h"

/* A function's max_args for "any number". */
#define PYRITE_VARARGS 255

/* Members of a module or type, the variadic arguments of the DEFINE macros. */
#define PYRITE_FUNCTION(pyname, cfunc, min, max)                                          \
	{.name = #pyname, .kind = PYRITE_MEMBER_FUNCTION, .min_args = (min), .max_args = (max), \
	 .function = (cfunc)}
/* A method of a type: the capsule itself is the first argument, counted. */
#define PYRITE_METHOD(pyname, cfunc, min, max) PYRITE_FUNCTION(pyname, cfunc, min, max)
#define PYRITE_INT_CONST(pyname, value)                                                   \
	{.name = #pyname, .kind = PYRITE_MEMBER_INT, .int_value = (value)}
#define PYRITE_FLOAT_CONST(pyname, value)                                                 \
	{.name = #pyname, .kind = PYRITE_MEMBER_FLOAT, .float_value = (value)}
#define PYRITE_STR_CONST(pyname, value)                                                   \
	{.name = #pyname, .kind = PYRITE_MEMBER_STR, .str_value = (value)}
/* A type of C objects as a class in a module (PYRITE_TYPE_DECLARE it first). */
#define PYRITE_TYPE_MEMBER(tname)                                                         \
	{.name = #tname, .kind = PYRITE_MEMBER_TYPE, .type_value = PYRITE_TYPE(tname)}

#ifdef __ZEPHYR__
#include <zephyr/sys/iterable_sections.h>
#include <zephyr/sys/util.h>
#include <zephyr/toolchain.h>

#ifdef CONFIG_PYRITE_C_API
#define Z_PYRITE_NEEDS_C_API
#else
#define Z_PYRITE_NEEDS_C_API BUILD_ASSERT(0, "Pyrite's C modules need CONFIG_PYRITE_C_API=y")
#endif

#define Z_PYRITE_TABLE(ident, pyname, type, fin, ...)                                     \
	Z_PYRITE_NEEDS_C_API;                                                             \
	static const PyriteMember _pyrite_members_##ident[] = {__VA_ARGS__};              \
	const STRUCT_SECTION_ITERABLE_ALTERNATE(pyrite_module, PyriteModule,              \
						_pyrite_module_##ident) = {               \
		.name = (pyname),                                                         \
		.members = _pyrite_members_##ident,                                       \
		.n_members = ARRAY_SIZE(_pyrite_members_##ident),                         \
		.is_type = (type),                                                        \
		.finalise = (fin),                                                        \
	}

/*
 * PYRITE_MODULE_DEFINE(name, members...): a module `import name` finds, from
 * any library linked into the application. PYRITE_MODULE_DEFINE_NAMED(ident,
 * "pkg.sub", members...) names it with dots (a submodule of pkg).
 */
#define PYRITE_MODULE_DEFINE(name, ...) Z_PYRITE_TABLE(name, #name, false, NULL, __VA_ARGS__)
#define PYRITE_MODULE_DEFINE_NAMED(ident, pyname, ...)                                    \
	Z_PYRITE_TABLE(ident, pyname, false, NULL, __VA_ARGS__)

/*
 * PYRITE_TYPE_DEFINE(Name, finalise, members...): a type of C objects held by
 * Python objects (capsules, made with pyrite_make_capsule(out, ptr,
 * PYRITE_TYPE(Name))): its members are their methods and constants; a
 * function member named __new__ makes one when the class is called (put the
 * class in a module with PYRITE_TYPE_MEMBER(Name)); finalise(ptr) (or NULL)
 * runs when a capsule is collected or at a soft reset (it must not call into
 * Pyrite). PYRITE_TYPE_DECLARE(Name) makes PYRITE_TYPE(Name) usable before
 * the definition or in another file.
 */
#define PYRITE_TYPE_DEFINE(name, finalise, ...) Z_PYRITE_TABLE(name, #name, true, finalise, __VA_ARGS__)
#define PYRITE_TYPE_DECLARE(name) extern const PyriteModule _pyrite_module_##name
#define PYRITE_TYPE(name) (&_pyrite_module_##name)
#endif /* __ZEPHYR__ */

/* Values C makes: to return (`*ret = pyrite_int(42);`) or to pass to a call. */
static inline PyriteValue pyrite_none(void)
{
	PyriteValue v = {.kind = PYRITE_NONE};

	return v;
}

static inline PyriteValue pyrite_bool(bool b)
{
	PyriteValue v = {.kind = PYRITE_BOOL, .i = b};

	return v;
}

static inline PyriteValue pyrite_int(int64_t i)
{
	PyriteValue v = {.kind = PYRITE_INT, .i = i};

	return v;
}

static inline PyriteValue pyrite_float(double f)
{
	PyriteValue v = {.kind = PYRITE_FLOAT, .f = f};

	return v;
}

/* A str of `len` UTF-8 bytes; as a return value they must outlive the
 * function (a literal, static data), else call pyrite_make() on it. */
static inline PyriteValue pyrite_strn(const char *s, size_t len)
{
	PyriteValue v = {.kind = PYRITE_STR, .data = (void *)s, .len = len};

	return v;
}

static inline PyriteValue pyrite_str(const char *s)
{
	return pyrite_strn(s, s ? strlen(s) : 0);
}

/* A bytes object of `len` bytes (copied when Pyrite makes it). */
static inline PyriteValue pyrite_bytes(const void *data, size_t len)
{
	PyriteValue v = {.kind = PYRITE_BYTES, .data = (void *)data, .len = len};

	return v;
}

/* A str argument copied into `buf` with its NUL: its length, or -1 if it is
 * not a str or does not fit. */
static inline int pyrite_cstr(const PyriteValue *v, char *buf, size_t size)
{
	if (v->kind != PYRITE_STR || v->len >= size) {
		return -1;
	}
	memcpy(buf, v->data, v->len);
	buf[v->len] = '\0';
	return (int)v->len;
}

/*
 * Calls the object held by `f` with arguments built from `fmt`, a letter
 * each: i int, u unsigned int, q int64_t, b bool (an int), d double,
 * s const char * (a str), y const void *, size_t (bytes), n None (takes no
 * argument), h PyriteHandle (the object held). At most 8. Returns as
 * pyrite_call, or PYRITE_ERR_FORMAT. Python thread only.
 */
int pyrite_callf(PyriteHandle f, PyriteValue *result, const char *fmt, ...);
/* The same for the callable named "module.function" (pyrite_find). */
int pyrite_call_named(const char *name, PyriteValue *result, const char *fmt, ...);

#endif /* PYRITE_CMODULE_H */
