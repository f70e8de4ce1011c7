"""machine.ADC against Zephyr's ADC emulator on native_sim: channels named
and configured by the devicetree (adc_emul.overlay), input voltages set by
the test through the emulator."""

from twister_harness import Shell

from test_shell import py


def test_named_channel_reads_the_set_voltage(shell: Shell):
    shell.exec_command("adc_set 0 1650")
    py(shell, "from machine import ADC")
    py(shell, "a = ADC('pot')")
    # 12 bits against the 3.3 V internal reference: one step is 806 uV, and
    # the emulator rounds 1650 mV down to raw 2047.
    out = py(shell, "print(a, a.read_uv(), a.read_u16())")
    name, uv, u16 = out[-1].split()
    assert name == "ADC('pot')", out
    assert 1650000 - 806 <= int(uv) <= 1650000 and 32752 <= int(u16) <= 32776, out
    shell.exec_command("adc_set 0 3300")
    assert "65535" in py(shell, "print(a.read_u16())")
    shell.exec_command("adc_set 0 0")
    assert "0 0" in py(shell, "print(a.read_uv(), a.read_u16())")


def test_controller_channel_with_gain_and_external_reference(shell: Shell):
    # Gain 1/2 against a 1.8 V reference: 3.6 V full scale, 10 bits.
    shell.exec_command("adc_set 1 900")
    py(shell, "from machine import ADC")
    py(shell, "b = ADC(('adc0', 1))")
    out = py(shell, "print(b.read_uv(), b.read_u16())")
    uv, u16 = (int(x) for x in out[-1].split())
    assert abs(uv - 900000) <= 3600, out
    assert abs(u16 - 16384) <= 64, out


def test_errors(shell: Shell):
    py(shell, "from machine import ADC")
    out = py(shell, "ADC('nope')")
    assert any("ValueError: ADC 'nope' isn't in the devicetree; there is: pot" in l for l in out), out
    out = py(shell, "ADC(('adc0', 7))")
    assert any("ValueError: ADC ('adc0', 7) isn't in the devicetree" in l for l in out), out
