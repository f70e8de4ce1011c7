/*
 * Python's files over Zephyr's file system API: whatever the application
 * mounts (littlefs, FAT, ...) is reachable by its mount point. Open files live
 * in a small table; a handle carries a generation count so that a closed
 * handle never reaches a file opened later in the same slot.
 */

#include <errno.h>
#include <string.h>
#include <zephyr/kernel.h>
#include "pyrite_port.h"

const char *pyrite_fs_root(void)
{
	return CONFIG_PYRITE_FS_ROOT;
}

#ifdef CONFIG_FILE_SYSTEM

#include <zephyr/fs/fs.h>

#define SLOT_BITS 8

static struct {
	struct fs_file_t file;
	bool used;
	uint16_t generation;
} files[CONFIG_PYRITE_MAX_OPEN_FILES];

/* Paths come without a terminating NUL. */
static int c_path(char *out, const uint8_t *path, size_t len)
{
	if (len == 0 || len >= CONFIG_PYRITE_MAX_PATH) {
		return -ENAMETOOLONG;
	}
	memcpy(out, path, len);
	out[len] = '\0';
	return 0;
}

/* fs_dirent is large (it holds a whole name): one shared copy, off the
 * stack. Python runs on one thread, so calls never overlap. */
static struct fs_dirent entry;

/* Copies `path` into `p` and reads its directory entry into `entry`. */
static int stat_path(char *p, const uint8_t *path, size_t len)
{
	int rc = c_path(p, path, len);

	return rc < 0 ? rc : fs_stat(p, &entry);
}

static struct fs_file_t *file_of(int handle)
{
	int slot = handle & ((1 << SLOT_BITS) - 1);

	if (handle < 0 || slot >= ARRAY_SIZE(files) || !files[slot].used ||
	    files[slot].generation != (uint16_t)(handle >> SLOT_BITS)) {
		return NULL;
	}
	return &files[slot].file;
}

int pyrite_fs_open(const uint8_t *path, size_t len, int flags)
{
	char p[CONFIG_PYRITE_MAX_PATH];
	int slot;
	int rc = stat_path(p, path, len);

	if (rc == -ENAMETOOLONG) {
		return rc;
	}
	if (rc == 0 && entry.type == FS_DIR_ENTRY_DIR) {
		return -EISDIR;
	}
	if (rc == 0 && (flags & PYRITE_O_EXCLUSIVE)) {
		return -EEXIST;
	}
	for (slot = 0; slot < ARRAY_SIZE(files) && files[slot].used; slot++) {
	}
	if (slot == ARRAY_SIZE(files)) {
		return -EMFILE;
	}
	fs_mode_t mode = 0;

	mode |= (flags & PYRITE_O_READ) ? FS_O_READ : 0;
	mode |= (flags & PYRITE_O_WRITE) ? FS_O_WRITE : 0;
	mode |= (flags & PYRITE_O_APPEND) ? FS_O_APPEND : 0;
	mode |= (flags & PYRITE_O_CREATE) ? FS_O_CREATE : 0;
	fs_file_t_init(&files[slot].file);
	rc = fs_open(&files[slot].file, p, mode);
	if (rc < 0) {
		return rc;
	}
	if (flags & PYRITE_O_TRUNCATE) {
		rc = fs_truncate(&files[slot].file, 0);
		if (rc < 0) {
			fs_close(&files[slot].file);
			return rc;
		}
	}
	files[slot].used = true;
	files[slot].generation++;
	/* Keep handles positive in an int: 15 bits of generation. */
	files[slot].generation &= 0x7fff;
	return slot | (files[slot].generation << SLOT_BITS);
}

int pyrite_fs_read(int handle, uint8_t *buf, size_t len)
{
	struct fs_file_t *f = file_of(handle);

	return f ? (int)fs_read(f, buf, MIN(len, INT32_MAX)) : -EBADF;
}

int pyrite_fs_write(int handle, const uint8_t *buf, size_t len)
{
	struct fs_file_t *f = file_of(handle);

	return f ? (int)fs_write(f, buf, MIN(len, INT32_MAX)) : -EBADF;
}

int64_t pyrite_fs_seek(int handle, int64_t offset, int whence)
{
	struct fs_file_t *f = file_of(handle);
	int rc;

	if (!f) {
		return -EBADF;
	}
	rc = fs_seek(f, (off_t)offset, whence == 0 ? FS_SEEK_SET : whence == 1 ? FS_SEEK_CUR : FS_SEEK_END);
	return rc < 0 ? rc : fs_tell(f);
}

int pyrite_fs_flush(int handle)
{
	struct fs_file_t *f = file_of(handle);

	return f ? fs_sync(f) : -EBADF;
}

void pyrite_fs_close_all(void)
{
	for (int i = 0; i < ARRAY_SIZE(files); i++) {
		if (files[i].used) {
			(void)fs_close(&files[i].file);
			files[i].used = false;
		}
	}
}

int pyrite_fs_sync(void)
{
	for (int i = 0; i < ARRAY_SIZE(files); i++) {
		if (files[i].used) {
			int rc = fs_sync(&files[i].file);

			if (rc < 0) {
				return rc;
			}
		}
	}
	return 0;
}

int pyrite_fs_close(int handle)
{
	struct fs_file_t *f = file_of(handle);

	if (!f) {
		return -EBADF;
	}
	files[handle & ((1 << SLOT_BITS) - 1)].used = false;
	return fs_close(f);
}

int pyrite_fs_list(const uint8_t *path, size_t len,
		   void (*each)(void *ctx, const uint8_t *name, size_t name_len, const struct pyrite_stat *st),
		   void *ctx)
{
	char p[CONFIG_PYRITE_MAX_PATH];
	struct fs_dir_t dir;
	int rc = c_path(p, path, len);

	if (rc < 0) {
		return rc;
	}
	fs_dir_t_init(&dir);
	rc = fs_opendir(&dir, p);
	if (rc < 0) {
		return rc;
	}
	while ((rc = fs_readdir(&dir, &entry)) == 0 && entry.name[0] != '\0') {
		struct pyrite_stat st = {
			.is_dir = entry.type == FS_DIR_ENTRY_DIR,
			.size = entry.size,
		};

		each(ctx, (const uint8_t *)entry.name, strlen(entry.name), &st);
	}
	fs_closedir(&dir);
	return rc < 0 ? rc : 0;
}

int pyrite_fs_stat(const uint8_t *path, size_t len, struct pyrite_stat *st)
{
	char p[CONFIG_PYRITE_MAX_PATH];
	int rc = stat_path(p, path, len);

	if (rc < 0) {
		return rc;
	}
	st->is_dir = entry.type == FS_DIR_ENTRY_DIR;
	st->size = entry.size;
	return 0;
}

int pyrite_fs_statvfs(const uint8_t *path, size_t len, struct pyrite_statvfs *st)
{
	char p[CONFIG_PYRITE_MAX_PATH];
	struct fs_statvfs vfs;
	int rc = c_path(p, path, len);

	if (rc < 0) {
		return rc;
	}
	rc = fs_statvfs(p, &vfs);
	if (rc < 0) {
		return rc;
	}
	st->block_size = vfs.f_frsize;
	st->blocks = vfs.f_blocks;
	st->blocks_free = vfs.f_bfree;
	return 0;
}

int pyrite_fs_mkdir(const uint8_t *path, size_t len)
{
	char p[CONFIG_PYRITE_MAX_PATH];
	int rc = c_path(p, path, len);

	return rc < 0 ? rc : fs_mkdir(p);
}

int pyrite_fs_remove(const uint8_t *path, size_t len, bool dir)
{
	char p[CONFIG_PYRITE_MAX_PATH];
	/* fs_unlink removes both: keep remove() to files, rmdir() to dirs. */
	int rc = stat_path(p, path, len);

	if (rc < 0) {
		return rc;
	}
	if (dir != (entry.type == FS_DIR_ENTRY_DIR)) {
		return dir ? -ENOTDIR : -EISDIR;
	}
	return fs_unlink(p);
}

int pyrite_fs_rename(const uint8_t *from, size_t from_len, const uint8_t *to, size_t to_len)
{
	char a[CONFIG_PYRITE_MAX_PATH];
	char b[CONFIG_PYRITE_MAX_PATH];
	int rc = c_path(a, from, from_len);

	if (rc == 0) {
		rc = c_path(b, to, to_len);
	}
	return rc < 0 ? rc : fs_rename(a, b);
}

#else /* !CONFIG_FILE_SYSTEM: no file system, every call says so. */

int pyrite_fs_open(const uint8_t *path, size_t len, int flags)
{
	return -ENODEV;
}

int pyrite_fs_read(int handle, uint8_t *buf, size_t len)
{
	return -EBADF;
}

int pyrite_fs_write(int handle, const uint8_t *buf, size_t len)
{
	return -EBADF;
}

int64_t pyrite_fs_seek(int handle, int64_t offset, int whence)
{
	return -EBADF;
}

int pyrite_fs_flush(int handle)
{
	return -EBADF;
}

void pyrite_fs_close_all(void)
{
}

int pyrite_fs_sync(void)
{
	return 0;
}

int pyrite_fs_close(int handle)
{
	return -EBADF;
}

int pyrite_fs_list(const uint8_t *path, size_t len,
		   void (*each)(void *ctx, const uint8_t *name, size_t name_len, const struct pyrite_stat *st),
		   void *ctx)
{
	return -ENODEV;
}

int pyrite_fs_stat(const uint8_t *path, size_t len, struct pyrite_stat *st)
{
	return -ENODEV;
}

int pyrite_fs_statvfs(const uint8_t *path, size_t len, struct pyrite_statvfs *st)
{
	return -ENODEV;
}

int pyrite_fs_mkdir(const uint8_t *path, size_t len)
{
	return -ENODEV;
}

int pyrite_fs_remove(const uint8_t *path, size_t len, bool dir)
{
	return -ENODEV;
}

int pyrite_fs_rename(const uint8_t *from, size_t from_len, const uint8_t *to, size_t to_len)
{
	return -ENODEV;
}

#endif
