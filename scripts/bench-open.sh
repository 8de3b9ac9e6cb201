#!/usr/bin/env bash
# Time to run one CLI command on a data folder (open, sign in, read a
# balance, close), two binaries alternately in one run, so that a change to
# how a data folder is opened is measured as a ratio on a noisy machine.
#
#   scripts/bench-open.sh OLD_BIN NEW_BIN [RUNS]   # RUNS per binary, default 40
set -euo pipefail
old=${1:?usage: bench-open.sh OLD_BIN NEW_BIN [RUNS]}
new=${2:?usage: bench-open.sh OLD_BIN NEW_BIN [RUNS]}
runs=${3:-40}
dir=$(mktemp -d /tmp/meterdesk-bench-open.XXXXXX)
trap 'rm -rf "$dir"' EXIT
METERDESK_NEW_SECRET='correct horse battery' "$old" --data-dir "$dir" workspace setup \
  --name Acme --currency EUR --credit-value 0.01 --admin alice >/dev/null
for _ in $(seq 1 50); do
  "$old" --data-dir "$dir" credits topup --amount 1 --price 0 --currency EUR >/dev/null
done
python3 - "$old" "$new" "$dir" "$runs" <<'PY'
import statistics, subprocess, sys, time
old, new, d, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
res = {'old': [], 'new': []}
bins = [('old', old), ('new', new)]
for r in range(runs):
    for k, b in (bins if r % 2 == 0 else bins[::-1]):
        t = time.perf_counter()
        subprocess.run([b, '--data-dir', d, 'credits', 'balance'], stdout=subprocess.DEVNULL, check=True)
        res[k].append((time.perf_counter() - t) * 1000)
for k, v in res.items():
    v.sort()
    print(f'{k}: p50 {statistics.median(v):.1f} ms, p90 {v[int(len(v) * 0.9)]:.1f} ms')
print(f"ratio p50 new/old {statistics.median(res['new']) / statistics.median(res['old']):.2f}")
PY
