//! Every optional part of the VM is switchable from Zephyr: each cargo
//! feature has a Kconfig symbol and CMakeLists.txt maps that symbol onto it,
//! and the Zephyr crate forwards the feature. Catches a part added to one
//! place and forgotten in another.

use std::collections::BTreeSet;

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The feature names of a Cargo.toml's [features] table, but `default`.
fn features(toml: &str) -> BTreeSet<String> {
    let table = toml.split("[features]").nth(1).expect("[features]");
    table
        .lines()
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
        .filter(|k| k != "default" && !k.starts_with('#'))
        .collect()
}

/// Features that leave something out when on.
const SUBTRACTIVE: [&str; 2] = ["terse-errors", "float-single"];
/// Parts that need C the port links (littlefs): off for the VM alone, on
/// in the host binary and from Kconfig.
const PORT_LINKED: [&str; 1] = ["vfs-lfs2"];
/// The host binary's own copy of that C: no Kconfig symbol, since Zephyr
/// has its own; what only the host tool that freezes modules needs; and
/// the tests' fault injection.
const HOST_ONLY: [&str; 3] = ["vfs-lfs2-bundled", "freeze", "fault-injection"];
/// The Zephyr crate's own, not the VM's (CMakeLists.txt maps each apart).
const PORT_ONLY: [&str; 1] = ["shell"];

#[test]
fn features_kconfig_and_cmake_agree() {
    let mut vm = features(&read("vm/Cargo.toml"));
    for f in HOST_ONLY {
        assert!(vm.remove(f), "{f} is a VM feature");
    }
    let mut port = features(&read("rust/Cargo.toml"));
    for f in PORT_ONLY {
        assert!(port.remove(f), "{f} is a feature of the Zephyr crate");
        assert!(read("CMakeLists.txt").contains(&format!("list(APPEND pyrite_port_features {f})")), "CMakeLists.txt sets {f}");
    }
    assert_eq!(vm, port, "rust/Cargo.toml forwards every VM feature");
    // pyrite-cross is built with the firmware's features (frozen images
    // name things by that build's static names).
    assert_eq!(vm, features(&read("cross/Cargo.toml")), "cross/Cargo.toml forwards every VM feature");
    let cmake = read("CMakeLists.txt");
    let list = cmake.split("foreach(part ").nth(1).and_then(|s| s.split(')').next()).expect("foreach(part ...)");
    let pairs: Vec<(&str, &str)> = list.split_whitespace().filter_map(|p| p.split_once(':')).collect();
    let mapped: BTreeSet<String> = pairs.iter().map(|&(_, f)| f.to_string()).collect();
    assert_eq!(vm, mapped, "CMakeLists.txt maps a Kconfig symbol onto every feature");
    let kconfig = read("Kconfig");
    for (sym, feature) in pairs {
        assert!(kconfig.contains(&format!("config PYRITE_{sym}\n")), "Kconfig has PYRITE_{sym} for {feature}");
    }
    let default = read("vm/Cargo.toml");
    let default = default.split("default = [").nth(1).and_then(|s| s.split(']').next()).unwrap();
    for f in &vm {
        // A feature that takes something away (messages) is never a default.
        let on = default.contains(&format!("\"{f}\""));
        if SUBTRACTIVE.contains(&f.as_str()) || PORT_LINKED.contains(&f.as_str()) {
            assert!(!on, "{f} is off by default on the host");
        } else {
            assert!(on, "{f} is on by default on the host");
        }
    }
}
