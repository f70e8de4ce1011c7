#!/usr/bin/env bash
# Regenerates the two generated files at the Rust/C boundary:
#   rust/include/pyrite.h  (cbindgen: the C API the Rust port exports)
#   rust/src/bindings.rs   (bindgen: the glue functions zephyr/glue provides)
# With --check, fails if the checked-in files differ from what the tools make.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cbindgen --quiet --config rust/cbindgen.toml --crate pyrite-zephyr --output "$out/pyrite.h" rust
bindgen zephyr/glue/pyrite_port.h --use-core --no-layout-tests \
  --allowlist-function 'pyrite_.*' --allowlist-type 'pyrite_.*' \
  --output "$out/bindings.rs" -- -ffreestanding
rustfmt --edition 2021 --config max_width=140 "$out/bindings.rs"

if [ "${1:-}" = "--check" ]; then
  ok=1
  diff -u rust/include/pyrite.h "$out/pyrite.h" || ok=0
  diff -u rust/src/bindings.rs "$out/bindings.rs" || ok=0
  if [ $ok = 0 ]; then
    echo "generated bindings are stale: run rust/gen-bindings.sh" >&2
    exit 1
  fi
  echo "generated bindings are current"
else
  cp "$out/pyrite.h" rust/include/pyrite.h
  cp "$out/bindings.rs" rust/src/bindings.rs
fi
