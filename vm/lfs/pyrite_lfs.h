/*
 * Pyrite's VfsLfs2 reaches littlefs through these few functions, so that the
 * VM needs no copy of littlefs's structures' layout: the port compiles
 * pyrite_lfs.c against the littlefs it links (Zephyr's littlefs module on a
 * device, the host binary's own copy) and the VM allocates the opaque state
 * on the Python heap with the sizes given here.
 *
 * The block device is reached through four callbacks the VM defines
 * (pyrite_lfs_bd_*), with the context the VM binds around each call.
 */
#ifndef PYRITE_LFS_H
#define PYRITE_LFS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sizes of the opaque states: a file system (littlefs's state and its
 * configuration), an open file (with its configuration and mtime
 * attribute) and an open directory. */
size_t pyrite_lfs_fs_state_size(void);
size_t pyrite_lfs_file_state_size(void);
size_t pyrite_lfs_dir_state_size(void);
uint32_t pyrite_lfs_name_max(void);

/* Fills a file system's configuration; the three buffers are cache_size,
 * cache_size and lookahead bytes. */
void pyrite_lfs_setup(void *fs, uint32_t block_size, uint32_t block_count, uint32_t read_size,
		      uint32_t prog_size, uint32_t lookahead, uint32_t cache_size,
		      uint8_t *read_buf, uint8_t *prog_buf, uint8_t *lookahead_buf);
/* Sets the context the callbacks get; returns the one it replaces. */
void *pyrite_lfs_bind(void *fs, void *ctx);

int pyrite_lfs_format(void *fs);
int pyrite_lfs_mount(void *fs);
int pyrite_lfs_unmount(void *fs);
/* Blocks in use, or a negative error. */
int32_t pyrite_lfs_used_blocks(void *fs);

int pyrite_lfs_mkdir(void *fs, const char *path);
int pyrite_lfs_remove(void *fs, const char *path);
int pyrite_lfs_rename(void *fs, const char *from, const char *to);
/* is_dir, size and the mtime attribute (ns since 1970; 0 without one). */
int pyrite_lfs_stat(void *fs, const char *path, uint8_t *is_dir, uint32_t *size, int64_t *mtime_ns);

/* flags: littlefs's LFS_O_* values, which pyrite_lfs.c checks. With
 * mtime_ns nonzero the file gets that mtime attribute when written. */
int pyrite_lfs_file_open(void *fs, void *file, const char *path, int flags, uint8_t *cache_buf,
			 int64_t mtime_ns);
int pyrite_lfs_file_close(void *fs, void *file);
int32_t pyrite_lfs_file_read(void *fs, void *file, uint8_t *buf, uint32_t size);
int32_t pyrite_lfs_file_write(void *fs, void *file, const uint8_t *buf, uint32_t size);
int32_t pyrite_lfs_file_seek(void *fs, void *file, int32_t offset, int whence);
int pyrite_lfs_file_sync(void *fs, void *file);

int pyrite_lfs_dir_open(void *fs, void *dir, const char *path);
/* 1 with an entry's name (NUL-terminated, at most name_cap bytes), type and
 * size; 0 at the end; negative on error. */
int pyrite_lfs_dir_read(void *fs, void *dir, char *name, size_t name_cap, uint8_t *is_dir,
			uint32_t *size);
int pyrite_lfs_dir_close(void *fs, void *dir);

/* Defined by the VM: the block device's readblocks, writeblocks and ioctl
 * (erase, sync). 0 or a negative error. */
int pyrite_lfs_bd_read(void *ctx, uint32_t block, uint32_t off, uint8_t *buf, uint32_t size);
int pyrite_lfs_bd_prog(void *ctx, uint32_t block, uint32_t off, const uint8_t *buf, uint32_t size);
int pyrite_lfs_bd_erase(void *ctx, uint32_t block);
int pyrite_lfs_bd_sync(void *ctx);

#ifdef __cplusplus
}
#endif

#endif
