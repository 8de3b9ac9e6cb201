import { describe, expect, it } from 'vitest';
import * as credits from './credits';
import { installFakeBridge } from '../test/fakeBridge';

describe('api/credits', () => {
  it('myBalance returns the paying account and its decimal string untouched', async () => {
    const mine = { account: 'dept:3', kind: 'department', name: 'Research', available: '12.0000025' };
    const fake = installFakeBridge({ 'Credits.MyBalance': () => mine });
    await expect(credits.myBalance()).resolves.toEqual(mine);
    expect(fake.calls).toEqual([{ struct: 'Credits', method: 'MyBalance', args: [] }]);
  });

  it('topUp sends a complete input with the idempotency id', async () => {
    const fake = installFakeBridge({ 'Credits.TopUp': () => ({ credits: '1000', price: '10.00', currency: 'EUR' }) });
    await credits.topUp({ id: 'u-1', packageId: 1 });
    expect(fake.calls[0].args[0]).toEqual({
      id: 'u-1', account: 'pool', packageId: 1, amount: '', price: '', currency: '', taxRate: '', note: '',
    });
  });

  it('history fills defaults and maps a null page', async () => {
    const fake = installFakeBridge({ 'Credits.History': () => null });
    await expect(credits.history({ ops: ['topup'] })).resolves.toEqual({ items: [], next: 0, ops: [] });
    const empty = { title: 'No transfers', description: 'Nothing matches these filters yet.' };
    installFakeBridge({ 'Credits.History': () => ({ items: [], next: 0, ops: ['topup'], empty }) });
    await expect(credits.history({ ops: ['topup'] })).resolves.toEqual({ items: [], next: 0, ops: ['topup'], empty });
    expect(fake.calls[0].args[0]).toEqual({ account: '', ops: ['topup'], reservations: false, from: '', to: '', before: 0, limit: 50 });
  });

  it('a Go error rejects with its message', async () => {
    installFakeBridge({ 'Credits.TopUp': () => { throw 'top up pool: top up: not allowed for your role (admin only)'; } });
    await expect(credits.topUp({ id: 'x', amount: '5' })).rejects.toThrow(/admin only/);
  });
});
