"""The README's machine.I2C session, against Zephyr's AT24 emulator."""

from twister_harness import DeviceAdapter, Shell


def test_eeprom_session(dut: DeviceAdapter, shell: Shell):
    # Typed as in the README: one line, longer than the shell's 80 columns,
    # so its echo wraps; read the output rather than match the echo.
    dut.clear_buffer()
    dut.write(b'py from machine import I2C; i=I2C("i2c0"); i.writeto_mem(0x57, 0, b"hi"); print(i.readfrom_mem(0x57, 0, 2))\n')
    dut.readlines_until(regex=r"^b'hi'$", timeout=10)
    lines = shell.exec_command('py I2C("nope")')
    assert any("ValueError: I2C 'nope' isn't in the devicetree; there is: i2c-0, i2c0" in line for line in lines), lines
