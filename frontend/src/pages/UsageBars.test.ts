import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import UsageBars from './UsageBars.svelte';

describe('UsageBars', () => {
  it('shows the empty note for null points (a Go nil slice) and bars otherwise', () => {
    render(UsageBars, { title: 'By department', points: null, testid: 'usage-by-department' });
    expect(screen.getByTestId('usage-by-department').textContent).toContain('No usage in this range.');
    expect(screen.queryAllByTestId('usage-by-department-bar')).toHaveLength(0);
  });

  it('renders one bar per point with a formatted amount', () => {
    render(UsageBars, {
      title: 'By model', testid: 'usage-by-model', ondrill: () => {},
      points: [{ key: 'gpt-4o', label: 'gpt-4o', amount: '1234.5', count: 3, share: 1000 }],
    });
    const bars = screen.getAllByTestId('usage-by-model-bar');
    expect(bars).toHaveLength(1);
    expect(bars[0].textContent).toContain('1,234.50 credits');
    expect(bars[0].tagName).toBe('BUTTON');
  });

  it('draws plain rows, not buttons that do nothing, when there is no drill-down', () => {
    render(UsageBars, {
      title: 'Most expensive conversations', testid: 'usage-conversations',
      points: [{ key: 'conversation 7', label: 'Trip plans', amount: '0.072', count: 1, id: 7, share: 1000 }],
    });
    const bar = screen.getByTestId('usage-conversations-bar');
    expect(bar.textContent).toContain('Trip plans');
    expect(bar.tagName).not.toBe('BUTTON');
    expect(screen.getByTestId('usage-conversations').querySelectorAll('button, [tabindex]')).toHaveLength(0);
  });
});
