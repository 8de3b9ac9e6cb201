#!/usr/bin/env bash
# make vet's first step: go.mod and go.sum are what `go mod tidy` makes.
#
# `go mod tidy -diff` exits 1 both when they drift (the diff on stdout) and
# when it cannot tell (stdout empty, the reason on stderr). A fresh machine
# reads the Windows-only and test-only modules here for the first time, so
# a proxy outage would otherwise read as drift. This tells them apart:
#   - tidy: nothing printed, exit 0 (on a warm machine, about 0.1 s);
#   - drift: the diff, "go.mod/go.sum are not tidy", exit 1;
#   - cannot tell, because a module it must read is in no module cache and
#     the proxy or network failed (network_failure: a dial, a DNS lookup, a
#     timeout, TLS, the proxy's 404/410 or 5xx, GOPROXY=off): tried once
#     more after 3 s, then "could not check tidiness: REASON"; with CI set
#     to a true value (1, t, true, y, yes, on, any case; .ci/run sets
#     CI=true) that fails vet, since a check CI could not run must not pass;
#     without it (a developer offline, or CI=false) it is a warning and vet
#     goes on with `go vet`;
#   - any other failure (a go.mod that does not parse, a go missing): go's
#     error as it printed it, exit 1, whether CI is set or not.
# Whatever it prints of go's output or settings has a URL's user info
# hidden (https://user:secret@proxy reads https://***@proxy), so a proxy's
# credentials never reach a CI log.
# TIDY_RETRY_SLEEP (seconds, default 3) is the pause before the retry;
# scripts/tidy-check.test.sh sets it to 0.
set -uo pipefail

GO=${GO:-go}
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# redact hides the user info of every URL in its input.
redact() {
  sed -E 's#([A-Za-z][A-Za-z0-9+.-]*://)[^/[:space:],|"]*@#\1***@#g'
}

# network_failure: go's error says the proxy or the network failed, not
# the module files.
network_failure() {
  grep -Eqi 'dial tcp|proxyconnect|lookup disabled by GOPROXY|no such host|connection (refused|reset)|network is unreachable|timeout|timed out|deadline exceeded|tls: |x509: |TLS handshake|: 404 Not Found|: 410 Gone|: 5[0-9][0-9] [A-Za-z]' "$err"
}

# ci_set: CI holds a true value (CI=false or CI= is not CI).
ci_set() {
  case $(printf '%s' "${CI:-}" | tr '[:upper:]' '[:lower:]') in
    1 | t | true | y | yes | on) return 0 ;;
  esac
  return 1
}

for try in 1 2; do
  if "$GO" mod tidy -diff >"$out" 2>"$err"; then
    exit 0
  fi
  if [[ -s $out ]]; then
    cat "$out"
    echo "vet: go.mod/go.sum are not tidy (the diff above): run 'go mod tidy' and commit it" >&2
    exit 1
  fi
  if ! network_failure; then
    if [[ -s $err ]]; then redact <"$err" >&2; else echo "vet: go mod tidy -diff failed with no message" >&2; fi
    echo "vet: go mod tidy -diff failed (the error above, not a network or proxy failure): fix what it names" >&2
    exit 1
  fi
  [[ $try == 1 ]] && sleep "${TIDY_RETRY_SLEEP:-3}"
done

# The reason: go's first message (a "go: ..." line and the indented lines
# under it), without its "go: downloading M V" progress, and how many more.
reason=$(grep -v '^go: downloading ' "$err" | redact | awk '
  /^go: / { n++ }
  n == 1 { sub(/^[[:space:]]+/, ""); first = first (first == "" ? "" : " ") $0 }
  n == 0 && NF { sub(/^[[:space:]]+/, ""); first = first (first == "" ? "" : " ") $0 }
  END { if (n > 1) first = first " (and " n - 1 " more)"; print substr(first, 1, 400) }')
echo "vet: could not check tidiness: ${reason:-go mod tidy -diff failed with no message}" >&2
if ci_set; then
  echo "vet: failing (CI is set): the module proxy ($("$GO" env GOPROXY | redact)) must be reachable for this check" >&2
  exit 1
fi
echo "vet: go.mod/go.sum were not checked (no drift is claimed); go on with go vet. Run 'make vet' online to check them" >&2
exit 0
