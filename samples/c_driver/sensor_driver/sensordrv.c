/*
 * A driver kept in C for its timing, used from Python: a k_timer interrupt
 * samples a sensor into a ring buffer at a fixed rate, and tells Python
 * every BATCH readings (pyrite_schedule, safe in an interrupt). Python reads
 * the ring buffer into a bytearray the driver fills in place, and the
 * driver calls Python back (pyrite_callf).
 *
 * The sensor is simulated, so that what Python sees can be checked: a
 * triangle wave around 2000 with an amplitude of 100, moving by 4 each
 * reading. On native_sim the driver can also set the value of the emulated
 * BMI160 accelerometer that zephyr.sensor reads.
 */
#include <errno.h>
#include <zephyr/kernel.h>
#include <zephyr/sys/ring_buffer.h>
#include <pyrite.h>

#if DT_HAS_COMPAT_STATUS_OKAY(bosch_bmi160) && defined(CONFIG_EMUL)
#include <zephyr/drivers/emul.h>
#include <zephyr/drivers/emul_sensor.h>
#include <zephyr/drivers/sensor.h>
#define HAVE_EMULATED_ACCEL 1
#endif

/* Readings between two calls of Python's callback. */
#define BATCH 8
/* Readings the ring buffer holds (two bytes each). */
#define CAPACITY 256

struct sampler {
	struct k_timer timer;
	struct ring_buf ring;
	uint8_t storage[2 * CAPACITY];
	PyriteHandle callback;
	uint32_t produced;
	uint32_t dropped;
	bool running;
};

/* One sampler: the hardware it stands for is one. */
static struct sampler sampler;

PYRITE_TYPE_DECLARE(Sampler);

static int16_t simulated_reading(uint32_t k)
{
	int t = (int)((k * 4) % 400);

	return (int16_t)(2000 + (t > 200 ? t - 200 : 200 - t) - 100);
}

/* The timer's interrupt: one reading into the ring buffer. */
static void sample_isr(struct k_timer *timer)
{
	struct sampler *s = CONTAINER_OF(timer, struct sampler, timer);
	int16_t v = simulated_reading(s->produced);

	if (ring_buf_put(&s->ring, (const uint8_t *)&v, sizeof(v)) != sizeof(v)) {
		s->dropped++;
	}
	s->produced++;
	if (s->produced % BATCH == 0) {
		/* A full queue drops this call; the next batch's comes. */
		(void)pyrite_schedule(s->callback, (int32_t)(ring_buf_size_get(&s->ring) / 2));
	}
}

static void sampler_halt(struct sampler *s)
{
	k_timer_stop(&s->timer);
	s->running = false;
}

/* Sampler(period_ms, callback): starts sampling; callback(n) is called on
 * the Python thread after every BATCH readings. */
static int sampler_new(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	if (args[0].kind != PYRITE_INT || args[0].i <= 0) {
		return pyrite_raise(PYRITE_EXC_VALUE_ERROR, "period must be a positive int (ms)");
	}
	if (sampler.running) {
		return pyrite_raise_errno(EBUSY);
	}
	PyriteHandle cb = pyrite_hold(&args[1]);

	if (cb == 0) {
		return pyrite_raise(PYRITE_EXC_MEMORY_ERROR, NULL);
	}
	int rc = pyrite_make_capsule(ret, &sampler, PYRITE_TYPE(Sampler));

	if (rc != 0) {
		pyrite_release(cb);
		return rc;
	}
	ring_buf_init(&sampler.ring, sizeof(sampler.storage), sampler.storage);
	sampler.callback = cb;
	sampler.produced = 0;
	sampler.dropped = 0;
	sampler.running = true;
	k_timer_init(&sampler.timer, sample_isr, NULL);
	k_timer_start(&sampler.timer, K_MSEC(args[0].i), K_MSEC(args[0].i));
	return 0;
}

/* The collector or a soft reset: no more interrupts for a VM that is gone
 * (a finaliser must not call into Pyrite: the handle goes with the VM). */
static void sampler_finalise(void *ptr)
{
	sampler_halt(ptr);
}

/* stop(): no more readings; the callback is let go. */
static int sampler_stop(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	struct sampler *s = pyrite_capsule_get(&args[0], PYRITE_TYPE(Sampler));

	if (s->running) {
		sampler_halt(s);
		pyrite_release(s->callback);
		s->callback = 0;
	}
	return 0;
}

/* read_into(buf): moves as many readings as fit into buf (a bytearray,
 * array or memoryview: filled where it is), two little-endian bytes each;
 * returns how many. */
static int sampler_read_into(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	struct sampler *s = pyrite_capsule_get(&args[0], PYRITE_TYPE(Sampler));

	if (args[1].kind != PYRITE_BUFFER) {
		return pyrite_raise(PYRITE_EXC_TYPE_ERROR, "a writable buffer is required");
	}
	unsigned int key = irq_lock();
	uint32_t got = ring_buf_get(&s->ring, args[1].data, args[1].len & ~(size_t)1);

	irq_unlock(key);
	*ret = pyrite_int(got / 2);
	return 0;
}

static int sampler_available(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	struct sampler *s = pyrite_capsule_get(&args[0], PYRITE_TYPE(Sampler));

	*ret = pyrite_int(ring_buf_size_get(&s->ring) / 2);
	return 0;
}

/* stats(): (readings taken, readings dropped for a full buffer). */
static int sampler_stats(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	struct sampler *s = pyrite_capsule_get(&args[0], PYRITE_TYPE(Sampler));
	PyriteValue items[2] = {pyrite_int(s->produced), pyrite_int(s->dropped)};

	return pyrite_make_sequence(ret, items, 2, false);
}

PYRITE_TYPE_DEFINE(Sampler, sampler_finalise,
	PYRITE_FUNCTION(__new__, sampler_new, 2, 2),
	PYRITE_METHOD(stop, sampler_stop, 1, 1),
	PYRITE_METHOD(read_into, sampler_read_into, 2, 2),
	PYRITE_METHOD(available, sampler_available, 1, 1),
	PYRITE_METHOD(stats, sampler_stats, 1, 1));

/* apply(f, buf, n): calls f(reading) for the first n readings in buf (as
 * read_into left them) and returns the sum of what f returned. */
static int apply(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	if (args[1].kind != PYRITE_BUFFER && args[1].kind != PYRITE_BYTES) {
		return pyrite_raise(PYRITE_EXC_TYPE_ERROR, "a buffer is required");
	}
	if (args[2].kind != PYRITE_INT || args[2].i < 0 || (size_t)args[2].i * 2 > args[1].len) {
		return pyrite_raise(PYRITE_EXC_VALUE_ERROR, "count out of range");
	}
	PyriteHandle f = pyrite_hold(&args[0]);
	const uint8_t *data = args[1].data;
	int64_t sum = 0;
	int rc = 0;

	for (int64_t i = 0; i < args[2].i && rc == 0; i++) {
		int16_t v = (int16_t)(data[2 * i] | data[2 * i + 1] << 8);
		PyriteValue r;

		rc = pyrite_callf(f, &r, "i", v);
		if (rc == PYRITE_OK && r.kind == PYRITE_INT) {
			sum += r.i;
		} else if (rc == PYRITE_OK) {
			rc = -1;
		}
	}
	pyrite_release(f);
	if (rc != 0) {
		return pyrite_raise(PYRITE_EXC_RUNTIME_ERROR, "the function failed or returned a non-int");
	}
	*ret = pyrite_int(sum);
	return 0;
}

#ifdef HAVE_EMULATED_ACCEL
/* emulated_accel_x(milli_m_s2): sets what the emulated BMI160 measures on
 * its X axis (native_sim), for zephyr.sensor to read. */
static int emulated_accel_x(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	const struct emul *emul = EMUL_DT_GET(DT_COMPAT_GET_ANY_STATUS_OKAY(bosch_bmi160));
	struct sensor_chan_spec ch = {.chan_type = SENSOR_CHAN_ACCEL_X, .chan_idx = 0};
	/* A Q31 value scaled by 2^4: +-16 m/s^2. */
	q31_t value = (q31_t)(args[0].i * ((int64_t)1 << 31) / 16000);
	int rc = emul_sensor_backend_set_channel(emul, ch, &value, 4);

	return rc < 0 ? pyrite_raise_errno(-rc) : 0;
}
#define EMULATED_ACCEL_MEMBER PYRITE_FUNCTION(emulated_accel_x, emulated_accel_x, 1, 1),
#else
#define EMULATED_ACCEL_MEMBER
#endif

PYRITE_MODULE_DEFINE(sensordrv,
	PYRITE_TYPE_MEMBER(Sampler),
	PYRITE_FUNCTION(apply, apply, 3, 3),
	EMULATED_ACCEL_MEMBER
	PYRITE_INT_CONST(BATCH, BATCH),
	PYRITE_INT_CONST(CAPACITY, CAPACITY));
