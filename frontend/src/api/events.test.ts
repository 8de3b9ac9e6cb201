import { describe, expect, it } from 'vitest';
import { Events, offAll, on, onDataChange } from './events';
import { openExternal, setRuntime } from './runtime';
import { installFakeRuntime } from '../test/fakeBridge';
import go from '../../../backend/events/events.go?raw';

describe('api/events', () => {
  it('names match backend/events/events.go', () => {
    // Read the Go constants themselves, so a name added on either side fails here.
    const block = go.slice(go.indexOf('const ('), go.indexOf(')', go.indexOf('const (')));
    const fromGo = Object.fromEntries([...block.matchAll(/^\s*(\w+)\s*=\s*"([^"]+)"/gm)].map((m) => [m[1], m[2]]));
    expect(Object.keys(fromGo).length).toBeGreaterThan(5);
    expect(Events).toEqual(fromGo);
  });

  it('delivers the first payload and unsubscribes only its own listener', () => {
    const rt = installFakeRuntime();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = on(Events.ChatDelta, (p) => a.push(p));
    on(Events.ChatDelta, (p) => b.push(p));
    rt.emit('chat:delta', { text: 'hi' }, 'ignored');
    offA();
    rt.emit('chat:delta', { text: 'again' });
    expect(a).toEqual([{ text: 'hi' }]);
    expect(b).toEqual([{ text: 'hi' }, { text: 'again' }]);
    offAll(Events.ChatDelta);
    expect(rt.listenerCount('chat:delta')).toBe(0);
  });

  it('the fake runtime works as Wails 2.9 does: a listener removed while listeners are called comes back, one added is lost', () => {
    // What on() works around, on the runtime itself (desktop/events.js
    // notifyListeners: copy, call, write the copy back).
    const rt = installFakeRuntime();
    let offSelf = () => {};
    offSelf = rt.EventsOn('chat:sent', () => offSelf()) as () => void;
    rt.emit('chat:sent');
    expect(rt.listenerCount('chat:sent')).toBe(1);
    rt.EventsOn('chat:done', () => void rt.EventsOn('chat:done', () => {}));
    rt.emit('chat:done');
    expect(rt.listenerCount('chat:done')).toBe(1);
  });

  it.each([
    ['its own listener', 'self'],
    ['another listener of the same event', 'other'],
  ])('removing %s from inside a listener removes it for good', async (_name, which) => {
    const rt = installFakeRuntime();
    const calls: string[] = [];
    const offOther = on(Events.ChatSent, () => calls.push('other'));
    const offSelf: () => void = on(Events.ChatSent, () => {
      calls.push('self');
      (which === 'self' ? offSelf : offOther)();
      (which === 'self' ? offSelf : offOther)(); // twice does nothing
    });
    rt.emit('chat:sent'); // Wails calls the last registered first: self, then other
    await Promise.resolve();
    expect(rt.listenerCount('chat:sent')).toBe(1);
    calls.length = 0;
    rt.emit('chat:sent');
    expect(calls).toEqual([which === 'self' ? 'other' : 'self']);
  });

  it('a listener removed from inside another is not called by the same emit', () => {
    const rt = installFakeRuntime();
    const calls: string[] = [];
    const offFirst = on(Events.ChatDone, () => calls.push('first'));
    on(Events.ChatDone, () => {
      calls.push('second');
      offFirst();
    });
    rt.emit('chat:done');
    expect(calls).toEqual(['second']);
  });

  it('a listener added from inside a listener of the same event is kept', async () => {
    const rt = installFakeRuntime();
    const calls: unknown[] = [];
    const offOuter = on(Events.ChatDone, () => {
      offOuter();
      on(Events.ChatDone, (p) => calls.push(p));
    });
    rt.emit('chat:done', 1);
    await Promise.resolve();
    rt.emit('chat:done', 2);
    expect(calls).toEqual([2]);
    expect(rt.listenerCount('chat:done')).toBe(1);
  });

  it('falls back to EventsOff when EventsOn returns nothing', () => {
    const offs: string[] = [];
    setRuntime({ EventsOn: () => undefined, EventsOff: (n) => void offs.push(n) });
    on(Events.RatesChanged, () => {})();
    expect(offs).toEqual(['rates:changed']);
  });

  it('onDataChange listens to data:changed and the named events, and removes only its own listeners', () => {
    const rt = installFakeRuntime();
    let calls = 0;
    on(Events.BalanceChanged, () => {});
    const off = onDataChange(() => calls++, Events.BalanceChanged);
    rt.emit('data:changed');
    rt.emit('balance:changed', 'ignored payload');
    rt.emit('rates:changed');
    expect(calls).toBe(2);
    off();
    rt.emit('data:changed');
    rt.emit('balance:changed');
    expect(calls).toBe(2);
    expect(rt.listenerCount('data:changed')).toBe(0);
    expect(rt.listenerCount('balance:changed')).toBe(1);
  });

  it('is a no-op outside Wails', () => {
    const off = on(Events.BalanceChanged, () => {});
    expect(() => off()).not.toThrow();
    expect(() => offAll(Events.BalanceChanged)).not.toThrow();
  });
});

describe('openExternal', () => {
  it.each([
    ['https://example.com/x', true],
    ['http://example.com', true],
    ['mailto:a@b.example', true],
    ['javascript:alert(1)', false],
    ['data:text/html,x', false],
    ['file:///etc/passwd', false],
    ['#/settings', false],
    ['not a url', false],
  ])('%s -> %s', (url, ok) => {
    const rt = installFakeRuntime();
    expect(openExternal(url)).toBe(ok);
    expect(rt.opened).toHaveLength(ok ? 1 : 0);
  });
});
