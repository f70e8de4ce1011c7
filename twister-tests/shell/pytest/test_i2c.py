"""machine.I2C against Zephyr's I2C emulators on native_sim: the bus and its
targets come from the devicetree (i2c_emul.overlay), the bytes from the
emulated AT24 EEPROM and BMI160."""

from twister_harness import Shell

from test_shell import py


def test_scan_finds_the_eeprom(shell: Shell):
    py(shell, "from machine import I2C")
    py(shell, "i2c = I2C('i2c0')")
    out = py(shell, "print(0x57 in i2c.scan(), 0x50 in i2c.scan(), i2c)")
    assert "True False I2C('i2c0')" in out


def test_eeprom_round_trip(shell: Shell):
    py(shell, "from machine import I2C")
    py(shell, "i = I2C('i2c0')")
    py(shell, "i.writeto_mem(0x57, 0, b'hi')")
    assert "b'hi'" in py(shell, "print(i.readfrom_mem(0x57, 0, 2))")
    # The pointer write without a STOP, then the read with a repeated START.
    py(shell, "i.writeto(0x57, b'\\x40pyrite')")
    py(shell, "i.writeto(0x57, b'\\x42', False)")
    assert "b'rite'" in py(shell, "print(i.readfrom(0x57, 4))")
    py(shell, "b = bytearray(6)")
    py(shell, "i.readfrom_mem_into(0x57, 0x40, b)")
    assert "bytearray(b'pyrite')" in py(shell, "print(b)")


def test_bmi160_chip_id_by_alias(shell: Shell):
    # The overlay's alias names the same controller.
    py(shell, "from machine import I2C")
    assert "b'\\xd1'" in py(shell, "print(I2C('sensor-bus').readfrom_mem(0x68, 0, 1))")


def test_errors(shell: Shell):
    py(shell, "from machine import I2C")
    out = py(shell, "I2C('nope')")
    assert any(
        "ValueError: I2C 'nope' isn't in the devicetree; there is: i2c-0, i2c0, sensor-bus" in l for l in out
    ), out
    out = py(shell, "I2C('i2c0').writeto(0x50, b'x')")
    assert any("OSError: [Errno 5] EIO" in l for l in out), out
