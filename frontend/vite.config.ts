/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { devCsp } from './devcsp.ts';

// Wails serves frontend/dist from the embedded file system; relative asset
// paths keep the bundle working under wails:// as well as under vite preview.
export default defineConfig({
  // devCsp: the dev server's hot reload needs ws: in connect-src, which the
  // built index.html does not have (devcsp.ts).
  plugins: [svelte(), svelteTesting(), devCsp()],
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  // The tests read backend/events/events.go to check that the event names
  // match the Go constants, backend/workzone/testdata/localtime.json to
  // check that localTime prints times as the backend does,
  // backend/money/testdata/display.json to check that formatCreditAmount
  // writes credits as money.Display does,
  // backend/team/testdata/account_labels.json to check that accountLabel
  // names the pool and bookkeeping accounts as the audit log does, and
  // app/testdata/refusal_words.json to check that BackendError.from shows
  // real refusals in their words, and backend/chat/testdata/max_output_advice.json
  // to check that parseTokenCount reads what an output-ceiling refusal
  // suggests, and backend/chat/testdata/estimate_words.json that the composer's
  // estimate words are the CLI's, and backend/ledger/testdata/op_labels.json
  // that opLabel names the operations as ledger.OpLabel does, and
  // backend/statements/testdata/statement_tables.json that the Statements
  // page shows a statement's usage tables in Go's words; nothing else
  // outside frontend/ is served.
  server: {
    strictPort: true,
    port: 5173,
    fs: { allow: ['.', '../backend/events', '../backend/workzone/testdata', '../backend/money/testdata', '../backend/team/testdata', '../app/testdata', '../backend/chat/testdata', '../backend/ledger/testdata', '../backend/statements/testdata'] },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
    // Vitest empties CSS for tests; src/theme.test.ts reads the design
    // tokens of app.css (?raw) to check their contrast.
    css: { include: [/\/src\/app\.css/] },
    restoreMocks: true,
    // A hang guard, not a speed target: jsdom rendering a 450-message
    // conversation took over vitest's default 5 s on a loaded 2-core
    // machine (a CI simulation beside other builds). The tests' own waits
    // (findBy*, waitFor) keep their short timeouts.
    testTimeout: 30_000,
    // Off UTC, so that a date taken from toISOString (the UTC date) where
    // the local one is meant fails a test (src/lib/dates.test.ts checks it).
    env: { TZ: 'America/Los_Angeles' },
  },
});
