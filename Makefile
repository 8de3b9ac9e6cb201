# Meterdesk build, test and benchmark entry points.
#
#   make run        install what is missing, build, open the window (default data folder)
#   make test       everything: vet (go.mod/go.sum tidy, scripts/tidy-check.sh and its test), go test -race, frontend type check and tests, e2e, window smoke, Windows cross-build
#   make build      release binary build/bin/meterdesk
#   make deps       apt + npm dependencies (only what is missing)
#   make bindings   regenerate frontend/wailsjs (committed; a checkout builds without it)
#   make bench      Go benchmarks + binary size, cold start and idle memory (scripts/bench-*.sh)
#   make screenshot window screenshot -> docs/screenshot.png
#   make clean
#
# Stamp files in build/.stamps keep repeated runs fast: npm installs re-run only
# when a package-lock.json changes, the frontend rebuilds only when its sources
# change, and the Go binaries relink only when Go sources or the frontend change.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build
MAKEFLAGS += --no-print-directory

export PATH := $(PATH):/usr/local/go/bin:$(HOME)/go/bin
export DEBIAN_FRONTEND := noninteractive

GO        ?= go
ROOT      := $(CURDIR)
STAMPS    := build/.stamps
BIN       := build/bin/meterdesk
DEVBIN    := build/bin/meterdesk-dev
WINBIN    := build/bin/windows/meterdesk.exe
TAGS      := desktop,production,webkit2_41
DEVTAGS   := dev,webkit2_41
LDFLAGS   := -s -w

# Go packages, never anything vendored inside node_modules.
GO_PKGS    = $$($(GO) list ./... | grep -v /node_modules/)
GO_SRC    := $(shell find . -name '*.go' -not -name '*_test.go' -not -path '*/node_modules/*' -not -path './build/*' -not -path './tests/*' 2>/dev/null) \
             $(shell find backend -name '*.sql' 2>/dev/null) go.mod go.sum
FRONT_SRC := $(shell find frontend -path frontend/node_modules -prune -o -path frontend/dist -prune -o -type f -print 2>/dev/null)

.PHONY: run test build deps deps-apt deps-npm frontend bindings bench bench-go screenshot clean \
        vet go-test front-test e2e api-sdk smoke win-check dev-build help

help:
	@sed -n '2,12p' Makefile | sed 's/^# \{0,1\}//'

# ---------------------------------------------------------------- dependencies

deps: deps-apt deps-npm

deps-apt:
	@scripts/install-apt.sh

deps-npm: $(STAMPS)/npm-frontend $(STAMPS)/npm-e2e $(STAMPS)/npm-api-sdk

$(STAMPS)/npm-frontend: frontend/package.json $(wildcard frontend/package-lock.json)
	@mkdir -p $(STAMPS)
	cd frontend && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	@touch $@

$(STAMPS)/npm-e2e: tests/e2e/package.json $(wildcard tests/e2e/package-lock.json)
	@mkdir -p $(STAMPS)
	cd tests/e2e && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	@touch $@

$(STAMPS)/npm-api-sdk: tests/gateway-sdk/package.json $(wildcard tests/gateway-sdk/package-lock.json)
	@mkdir -p $(STAMPS)
	cd tests/gateway-sdk && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	@touch $@

# ---------------------------------------------------------------- build

frontend: $(STAMPS)/frontend

$(STAMPS)/frontend: $(STAMPS)/npm-frontend $(FRONT_SRC)
	cd frontend && npm run build
	@test -d frontend/dist/assets || { echo "frontend build produced no frontend/dist/assets" >&2; exit 1; }
	@touch $@

build: deps-apt $(BIN)

$(BIN): $(STAMPS)/frontend $(GO_SRC)
	@mkdir -p $(dir $@)
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $@ .

dev-build: $(DEVBIN)

$(DEVBIN): $(STAMPS)/frontend $(GO_SRC)
	@mkdir -p $(dir $@)
	$(GO) build -tags $(DEVTAGS) -o $@ .

$(WINBIN): $(STAMPS)/frontend $(GO_SRC)
	@mkdir -p $(dir $@)
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) build -tags desktop,production -ldflags "$(LDFLAGS) -H windowsgui" -o $@ .

run: $(STAMPS)/npm-frontend
	@scripts/install-apt.sh --build
	@$(MAKE) $(BIN)
	./$(BIN)

# Regenerates frontend/wailsjs/{go,runtime} the way `wails generate module`
# does (build with tag `bindings`, run it in the project root), but with the
# project's own Go toolchain. The output is committed.
bindings: $(STAMPS)/frontend
	scripts/bindings.sh

# ---------------------------------------------------------------- tests

# `make test` runs every check even when one fails, then prints one closing
# line "checks: N passed, M failed" and exits non-zero if any failed.
test: deps $(BIN) $(DEVBIN)
	@scripts/run-checks.sh vet go-test front-test e2e api-sdk smoke win-check

vet: $(STAMPS)/frontend
	@scripts/tidy-check.test.sh
	@GO="$(GO)" scripts/tidy-check.sh
	$(GO) vet $(GO_PKGS)

go-test: $(STAMPS)/frontend $(BIN)
	MTRDSK_BIN=$(ROOT)/$(BIN) $(GO) test -race -timeout 30m $(GO_PKGS)

front-test: $(STAMPS)/npm-frontend
	cd frontend && npm run check && npm test

e2e: $(STAMPS)/npm-e2e $(DEVBIN)
	cd tests/e2e && MTRDSK_DEV_BIN=$(ROOT)/$(DEVBIN) MTRDSK_ASSETS=$(ROOT)/frontend/dist node --test --test-concurrency=1

# The official OpenAI Node SDK against `meterdesk serve` and a fake provider.
api-sdk: $(STAMPS)/npm-api-sdk $(BIN)
	cd tests/gateway-sdk && MTRDSK_BIN=$(ROOT)/$(BIN) node --test --test-concurrency=1

smoke: $(BIN)
	tests/smoke/smoke.sh $(ROOT)/$(BIN)
	tests/smoke/startup-error.sh $(ROOT)/$(BIN)
	tests/smoke/startup-restore.sh $(ROOT)/$(BIN)

win-check: $(WINBIN)
	@[ "$$(head -c2 $(WINBIN))" = MZ ] && echo "win-check: $(WINBIN) is a Windows PE executable ($$(du -h $(WINBIN) | cut -f1))"

screenshot: deps $(BIN)
	tests/smoke/smoke.sh $(ROOT)/$(BIN) $(ROOT)/docs/screenshot.png

# ---------------------------------------------------------------- benchmarks

bench: deps $(BIN) bench-go
	scripts/bench-size.sh $(BIN)
	scripts/bench-startup.sh $(BIN)
	scripts/bench-memory.sh $(BIN)
	scripts/bench-open.sh $(BIN) $(BIN) 20

bench-go: $(STAMPS)/frontend
	$(GO) test -run '^$$' -bench . -benchmem $(GO_PKGS)

# ---------------------------------------------------------------- clean

clean:
	rm -rf build/bin $(STAMPS)
