// Reading the quiz options (lib/Choices.svelte) as a learner sees them, for component tests.
import { screen } from '@testing-library/svelte';

export function choices() {
  return screen.getAllByTestId<HTMLButtonElement>('choice');
}

/** Which options are picked. */
export function picked() {
  return choices().map((c) => c.getAttribute('aria-checked') === 'true');
}

/** For each option once checked: 'right' for a right option, 'wrong' for a wrong pick, '' otherwise. */
export function marks() {
  return choices().map((c) => {
    const mark = c.querySelector('.mark')?.getAttribute('aria-label');
    return mark === 'right answer' ? 'right' : mark === 'wrong choice' ? 'wrong' : '';
  });
}
