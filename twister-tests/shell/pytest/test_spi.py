"""machine.SPI against Zephyr's BMI160 emulator on native_sim's emulated SPI
controller: the device, its slave number and clock come from the devicetree
(spi_emul.overlay). The emulator takes a command byte and its data as two
buffers of one transaction, so the reads and writes here pass lists."""

from twister_harness import Shell

from test_shell import py


def test_device_settings_come_from_its_node(shell: Shell):
    py(shell, "from machine import SPI")
    py(shell, "s = SPI('bmi160_spi')")
    out = py(shell, "print(s)")
    assert "SPI('bmi160_spi', baudrate=2000000, polarity=0, phase=0, bits=8, firstbit=MSB)" in out, out


def test_bmi160_chip_id(shell: Shell):
    py(shell, "from machine import SPI")
    py(shell, "s = SPI('bmi160_spi')")
    py(shell, "r = bytearray(1)")
    py(shell, "s.write_readinto([b'\\x80', b'\\x00'], [None, r])")
    assert "bytearray(b'\\xd1')" in py(shell, "print(r)")


def test_register_write_then_read_back(shell: Shell):
    py(shell, "from machine import SPI")
    py(shell, "s = SPI('bmi160_spi', 1000000)")
    # ACC_RANGE (0x41) and GYR_RANGE (0x43): written, then read as a block
    # of four registers from ACC_CONF (0x40).
    py(shell, "s.write([b'\\x41', b'\\x0c'])")
    py(shell, "s.write([b'\\x43', b'\\x02'])")
    py(shell, "r = bytearray(4)")
    py(shell, "s.write_readinto([b'\\xc0', bytes(4)], [None, r])")
    out = py(shell, "print(r[1], r[3])")
    assert "12 2" in out, out


def test_errors(shell: Shell):
    py(shell, "from machine import SPI")
    out = py(shell, "SPI('nope')")
    assert any("ValueError: SPI 'nope' isn't in the devicetree; there is: " in l and "bmi160_spi" in l for l in out), out
    # The bare controller selects slave 0, where nothing answers.
    out = py(shell, "SPI('spi0').write(b'\\x00')")
    assert any("OSError: [Errno 5] EIO" in l for l in out), out
    out = py(shell, "SPI('spi0', sck=1)")
    assert any("NotImplementedError: explicit choice of sck/miso/mosi is not implemented" in l for l in out), out
