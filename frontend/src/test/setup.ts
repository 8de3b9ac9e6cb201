// Vitest setup: every test starts with the real (absent) Wails bridge/runtime
// and a clean location hash.
import { afterEach } from 'vitest';
import { setBridge } from '../api/bridge';
import { setRuntime } from '../api/runtime';

afterEach(() => {
  setBridge(null);
  setRuntime(null);
  if (typeof window === 'undefined') return; // node-environment tests
  delete window.go;
  delete window.runtime;
  if (window.location.hash) window.location.hash = '';
});
