/**
 * Typed wrapper over the bound Go struct `System` (app/system.go): app info,
 * key/value settings, database check, backup and restore.
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

/** What System.SetSetting did (prefs.Change). */
export interface SettingChange {
  key: string;
  /** The value as stored (the backend trims it). */
  value: string;
  /** The key had this value already: nothing was written or audited. */
  unchanged: boolean;
}

/** Stores a setting; resolves to what it did (the value as stored, and whether it was unchanged). */
export function setSetting(key: string, value: string): Promise<SettingChange> {
  return call<SettingChange>('System', 'SetSetting', key, value);
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

/** What System.CheckDatabase found (core.DatabaseCheck). */
export interface DatabaseCheck {
  /** The database file checked. */
  file: string;
  /** Its size in bytes. */
  bytes: number;
  /** Every page is sound. */
  ok: boolean;
  /** What is wrong when ok is false (the damage in SQLite's words); absent when sound. */
  problem?: string;
}

/**
 * Reads every page of the database for damage (admins only), as `meterdesk check` does, while the
 * window goes on using it; a damaged database resolves with ok false and the problem. Writes nothing.
 */
export function checkDatabase(): Promise<DatabaseCheck> {
  return call<DatabaseCheck>('System', 'CheckDatabase');
}

/** Shows the native save dialog; resolves to "" when the user cancels. */
export async function chooseBackupFile(): Promise<string> {
  return (await call<string | null>('System', 'ChooseBackupFile')) ?? '';
}

/** What a backup holds (core.BackupSummary); times are RFC 3339, credits decimal strings. */
export interface BackupSummary {
  file: string;
  sizeBytes: number;
  modified: string;
  /** "" when the backup's workspace was never set up. */
  workspace: string;
  members: number;
  transfers: number;
  lastActivity?: string;
  poolBalance: string;
  /** The IANA zone the backup's workspace counts days in (this computer's when it sets none); its times are shown in it. Absent from a summary staged by an older version. */
  timeZone?: string;
  /** Providers whose saved API keys this machine cannot open here (a backup holds no secrets.key); absent when none. */
  keysToEnter?: string[];
  /** The backend's sentence saying so, shown as it is (the CLI prints the same); absent when none. */
  keysNote?: string;
  /** The backup is of another workspace than this one: restoring it replaces this workspace (StageRestore asks for consent). */
  otherWorkspace?: boolean;
  /** This data folder's workspace's name, when otherWorkspace. */
  currentWorkspace?: string;
  /** The backend's sentence naming both workspaces (the CLI prints the same); absent when the backup is of this workspace. */
  workspaceNote?: string;
}

/** A restore staged for the next start, or finished at this one (core.Restore). */
export interface Restore {
  id: string;
  stagedAt: string;
  stagedBy: string;
  /** File name, in the data folder, under which the replaced database is kept. */
  previous: string;
  /** That file's absolute path. */
  kept: string;
  backup: BackupSummary;
}

/** What System.RestoreStatus returns. */
export interface RestoreStatus {
  pending: Restore | null;
  finished: Restore | null;
}

/** Shows the native open dialog for a backup; resolves to "" when the user cancels. */
export async function chooseRestoreFile(): Promise<string> {
  return (await call<string | null>('System', 'ChooseRestoreFile')) ?? '';
}

/** Checks a backup as a restore would (admins only) and describes it; writes nothing. */
export function checkBackup(path: string): Promise<BackupSummary> {
  return call<BackupSummary>('System', 'CheckBackup', path);
}

/**
 * Checks and stages a backup (admins only); it replaces the database at the next start. A backup of another
 * workspace is refused unless replaceWorkspace says the admin agreed, having been shown its workspaceNote.
 */
export function stageRestore(path: string, replaceWorkspace = false): Promise<Restore> {
  return call<Restore>('System', 'StageRestore', path, replaceWorkspace);
}

/** A RestoreStatus from the backend, absent parts as null. */
function toStatus(s: Partial<RestoreStatus> | null): RestoreStatus {
  return { pending: s?.pending ?? null, finished: s?.finished ?? null };
}

/** The staged restore, if any, and the one finished when this window started. */
export async function restoreStatus(): Promise<RestoreStatus> {
  return toStatus(await call<Partial<RestoreStatus> | null>('System', 'RestoreStatus'));
}

/** Drops the staged restore (admins only); resolves to the status after it. */
export async function cancelRestore(): Promise<RestoreStatus> {
  return toStatus(await call<Partial<RestoreStatus> | null>('System', 'CancelRestore'));
}

/** Starts Meterdesk again and closes this window (admins only): the new window finishes a staged restore. */
export function restart(): Promise<boolean> {
  return call<boolean>('System', 'Restart');
}
