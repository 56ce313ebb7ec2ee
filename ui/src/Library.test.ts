import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { SearchHit, TermPage } from './lib/bindings';
import { recorded } from './test/recorded';
import { Scripted, makeTerm } from './test/scripted';

/** A search hit for `page`, as the core answers it. */
function hitOf(page: TermPage): SearchHit {
  return { kind: 'term', pack: page.pack, key: page.key, title: page.name, snippet: page.definition };
}

/** The terms Pod (see also Node), Node and Policy; search answers by the text typed so far (what
 *  the core finds: the_library_searches_and_opens_a_term_page in src-tauri/tests/commands.rs). */
function setupLibrary() {
  const terms: Record<string, TermPage> = {
    pod: makeTerm('pod', 'Pod', ['node']),
    node: makeTerm('node', 'Node'),
    policy: makeTerm('policy', 'Policy'),
  };
  const hits: Record<string, SearchHit[]> = {
    po: [hitOf(terms.pod), hitOf(terms.policy)],
    pod: [hitOf(terms.pod)],
  };
  const backend = new Scripted()
    .replyWith('search', (a) => hits[String(a.text)] ?? [])
    .replyWith('get_term', (a) => terms[String(a.key)]);
  const user = userEvent.setup();
  render(App);
  return { user, backend };
}

/** From Today: `/`, type `text`, and open the one term found with Enter. */
async function openTheOnlyHit(user: ReturnType<typeof userEvent.setup>, text: string) {
  await screen.findByTestId('today');
  await user.keyboard('/');
  await screen.findByTestId('search');
  await user.keyboard(text);
  await waitFor(() => expect(screen.getAllByTestId('hit')).toHaveLength(1));
  await user.keyboard('{Enter}');
}

describe('Library', () => {
  it('opens with / from Today, searches as you type and opens a term with Enter', async () => {
    const { user, backend } = setupLibrary();
    await screen.findByTestId('today');

    await user.keyboard('/');
    const input = await screen.findByTestId<HTMLInputElement>('search');
    expect(document.activeElement).toBe(input);

    await user.keyboard('po');
    await waitFor(() => expect(screen.getAllByTestId('hit')).toHaveLength(2));
    expect(backend.callsTo('search').slice(-1)[0]?.args).toEqual({ text: 'po' });

    await user.keyboard('{ArrowDown}{Enter}');
    expect((await screen.findByTestId('term-name')).textContent).toBe('Policy');
    expect(backend.callsTo('get_term').slice(-1)[0]?.args).toEqual({ pack: 'test.pack', key: 'policy' });
  });

  it('shows a term page with its lessons and navigable see-also terms, and Escape steps back', async () => {
    const { user } = setupLibrary();
    await openTheOnlyHit(user, 'pod');

    expect((await screen.findByTestId('term-name')).textContent).toBe('Pod');
    expect(screen.getByTestId('term-definition').textContent).toBe('Definition of Pod.');
    expect(screen.getByTestId('term-lessons').textContent).toContain('The basics.');
    // The explanation arrives as sanitized HTML and is rendered as markup.
    expect(screen.getByTestId('term').querySelector('.prose code')?.textContent).toBe('pod');

    await user.click(screen.getByTestId('see-also'));
    await waitFor(() => expect(screen.getByTestId('term-name').textContent).toBe('Node'));

    await user.keyboard('{Escape}');
    const input = await screen.findByTestId<HTMLInputElement>('search');
    expect(input.value).toBe('pod'); // the search is kept when coming back
    await user.keyboard('{Escape}');
    await screen.findByTestId('today');
  });

  it("leads from a see-also link to another area's term, and lists the term's sources", async () => {
    const pod = makeTerm('pod', 'Pod');
    pod.see_also = [{ pack: 'other.area', key: 'dns', name: 'DNS', definition: 'Names to addresses.', level: 'beginner' }];
    pod.sources = ['https://kubernetes.io/docs/concepts/workloads/pods/', 'https://research.google/pubs/borg/'];
    const dns = { ...makeTerm('dns', 'DNS'), pack: 'other.area' };
    const backend = new Scripted()
      .reply('search', [hitOf(pod)])
      .replyWith('get_term', (a) => (a.pack === 'other.area' ? dns : pod));
    const user = userEvent.setup();
    render(App);
    await openTheOnlyHit(user, 'pod');
    const sources = await screen.findByTestId('term-sources');
    const links = [...sources.querySelectorAll('a')];
    expect(links.map((a) => a.textContent)).toEqual([
      'kubernetes.io/docs/concepts/workloads/pods',
      'research.google/pubs/borg',
    ]);
    expect(links[0].getAttribute('href')).toBe(pod.sources[0]);

    await user.click(screen.getByTestId('see-also'));
    await waitFor(() => expect(screen.getByTestId('term-name').textContent).toBe('DNS'));
    expect(backend.callsTo('get_term').slice(-1)[0]?.args).toEqual({ pack: 'other.area', key: 'dns' });
  });

  it('says so when nothing matches', async () => {
    const { user } = setupLibrary();
    await screen.findByTestId('today');
    await user.keyboard('/');
    await screen.findByTestId('search');
    await user.keyboard('zzz');
    expect((await screen.findByTestId('no-results')).textContent).toContain('zzz');
  });

  it('shows a term page as the real core answers it', async () => {
    const page = recorded.term();
    const backend = new Scripted()
      .replyWith('search', (a) => (String(a.text) === page.name.slice(0, 3) ? [hitOf(page)] : []))
      .reply('get_term', page);
    const user = userEvent.setup();
    render(App);
    await screen.findByTestId('today');
    await user.keyboard('/');
    await screen.findByTestId('search');
    await user.keyboard(page.name.slice(0, 3));
    await waitFor(() => expect(screen.getAllByTestId('hit')).toHaveLength(1));
    // The search field is a combobox pointing at the option Enter opens.
    const search = screen.getByTestId('search');
    expect(search.getAttribute('role')).toBe('combobox');
    expect(search.getAttribute('aria-activedescendant')).toBe(screen.getByTestId('hit').id);
    expect(screen.getByTestId('hit').querySelector('button')).toBeNull();
    await user.keyboard('{Enter}');

    expect((await screen.findByTestId('term-name')).textContent).toBe(page.name);
    expect(screen.getByTestId('term-definition').textContent).toBe(page.definition);
    expect(backend.callsTo('get_term').slice(-1)[0]?.args).toEqual({ pack: page.pack, key: page.key });
    for (const lesson of page.lessons) expect(screen.getByTestId('term-lessons').textContent).toContain(lesson.summary);
    expect(screen.getAllByTestId('see-also')).toHaveLength(page.see_also.length);
  });
});
