/**
 * Typed wrapper over the bound Go struct `System` (app/system.go): app info,
 * key/value settings and database backup.
 */
import { call } from './bridge';

/** What System.Info returns. */
export interface SystemInfo {
  version: string;
  dataDir: string;
  dbPath: string;
}

/** Setting keys the frontend reads and writes through System. */
export const SettingKeys = {
  WorkspaceName: 'workspace.name',
} as const;

/** Version and on-disk locations of the running app. */
export function info(): Promise<SystemInfo> {
  return call<SystemInfo>('System', 'Info');
}

/** Reads a setting ("" when it was never set). */
export async function getSetting(key: string): Promise<string> {
  return (await call<string | null>('System', 'GetSetting', key)) ?? '';
}

/** Stores a setting; resolves to the value as stored (the backend trims it). */
export async function setSetting(key: string, value: string): Promise<string> {
  return (await call<string | null>('System', 'SetSetting', key, value)) ?? value;
}

/** Describes one preference key (backend/prefs.Key). */
export interface SettingKey {
  name: string;
  description: string;
  adminOnly: boolean;
  choices?: string[];
  /** Fewest characters after trimming (workspace.name: 1); absent = 0. */
  minLen?: number;
  maxLen: number;
}

/** Lists the preference keys the backend accepts, with their limits. */
export function settingKeys(): Promise<SettingKey[]> {
  return call<SettingKey[]>('System', 'SettingKeys');
}

/** Writes a consistent copy of the database to path; resolves to the path written. */
export function backup(path: string): Promise<string> {
  return call<string>('System', 'Backup', path);
}

/** Shows the native save dialog; resolves to "" when the user cancels. */
export async function chooseBackupFile(): Promise<string> {
  return (await call<string | null>('System', 'ChooseBackupFile')) ?? '';
}
