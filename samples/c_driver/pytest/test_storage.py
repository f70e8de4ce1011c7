"""zephyr.FlashArea and zephyr.DiskAccess as block devices: littlefs made
and mounted on each from Python (vfs.VfsLfs2), files written and read back,
and the devices' own block protocol."""

from twister_harness import DeviceAdapter


def run(dut: DeviceAdapter, line: str, expect: str, timeout: float = 20) -> list[str]:
    dut.write(line.encode() + b"\r")
    return dut.readlines_until(regex="^" + expect, timeout=timeout)


def test_block_devices(dut: DeviceAdapter):
    dut.readlines_until(regex="Ctrl-D for a soft reset", timeout=30)
    run(dut, "import zephyr, vfs, os; print('types', zephyr.FlashArea, zephyr.DiskAccess)",
        r"types <class 'FlashArea'> <class 'DiskAccess'>")

    # The RAM disk: 192 sectors of 512 bytes, read and written in place.
    run(dut, "d = zephyr.DiskAccess('RAM'); print('disk', d.ioctl(4, 0), d.ioctl(5, 0))", r"disk 192 512")
    run(dut, "w = bytearray(range(256)) * 2; d.writeblocks(3, w); r = bytearray(512); d.readblocks(3, r); print('same', r == w)",
        r"same True")
    run(dut, "d.readblocks(0, bytearray(100))", r"ValueError: buffer not a whole number of blocks")
    run(dut, "vfs.VfsLfs2.mkfs(d); vfs.mount(d, '/ram'); f = open('/ram/a.txt', 'w'); f.write('on the ram disk'); f.close()", "")
    run(dut, "print('ram', os.listdir('/ram'), open('/ram/a.txt').read())", r"ram \['a.txt'\] on the ram disk")
    run(dut, "vfs.umount('/ram'); vfs.mount(d, '/ram'); print('again', open('/ram/a.txt').read())", r"again on the ram disk")
    run(dut, "vfs.umount('/ram')", "")
    run(dut, "zephyr.DiskAccess('NONE')", r"OSError: ")

    # The flash simulator's storage partition, 4 KB blocks.
    run(dut, "fa = zephyr.FlashArea(zephyr.FlashArea.STORAGE, 4096); print('flash', fa.ioctl(4, 0) >= 2, fa.ioctl(5, 0))",
        r"flash True 4096")
    run(dut, "vfs.VfsLfs2.mkfs(fa); vfs.mount(fa, '/fl'); f = open('/fl/b.bin', 'wb'); f.write(bytes(range(200))); f.close()", "")
    run(dut, "print('fl', open('/fl/b.bin', 'rb').read() == bytes(range(200)), os.statvfs('/fl')[0])", r"fl True 4096")
    run(dut, "vfs.umount('/fl'); zephyr.FlashArea(200, 4096)", r"OSError: \[Errno 2\] ENOENT")
