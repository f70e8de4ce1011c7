"""machine.PWM against a PWM driver that keeps what it was set to: the
period and pulse Python asks for arrive at the driver."""

from twister_harness import Shell

from test_shell import py, strip


def seen(shell: Shell) -> str:
    return next(strip(l) for l in shell.exec_command("pwm_seen 1") if "pwm_seen 1 =" in l)


def test_period_and_pulse_reach_the_driver(shell: Shell):
    py(shell, "from machine import PWM")
    py(shell, "p = PWM('pwm_led0', duty_u16=32768)")
    # The devicetree's 20 ms period, half of it on.
    assert seen(shell) == "pwm_seen 1 = 20000000 10000153"
    assert "50 32768 PWM('pwm_led0')" in py(shell, "print(p.freq(), p.duty_u16(), p)")
    py(shell, "p.freq(1000)")
    # The duty ratio stays across the change of frequency.
    assert seen(shell) == "pwm_seen 1 = 1000000 500008"
    py(shell, "p.duty_ns(250000)")
    assert seen(shell) == "pwm_seen 1 = 1000000 250000"
    py(shell, "p.deinit()")
    assert seen(shell) == "pwm_seen 1 = 1000000 0"


def test_unknown_pwm(shell: Shell):
    out = py(shell, "from machine import PWM; PWM('nope')")
    assert any("ValueError: PWM 'nope' isn't in the devicetree; there is: pwm_led0" in l for l in out), out
