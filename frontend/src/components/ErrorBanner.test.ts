import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import ErrorBanner from './ErrorBanner.svelte';
import { BackendError } from '../api/errors';
import { coded } from '../test/fakeBridge';

describe('ErrorBanner', () => {
  // A not-found (Go's code notfound: app/testdata/refusal_words.json's "missing conversation") offered a Retry
  // that could never help, under "Something went wrong".
  it('offers no Retry for a not-found, and heads it "Not found"', () => {
    const err = BackendError.from('Chat.Conversation', coded('notfound', 'conversation 7: not found', 'This conversation does not exist or is not yours'));
    render(ErrorBanner, { error: err, onretry: () => {} });
    expect(screen.getByTestId('error-banner').textContent).toContain('Not found');
    expect(screen.getByTestId('error-banner-message').textContent).toBe('This conversation does not exist or is not yours');
    expect(screen.queryByTestId('error-banner-retry')).toBeNull();
  });

  it('offers Retry for any other failure', () => {
    render(ErrorBanner, { error: BackendError.from('Chat.Conversation', 'conversation 7: database is locked'), onretry: () => {} });
    expect(screen.getByTestId('error-banner').textContent).toContain('Something went wrong');
    expect(screen.getByTestId('error-banner-retry')).toBeTruthy();
  });
});
