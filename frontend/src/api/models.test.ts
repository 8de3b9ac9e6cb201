/**
 * The api/ layer types what the bound Go methods return by hand (dates and
 * money as the strings JSON carries, unions for enums); Wails generates
 * classes for the same Go structs (wailsjs/go/models.ts, `make bindings`).
 * This test keeps the two in step: every api interface that mirrors a Go
 * struct has exactly its JSON fields, so a field added, renamed or removed
 * in Go fails here until the frontend follows.
 */
import { describe, expect, it } from 'vitest';
import models from '../../wailsjs/go/models.ts?raw';

const sources = import.meta.glob(['./*.ts', '!./*.test.ts'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** Go struct for an api interface whose name differs ("file:Interface" → "namespace.Class"). */
const renamed: Record<string, string> = {
  'team:Actor': 'access.Actor',
  'team:TeamNotification': 'team.Notification',
  'team:AuditFilter': 'app.AuditInput',
  'gateway:ApiKey': 'gateway.Key',
  'gateway:NewApiKey': 'gateway.NewKey',
  'gateway:GatewayStatus': 'gateway.Status',
  'gateway:GatewayConfig': 'gateway.Config',
  'gateway:GatewayOverview': 'app.Overview',
  'system:SystemInfo': 'app.Info',
  'system:SettingChange': 'prefs.Change',
  'system:DatabaseCheck': 'core.DatabaseCheck',
  'credits:TopUpResult': 'core.TopUpReceipt',
  'credits:HistoryFilter': 'app.HistoryInput',
  'credits:Page': 'app.HistoryPage',
  'credits:EmptyHistory': 'ledger.EmptyHistory',
  'team:SecretKindRule': 'team.SecretKind',
  'statements:StatementRequest': 'statements.Request',
  'chat:BreakdownLine': 'metering.Line',
  // A charge's breakdown; statements.Breakdown (a statement's usage table) shares its name.
  'chat:Breakdown': 'metering.Breakdown',
  'chat:SendError': 'chat.ErrorInfo',
};

/** api interfaces that mirror no bound Go struct, and why. */
const unbound: Record<string, string> = {
  'bridge:Bridge': 'the transport, not data',
  'runtime:WailsRuntime': "Wails' JavaScript runtime",
  'events:Notification': 'the toast part of a notification event (level, title, message)',
  'chat:Delta': 'an event payload (events.ChatDelta), not a bound return',
  'chat:Done': 'an event payload (events.ChatDone, Go chat.Done), not a bound return',
  'chat:SendResult': 'an event payload (events.ChatSent, Go app.SendResult), not a bound return',
  'chat:LiveReply': "the window's own record of a reply it is streaming (trackReply), not Go data",
  'chat:SettingsForm': "the settings form's text fields",
  'chat:SendErrorMarks': "what the window adds to a SendError (undone, providerName), never Go",
  'chat:RefusalOffer': "what the composer offers beside a refusal (refusalOffer), made from a SendError",
  'rates:EstimateMessage': 'an argument built for Rates.Estimate',
  'system:SettingKey': 'a union of setting names',
};

/** Fields of each generated class, by "namespace.Class". */
function generated(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const block of models.split(/(?:^|\n)export namespace /)) {
    const ns = /^(\w+) \{/.exec(block)?.[1];
    if (!ns) continue;
    for (const m of block.matchAll(/export class (\w+) \{\n([\s\S]*?)\n\s*static createFrom/g)) {
      out.set(`${ns}.${m[1]}`, [...m[2].matchAll(/^\s*(\w+)\??:/gm)].map((f) => f[1]));
    }
  }
  return out;
}

/** Fields of each exported api interface (with those it extends), by "file:Interface". */
function handWritten(): Map<string, string[]> {
  const own = new Map<string, { fields: string[]; parents: string[] }>();
  for (const [path, src] of Object.entries(sources)) {
    const file = path.replace(/^\.\//, '').replace(/\.ts$/, '');
    for (const m of src.matchAll(/export interface (\w+)(?: extends ([\w, ]+))? \{\n([\s\S]*?)\n\}/g)) {
      const fields = [...m[3].matchAll(/^ {2}(?:readonly )?(\w+)\??:/gm)].map((f) => f[1]);
      own.set(`${file}:${m[1]}`, { fields, parents: (m[2] ?? '').split(',').map((p) => p.trim()).filter(Boolean).map((p) => `${file}:${p}`) });
    }
  }
  const all = (key: string): string[] => {
    const it = own.get(key);
    return it ? [...it.parents.flatMap(all), ...it.fields] : [];
  };
  return new Map([...own.keys()].map((k) => [k, all(k)]));
}

describe('api types and the generated Go models', () => {
  const classes = generated();
  const interfaces = handWritten();

  it('reads both sides', () => {
    expect(classes.size).toBeGreaterThan(60);
    expect(interfaces.size).toBeGreaterThan(60);
  });

  // models.ts is kept by hand as Wails writes it: a class's constructor
  // reads exactly the fields it declares (a field added to one but not the
  // other would be typed but never filled, or filled but untyped).
  it.each([...classes.keys()].map((k) => [k]))('%s reads in its constructor the fields it declares', (key) => {
    const [ns, name] = key.split('.');
    const block = models.split(/(?:^|\n)export namespace /).find((b) => b.startsWith(`${ns} {`))!;
    const body = new RegExp(`export class ${name} \\{[\\s\\S]*?constructor\\(source: any = \\{\\}\\) \\{([\\s\\S]*?)\\n\\s*\\}`).exec(block)?.[1] ?? '';
    const read = [...body.matchAll(/this\.(\w+) = /g)].map((m) => m[1]);
    expect(read.sort(), key).toEqual([...classes.get(key)!].sort());
  });

  it.each([...interfaces.keys()].filter((k) => !(k in unbound)).map((k) => [k]))('%s has the Go struct\'s JSON fields', (key) => {
    const [file, name] = key.split(':');
    // The same name in the file's Go package, else in app/, else in exactly one other package.
    const elsewhere = [...classes.keys()].filter((c) => c.endsWith(`.${name}`));
    const target = renamed[key] ?? [`${file}.${name}`, `app.${name}`].find((c) => classes.has(c))
      ?? (elsewhere.length === 1 ? elsewhere[0] : undefined);
    expect(target, `${key} mirrors no generated class: map it in renamed or explain it in unbound`).toBeDefined();
    const goFields = classes.get(target!);
    expect(goFields, `${target} is not in models.ts`).toBeDefined();
    expect([...interfaces.get(key)!].sort(), `${key} against ${target}`).toEqual([...goFields!].sort());
  });
});
