"""The board's own names from a pyrite,machine devicetree node
(board_names.overlay on native_sim): pins by the names printed on a board,
with their flags, and the default buses of I2C() and SPI()."""

from twister_harness import Shell

from test_shell import py, strip


def emul_out(shell: Shell, pin: int) -> str:
    return next(strip(l) for l in shell.exec_command(f"emul_out {pin}") if f"emul_out {pin} =" in l)


def test_pins_by_board_name(shell: Shell):
    py(shell, "from machine import Pin")
    py(shell, "d13 = Pin('D13', Pin.OUT); d13.value(1)")
    assert emul_out(shell, 10) == "emul_out 10 = 1"
    py(shell, "d13.value(0)")
    assert emul_out(shell, 10) == "emul_out 10 = 0"
    # Active low in the devicetree: on() drives the line low.
    py(shell, "led = Pin('LED_RED', Pin.OUT); led.on()")
    assert emul_out(shell, 11) == "emul_out 11 = 0"
    py(shell, "led.off()")
    assert emul_out(shell, 11) == "emul_out 11 = 1"


def test_default_buses(shell: Shell):
    py(shell, "from machine import I2C, SPI")
    assert "I2C('i2c0')" in py(shell, "print(I2C())")
    py(shell, "I2C().writeto_mem(0x57, 0x20, b'ok')")
    assert "b'ok'" in py(shell, "print(I2C('i2c0').readfrom_mem(0x57, 0x20, 2))")
    assert "SPI('spi0', baudrate=1000000" in "".join(py(shell, "print(SPI())"))
