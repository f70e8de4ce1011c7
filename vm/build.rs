//! With `vfs-lfs2-bundled`: the bundled littlefs and the VM's shim over it
//! (see `lfs/pyrite_lfs.h`). Ports that link a littlefs of their own (the
//! Zephyr module) build the shim themselves and use `vfs-lfs2` alone.

fn main() {
    #[cfg(feature = "vfs-lfs2-bundled")]
    {
        for f in [
            "lfs/pyrite_lfs.c",
            "lfs/pyrite_lfs.h",
            "lfs/littlefs/lfs.c",
            "lfs/littlefs/lfs.h",
            "lfs/littlefs/lfs_util.c",
            "lfs/littlefs/lfs_util.h",
        ] {
            println!("cargo::rerun-if-changed={f}");
        }
        cc::Build::new()
            .include("lfs/littlefs")
            .include("lfs")
            // Errors come back as return values; littlefs's own logging and
            // asserts would print or abort, and it never allocates here.
            .define("LFS_NO_DEBUG", None)
            .define("LFS_NO_WARN", None)
            .define("LFS_NO_ERROR", None)
            .define("LFS_NO_ASSERT", None)
            .define("LFS_NO_MALLOC", None)
            .file("lfs/littlefs/lfs.c")
            .file("lfs/littlefs/lfs_util.c")
            .file("lfs/pyrite_lfs.c")
            .warnings(false)
            .compile("pyrite_lfs");
    }
    println!("cargo::rerun-if-changed=build.rs");
}
