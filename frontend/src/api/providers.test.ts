import { describe, expect, it } from 'vitest';
import { defaultBaseUrl, hostOf, isLocalUrl, sameUrl, serverOf, testTone, type Kind, type Preset, type TestResult } from './providers';

// backend/providers.Presets(), as the binding returns it.
const presets: Preset[] = [
  { id: 'openai', label: 'OpenAI', kind: 'openai', baseUrl: 'https://api.openai.com/v1', needKey: true },
  { id: 'deepseek', label: 'DeepSeek', kind: 'deepseek', baseUrl: 'https://api.deepseek.com', needKey: true },
  { id: 'anthropic', label: 'Anthropic Claude', kind: 'anthropic', baseUrl: 'https://api.anthropic.com', needKey: true },
  { id: 'gemini', label: 'Google Gemini', kind: 'gemini', baseUrl: 'https://generativelanguage.googleapis.com', needKey: true },
  { id: 'openrouter', label: 'OpenRouter', kind: 'openai_compatible', baseUrl: 'https://openrouter.ai/api/v1', needKey: true },
  { id: 'ollama', label: 'Ollama (local)', kind: 'openai_compatible', baseUrl: 'http://localhost:11434/v1', needKey: false },
];

describe('provider URL helpers', () => {
  // As backend DefaultBaseURL: the compatible kind has no usual server.
  it.each<[Kind, string]>([
    ['openai', 'https://api.openai.com/v1'],
    ['deepseek', 'https://api.deepseek.com'],
    ['anthropic', 'https://api.anthropic.com'],
    ['gemini', 'https://generativelanguage.googleapis.com'],
    ['openai_compatible', ''],
  ])('the default base URL of %s is %j', (kind, want) => {
    expect(defaultBaseUrl(presets, kind)).toBe(want);
  });

  // As backend IsLocal.
  it.each<[string, boolean]>([
    ['http://localhost:11434/v1', true],
    ['http://LOCALHOST:1234/v1', true],
    ['http://ollama.localhost/v1', true],
    ['http://127.0.0.1:8080/v1', true],
    ['http://127.9.9.9/v1', true],
    ['http://[::1]:8080/v1', true],
    ['  http://localhost/v1  ', true],
    ['http://gpu-box:11434/v1', false],
    ['http://192.168.1.5:11434/v1', false],
    ['https://openrouter.ai/api/v1', false],
    ['http://localhost.example.com/v1', false],
    ['http://127.0.0.1.example.com/v1', false],
    ['localhost:11434', false],
    ['', false],
  ])('isLocalUrl(%j) is %s', (url, want) => {
    expect(isLocalUrl(url)).toBe(want);
  });

  it.each<[string, string, boolean]>([
    ['https://api.openai.com/v1', 'https://api.openai.com/v1/', true],
    ['https://API.OpenAI.com/v1', ' https://api.openai.com/v1 ', true],
    ['https://api.openai.com/v1', 'https://api.openai.com/v2', false],
    ['https://api.openai.com/v1', 'http://api.openai.com/v1', false],
    ['https://api.openai.com/v1', 'https://api.openai.com:8443/v1', false],
    ['https://api.openai.com/v1', '', false],
    ['', '', false],
  ])('sameUrl(%j, %j) is %s', (a, b, want) => {
    expect(sameUrl(a, b)).toBe(want);
  });

  it('reads the server and host of a URL, and nothing of a non-URL', () => {
    expect(serverOf('https://API.openai.com/v1')).toBe('https://api.openai.com');
    expect(serverOf('http://localhost:11434/v1')).toBe('http://localhost:11434');
    expect(hostOf('http://localhost:11434/v1')).toBe('localhost');
    expect(serverOf('ftp://example.com')).toBe('');
    expect(serverOf('not a url')).toBe('');
    expect(hostOf('')).toBe('');
  });
});

describe('testTone', () => {
  const result = (ok: boolean, models: number): TestResult => ({ ok, message: '', offline: false, status: 0, models, latencyMs: 1 });
  // A passed test whose server lists no models ("Connected, but the server
  // lists no models: …") is a warning, not a success: nothing can be chatted with yet.
  it.each<[boolean, number, string]>([
    [true, 3, 'ok'],
    [true, 0, 'warn'],
    [false, 0, 'bad'],
    [false, 2, 'bad'],
  ])('ok %s with %i models is %s', (ok, models, want) => {
    expect(testTone(result(ok, models))).toBe(want);
  });
  // A passed test whose models could not be added to the rate catalogue is a
  // warning: the picker may not offer them.
  it('warns when the models could not be added to the rate catalogue', () => {
    expect(testTone({ ...result(true, 3), catalogueError: 'adding the listed models to the rate catalogue failed: x' })).toBe('warn');
  });
});
