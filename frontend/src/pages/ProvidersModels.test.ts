import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import Providers from './Providers.svelte';
import { installFakeBridge } from '../test/fakeBridge';
import { usable } from '../test/a11y';
import { session } from '../lib/session.svelte';
import type { ModelList, Provider } from '../api/providers';

// Settings → Providers → Models: the list `meterdesk providers models ID`
// prints (core.Backend.ProviderModels), with the backend's words: a stale
// list's why and which list it is (providers.ListWords, TestListWords)
// come from Go and are shown as they are, so these mock them.
const props = { params: {}, query: {} };
const row: Provider = {
  id: 3, name: 'Lab', kind: 'openai_compatible', baseUrl: 'http://localhost:11434/v1', hasKey: false, keyHint: '',
  keyStore: 'none', local: true, createdAt: '', updatedAt: '',
};
// A member's view of the same provider (forRole): no base URL, no key hint.
const redacted: Provider = { ...row, baseUrl: '', redacted: true };

function fake(models: (id: number) => ModelList | Promise<ModelList>, p: Provider = row) {
  return installFakeBridge({
    'Providers.List': () => [p],
    'Providers.Presets': () => [],
    'Providers.SecretStorage': () => 'sealed',
    'Providers.Models': models,
  });
}

async function open(id = 3) {
  render(Providers, props);
  const b = await screen.findByTestId(`providers-row-models-${id}`);
  expect(b.getAttribute('aria-expanded')).toBe('false');
  await fireEvent.click(b);
  expect(b.getAttribute('aria-expanded')).toBe('true');
  const box = await screen.findByTestId(`providers-models-${id}`);
  // The button names the list it opens (aria-controls), by its id.
  expect(b.getAttribute('aria-controls')).toBeTruthy();
  expect(document.getElementById(b.getAttribute('aria-controls') ?? '')).toBe(box);
  return box;
}

const texts = (el: HTMLElement) => within(el).getAllByRole('listitem').map((li) => li.textContent?.trim());

describe('Settings → Providers → Models', () => {
  let zone = '';
  beforeEach(() => {
    zone = session.timeZone;
    session.timeZone = 'UTC';
  });
  afterEach(() => {
    session.timeZone = zone;
  });

  it('lists the live models and when they were fetched, in the backend\'s words', async () => {
    // The line is Go's (providers.ListWords, what `providers models` says
    // on stderr), shown as it is: the window formats no time of its own
    // (it said "… 15:00:05 (UTC)." while the CLI and the stale lines say
    // "… UTC").
    session.timeZone = 'Europe/Berlin';
    const f = fake(() => ({ models: ['gpt-4o-mini', 'gpt-4o'], stale: false, checkedAt: '2026-11-24T15:00:05Z', error: '', offline: false, incomplete: false,
      shown: 'fetched from the provider 2026-11-24 15:00:05 UTC' }));
    const box = await open();
    await waitFor(() => expect(texts(box)).toEqual(['gpt-4o-mini', 'gpt-4o']));
    expect(within(box).getByTestId('providers-models-fetched').textContent).toBe('Fetched from the provider 2026-11-24 15:00:05 UTC.');
    expect(within(box).queryByTestId('providers-models-retry-3')).toBeNull();
    expect(f.calls).toContainEqual({ struct: 'Providers', method: 'Models', args: [3] });
    // Hide models closes it and gives the focus back to the button.
    await fireEvent.click(within(box).getByTestId('providers-models-close-3'));
    expect(screen.queryByTestId('providers-models-3')).toBeNull();
    await waitFor(() => expect(document.activeElement?.id).toBe('providers-models-btn-3'));
  });

  it('says a provider that lists none, and a catalogue that failed, as the CLI fails on them', async () => {
    fake(() => ({ models: [], stale: false, checkedAt: '2026-11-24T15:00:05Z', error: '', offline: false, incomplete: false,
      why: 'it lists no models, so no model can be chosen for it', shown: 'fetched from the provider 2026-11-24 15:00:05 UTC' }));
    const box = await open();
    expect((await within(box).findByTestId('providers-models-none')).textContent).toBe('It lists no models, so no model can be chosen for it.');
    expect(within(box).getByTestId('providers-models-fetched').textContent).toBe('Fetched from the provider 2026-11-24 15:00:05 UTC.');
    expect(within(box).queryByTestId('providers-models-retry-3')).toBeNull();
  });

  it('says a live list the rate catalogue could not take, with a Retry', async () => {
    fake(() => ({ models: ['llama3'], stale: false, checkedAt: '2026-11-24T15:00:05Z', offline: false, incomplete: true,
      error: 'adding the listed models to the rate catalogue failed: database is locked; the model picker and the rate table may not offer all of them' }));
    const box = await open();
    expect((await within(box).findByTestId('providers-models-incomplete')).textContent).toBe(
      'Adding the listed models to the rate catalogue failed: database is locked; the model picker and the rate table may not offer all of them');
    expect(texts(box)).toEqual(['llama3']);
    expect(within(box).getByTestId('providers-models-retry-3')).toBeTruthy();
  });

  it.each([
    {
      name: 'offline, never listed: the rate catalogue models, not fetched yet',
      list: { models: ['gpt-4o', 'gpt-4o-mini'], fromCatalogue: ['gpt-4o', 'gpt-4o-mini'], stale: true, checkedAt: '', offline: true, incomplete: false,
        error: 'offline: the provider cannot be reached: nothing answers at localhost:11434',
        why: 'offline: the provider cannot be reached: nothing answers at localhost:11434',
        shown: 'no last known list (it never listed its models); 2 models of the rate catalogue the chat offers for it (not fetched from the provider)' },
      items: ['gpt-4o · not fetched (rate catalogue)', 'gpt-4o-mini · not fetched (rate catalogue)'],
      why: 'Offline: the provider cannot be reached: nothing answers at localhost:11434',
      fetched: 'No last known list (it never listed its models); 2 models of the rate catalogue the chat offers for it (not fetched from the provider).',
    },
    {
      name: 'a refused key: the last known list, with its date',
      list: { models: ['llama3', 'gpt-4o'], fromCatalogue: ['gpt-4o'], stale: true, checkedAt: '2026-11-20T09:30:00Z', offline: false, incomplete: false,
        error: 'provider error 401 Unauthorized: invalid key', why: 'listing the models failed: provider error 401 Unauthorized: invalid key',
        shown: 'the last known list, from 2026-11-20 09:30:00 UTC; 1 model of the rate catalogue the chat offers for it (not fetched from the provider)' },
      items: ['llama3', 'gpt-4o · not fetched (rate catalogue)'],
      why: 'Listing the models failed: provider error 401 Unauthorized: invalid key',
      fetched: 'The last known list, from 2026-11-20 09:30:00 UTC; 1 model of the rate catalogue the chat offers for it (not fetched from the provider).',
    },
    {
      name: 'a last known list that was empty',
      list: { models: [], stale: true, checkedAt: '2026-11-20T09:30:00Z', offline: true, incomplete: false, error: 'offline: the provider cannot be reached',
        why: 'offline: the provider cannot be reached', shown: 'the last known list, from 2026-11-20 09:30:00 UTC, was empty' },
      items: [],
      why: 'Offline: the provider cannot be reached',
      fetched: 'The last known list, from 2026-11-20 09:30:00 UTC, was empty.',
    },
  ])('$name, with a Retry that asks again', async ({ list, items, why, fetched }) => {
    let calls = 0;
    fake(() => (++calls === 1 ? list : { models: ['llama3'], stale: false, checkedAt: '2026-11-24T15:00:05Z', error: '', offline: false, incomplete: false }));
    const box = await open();
    expect((await within(box).findByTestId('providers-models-why')).textContent).toBe(why);
    expect(within(box).getByTestId('providers-models-fetched').textContent).toBe(fetched);
    expect(items.length ? texts(box) : within(box).queryAllByRole('listitem')).toEqual(items);
    await fireEvent.click(within(box).getByTestId('providers-models-retry-3'));
    await waitFor(() => expect(texts(box)).toEqual(['llama3']));
    expect(calls).toBe(2);
    expect(within(box).queryByTestId('providers-models-why')).toBeNull();
  });

  it('shows a thrown error in the backend words, with a Retry', async () => {
    let calls = 0;
    fake(() => {
      if (++calls === 1) throw 'provider 3 not found';
      return { models: ['llama3'], stale: false, checkedAt: '2026-11-24T15:00:05Z', error: '', offline: false, incomplete: false };
    });
    const box = await open();
    const banner = await within(box).findByTestId('providers-models-error-3');
    expect(banner.textContent).toContain('Could not list the models of Lab');
    expect(banner.textContent).toContain('provider 3 not found');
    await fireEvent.click(within(banner).getByRole('button', { name: /retry/i }));
    await waitFor(() => expect(texts(box)).toEqual(['llama3']));
  });

  it('is offered to a member too, as the backend lists models for any signed-in member', async () => {
    fake(() => ({ models: ['llama3'], stale: false, checkedAt: '2026-11-24T15:00:05Z', error: '', offline: false, incomplete: false }), redacted);
    const box = await open();
    await waitFor(() => expect(texts(box)).toEqual(['llama3']));
  });

  it('keeps the focus on Retry while it asks again, aria-disabled, and a second press asks nothing more', async () => {
    const stale: ModelList = { models: ['llama3'], stale: true, checkedAt: '2026-11-20T09:30:00Z', offline: true, incomplete: false,
      error: 'offline: the provider cannot be reached', why: 'offline: the provider cannot be reached', shown: 'the last known list, from 2026-11-20 09:30:00 UTC' };
    let calls = 0;
    let answer: (l: ModelList) => void = () => {};
    fake(() => (++calls === 1 ? stale : new Promise<ModelList>((r) => (answer = r))));
    const box = await open();
    const retry = await within(box).findByTestId('providers-models-retry-3');
    retry.focus();
    await fireEvent.click(retry);
    await fireEvent.click(retry);
    await waitFor(() => expect(calls).toBe(2));
    // Still there while the list is asked for: aria-disabled, the focus kept.
    const busy = within(box).getByTestId('providers-models-retry-3');
    expect(usable(busy)).toBe(false);
    expect(document.activeElement).toBe(busy);
    await fireEvent.click(busy);
    expect(calls).toBe(2);
    // Live now: Retry goes, and the focus goes to Hide models, not to <body>.
    answer({ models: ['llama3'], stale: false, checkedAt: '2026-11-24T15:00:05Z', error: '', offline: false, incomplete: false });
    await waitFor(() => expect(within(box).queryByTestId('providers-models-retry-3')).toBeNull());
    await waitFor(() => expect(document.activeElement?.getAttribute('data-testid')).toBe('providers-models-close-3'));
    expect(calls).toBe(2);
  });

  it('keeps the focus in the list when the Retry of a failed call is pressed', async () => {
    let calls = 0;
    let answer: (l: ModelList) => void = () => {};
    fake(() => {
      if (++calls === 1) throw 'provider 3 not found';
      return new Promise<ModelList>((r) => (answer = r));
    });
    const box = await open();
    const banner = await within(box).findByTestId('providers-models-error-3');
    const retry = within(banner).getByRole('button', { name: /retry/i });
    retry.focus();
    await fireEvent.click(retry);
    await fireEvent.click(retry);
    await waitFor(() => expect(calls).toBe(2));
    expect(document.activeElement).not.toBe(document.body);
    answer({ models: ['llama3'], stale: false, checkedAt: '2026-11-24T15:00:05Z', error: '', offline: false, incomplete: false });
    await waitFor(() => expect(texts(box)).toEqual(['llama3']));
    await waitFor(() => expect(document.activeElement?.getAttribute('data-testid')).toBe('providers-models-close-3'));
    expect(calls).toBe(2);
  });

  it('lists a model the provider reports twice, as the CLI prints it, without breaking the page', async () => {
    fake(() => ({ models: ['llama3', 'llama3'], stale: false, checkedAt: '2026-11-24T15:00:05Z', error: '', offline: false, incomplete: false }));
    const box = await open();
    await waitFor(() => expect(texts(box)).toEqual(['llama3', 'llama3']));
  });
  it('gives each provider\'s Models button the id of its own list (aria-controls) while it is open, and none while closed', async () => {
    const other: Provider = { ...row, id: 4, name: 'Box' };
    installFakeBridge({
      'Providers.List': () => [row, other],
      'Providers.Presets': () => [],
      'Providers.SecretStorage': () => 'sealed',
      'Providers.Models': () => ({ models: ['llama3'], stale: false, checkedAt: '2026-11-24T15:00:05Z', error: '', offline: false, incomplete: false,
        shown: 'fetched from the provider 2026-11-24 15:00:05 UTC' }),
    });
    render(Providers, props);
    const b3 = await screen.findByTestId('providers-row-models-3');
    const b4 = await screen.findByTestId('providers-row-models-4');
    // Closed, a list is not in the page, and its button names none (an aria-controls naming no element).
    expect(b3.hasAttribute('aria-controls')).toBe(false);
    expect(b4.hasAttribute('aria-controls')).toBe(false);
    await fireEvent.click(b3);
    await fireEvent.click(b4);
    const box3 = await screen.findByTestId('providers-models-3');
    const box4 = await screen.findByTestId('providers-models-4');
    expect(b3.getAttribute('aria-controls')).not.toBe(b4.getAttribute('aria-controls'));
    expect(document.getElementById(b3.getAttribute('aria-controls') ?? '')).toBe(box3);
    expect(document.getElementById(b4.getAttribute('aria-controls') ?? '')).toBe(box4);
    // Hidden again: the list leaves the page, and the button names it no more.
    await fireEvent.click(b3);
    await waitFor(() => expect(screen.queryByTestId('providers-models-3')).toBeNull());
    expect(b3.getAttribute('aria-expanded')).toBe('false');
    expect(b3.hasAttribute('aria-controls')).toBe(false);
    // Every aria-controls left in the page names an element in it.
    for (const el of document.querySelectorAll('[aria-controls]')) {
      expect(document.getElementById(el.getAttribute('aria-controls') ?? '')).not.toBeNull();
    }
  });
});
