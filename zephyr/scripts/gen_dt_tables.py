#!/usr/bin/env python3
"""Writes the tables the machine classes resolve names with, from this build's
devicetree.

Named pins: every alias, and every node label of a gpio-leds / gpio-keys child,
whose node has a `gpios` property on an enabled controller, and the board's
names from a `pyrite,machine` node (dts/bindings/pyrite,machine.yaml), which
also names the default buses of I2C(), SPI() and UART(). Ports: the node
labels of enabled GPIO controllers, for Pin(("gpio0", 13)). I2C buses: the node
labels and aliases of enabled I2C controllers, for I2C("i2c0"), of enabled
UARTs, for UART("uart1"), and of enabled SPI controllers and the devices on
them, for SPI("spi1") and SPI("bmi160"). PWM channels: labels and aliases of nodes with a `pwms`
property, for PWM("pwm_led0"). ADC channels: each
name of an `io-channel-names` property on an enabled controller, for
ADC("adc_pot"), and each `channel@N` child of an enabled ADC controller, for
ADC(("adc0", N)).

The header holds X-macros over public devicetree macros (DT_ALIAS,
DT_NODELABEL), so the C side gets each gpio_dt_spec and device at compile time.
"""

import argparse
import os
import pickle
import re
import sys


def token(name):
    """A devicetree name as the token DT_ALIAS()/DT_NODELABEL() expect."""
    return re.sub(r"[^a-z0-9]", "_", name.lower())


def dt_path(node):
    """A node's path as the tokens DT_PATH() expects."""
    return ", ".join(token(p) for p in node.path.strip("/").split("/"))


def adc_controller(node):
    """Whether a node provides io-channels. `#io-channel-cells` is a
    specifier property, which the EDT keeps on the raw devicetree node."""
    raw = getattr(node, "_node", None)
    return raw is not None and "#io-channel-cells" in raw.props


def okay(node):
    return node.status == "okay"


def controller(node, prop_name):
    """The controller of the first entry of a node's phandle-array property
    (`gpios`, `pwms`), or None."""
    prop = node.props.get(prop_name)
    if prop is None or not prop.val:
        return None
    entry = prop.val[0] if isinstance(prop.val, list) else prop.val
    return entry.controller


def by_name(edt, keep):
    """Python name -> node expression: the node labels and aliases of the
    enabled nodes `keep` accepts."""
    names = {}
    for node in edt.nodes:
        if okay(node) and keep(node):
            for label in node.labels:
                names[label] = f"DT_NODELABEL({token(label)})"
            for alias in node.aliases:
                names[alias] = f"DT_ALIAS({token(alias)})"
    return names


def table(comment, macro, rows):
    """An X-macro table: its comment, `#define`, and one `X(...)` per row
    (each ends with a backslash, so a blank line closes the table)."""
    return [f"/* {comment} */", f"#define {macro}(X) \\"] + [f"\tX({row}) \\" for row in rows]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--edt-pickle", required=True)
    ap.add_argument("--zephyr-base", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    sys.path.insert(0, os.path.join(args.zephyr_base, "scripts", "dts", "python-devicetree", "src"))
    with open(args.edt_pickle, "rb") as f:
        edt = pickle.load(f)

    named = {}  # python name -> C node expression

    def usable(node):
        ctrl = controller(node, "gpios")
        return okay(node) and ctrl is not None and okay(ctrl)

    for compat in ("gpio-leds", "gpio-keys"):
        for parent in edt.compat2okay.get(compat, []):
            for child in parent.children.values():
                if usable(child):
                    for label in child.labels:
                        named.setdefault(label, f"DT_NODELABEL({token(label)}), gpios, 0")
    for node in edt.nodes:
        if usable(node):
            for alias in node.aliases:
                named[alias] = f"DT_ALIAS({token(alias)}), gpios, 0"

    # The board's own names (dts/bindings/pyrite,machine.yaml) come last, so
    # they win over an alias of the same name.
    boards = edt.compat2okay.get("pyrite,machine", [])
    for board in boards:
        names = board.props.get("pin-names")
        pins = board.props.get("pin-gpios")
        if names is None or pins is None:
            continue
        names = [names.val] if isinstance(names.val, str) else names.val
        for i, (name, entry) in enumerate(zip(names, pins.val)):
            if entry is not None and entry.controller is not None and okay(entry.controller):
                named[name] = f"DT_PATH({dt_path(board)}), pin_gpios, {i}"

    ports = {}
    for node in edt.nodes:
        if "gpio-controller" in node.props and okay(node):
            for label in node.labels:
                ports[label] = f"DT_NODELABEL({token(label)})"

    i2c = by_name(edt, lambda node: "i2c" in node.buses)
    uarts = by_name(edt, lambda node: "uart" in node.buses)
    spi_buses = by_name(edt, lambda node: "spi" in node.buses)
    # Devices on an enabled SPI bus with a binding (spi-device.yaml gives the
    # properties SPI_CONFIG_DT reads).
    spi_devices = by_name(
        edt,
        lambda node: "spi" in node.on_buses and node.parent is not None and okay(node.parent)
        and "spi-max-frequency" in node.props and bool(node.regs),
    )
    pwms = by_name(edt, lambda node: (c := controller(node, "pwms")) is not None and okay(c))

    adc_named = {}  # python name -> (node, name token)
    for node in edt.nodes:
        names = node.props.get("io-channel-names")
        chans = node.props.get("io-channels")
        if not okay(node) or names is None or chans is None:
            continue
        node_expr = f"DT_NODELABEL({token(node.labels[0])})" if node.labels else f"DT_PATH({dt_path(node)})"
        # One name is read as a string, more as a list.
        names = [names.val] if isinstance(names.val, str) else names.val
        for name, entry in zip(names, chans.val):
            if entry.controller is not None and okay(entry.controller):
                adc_named.setdefault(name, (node_expr, token(name)))

    adc_channels = {}  # (controller label, input) -> (controller, channel node)
    for node in edt.nodes:
        if adc_controller(node) and okay(node) and node.labels:
            label = node.labels[0]
            for child in node.children.values():
                if child.regs and okay(child):
                    adc_channels[(label, child.regs[0].addr)] = (
                        f"DT_NODELABEL({token(label)})",
                        f"DT_CHILD(DT_NODELABEL({token(label)}), {token(child.name)})",
                    )

    # The buses I2C(), SPI() and UART() open: the board node's phandles,
    # by a name the tables hold.
    defaults = []
    for board in boards:
        for prop, macro, known in (
            ("i2c", "PYRITE_DT_DEFAULT_I2C", i2c),
            ("spi", "PYRITE_DT_DEFAULT_SPI", {**spi_buses, **spi_devices}),
            ("uart", "PYRITE_DT_DEFAULT_UART", uarts),
        ):
            target = board.props.get(prop)
            if target is None or target.val is None:
                continue
            names = [n for n in list(target.val.labels) + list(target.val.aliases) if n in known]
            if names:
                defaults.append(f'#define {macro} "{names[0]}"')

    tables = []
    simple = [
        ("X(python_name, node, property, index): named pins.", "PYRITE_DT_NAMED_PINS", named),
        ("X(python_name, node): GPIO controllers.", "PYRITE_DT_GPIO_PORTS", ports),
        ("X(python_name, node): I2C controllers.", "PYRITE_DT_I2C_BUSES", i2c),
        ("X(python_name, node): UARTs.", "PYRITE_DT_UARTS", uarts),
        ("X(python_name, node): SPI controllers.", "PYRITE_DT_SPI_BUSES", spi_buses),
        ("X(python_name, node): devices on an SPI bus.", "PYRITE_DT_SPI_DEVICES", spi_devices),
        ("X(python_name, node): nodes with a `pwms` property.", "PYRITE_DT_PWMS", pwms),
    ]
    for comment, macro, names in simple:
        tables.append(table(comment, macro, [f'"{n}", {expr}' for n, expr in sorted(names.items())]))
    tables.append(table(
        "X(python_name, node, name): io-channels by name.",
        "PYRITE_DT_ADC_NAMED",
        [f'"{n}", {e}, {t}' for n, (e, t) in sorted(adc_named.items())],
    ))
    tables.append(table(
        "X(controller, input, controller node, channel node): channel@N nodes.",
        "PYRITE_DT_ADC_CHANNELS",
        [f'"{l}", {i}, {c}, {ch}' for (l, i), (c, ch) in sorted(adc_channels.items())],
    ))
    lines = [
        "/* Generated by zephyr/scripts/gen_dt_tables.py from this build's devicetree. */",
        "#ifndef PYRITE_DT_TABLES_H",
        "#define PYRITE_DT_TABLES_H",
        "",
    ]
    for i, t in enumerate(tables):
        lines += ([] if i == 0 else ["", ""]) + t
    if defaults:
        lines += ["", "", "/* The buses I2C(), SPI() and UART() open. */"] + defaults
    lines += ["", "", "#endif", ""]
    text = "\n".join(lines)

    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    # Leave the file alone when nothing changed, so nothing recompiles.
    if os.path.exists(args.out) and open(args.out).read() == text:
        return
    with open(args.out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
