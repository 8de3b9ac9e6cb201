/**
 * Typed wrapper over the bound Go struct `Providers` (app/providers.go):
 * configured AI providers, presets, connection tests and model lists.
 * API keys only ever travel TO the backend (Input.apiKey); nothing returned
 * here contains a key, only `hasKey` and a 4-character `keyHint`.
 */
import { call } from './bridge';

export type Kind = 'openai' | 'deepseek' | 'anthropic' | 'gemini' | 'openai_compatible';

/** backend/providers.Provider */
export interface Provider {
  id: number;
  name: string;
  kind: Kind;
  baseUrl: string;
  hasKey: boolean;
  keyHint: string;
  keyStore: 'none' | 'keychain' | 'sealed';
  local: boolean;
  createdAt: string;
  updatedAt: string;
}

/** backend/providers.Input: apiKey "" on edit keeps the stored key. */
export interface Input {
  name: string;
  kind: Kind;
  baseUrl: string;
  apiKey: string;
  clearKey: boolean;
}

/** backend/providers.Preset */
export interface Preset {
  id: string;
  label: string;
  kind: Kind;
  baseUrl: string;
  needKey: boolean;
}

/** backend/providers.TestResult */
export interface TestResult {
  ok: boolean;
  message: string;
  offline: boolean;
  status: number;
  models: number;
  latencyMs: number;
}

/** backend/providers.ModelList */
export interface ModelList {
  models: string[];
  stale: boolean;
  checkedAt: string;
  error: string;
}

export const kindLabels: Record<Kind, string> = {
  openai: 'OpenAI',
  deepseek: 'DeepSeek',
  anthropic: 'Anthropic Claude',
  gemini: 'Google Gemini',
  openai_compatible: 'OpenAI-compatible',
};

export async function list(): Promise<Provider[]> {
  return (await call<Provider[] | null>('Providers', 'List')) ?? [];
}
export async function presets(): Promise<Preset[]> {
  return (await call<Preset[] | null>('Providers', 'Presets')) ?? [];
}
export function secretStorage(): Promise<string> {
  return call<string>('Providers', 'SecretStorage');
}
export function add(input: Input): Promise<Provider> {
  return call<Provider>('Providers', 'Add', input);
}
export function update(id: number, input: Input): Promise<Provider> {
  return call<Provider>('Providers', 'Update', id, input);
}
export function remove(id: number): Promise<number> {
  return call<number>('Providers', 'Remove', id);
}
export function test(id: number): Promise<TestResult> {
  return call<TestResult>('Providers', 'Test', id);
}
/** Tests unsaved form values; id 0 = new provider, else empty fields (and the key) come from the saved one. */
export function testInput(id: number, input: Input): Promise<TestResult> {
  return call<TestResult>('Providers', 'TestInput', id, input);
}
export function models(id: number): Promise<ModelList> {
  return call<ModelList>('Providers', 'Models', id);
}
