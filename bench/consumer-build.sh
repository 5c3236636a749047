#!/usr/bin/env bash
# A consumer's clean build of `workapi` with one module (`wecom-contact`), per TLS backend, side by
# side in one run: a scratch binary crate that depends on the packaged `workapi` (as a consumer gets
# it from crates.io) with `default-features = false`, each backend in its own clean target folder.
#   aws-lc   `tls-aws-lc`: rustls with aws-lc, reqwest's default (what every consumer built before)
#   ring     `tls-ring`: rustls with ring, workapi's default now
#   none     no TLS (plain HTTP only): the floor
# Wall seconds and CPU seconds (user + system of every process cargo ran); CPU time is the steadier
# number on a machine that is doing other work. Usage: bench/consumer-build.sh; prints Markdown.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo package -q -p workapi-codegen -p workapi --no-verify --allow-dirty
version=$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print([p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="workapi"][0])')
tar -xzf "target/package/workapi-$version.crate" -C "$work"
tar -xzf "target/package/workapi-codegen-$version.crate" -C "$work"

consumer() { # name, features
  local dir="$work/app-$1"
  mkdir -p "$dir/src"
  cat > "$dir/Cargo.toml" <<TOML
[package]
name = "app"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
workapi = { path = "$work/workapi-$version", default-features = false, features = [$2] }
tokio = { version = "1", features = ["rt", "macros"] }

[patch.crates-io]
workapi-codegen = { path = "$work/workapi-codegen-$version" }
TOML
  cat > "$dir/src/main.rs" <<'RS'
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), workapi::Error> {
    let client = workapi::wecom::Client::builder().load_env()?.build()?;
    let dept = client.department_simplelist(&workapi::wecom::contact::DepartmentSimplelistRequest::new()).await?;
    println!("{dept:?}");
    Ok(())
}
RS
  cp Cargo.lock "$dir/Cargo.lock"
  echo "$dir"
}

# Wall and CPU seconds of a clean `cargo build` in $1.
measure() {
  python3 - "$1" <<'PY'
import resource, subprocess, sys, time
start = time.monotonic()
subprocess.run(["cargo", "build", "-q"], cwd=sys.argv[1], check=True)
wall = time.monotonic() - start
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.0f} {ru.ru_utime + ru.ru_stime:.0f}")
PY
}

declare -A wall cpu
for backend in aws-lc ring none; do
  case $backend in
    aws-lc) features='"wecom-contact", "tls-aws-lc"' ;;
    ring) features='"wecom-contact", "tls-ring"' ;;
    none) features='"wecom-contact"' ;;
  esac
  dir=$(consumer "$backend" "$features")
  read -r w c < <(measure "$dir")
  wall[$backend]=$w
  cpu[$backend]=$c
done
ratio() { python3 -c "print(f'{$1 / $2:.2f}x')"; }
echo "| consumer, clean build, \`wecom-contact\` | wall s | CPU s | CPU vs aws-lc |"
echo "|---|---:|---:|---:|"
echo "| \`tls-aws-lc\` (reqwest's default; before) | ${wall[aws-lc]} | ${cpu[aws-lc]} | 1.00x |"
echo "| \`tls-ring\` (workapi's default; after) | ${wall[ring]} | ${cpu[ring]} | $(ratio "${cpu[ring]}" "${cpu[aws-lc]}") |"
echo "| no TLS (plain HTTP only) | ${wall[none]} | ${cpu[none]} | $(ratio "${cpu[none]}" "${cpu[aws-lc]}") |"
