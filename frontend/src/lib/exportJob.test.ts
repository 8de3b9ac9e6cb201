import { afterEach, describe, expect, it } from 'vitest';
import { ExportJob } from './exportJob.svelte';
import { installFakeBridge, installFakeRuntime } from '../test/fakeBridge';
import { toast } from './toast.svelte';

const done = { id: 'job-1', kind: 'invoice-pdf', path: '/tmp/INV-1.pdf', state: 'done', done: 1, total: 1 } as const;
const running = { ...done, state: 'running', done: 0 } as const;

afterEach(() => {
  toast.items = [];
});

describe('ExportJob', () => {
  it('takes an end that came before the export id reached the page (its status, read once)', async () => {
    const rt = installFakeRuntime();
    installFakeBridge({ 'Statements.Status': () => done });
    const ex = new ExportJob();
    const off = ex.listen();
    // The job's last event comes before the call's answer: nobody knows its id yet.
    rt.emit('export:progress', done);
    expect(ex.job).toBeNull();
    await ex.track('job-1', 'invoice-pdf', '/tmp/INV-1.pdf', 1);
    expect(ex.running).toBe(false);
    expect(ex.job?.state).toBe('done');
    expect(toast.items.map((t) => t.message)).toEqual(['Saved /tmp/INV-1.pdf']);
    off();
  });

  it('follows a running job by its events, toasting its end once', async () => {
    const rt = installFakeRuntime();
    installFakeBridge({ 'Statements.Status': () => running });
    const ex = new ExportJob();
    const off = ex.listen();
    await ex.track('job-1', 'invoice-pdf', '/tmp/INV-1.pdf', 1);
    expect(ex.running).toBe(true);
    rt.emit('export:progress', { ...running, id: 'job-0', state: 'done' }); // another page's job
    expect(ex.running).toBe(true);
    rt.emit('export:progress', done);
    rt.emit('export:progress', done); // a repeat says nothing new
    rt.emit('export:progress', running); // nor does a late progress after the end
    expect(ex.job?.state).toBe('done');
    expect(toast.items.map((t) => t.message)).toEqual(['Saved /tmp/INV-1.pdf']);
    off();
    expect(rt.listenerCount('export:progress')).toBe(0);
  });

  it('keeps an event that overtook the status read (the status it then reads is older)', async () => {
    const rt = installFakeRuntime();
    let answer!: (v: unknown) => void;
    installFakeBridge({ 'Statements.Status': () => new Promise((r) => (answer = r)) });
    const ex = new ExportJob();
    const off = ex.listen();
    const tracking = ex.track('job-1', 'transactions-csv', '/tmp/t.csv');
    rt.emit('export:progress', { ...running, kind: 'transactions-csv', path: '/tmp/t.csv', done: 40, total: 100 });
    answer({ ...running, kind: 'transactions-csv', path: '/tmp/t.csv', done: 10, total: 100 });
    await tracking;
    expect(ex.job?.done).toBe(40);
    off();
  });

  it('says a failed or cancelled export, and stays running when its status cannot be read', async () => {
    const rt = installFakeRuntime();
    installFakeBridge({ 'Statements.Status': () => { throw 'unknown export job'; } });
    const ex = new ExportJob();
    const off = ex.listen();
    await ex.track('job-1', 'invoice-pdf', '/tmp/INV-1.pdf', 1);
    expect(ex.running).toBe(true);
    rt.emit('export:progress', { ...running, state: 'failed', error: 'disk full' });
    expect(ex.running).toBe(false);
    await ex.track('job-2', 'invoice-pdf', '/tmp/INV-1.pdf', 1);
    rt.emit('export:progress', { ...running, id: 'job-2', state: 'cancelled' });
    expect(toast.items.map((t) => t.message)).toEqual(['disk full', 'Export cancelled']);
    off();
  });
});
