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
      title: 'By model', testid: 'usage-by-model',
      points: [{ key: 'gpt-4o', label: 'gpt-4o', amount: '1234.5', count: 3, share: 1000 }],
    });
    const bars = screen.getAllByTestId('usage-by-model-bar');
    expect(bars).toHaveLength(1);
    expect(bars[0].textContent).toContain('1,234.50 credits');
  });
});
