// Test helpers for accessibility checks.

/**
 * A form field as a screen reader gets it: its aria-invalid ('true' or null)
 * and the text of the elements its aria-describedby names, joined by a space
 * ('' for none; a missing id fails the test).
 */
export function fieldState(el: Element): { invalid: string | null; description: string } {
  const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  const description = ids
    .map((id) => {
      const target = document.getElementById(id);
      if (!target) throw new Error(`aria-describedby names #${id}, which is not in the page`);
      return target.textContent?.trim() ?? '';
    })
    .join(' ');
  const invalid = el.getAttribute('aria-invalid');
  return { invalid: invalid === 'false' ? null : invalid, description };
}

/**
 * Whether a button can be pressed now. An unusable button is aria-disabled,
 * never disabled: it keeps the keyboard focus (a disabled button drops it to
 * <body>) and its handler ignores a press. Fails the test on a disabled one.
 */
export function usable(el: Element): boolean {
  if ((el as HTMLButtonElement).disabled) throw new Error(`${el.getAttribute('data-testid') ?? el.tagName} is disabled: use aria-disabled, which keeps the focus`);
  return el.getAttribute('aria-disabled') !== 'true';
}
