#!/usr/bin/env bash
# The differential fuzzer (server/tests/ssh_difffuzz.rs), longer and against
# several clients: for each ssh given (files, or directories searched for
# */bin/ssh and */ssh; default ../shared/openssh and the ssh on PATH) it runs
# CASES seeded configs (default 5000) through gord and `ssh -G` (only -G:
# the clients never connect) and prints the agreement per version side by side.
#
#   bench/ssh-difffuzz.sh [--cases N] [--seed S] [SSH_OR_DIR...]
#
# A divergence is printed with its seed and config
# in the log named in the table (re-run one seed with GORD_DIFFFUZZ_SEED=S
# GORD_DIFFFUZZ_CASES=1).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cases=5000
seed=1
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --cases) cases="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
if [ ${#args[@]} -eq 0 ]; then
  args=("$root/../shared/openssh")
  command -v ssh >/dev/null && args+=("$(command -v ssh)")
fi
clients=()
for a in "${args[@]}"; do
  if [ -d "$a" ]; then
    for c in "$a"/*/bin/ssh "$a"/*/ssh; do [ -x "$c" ] && clients+=("$c"); done
  elif [ -x "$a" ]; then
    clients+=("$a")
  else
    echo "ssh-difffuzz: $a: not an ssh nor a directory" >&2
  fi
done
[ ${#clients[@]} -gt 0 ] || { echo "ssh-difffuzz: no client found" >&2; exit 2; }

cd "$root"
cargo test -q -p gord --test integration --no-run 2>/dev/null
logs="$(mktemp -d)"
printf '%-28s | %-14s | %s\n' "client (ssh -V)" "agree" "details"
printf '%-28s-+-%-14s-+-%s\n' "----------------------------" "--------------" "-------"
failed=0
for c in "${clients[@]}"; do
  name="$("$c" -V 2>&1 | head -1 | cut -d, -f1)"
  log="$logs/$(echo "$name" | tr -c 'A-Za-z0-9._-' _).log"
  GORD_DIFFFUZZ_SSH="$c" GORD_DIFFFUZZ_CASES="$cases" GORD_DIFFFUZZ_SEED="$seed" \
    cargo test -q -p gord --test integration ssh_difffuzz::gord_and -- --nocapture >"$log" 2>&1 || failed=1
  line="$(grep -m1 '^difffuzz vs' "$log" || echo 'difffuzz vs ?: no result')"
  agree="$(echo "$line" | sed -n 's/.*: \([0-9]*\/[0-9]*\) agree.*/\1/p')"
  details="$(echo "$line" | sed -n 's/.* agree (\(.*\)) in \(.*\) s,.*/\1, \2 s/p')"
  printf '%-28s | %-14s | %s  (%s)\n' "$name" "${agree:-?}" "${details:-see log}" "$log"
done
exit "$failed"
