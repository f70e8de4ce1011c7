/*
 * The `py` shell command. Python runs on its own thread so the shell thread
 * keeps reading input while code runs: Ctrl-C reaches pyrite_interrupt().
 *
 *   py <code>   runs one line (raw: quotes reach Python untouched)
 *   py          a Python REPL in shell bypass mode until Ctrl-D
 *
 * With CONFIG_PYRITE_BOOT_REPL the REPL starts at boot as if `py` had been
 * typed; Ctrl-D there soft-resets and Ctrl-X leaves for the shell.
 */
#include <string.h>
#include <zephyr/kernel.h>
#include <zephyr/shell/shell.h>
#ifdef CONFIG_PYRITE_BOOT_REPL
#include <zephyr/shell/shell_uart.h>
#endif

#include "pyrite.h"
#include "pyrite_glue.h"

enum job_kind {
	JOB_EXEC,
	JOB_REPL,
};

K_MSGQ_DEFINE(pyrite_jobs, sizeof(enum job_kind), 1, 4);
K_SEM_DEFINE(pyrite_job_done, 0, 1);

static const struct shell *py_shell;
static char line[CONFIG_SHELL_CMD_BUFF_SIZE + 1];
static size_t line_len;
static atomic_t repl_active;

static uint8_t __aligned(16) pyrite_heap[CONFIG_PYRITE_HEAP_SIZE];

static void start_repl(const struct shell *sh);

/* Raw bytes to the shell's transport, as the REPL in bypass mode needs them:
 * the raw REPL's framing has zero bytes, which the shell's printf stops at. */
static void transport_write(const uint8_t *data, size_t len)
{
	const struct shell_transport *t = py_shell->iface;

	while (len > 0) {
		size_t done = 0;

		if (t->api->write(t, data, len, &done) != 0) {
			return;
		}
		data += done;
		len -= done;
		if (done == 0) {
			/* The transmit buffer is full: let it drain. */
			k_msleep(1);
		}
	}
}

static void shell_write(const uint8_t *data, size_t len)
{
	if (!atomic_get(&repl_active)) {
		/* One `py <code>` line: printed as the shell prints. */
		char chunk[65];

		while (len > 0) {
			size_t n = MIN(len, sizeof(chunk) - 1);

			memcpy(chunk, data, n);
			chunk[n] = '\0';
			shell_fprintf(py_shell, SHELL_NORMAL, "%s", chunk);
			data += n;
			len -= n;
		}
		return;
	}
	/* A terminal wants CR LF. */
	while (len > 0) {
		size_t n = 0;

		while (n < len && data[n] != '\n') {
			n++;
		}
		transport_write(data, n);
		if (n < len) {
			transport_write((const uint8_t *)"\r\n", 2);
			n++;
		}
		data += n;
		len -= n;
	}
}

#ifdef CONFIG_PYRITE_MODULE_OS
/* Bytes unchanged to the terminal while the REPL has it (mpremote's binary
 * protocols, which need the os module); a `py <code>` line's output as
 * text. */
static void shell_write_raw(const uint8_t *data, size_t len)
{
	if (!atomic_get(&repl_active)) {
		shell_write(data, len);
		return;
	}
	transport_write(data, len);
}
#else
#define shell_write_raw NULL
#endif

static void python_thread(void *a, void *b, void *c)
{
	ARG_UNUSED(a);
	ARG_UNUSED(b);
	ARG_UNUSED(c);
	enum job_kind job;

	if (pyrite_init(pyrite_heap, sizeof(pyrite_heap), CONFIG_PYRITE_MAX_CALL_DEPTH,
			CONFIG_PYRITE_MAX_NESTING, CONFIG_PYRITE_MAX_NATIVE_DEPTH,
			CONFIG_PYRITE_STACK_RESERVE) != 0) {
		printk("pyrite: the heap is too small to start\n");
		return;
	}
#ifdef CONFIG_PYRITE_BOOT_REPL
	{
		const struct shell *sh = shell_backend_uart_get_ptr();

		/* The shell thread starts alongside: bypass mode needs it ready.
		 * The console is Python's before boot.py and main.py run, as on
		 * MicroPython firmware: Ctrl-C stops them (mpremote's way in), and
		 * one typed as they are about to start skips them (safe boot).
		 */
		while (sh->ctx->state != SHELL_STATE_ACTIVE) {
			k_msleep(10);
		}
		start_repl(sh);
	}
#endif
	pyrite_boot();
	for (;;) {
		k_msgq_get(&pyrite_jobs, &job, K_FOREVER);
		if (job == JOB_EXEC) {
			(void)pyrite_exec((const uint8_t *)line, line_len);
			k_sem_give(&pyrite_job_done);
		} else {
			pyrite_repl(IS_ENABLED(CONFIG_PYRITE_BOOT_REPL) ? PYRITE_REPL_MODE_SHELL_BOOT
								       : PYRITE_REPL_MODE_SHELL);
#ifdef PYRITE_SHELL_BYPASS_USER_DATA
			shell_set_bypass(py_shell, NULL, NULL);
#else
			shell_set_bypass(py_shell, NULL);
#endif
			atomic_set(&repl_active, 0);
			/* Printing outside bypass mode redraws the shell prompt. */
			shell_fprintf(py_shell, SHELL_NORMAL, "");
		}
	}
}

K_THREAD_DEFINE(pyrite_thread, CONFIG_PYRITE_THREAD_STACK_SIZE, python_thread, NULL, NULL, NULL,
		CONFIG_PYRITE_THREAD_PRIORITY, 0, 0);

static void feed_repl(const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (data[i] == pyrite_interrupt_char() && pyrite_interrupt()) {
			/* A line being read ends there; the VM then raises. */
			if (pyrite_console_reading()) {
				pyrite_console_put(0x03);
			}
			continue;
		}
		pyrite_console_put(data[i]);
	}
}

#ifdef PYRITE_SHELL_BYPASS_USER_DATA
static void bypass_cb(const struct shell *sh, uint8_t *data, size_t len, void *user_data)
{
	ARG_UNUSED(sh);
	ARG_UNUSED(user_data);
	feed_repl(data, len);
}
#else
static void bypass_cb(const struct shell *sh, uint8_t *data, size_t len)
{
	ARG_UNUSED(sh);
	feed_repl(data, len);
}
#endif

/*
 * Waits for a one-line job while watching the console for Ctrl-C. The shell
 * thread is blocked here, so what is typed meanwhile reaches us instead of
 * the shell, and there is no way to hand it back: each Enter is answered as
 * the shell would answer it (the prompt and the line), the text is dropped.
 */
static void wait_for_job(const struct shell *sh)
{
	char typed[32];
	size_t n_typed = 0;
	int enters = 0;
	bool last_cr = false;

	while (k_sem_take(&pyrite_job_done, K_MSEC(10)) != 0) {
		uint8_t c;
		size_t n = 0;

		if (sh->iface->api->read(sh->iface, &c, 1, &n) != 0 || n != 1) {
			continue;
		}
		if (pyrite_console_reading()) {
			/* input() in a one-line job: the line is Python's. */
			feed_repl(&c, 1);
			continue;
		}
		if (c == 0x03) {
			(void)pyrite_interrupt();
		} else if (c == '\r' || (c == '\n' && !last_cr)) {
			enters++;
		} else if (c >= 0x20 && c < 0x7f && n_typed < sizeof(typed) && enters == 0) {
			typed[n_typed++] = (char)c;
		}
		last_cr = (c == '\r');
	}
	/* After the output, as the shell would have shown them. */
	for (int i = 0; i < enters; i++) {
		shell_fprintf(sh, SHELL_NORMAL, "%s%.*s\n", sh->ctx->prompt, i == 0 ? (int)n_typed : 0,
			      typed);
	}
}

/* The REPL takes the shell's input (bypass mode) until it ends. */
static void start_repl(const struct shell *sh)
{
	enum job_kind job = JOB_REPL;

	py_shell = sh;
	pyrite_console_set(shell_write, shell_write_raw);
	atomic_set(&repl_active, 1);
	pyrite_console_flush_input();
#ifdef PYRITE_SHELL_BYPASS_USER_DATA
	shell_set_bypass(sh, bypass_cb, NULL);
#else
	shell_set_bypass(sh, bypass_cb);
#endif
	k_msgq_put(&pyrite_jobs, &job, K_FOREVER);
}

static int cmd_py(const struct shell *sh, size_t argc, char **argv)
{
	enum job_kind job;

	if (atomic_get(&repl_active)) {
		shell_error(sh, "the Python REPL is already running");
		return -EBUSY;
	}
	py_shell = sh;
	pyrite_console_set(shell_write, shell_write_raw);
	if (argc < 2) {
		start_repl(sh);
		return 0;
	}
	line_len = strlen(argv[1]);
	memcpy(line, argv[1], line_len + 1);
	job = JOB_EXEC;
	k_msgq_put(&pyrite_jobs, &job, K_FOREVER);
	wait_for_job(sh);
	return 0;
}

SHELL_CMD_ARG_REGISTER(py, NULL,
		       "Run Python: 'py <code>' runs one line, 'py' starts a REPL (Ctrl-D leaves)",
		       cmd_py, 1, SHELL_OPT_ARG_RAW);
