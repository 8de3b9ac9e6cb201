#!/usr/bin/env bash
# Tests scripts/tidy-check.sh against a fake go (GO=...): tidy, drift, a
# network or proxy failure ("could not check", failing only when CI holds a
# true value), any other failure (go's error, failing), and a proxy URL's
# credentials never printed. Run by make vet before the check itself;
# about a second, no network.
set -uo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/go" <<'FAKE'
#!/usr/bin/env bash
# A fake go: `go env GOPROXY` prints $FAKE_PROXY; `go mod tidy -diff` prints
# $FAKE_OUT and $FAKE_ERR and exits $FAKE_RC, counting its calls.
if [[ $1 == env ]]; then printf '%s\n' "$FAKE_PROXY"; exit 0; fi
echo x >>"$FAKE_CALLS"
[[ -n $FAKE_OUT ]] && printf '%s\n' "$FAKE_OUT"
[[ -n $FAKE_ERR ]] && printf '%s\n' "$FAKE_ERR" >&2
exit "$FAKE_RC"
FAKE
chmod +x "$tmp/go"

secret='s3cr3t-pw'
proxy="https://ci-bot:$secret@goproxy.example.com/mod,https://proxy.golang.org,direct"
dial="go: github.com/ebitengine/purego@v0.8.0: Get \"https://ci-bot:$secret@goproxy.example.com/mod/github.com/ebitengine/purego/@v/v0.8.0.mod\": dial tcp: lookup goproxy.example.com: no such host"
failed=0

# check NAME CI RC OUT ERR WANT_RC WANT_CALLS WANT_TEXT [UNWANTED_TEXT]
check() {
  local name=$1 ci=$2 rc=$3 o=$4 e=$5 want_rc=$6 want_calls=$7 want=$8 unwanted=${9:-}
  : >"$tmp/calls"
  local got got_rc calls
  got=$(env -u CI ${ci:+CI="$ci"} GO="$tmp/go" FAKE_PROXY="$proxy" FAKE_OUT="$o" FAKE_ERR="$e" FAKE_RC="$rc" \
    FAKE_CALLS="$tmp/calls" TIDY_RETRY_SLEEP=0 scripts/tidy-check.sh 2>&1)
  got_rc=$?
  calls=$(wc -l <"$tmp/calls" | tr -d ' ')
  local bad=()
  [[ $got_rc == "$want_rc" ]] || bad+=("exit $got_rc, want $want_rc")
  [[ $calls == "$want_calls" ]] || bad+=("go mod tidy ran $calls times, want $want_calls")
  [[ -z $want || $got == *"$want"* ]] || bad+=("no \"$want\"")
  [[ -z $unwanted || $got != *"$unwanted"* ]] || bad+=("says \"$unwanted\"")
  [[ $got != *"$secret"* ]] || bad+=("prints the proxy's password")
  if ((${#bad[@]})); then
    failed=$((failed + 1))
    printf 'FAIL %s: %s\n--- output:\n%s\n---\n' "$name" "$(IFS=';'; echo "${bad[*]}")" "$got"
  fi
}

check "tidy" "" 0 "" "" 0 1 ""
check "drift" true 1 "--- go.mod" "" 1 1 "go.mod/go.sum are not tidy" "could not check"
check "offline, CI unset" "" 1 "" "$dial" 0 2 "could not check tidiness: go: github.com/ebitengine/purego@v0.8.0: Get \"https://***@goproxy.example.com" "failing"
check "offline, CI=true" true 1 "" "$dial" 1 2 "the module proxy (https://***@goproxy.example.com/mod,https://proxy.golang.org,direct)"
for ci in 1 TRUE yes On t; do
  check "offline, CI=$ci" "$ci" 1 "" "$dial" 1 2 "failing (CI is set)"
done
for ci in false 0 no off; do
  check "offline, CI=$ci" "$ci" 1 "" "$dial" 0 2 "were not checked" "failing"
done
check "GOPROXY=off" true 1 "" "go: github.com/x/y@v1.0.0: module lookup disabled by GOPROXY=off" 1 2 "could not check tidiness"
check "proxy 404" true 1 "" "go: github.com/x/y@v1.0.0: reading https://proxy.golang.org/github.com/x/y/@v/v1.0.0.mod: 404 Not Found" 1 2 "could not check tidiness"
check "proxy 410" "" 1 "" "go: github.com/x/y@v1.0.0: reading https://proxy.golang.org/github.com/x/y/@v/v1.0.0.mod: 410 Gone" 0 2 "could not check tidiness"
check "timeout" "" 1 "" "go: github.com/x/y@v1.0.0: Get \"https://proxy.golang.org/x\": net/http: TLS handshake timeout" 0 2 "could not check tidiness"
check "TLS" "" 1 "" "go: github.com/x/y@v1.0.0: Get \"https://proxy.golang.org/x\": tls: failed to verify certificate: x509: certificate signed by unknown authority" 0 2 "could not check tidiness"
check "broken go.mod, CI unset" "" 1 "" "go: errors parsing go.mod:
go.mod:3: unknown directive: requir" 1 1 "go.mod:3: unknown directive: requir" "could not check"
check "broken go.mod, CI=false" false 1 "" "go: errors parsing go.mod:
go.mod:3: unknown directive: requir" 1 1 "not a network or proxy failure" "could not check"
check "other failure names a URL" "" 1 "" "go: github.com/x/y@v1.0.0: verifying module: checksum mismatch (from https://ci-bot:$secret@goproxy.example.com/mod)" 1 1 "from https://***@goproxy.example.com/mod" "could not check"
check "no message" "" 1 "" "" 1 1 "failed with no message" "could not check"

if ((failed)); then
  echo "tidy-check.test.sh: $failed case(s) failed" >&2
  exit 1
fi
echo "tidy-check.test.sh: ok"
