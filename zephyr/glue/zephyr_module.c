/*
 * The zephyr module, as MicroPython's Zephyr port offers it, on Zephyr's
 * current API, written with the C module macros of pyrite.h like any
 * application's module: shell_exec(), threads, uptime and cycles,
 * zephyr.sensor (MicroPython's zsensor), and zephyr.FlashArea and
 * zephyr.DiskAccess, block devices for os.VfsLfs2 / os.mount.
 */
#include <errno.h>
#include <string.h>
#include <zephyr/kernel.h>
#include <pyrite.h>

#ifdef CONFIG_SHELL_BACKEND_SERIAL
#include <zephyr/shell/shell.h>
#include <zephyr/shell/shell_uart.h>
#endif
#ifdef CONFIG_THREAD_ANALYZER
#include <zephyr/debug/thread_analyzer.h>
#endif
#ifdef CONFIG_SENSOR
#include <zephyr/drivers/sensor.h>
#endif
#ifdef CONFIG_FLASH_MAP
#include <zephyr/storage/flash_map.h>
#endif
#ifdef CONFIG_DISK_ACCESS
#include <zephyr/storage/disk_access.h>
#endif

/* MicroPython's block device ioctls. */
enum { IOCTL_INIT = 1, IOCTL_DEINIT, IOCTL_SYNC, IOCTL_BLOCK_COUNT, IOCTL_BLOCK_SIZE,
       IOCTL_BLOCK_ERASE };

static int is_preempt_thread(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	*ret = pyrite_bool(k_is_preempt_thread());
	return 0;
}

static int current_tid(const PyriteValue *args, size_t n, PyriteValue *ret)
{
#ifdef CONFIG_MULTITHREADING
	*ret = pyrite_int((intptr_t)k_current_get());
#else
	*ret = pyrite_int(0);
#endif
	return 0;
}

static int uptime_ms(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	*ret = pyrite_int(k_uptime_get());
	return 0;
}

static int cycles(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	*ret = pyrite_int(k_cycle_get_32());
	return 0;
}

static int cycles_per_sec(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	*ret = pyrite_int(sys_clock_hw_cycles_per_sec());
	return 0;
}

/* thread_analyze([cpu]): prints each thread's stack use (CONFIG_THREAD_ANALYZER). */
static int thread_analyze(const PyriteValue *args, size_t n, PyriteValue *ret)
{
#ifdef CONFIG_THREAD_ANALYZER
#ifdef PYRITE_THREAD_ANALYZER_CPU
	unsigned int cpu = n > 0 ? (unsigned int)args[0].i : 0;

	thread_analyzer_print(cpu);
#else
	thread_analyzer_print();
#endif
	return 0;
#else
	return pyrite_raise(PYRITE_EXC_NOT_IMPLEMENTED_ERROR, "needs CONFIG_THREAD_ANALYZER");
#endif
}

/* shell_exec(cmd): runs a shell command on the serial shell, its output there. */
static int shell_exec(const PyriteValue *args, size_t n, PyriteValue *ret)
{
#ifdef CONFIG_SHELL_BACKEND_SERIAL
	char cmd[CONFIG_SHELL_CMD_BUFF_SIZE];

	if (pyrite_cstr(&args[0], cmd, sizeof(cmd)) < 0) {
		return pyrite_raise(PYRITE_EXC_VALUE_ERROR, "command must be a str that fits the shell's buffer");
	}
	*ret = pyrite_int(shell_execute_cmd(shell_backend_uart_get_ptr(), cmd));
	return 0;
#else
	return pyrite_raise(PYRITE_EXC_NOT_IMPLEMENTED_ERROR, "needs CONFIG_SHELL_BACKEND_SERIAL");
#endif
}

#ifdef CONFIG_SENSOR
/* zephyr.sensor.Sensor(name): a sensor by its device name (the devicetree
 * node's label property, else its node name). */
PYRITE_TYPE_DECLARE(Sensor);

static int sensor_new(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	char name[48];

	if (pyrite_cstr(&args[0], name, sizeof(name)) < 0) {
		return pyrite_raise(PYRITE_EXC_TYPE_ERROR, "sensor name must be a str");
	}
	const struct device *dev = device_get_binding(name);

	if (dev == NULL) {
		return pyrite_raise(PYRITE_EXC_VALUE_ERROR, "no such sensor device");
	}
	return pyrite_make_capsule(ret, (void *)dev, PYRITE_TYPE(Sensor));
}

static const struct device *sensor_dev(const PyriteValue *self)
{
	return pyrite_capsule_get(self, PYRITE_TYPE(Sensor));
}

/* measure(): fetches a sample of every channel (sensor_sample_fetch). */
static int sensor_measure(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	int rc = sensor_sample_fetch(sensor_dev(&args[0]));

	return rc < 0 ? pyrite_raise_errno(-rc) : 0;
}

/* How a getter gives a channel's value. */
enum sensor_as { AS_FLOAT, AS_MICROS, AS_MILLIS, AS_INT };

/* The fetched value of channel args[1], as `as`. */
static int sensor_get(const PyriteValue *args, PyriteValue *ret, enum sensor_as as)
{
	struct sensor_value val;

	if (args[1].kind != PYRITE_INT) {
		return pyrite_raise(PYRITE_EXC_TYPE_ERROR, "channel must be an int");
	}
	int rc = sensor_channel_get(sensor_dev(&args[0]), (enum sensor_channel)args[1].i, &val);

	if (rc < 0) {
		return pyrite_raise_errno(-rc);
	}
	switch (as) {
	case AS_FLOAT:
		*ret = pyrite_float(sensor_value_to_double(&val));
		break;
	case AS_MICROS:
		*ret = pyrite_int((int64_t)val.val1 * 1000000 + val.val2);
		break;
	case AS_MILLIS:
		*ret = pyrite_int((int64_t)val.val1 * 1000 + val.val2 / 1000);
		break;
	default:
		*ret = pyrite_int(val.val1);
		break;
	}
	return 0;
}

static int sensor_get_float(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	return sensor_get(args, ret, AS_FLOAT);
}

static int sensor_get_micros(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	return sensor_get(args, ret, AS_MICROS);
}

static int sensor_get_millis(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	return sensor_get(args, ret, AS_MILLIS);
}

static int sensor_get_int(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	return sensor_get(args, ret, AS_INT);
}

PYRITE_TYPE_DEFINE(Sensor, NULL,
	PYRITE_FUNCTION(__new__, sensor_new, 1, 1),
	PYRITE_METHOD(measure, sensor_measure, 1, 1),
	PYRITE_METHOD(get_float, sensor_get_float, 2, 2),
	PYRITE_METHOD(get_micros, sensor_get_micros, 2, 2),
	PYRITE_METHOD(get_millis, sensor_get_millis, 2, 2),
	PYRITE_METHOD(get_int, sensor_get_int, 2, 2));

/* zephyr.sensor: the Sensor class and the channels of Zephyr's sensor API
 * (MicroPython's zsensor names). */
PYRITE_MODULE_DEFINE_NAMED(zephyr_sensor, "zephyr.sensor",
	PYRITE_TYPE_MEMBER(Sensor),
	PYRITE_INT_CONST(ACCEL_X, SENSOR_CHAN_ACCEL_X),
	PYRITE_INT_CONST(ACCEL_Y, SENSOR_CHAN_ACCEL_Y),
	PYRITE_INT_CONST(ACCEL_Z, SENSOR_CHAN_ACCEL_Z),
	PYRITE_INT_CONST(GYRO_X, SENSOR_CHAN_GYRO_X),
	PYRITE_INT_CONST(GYRO_Y, SENSOR_CHAN_GYRO_Y),
	PYRITE_INT_CONST(GYRO_Z, SENSOR_CHAN_GYRO_Z),
	PYRITE_INT_CONST(MAGN_X, SENSOR_CHAN_MAGN_X),
	PYRITE_INT_CONST(MAGN_Y, SENSOR_CHAN_MAGN_Y),
	PYRITE_INT_CONST(MAGN_Z, SENSOR_CHAN_MAGN_Z),
	PYRITE_INT_CONST(DIE_TEMP, SENSOR_CHAN_DIE_TEMP),
	PYRITE_INT_CONST(AMBIENT_TEMP, SENSOR_CHAN_AMBIENT_TEMP),
	PYRITE_INT_CONST(PRESS, SENSOR_CHAN_PRESS),
	PYRITE_INT_CONST(PROX, SENSOR_CHAN_PROX),
	PYRITE_INT_CONST(HUMIDITY, SENSOR_CHAN_HUMIDITY),
	PYRITE_INT_CONST(LIGHT, SENSOR_CHAN_LIGHT),
	PYRITE_INT_CONST(ALTITUDE, SENSOR_CHAN_ALTITUDE),
	PYRITE_INT_CONST(VOLTAGE, SENSOR_CHAN_VOLTAGE),
	PYRITE_INT_CONST(CURRENT, SENSOR_CHAN_CURRENT));
#endif /* CONFIG_SENSOR */

#ifdef CONFIG_FLASH_MAP
/*
 * zephyr.FlashArea(id, block_size): a flash partition as a block device
 * (MicroPython's protocol: readblocks, writeblocks, ioctl) for os.VfsLfs2 and
 * os.mount. FlashArea.STORAGE is the storage_partition's id, if the board
 * has one.
 */
PYRITE_TYPE_DECLARE(FlashArea);

struct flash_area_dev {
	const struct flash_area *area;
	uint32_t block_size;
};

/* Open areas: a capsule holds one of these slots. */
static struct flash_area_dev flash_areas[CONFIG_PYRITE_FLASH_AREAS];

static int flash_area_new(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	if (args[0].kind != PYRITE_INT || args[1].kind != PYRITE_INT || args[1].i <= 0) {
		return pyrite_raise(PYRITE_EXC_TYPE_ERROR, "FlashArea(id, block_size) takes two ints");
	}
	struct flash_area_dev *slot = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(flash_areas); i++) {
		if (flash_areas[i].area == NULL) {
			slot = &flash_areas[i];
			break;
		}
	}
	if (slot == NULL) {
		return pyrite_raise_errno(ENOMEM);
	}
	int rc = flash_area_open((uint8_t)args[0].i, &slot->area);

	if (rc < 0) {
		slot->area = NULL;
		return pyrite_raise_errno(-rc);
	}
	slot->block_size = (uint32_t)args[1].i;
	rc = pyrite_make_capsule(ret, slot, PYRITE_TYPE(FlashArea));
	if (rc != 0) {
		flash_area_close(slot->area);
		slot->area = NULL;
	}
	return rc;
}

static void flash_area_finalise(void *ptr)
{
	struct flash_area_dev *d = ptr;

	flash_area_close(d->area);
	d->area = NULL;
}

/* The device and the byte offset of block args[1] plus args[3] if given;
 * args[2] must be a buffer (writable for a read). */
static int flash_area_span(const PyriteValue *args, size_t n, bool writable,
			   struct flash_area_dev **d, off_t *off)
{
	*d = pyrite_capsule_get(&args[0], PYRITE_TYPE(FlashArea));
	if (args[1].kind != PYRITE_INT || (n > 3 && args[3].kind != PYRITE_INT) ||
	    !(args[2].kind == PYRITE_BUFFER || (!writable && args[2].kind == PYRITE_BYTES))) {
		return pyrite_raise(PYRITE_EXC_TYPE_ERROR, "block, buffer[, offset] expected");
	}
	*off = (off_t)args[1].i * (*d)->block_size + (n > 3 ? (off_t)args[3].i : 0);
	return 0;
}

static int flash_area_readblocks(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	struct flash_area_dev *d;
	off_t off;
	int rc = flash_area_span(args, n, true, &d, &off);

	if (rc == 0) {
		rc = flash_area_read(d->area, off, args[2].data, args[2].len);
		if (rc < 0) {
			return pyrite_raise_errno(-rc);
		}
	}
	return rc;
}

/* Without an offset the blocks written are erased first. */
static int flash_area_writeblocks(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	struct flash_area_dev *d;
	off_t off;
	int rc = flash_area_span(args, n, false, &d, &off);

	if (rc != 0) {
		return rc;
	}
	if (n == 3 && args[2].len > 0) {
		size_t blocks = (args[2].len - 1) / d->block_size + 1;

		rc = flash_area_erase(d->area, off, blocks * d->block_size);
		if (rc < 0) {
			return pyrite_raise_errno(-rc);
		}
	}
	rc = flash_area_write(d->area, off, args[2].data, args[2].len);
	return rc < 0 ? pyrite_raise_errno(-rc) : 0;
}

static int flash_area_ioctl(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	struct flash_area_dev *d = pyrite_capsule_get(&args[0], PYRITE_TYPE(FlashArea));

	if (args[1].kind != PYRITE_INT) {
		return pyrite_raise(PYRITE_EXC_TYPE_ERROR, "ioctl op must be an int");
	}
	switch (args[1].i) {
	case IOCTL_INIT:
	case IOCTL_DEINIT:
	case IOCTL_SYNC:
		*ret = pyrite_int(0);
		return 0;
	case IOCTL_BLOCK_COUNT:
		*ret = pyrite_int(d->area->fa_size / d->block_size);
		return 0;
	case IOCTL_BLOCK_SIZE:
		*ret = pyrite_int(d->block_size);
		return 0;
	case IOCTL_BLOCK_ERASE: {
		if (args[2].kind != PYRITE_INT) {
			return pyrite_raise(PYRITE_EXC_TYPE_ERROR, "block must be an int");
		}
		int rc = flash_area_erase(d->area, (off_t)args[2].i * d->block_size, d->block_size);

		*ret = pyrite_int(rc);
		return 0;
	}
	default:
		*ret = pyrite_none();
		return 0;
	}
}

#if FIXED_PARTITION_EXISTS(storage_partition)
#define Z_STORAGE_MEMBER PYRITE_INT_CONST(STORAGE, FIXED_PARTITION_ID(storage_partition)),
#else
#define Z_STORAGE_MEMBER
#endif

PYRITE_TYPE_DEFINE(FlashArea, flash_area_finalise,
	PYRITE_FUNCTION(__new__, flash_area_new, 2, 2),
	PYRITE_METHOD(readblocks, flash_area_readblocks, 3, 4),
	PYRITE_METHOD(writeblocks, flash_area_writeblocks, 3, 4),
	Z_STORAGE_MEMBER
	PYRITE_METHOD(ioctl, flash_area_ioctl, 3, 3));

#define Z_FLASH_AREA_MEMBER PYRITE_TYPE_MEMBER(FlashArea),
#else
#define Z_FLASH_AREA_MEMBER
#endif /* CONFIG_FLASH_MAP */

#ifdef CONFIG_DISK_ACCESS
/*
 * zephyr.DiskAccess(name): a disk of Zephyr's disk access API (an SD card, a
 * RAM or flash disk: its disk-name) as a block device of its sector size,
 * for os.VfsLfs2 / os.mount. Reads and writes go straight between the disk
 * and the buffer.
 */
PYRITE_TYPE_DECLARE(DiskAccess);

struct disk_dev {
	char name[16];
	uint32_t sector_size;
	uint32_t sector_count;
};

/* Open disks: a capsule holds one of these slots. */
static struct disk_dev disks[CONFIG_PYRITE_DISKS];

static int disk_new(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	struct disk_dev *d = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(disks); i++) {
		if (disks[i].name[0] == '\0') {
			d = &disks[i];
			break;
		}
	}
	if (d == NULL) {
		return pyrite_raise_errno(ENOMEM);
	}
	if (pyrite_cstr(&args[0], d->name, sizeof(d->name)) <= 0) {
		d->name[0] = '\0';
		return pyrite_raise(PYRITE_EXC_TYPE_ERROR, "disk name must be a str");
	}
	int rc = disk_access_init(d->name);

	if (rc == 0) {
		rc = disk_access_ioctl(d->name, DISK_IOCTL_GET_SECTOR_SIZE, &d->sector_size);
	}
	if (rc == 0) {
		rc = disk_access_ioctl(d->name, DISK_IOCTL_GET_SECTOR_COUNT, &d->sector_count);
	}
	if (rc == 0 && d->sector_size == 0) {
		rc = -EIO;
	}
	if (rc == 0) {
		rc = pyrite_make_capsule(ret, d, PYRITE_TYPE(DiskAccess));
		if (rc != 0) {
			d->name[0] = '\0';
		}
		return rc;
	}
	d->name[0] = '\0';
	return pyrite_raise_errno(rc < 0 ? -rc : ENODEV);
}

static void disk_finalise(void *ptr)
{
	struct disk_dev *d = ptr;

	(void)disk_access_ioctl(d->name, DISK_IOCTL_CTRL_SYNC, NULL);
	d->name[0] = '\0';
}

/* Sectors are read whole: a part of one (an offset, littlefs's reads and
 * programs) goes through this buffer. */
static uint8_t disk_bounce[512];

/* `len` bytes at byte `off` of the disk to or from `buf`: whole sectors
 * directly, parts of one through disk_bounce (read, changed, written). */
static int disk_rw(struct disk_dev *d, uint64_t off, uint8_t *buf, size_t len, bool write)
{
	uint32_t ss = d->sector_size;

	while (len > 0) {
		uint32_t sector = (uint32_t)(off / ss);
		uint32_t in = (uint32_t)(off % ss);
		int rc;

		if (in == 0 && len >= ss) {
			uint32_t count = (uint32_t)(len / ss);

			rc = write ? disk_access_write(d->name, buf, sector, count)
				   : disk_access_read(d->name, buf, sector, count);
			if (rc < 0) {
				return rc;
			}
			off += (uint64_t)count * ss;
			buf += (size_t)count * ss;
			len -= (size_t)count * ss;
			continue;
		}
		if (ss > sizeof(disk_bounce)) {
			return -EINVAL;
		}
		size_t part = MIN(len, ss - in);

		rc = disk_access_read(d->name, disk_bounce, sector, 1);
		if (rc == 0 && write) {
			memcpy(disk_bounce + in, buf, part);
			rc = disk_access_write(d->name, disk_bounce, sector, 1);
		} else if (rc == 0) {
			memcpy(buf, disk_bounce + in, part);
		}
		if (rc < 0) {
			return rc;
		}
		off += part;
		buf += part;
		len -= part;
	}
	return 0;
}

/* readblocks/writeblocks(block, buf[, offset]): MicroPython's block protocol,
 * with the extended form (a byte offset into the block) littlefs uses. */
static int disk_blocks(const PyriteValue *args, size_t n, bool write)
{
	struct disk_dev *d = pyrite_capsule_get(&args[0], PYRITE_TYPE(DiskAccess));

	if (args[1].kind != PYRITE_INT || (n > 3 && args[3].kind != PYRITE_INT) ||
	    !(args[2].kind == PYRITE_BUFFER || (write && args[2].kind == PYRITE_BYTES))) {
		return pyrite_raise(PYRITE_EXC_TYPE_ERROR, "block, buffer[, offset] expected");
	}
	if (n == 3 && args[2].len % d->sector_size != 0) {
		return pyrite_raise(PYRITE_EXC_VALUE_ERROR, "buffer not a whole number of blocks");
	}
	uint64_t off = (uint64_t)args[1].i * d->sector_size + (n > 3 ? (uint64_t)args[3].i : 0);
	int rc = disk_rw(d, off, args[2].data, args[2].len, write);

	return rc < 0 ? pyrite_raise_errno(-rc) : 0;
}

static int disk_readblocks(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	return disk_blocks(args, n, false);
}

static int disk_writeblocks(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	return disk_blocks(args, n, true);
}

static int disk_ioctl(const PyriteValue *args, size_t n, PyriteValue *ret)
{
	struct disk_dev *d = pyrite_capsule_get(&args[0], PYRITE_TYPE(DiskAccess));

	if (args[1].kind != PYRITE_INT) {
		return pyrite_raise(PYRITE_EXC_TYPE_ERROR, "ioctl op must be an int");
	}
	switch (args[1].i) {
	case IOCTL_INIT:
	case IOCTL_DEINIT:
		*ret = pyrite_int(0);
		return 0;
	case IOCTL_SYNC:
		*ret = pyrite_int(disk_access_ioctl(d->name, DISK_IOCTL_CTRL_SYNC, NULL));
		return 0;
	case IOCTL_BLOCK_COUNT:
		*ret = pyrite_int(d->sector_count);
		return 0;
	case IOCTL_BLOCK_SIZE:
		*ret = pyrite_int(d->sector_size);
		return 0;
	case IOCTL_BLOCK_ERASE:
		/* Disks rewrite sectors in place: nothing to erase first. */
		*ret = pyrite_int(0);
		return 0;
	default:
		*ret = pyrite_none();
		return 0;
	}
}

PYRITE_TYPE_DEFINE(DiskAccess, disk_finalise,
	PYRITE_FUNCTION(__new__, disk_new, 1, 1),
	PYRITE_METHOD(readblocks, disk_readblocks, 3, 4),
	PYRITE_METHOD(writeblocks, disk_writeblocks, 3, 4),
	PYRITE_METHOD(ioctl, disk_ioctl, 3, 3));

#define Z_DISK_MEMBER PYRITE_TYPE_MEMBER(DiskAccess),
#else
#define Z_DISK_MEMBER
#endif /* CONFIG_DISK_ACCESS */

PYRITE_MODULE_DEFINE(zephyr,
	PYRITE_FUNCTION(is_preempt_thread, is_preempt_thread, 0, 0),
	PYRITE_FUNCTION(current_tid, current_tid, 0, 0),
	PYRITE_FUNCTION(thread_analyze, thread_analyze, 0, 1),
	PYRITE_FUNCTION(shell_exec, shell_exec, 1, 1),
	PYRITE_FUNCTION(uptime_ms, uptime_ms, 0, 0),
	PYRITE_FUNCTION(cycles, cycles, 0, 0),
	Z_FLASH_AREA_MEMBER
	Z_DISK_MEMBER
	PYRITE_FUNCTION(cycles_per_sec, cycles_per_sec, 0, 0));
