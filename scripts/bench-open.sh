#!/usr/bin/env bash
# Time to run one CLI command on a data folder (open, sign in, read a
# balance, close), two binaries alternately in one run, so that a change to
# how a data folder is opened is measured as a ratio on a noisy machine.
#
#   scripts/bench-open.sh OLD_BIN NEW_BIN [RUNS]   # RUNS per binary, default 40
#
# AUDIT_ROWS=N adds N audit entries of 1 KB to the folder before the runs
# (145000: a ~200 MB database). Each binary runs on its own copy of the
# folder, opened once before the timed runs: a NEW_BIN that adds a
# migration applies it to its copy there, and OLD_BIN, which would refuse
# a database from a newer version, never sees it.
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
if [ "${AUDIT_ROWS:-0}" -gt 0 ]; then
  python3 - "$dir/meterdesk.db" "$AUDIT_ROWS" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("""INSERT INTO audit_log (at, actor_name, action, after_json)
  WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || x || ' seconds'), 'alice', 'bench', hex(randomblob(500)) FROM c""",
  (int(sys.argv[2]),))
db.commit()
db.close()
PY
  echo "database: $(( $(stat -c %s "$dir/meterdesk.db") >> 20 )) MB"
fi
mkdir "$dir/old" "$dir/new"
mv "$dir"/meterdesk.* "$dir/old/"
cp -p "$dir"/old/meterdesk.* "$dir/new/"
"$old" --data-dir "$dir/old" credits balance >/dev/null
"$new" --data-dir "$dir/new" credits balance >/dev/null
python3 - "$old" "$new" "$dir" "$runs" <<'PY'
import statistics, subprocess, sys, time
old, new, d, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
res = {'old': [], 'new': []}
bins = [('old', old), ('new', new)]
for r in range(runs):
    for k, b in (bins if r % 2 == 0 else bins[::-1]):
        t = time.perf_counter()
        subprocess.run([b, '--data-dir', d + '/' + k, 'credits', 'balance'], stdout=subprocess.DEVNULL, check=True)
        res[k].append((time.perf_counter() - t) * 1000)
for k, v in res.items():
    v.sort()
    print(f'{k}: p50 {statistics.median(v):.1f} ms, p90 {v[int(len(v) * 0.9)]:.1f} ms')
print(f"ratio p50 new/old {statistics.median(res['new']) / statistics.median(res['old']):.2f}")
PY
