"""The session in this sample's README, against Zephyr's BMI160 emulator."""

import re

from twister_harness import Shell


def py(shell: Shell, code: str) -> list[str]:
    lines = shell.exec_command(f"py {code}", timeout=20)
    return [re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", l).strip() for l in lines if "uart:~$" not in l]


def test_readme_session(shell: Shell):
    py(shell, "from machine import I2C")
    py(shell, "i2c = I2C('i2c0')")
    assert "0xd1" in py(shell, "print(hex(i2c.readfrom_mem(0x68, 0x00, 1)[0]))")
    py(shell, "import struct")
    out = py(shell, "print(struct.unpack('<hhh', i2c.readfrom_mem(0x68, 0x12, 6)))")
    assert any(re.fullmatch(r"\(-?\d+, -?\d+, -?\d+\)", l) for l in out), out
    # The accelerometer's power mode, as the driver left it at boot.
    out = py(shell, "print(i2c.readfrom_mem(0x68, 0x03, 1)[0] >> 4 & 3)")
    assert any(re.fullmatch(r"[0-3]", l) for l in out), out
