/*
 * littlefs for Pyrite's VfsLfs2: see pyrite_lfs.h. Plain C99 over lfs.h, so
 * it builds against any littlefs 2.x the port links.
 */
#include "pyrite_lfs.h"

#include <string.h>
#include <lfs.h>

/* The mtime attribute, as MicroPython's VfsLfs2 writes it: 8 bytes,
 * little-endian nanoseconds since 1970. */
#define MTIME_ATTR 't'

struct fs_state {
	lfs_t lfs;
	struct lfs_config cfg;
};

struct file_state {
	lfs_file_t file;
	struct lfs_file_config cfg;
	struct lfs_attr attr;
	uint8_t mtime[8];
};

size_t pyrite_lfs_fs_state_size(void)
{
	return sizeof(struct fs_state);
}

size_t pyrite_lfs_file_state_size(void)
{
	return sizeof(struct file_state);
}

size_t pyrite_lfs_dir_state_size(void)
{
	return sizeof(lfs_dir_t);
}

uint32_t pyrite_lfs_name_max(void)
{
	return LFS_NAME_MAX;
}

static int bd_read(const struct lfs_config *c, lfs_block_t block, lfs_off_t off, void *buf,
		   lfs_size_t size)
{
	return pyrite_lfs_bd_read(c->context, block, off, buf, size);
}

static int bd_prog(const struct lfs_config *c, lfs_block_t block, lfs_off_t off,
		   const void *buf, lfs_size_t size)
{
	return pyrite_lfs_bd_prog(c->context, block, off, buf, size);
}

static int bd_erase(const struct lfs_config *c, lfs_block_t block)
{
	return pyrite_lfs_bd_erase(c->context, block);
}

static int bd_sync(const struct lfs_config *c)
{
	return pyrite_lfs_bd_sync(c->context);
}

void pyrite_lfs_setup(void *fs, uint32_t block_size, uint32_t block_count, uint32_t read_size,
		      uint32_t prog_size, uint32_t lookahead, uint32_t cache_size,
		      uint8_t *read_buf, uint8_t *prog_buf, uint8_t *lookahead_buf)
{
	struct fs_state *s = fs;

	memset(s, 0, sizeof(*s));
	s->cfg.read = bd_read;
	s->cfg.prog = bd_prog;
	s->cfg.erase = bd_erase;
	s->cfg.sync = bd_sync;
	s->cfg.read_size = read_size;
	s->cfg.prog_size = prog_size;
	s->cfg.block_size = block_size;
	s->cfg.block_count = block_count;
	s->cfg.block_cycles = 100;
	s->cfg.cache_size = cache_size;
	s->cfg.lookahead_size = lookahead;
	s->cfg.read_buffer = read_buf;
	s->cfg.prog_buffer = prog_buf;
	s->cfg.lookahead_buffer = lookahead_buf;
}

void *pyrite_lfs_bind(void *fs, void *ctx)
{
	struct fs_state *s = fs;
	void *was = s->cfg.context;

	s->cfg.context = ctx;
	return was;
}

int pyrite_lfs_format(void *fs)
{
	struct fs_state *s = fs;

	return lfs_format(&s->lfs, &s->cfg);
}

int pyrite_lfs_mount(void *fs)
{
	struct fs_state *s = fs;

	return lfs_mount(&s->lfs, &s->cfg);
}

int pyrite_lfs_unmount(void *fs)
{
	return lfs_unmount(&((struct fs_state *)fs)->lfs);
}

int32_t pyrite_lfs_used_blocks(void *fs)
{
	return lfs_fs_size(&((struct fs_state *)fs)->lfs);
}

int pyrite_lfs_mkdir(void *fs, const char *path)
{
	return lfs_mkdir(&((struct fs_state *)fs)->lfs, path);
}

int pyrite_lfs_remove(void *fs, const char *path)
{
	return lfs_remove(&((struct fs_state *)fs)->lfs, path);
}

int pyrite_lfs_rename(void *fs, const char *from, const char *to)
{
	return lfs_rename(&((struct fs_state *)fs)->lfs, from, to);
}

static int64_t mtime_of(const uint8_t b[8])
{
	uint64_t ns = 0;

	for (int i = 7; i >= 0; i--) {
		ns = ns << 8 | b[i];
	}
	return (int64_t)ns;
}

int pyrite_lfs_stat(void *fs, const char *path, uint8_t *is_dir, uint32_t *size, int64_t *mtime_ns)
{
	lfs_t *lfs = &((struct fs_state *)fs)->lfs;
	struct lfs_info info;
	uint8_t b[8];
	int r = lfs_stat(lfs, path, &info);

	if (r < 0) {
		return r;
	}
	*is_dir = info.type == LFS_TYPE_DIR;
	*size = info.size;
	*mtime_ns = lfs_getattr(lfs, path, MTIME_ATTR, b, sizeof(b)) == (lfs_ssize_t)sizeof(b)
			    ? mtime_of(b)
			    : 0;
	return 0;
}

int pyrite_lfs_file_open(void *fs, void *file, const char *path, int flags, uint8_t *cache_buf,
			 int64_t mtime_ns)
{
	struct file_state *f = file;

	memset(f, 0, sizeof(*f));
	f->cfg.buffer = cache_buf;
	if (mtime_ns != 0 && (flags & LFS_O_WRONLY)) {
		for (int i = 0; i < 8; i++) {
			f->mtime[i] = (uint8_t)((uint64_t)mtime_ns >> (8 * i));
		}
		f->attr.type = MTIME_ATTR;
		f->attr.buffer = f->mtime;
		f->attr.size = sizeof(f->mtime);
		f->cfg.attrs = &f->attr;
		f->cfg.attr_count = 1;
	}
	return lfs_file_opencfg(&((struct fs_state *)fs)->lfs, &f->file, path, flags, &f->cfg);
}

int pyrite_lfs_file_close(void *fs, void *file)
{
	return lfs_file_close(&((struct fs_state *)fs)->lfs, &((struct file_state *)file)->file);
}

int32_t pyrite_lfs_file_read(void *fs, void *file, uint8_t *buf, uint32_t size)
{
	return lfs_file_read(&((struct fs_state *)fs)->lfs, &((struct file_state *)file)->file, buf,
			     size);
}

int32_t pyrite_lfs_file_write(void *fs, void *file, const uint8_t *buf, uint32_t size)
{
	return lfs_file_write(&((struct fs_state *)fs)->lfs, &((struct file_state *)file)->file,
			      buf, size);
}

int32_t pyrite_lfs_file_seek(void *fs, void *file, int32_t offset, int whence)
{
	return lfs_file_seek(&((struct fs_state *)fs)->lfs, &((struct file_state *)file)->file,
			     offset, whence);
}

int pyrite_lfs_file_sync(void *fs, void *file)
{
	return lfs_file_sync(&((struct fs_state *)fs)->lfs, &((struct file_state *)file)->file);
}

int pyrite_lfs_dir_open(void *fs, void *dir, const char *path)
{
	return lfs_dir_open(&((struct fs_state *)fs)->lfs, dir, path);
}

int pyrite_lfs_dir_read(void *fs, void *dir, char *name, size_t name_cap, uint8_t *is_dir,
			uint32_t *size)
{
	struct lfs_info info;
	int r = lfs_dir_read(&((struct fs_state *)fs)->lfs, dir, &info);

	if (r <= 0) {
		return r;
	}
	strncpy(name, info.name, name_cap - 1);
	name[name_cap - 1] = '\0';
	*is_dir = info.type == LFS_TYPE_DIR;
	*size = info.size;
	return 1;
}

int pyrite_lfs_dir_close(void *fs, void *dir)
{
	return lfs_dir_close(&((struct fs_state *)fs)->lfs, dir);
}

/* The open flags the VM passes are these values. */
_Static_assert(LFS_O_RDONLY == 1 && LFS_O_WRONLY == 2 && LFS_O_RDWR == 3 && LFS_O_CREAT == 0x100 &&
		       LFS_O_EXCL == 0x200 && LFS_O_TRUNC == 0x400 && LFS_O_APPEND == 0x800,
	       "littlefs open flags");
_Static_assert(LFS_SEEK_SET == 0 && LFS_SEEK_CUR == 1 && LFS_SEEK_END == 2, "littlefs whence");
