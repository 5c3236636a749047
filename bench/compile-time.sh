#!/usr/bin/env bash
# Compile time of `workapi` at catalogue scale: the packaged crate (as a consumer builds it) built
# against a synthetic spec of N endpoints (default 1,700, 50 per module), side by side in one run:
#   deps    no vendor feature: the dependencies and the runtime alone
#   one     one module feature (`synth-m000`, 50 endpoints)
#   all     every module
#   touch   `all` again after touching one module's YAML
# Usage: bench/compile-time.sh [N]; prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
n=${1:-1700}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo package -q -p workapi-codegen -p workapi --no-verify --allow-dirty
version=$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print([p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="workapi"][0])')
tar -xzf "target/package/workapi-$version.crate" -C "$work"
crate="$work/workapi-$version"
features=$(cargo run -q -p workapi-codegen --example synthetic_spec -- "$work/spec" "$n")
# The synthetic vendor's features go into the packaged manifest; the codegen comes from this checkout.
python3 - "$crate/Cargo.toml" "$features" "$PWD/codegen" <<'PY'
import sys
path, features, codegen = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path).read().replace("[features]\n", "[features]\n" + features.rstrip("\n") + "\n", 1)
text += f'\n[patch.crates-io]\nworkapi-codegen = {{ path = "{codegen}" }}\n'
open(path, "w").write(text)
PY
cp Cargo.lock "$crate/Cargo.lock"
export WORKAPI_SPEC_DIR="$work/spec"

# One target folder: the dependencies are built once, and each later row is what `workapi` itself
# adds (a clean build with that feature costs the first row plus that row).
time_build() { # cargo args...
  local start end
  start=$(date +%s.%N)
  (cd "$crate" && CARGO_TARGET_DIR="$work/target" cargo build -q "$@")
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.1f}')"
}
deps=$(time_build --no-default-features --features tls-ring)
one=$(time_build --no-default-features --features tls-ring,synth-m000)
all=$(time_build --no-default-features --features tls-ring,synth-all)
touch "$work/spec/synth/m005.yaml"
touch_all=$(time_build --no-default-features --features tls-ring,synth-all)
touch "$work/spec/synth/m000.yaml"
touch_one=$(time_build --no-default-features --features tls-ring,synth-m000)
ratio() { python3 -c "print(f'{($1 + $2) / $1:.2f}x')"; }
echo "| $n-endpoint synthetic spec | seconds | clean build vs dependencies alone |"
echo "|---|---:|---:|"
echo "| dependencies and runtime, no vendor feature (clean) | $deps | 1.00x |"
echo "| + one module (50 endpoints) | $one | $(ratio "$deps" "$one") |"
echo "| + every module ($n endpoints) | $all | $(ratio "$deps" "$all") |"
echo "| every module, rebuild after touching one module's YAML | $touch_all | |"
echo "| one module, rebuild after touching its YAML | $touch_one | |"
