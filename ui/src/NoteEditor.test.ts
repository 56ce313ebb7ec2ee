import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { AppError, BrowseRow, CardDetail, NoteDraft, StudyCard, TermPage } from './lib/bindings';
import { recorded } from './test/recorded';
import { MY_CARDS_PACK, NOTE_ID, Scripted, cardPreview, makeCard, makeTerm, noteView } from './test/scripted';

// The note editor against a scripted core: the tests say what get_note, preview_note and the
// writes answer, then check what the editor shows and the drafts it sends. What the core does
// with a draft (checks, cards added and retired, undo) is tested against it: tests/authoring.rs.

type User = ReturnType<typeof userEvent.setup>;

// user-event moves along a radio group (the kind switch's arrow keys) by a selector it escapes
// with CSS.escape, which jsdom lacks: the group's name needs no escaping.
if (typeof globalThis.CSS === 'undefined') {
  Object.defineProperty(globalThis, 'CSS', { value: { escape: (s: string) => s }, configurable: true });
}

/** The first open of the editor loads its module: give it longer than a render. */
const LOADED = { timeout: 5000 };

async function openApp(backend: Scripted) {
  const user = userEvent.setup();
  render(App);
  await screen.findByTestId('today');
  return { user, backend };
}

/** Opens the editor for a new note with `a`, once Today is shown. */
async function addWithKey(user: User) {
  await user.keyboard('a');
  return screen.findByTestId('note-editor', {}, LOADED);
}

function field<T extends HTMLElement = HTMLTextAreaElement>(name: string): T {
  return screen.getByTestId<T>(`field-${name}`);
}

function draftSent(backend: Scripted, cmd: 'add_note' | 'edit_note'): NoteDraft {
  const call = backend.callsTo(cmd).pop();
  if (!call) throw new Error(`no ${cmd} sent`);
  return call.args.draft as NoteDraft;
}

/** An `invalid` refusal of the draft at `field`, as the core words one. */
function refusal(field: string, message: string): AppError {
  return { code: 'invalid', message, field };
}

/** The card a review shows and get_card_detail answers for it, its note NOTE_ID. */
function detailOf(card: StudyCard): CardDetail {
  const { info, tags } = recorded.cardDetail();
  return { card, info: { ...info, card_id: card.card_id, note_id: NOTE_ID }, tags };
}

/** Starts a review from Today and waits for the first prompt. */
async function startReview(user: User) {
  await waitFor(() => expect(screen.getByTestId<HTMLButtonElement>('start-review').disabled).toBe(false));
  await user.keyboard('{Enter}');
  await screen.findByTestId('prompt');
}

describe('Adding notes', () => {
  it('`a` opens the editor from anywhere but a text field, and so does the navigation’s Add', async () => {
    const { user } = await openApp(new Scripted().reply('search', []));
    await addWithKey(user);
    expect(screen.getByRole('heading', { name: 'Add a note' })).toBeTruthy();
    // Nothing written: Escape closes it without asking.
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('note-editor')).toBeNull());
    expect(screen.queryByTestId('leave-dialog')).toBeNull();

    // In the library's search, `a` is a letter of the search.
    await user.click(screen.getByTestId('nav-library'));
    const search = await screen.findByTestId('search', {}, LOADED);
    await user.click(search);
    await user.keyboard('a');
    expect(screen.queryByTestId('note-editor')).toBeNull();
    expect((search as HTMLInputElement).value).toBe('a');

    await user.click(screen.getByTestId('nav-add'));
    await screen.findByTestId('note-editor');
  });

  it('adds a cloze with the keyboard: Ctrl+Shift+C marks each deletion, Ctrl+Enter saves, and the form clears for the next', async () => {
    const backend = new Scripted()
      .reply('add_note', { note_id: NOTE_ID, pack: MY_CARDS_PACK, card_ids: [NOTE_ID + 1, NOTE_ID + 2] })
      .reply('personal_packs', [], [{ id: MY_CARDS_PACK, name: 'My cards' }])
      .replyWith('preview_note', () => [
        cardPreview('c1', 'The capital of France is [...]', 'The capital of France is Paris'),
      ]);
    const { user } = await openApp(backend);
    await addWithKey(user);
    // The first field has focus; the kind is just before it, its choices on the arrow keys.
    await waitFor(() => expect(document.activeElement?.id).toBe('note-front'));
    await user.keyboard('{Shift>}{Tab}{/Shift}');
    expect(document.activeElement).toBe(screen.getByTestId('note-kind-basic'));
    await user.keyboard('{ArrowRight}');
    expect(screen.getByTestId<HTMLInputElement>('note-kind-cloze').checked).toBe(true);
    await user.keyboard('{Tab}');
    const text = field('text');
    expect(document.activeElement).toBe(text);
    await user.keyboard('The capital of France is Paris');
    // Paris selected, then marked.
    text.setSelectionRange(25, 30);
    await user.keyboard('{Control>}{Shift>}c{/Shift}{/Control}');
    expect(text.value).toBe('The capital of France is {{c1::Paris}}');
    // The cursor is after the deletion: typing goes on from there.
    await user.keyboard(', on the Seine');
    text.setSelectionRange(text.value.indexOf('Seine'), text.value.length);
    await user.keyboard('{Control>}{Shift>}c{/Shift}{/Control}');
    expect(text.value).toBe('The capital of France is {{c1::Paris}}, on the {{c2::Seine}}');

    // Past the deletion button to the extra, then the tags.
    await user.keyboard('{Tab}{Tab}Since 508{Tab}geography{Enter}');
    expect(field('extra').value).toBe('Since 508');
    // The preview shows the cards as review will.
    await waitFor(() => expect(screen.getAllByTestId('preview-card')).toHaveLength(1));
    expect(backend.callsTo('preview_note').pop()?.args).toEqual({ pack: null, draft: expect.objectContaining({ kind: 'cloze' }) });

    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(screen.getByTestId('note-saved').textContent).toBe('Added 2 cards to My cards'));
    expect(backend.callsTo('add_note').map((c) => c.args)).toEqual([
      {
        pack: null,
        draft: {
          kind: 'cloze',
          text: 'The capital of France is {{c1::Paris}}, on the {{c2::Seine}}',
          extra: 'Since 508',
          tags: ['geography'],
          format: 'markdown',
        },
      },
    ]);
    // The next note: still a cloze with the same tags, the text empty and focused.
    expect(field('text').value).toBe('');
    expect(field('extra').value).toBe('');
    expect(screen.getByTestId<HTMLInputElement>('note-kind-cloze').checked).toBe(true);
    expect(screen.getByLabelText('Tags of the note').textContent).toContain('geography');
    await waitFor(() => expect(document.activeElement).toBe(field('text')));
    // Nothing written since: closing does not ask.
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('note-editor')).toBeNull());
  });

  it('shows the core’s refusal next to the field it names, from the preview and from Save', async () => {
    const backend = new Scripted();
    backend.failures.set('preview_note', refusal('front', '`front` holds a <script> tag; cards cannot run code'));
    const { user } = await openApp(backend);
    await addWithKey(user);
    await user.click(screen.getByTestId('note-kind-basic'));
    await user.click(field('front'));
    await user.keyboard('What runs here?');
    // Nothing to preview until the back is written too: no refusal yet.
    expect(screen.getByTestId('note-preview').textContent).toContain('Write the back to see the cards.');
    await user.click(field('back'));
    await user.keyboard('Nothing');

    const error = await screen.findByTestId('field-error-front');
    expect(error.textContent).toBe('`front` holds a <script> tag; cards cannot run code');
    expect(field('front').getAttribute('aria-invalid')).toBe('true');
    expect(field('front').getAttribute('aria-describedby')).toContain(error.id);
    expect(screen.queryByTestId('field-error-back')).toBeNull();
    expect(screen.getByTestId('note-preview').textContent).toContain('Fix the marked field');

    backend.failures.delete('preview_note');
    await user.type(field('front'), '!');
    await waitFor(() => expect(screen.queryByTestId('field-error-front')).toBeNull());

    backend.failures.set('add_note', refusal('back', '`back` is longer than 64 KiB; split it'));
    await user.click(screen.getByTestId('note-save'));
    expect((await screen.findByTestId('field-error-back')).textContent).toBe('`back` is longer than 64 KiB; split it');
    expect(document.activeElement).toBe(field('back'));
    expect(screen.getByTestId('note-saved').textContent).toBe('');

    // Closing with the note written asks first; Discard closes, nothing stored.
    await user.keyboard('{Escape}');
    const ask = await screen.findByTestId('leave-dialog');
    expect(ask.textContent).toContain('The note you are writing is not saved yet.');
    await user.click(screen.getByTestId('leave-stay'));
    expect(screen.getByTestId('note-editor')).toBeTruthy();
    await user.click(screen.getByTestId('note-cancel'));
    await user.click(await screen.findByTestId('leave-discard'));
    await waitFor(() => expect(screen.queryByTestId('note-editor')).toBeNull());
  });

  it('stores a pasted image with the note and names it in the Markdown where the cursor was', async () => {
    const backend = new Scripted().reply('add_image', 'media/mine-0123456789abcdef.png');
    const { user } = await openApp(backend);
    await addWithKey(user);
    await user.click(screen.getByTestId('note-kind-basic'));
    const front = field('front');
    await user.type(front, 'Which logo? ');
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'logo.png', { type: 'image/png' });
    await fireEvent.paste(front, { clipboardData: { files: [png], types: ['Files'] } });
    await waitFor(() => expect(front.value).toBe('Which logo? ![](media/mine-0123456789abcdef.png)'));
    expect(backend.callsTo('add_image').map((c) => c.args)).toEqual([{ pack: null, bytes: [0x89, 0x50, 0x4e, 0x47] }]);

    // An image the core refuses: why, next to the field.
    backend.failures.set('add_image', refusal('image', 'only PNG, JPEG, GIF and WebP images can go into a card'));
    await fireEvent.paste(front, { clipboardData: { files: [new File(['x'], 'a.bmp', { type: 'image/bmp' })], types: ['Files'] } });
    expect((await screen.findByTestId('field-error-front')).textContent).toContain('only PNG, JPEG, GIF and WebP');
  });

  it('sends a new pack’s name, or one of the learner’s packs by its id', async () => {
    const backend = new Scripted()
      .reply('personal_packs', [{ id: 'mine.rust', name: 'Rust' }])
      .reply('add_note', { note_id: NOTE_ID, pack: 'mine.rust', card_ids: [NOTE_ID + 1] });
    const { user } = await openApp(backend);
    await addWithKey(user);
    await user.click(screen.getByTestId('note-kind-basic'));
    await user.type(field('front'), 'Ownership?');
    await user.type(field('back'), 'One owner at a time');
    const pack = field<HTMLInputElement>('pack');
    expect(pack.value).toBe('My cards');
    await user.clear(pack);
    await user.type(pack, 'Go');
    expect(screen.getByTestId('pack-hint').textContent).toContain('Saving makes a new pack, “Go”.');
    await user.clear(pack);
    await user.type(pack, 'rust');
    await user.click(screen.getByTestId('note-save'));
    await waitFor(() => expect(screen.getByTestId('note-saved').textContent).toBe('Added 1 card to Rust'));
    expect(backend.callsTo('add_note')[0].args.pack).toBe('mine.rust');
  });
});

describe('Editing notes', () => {
  it('`e` in a review edits the card’s note; once saved the card shows as edited', async () => {
    const card = makeCard(1);
    let edited = false;
    const backend = new Scripted()
      .reply('next_card', card)
      .replyWith('get_card_detail', () => detailOf(edited ? { ...card, prompt: 'Pod (po)' } : card))
      .reply(
        'get_note',
        noteView({ kind: 'term', name: 'Pod', aliases: [], definition: 'The smallest unit', explanation: '', area: 'Testing', level: 'beginner', see_also: [], tags: [] }),
      )
      .replyWith('edit_note', () => {
        edited = true;
        return { note_id: NOTE_ID, card_ids: [1, 2], added: [], retired: [] };
      })
      .replyWith('preview_note', () => [cardPreview('forward', 'Pod', 'The smallest unit', false), cardPreview('reverse', 'The smallest unit', 'Pod', false)]);
    const { user } = await openApp(backend);
    await startReview(user);
    expect(screen.getByTestId('review-edit')).toBeTruthy();

    await user.keyboard('e');
    await screen.findByTestId('note-editor', {}, LOADED);
    expect(backend.callsTo('get_card_detail')[0].args).toEqual({ cardId: 1 });
    await waitFor(() => expect(field<HTMLInputElement>('name').value).toBe('Pod'));
    expect(backend.callsTo('get_note')[0].args).toEqual({ noteId: NOTE_ID });
    expect(screen.getByRole('heading', { name: 'Edit note' })).toBeTruthy();
    // The kind of a note written is fixed.
    expect(screen.queryByTestId('note-kind-term')).toBeNull();
    expect(screen.queryByTestId('field-pack')).toBeNull();
    await waitFor(() => expect(within(screen.getByTestId('note-preview')).getAllByTestId('preview-card')).toHaveLength(2));
    expect(screen.getByTestId('note-preview').textContent).toContain('Definition → term');

    await user.type(field('aliases'), 'po');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(screen.queryByTestId('note-editor')).toBeNull());
    expect(backend.callsTo('edit_note')[0].args).toEqual({
      noteId: NOTE_ID,
      draft: { kind: 'term', name: 'Pod', aliases: ['po'], definition: 'The smallest unit', explanation: '', area: 'Testing', level: 'beginner', see_also: [], tags: [] },
    });
    // The same card, read again as the edit left it.
    await waitFor(() => expect(screen.getByTestId('prompt').textContent).toBe('Pod (po)'));
    expect(screen.getByTestId('notice').textContent).toContain('Note saved');
    expect(backend.callsTo('next_card')).toHaveLength(1);
  });

  it('shows where a pack’s note differs from the pack, with the pack’s text to go back to', async () => {
    const pack: NoteDraft = { kind: 'basic', front: 'What is a Pod?', back: 'The smallest deployable unit', reverse: false, tags: [], format: 'html' };
    const mine: NoteDraft = { ...pack, back: 'A group of containers' };
    const backend = new Scripted()
      .reply('next_card', makeCard(1))
      .replyWith('get_card_detail', () => detailOf(makeCard(1)))
      .reply('get_note', noteView(mine, { pack: 'test.pack', pack_name: 'Kubernetes', personal: false, pack_draft: pack, edited: ['back'] }));
    const { user } = await openApp(backend);
    await startReview(user);
    await user.click(screen.getByTestId('review-edit'));
    await screen.findByTestId('note-editor', {}, LOADED);
    await waitFor(() => expect(field('back').value).toBe('A group of containers'));
    expect(screen.getByTestId('note-where').textContent).toContain('Kubernetes');

    // Only the field the learner changed says so.
    const differs = screen.getByTestId('pack-text-back');
    expect(screen.queryByTestId('pack-text-front')).toBeNull();
    expect(differs.textContent).toContain('Differs from the pack');
    await user.click(within(differs).getByText('Differs from the pack'));
    expect((differs as HTMLDetailsElement).open).toBe(true);
    expect(differs.textContent).toContain('The smallest deployable unit');

    // Editing another field makes it differ too.
    await user.type(field('front'), ' (k8s)');
    expect(screen.getByTestId('pack-text-front').textContent).toContain('What is a Pod?');

    await user.click(screen.getByTestId('use-pack-text-back'));
    expect(field('back').value).toBe('The smallest deployable unit');
    expect(screen.queryByTestId('pack-text-back')).toBeNull();
    await user.click(screen.getByTestId('note-save'));
    await waitFor(() => expect(screen.queryByTestId('note-editor')).toBeNull());
    expect(draftSent(backend, 'edit_note')).toEqual({ ...pack, front: 'What is a Pod? (k8s)' });
  });

  it('Delete asks first, saying the reviews stay and Undo brings it back; the browser reads its cards again', async () => {
    const [row] = recorded.browseRows() as BrowseRow[];
    const shown: BrowseRow = { ...row, card_id: 7, note_id: NOTE_ID, prompt: 'What is a Pod?' };
    let deleted = false;
    const backend = new Scripted()
      .replyWith('browse_cards', () => (deleted ? [] : [7]))
      .replyWith('browse_rows', () => (deleted ? [] : [shown]))
      .replyWith('get_card_detail', () => detailOf(makeCard(7)))
      .reply('get_note', noteView({ kind: 'basic', front: 'What is a Pod?', back: 'A unit', reverse: true, tags: [], format: 'markdown' }))
      .replyWith('delete_note', () => {
        deleted = true;
        return 2;
      });
    const { user } = await openApp(backend);
    await user.click(screen.getByTestId('nav-browse'));
    await user.click(await screen.findByText('What is a Pod?'));
    await user.click(await screen.findByTestId('detail-edit'));
    await screen.findByTestId('note-editor', {}, LOADED);
    await waitFor(() => expect(field('front').value).toBe('What is a Pod?'));
    expect(field<HTMLInputElement>('reverse').checked).toBe(true);

    await user.click(screen.getByTestId('note-delete'));
    const ask = (await screen.findByTestId('delete-note')).textContent?.replace(/\s+/g, ' ');
    expect(ask).toContain('Its 2 cards leave study; their reviews stay in the statistics.');
    expect(ask).toContain('Undo');
    // Escape keeps the note, and the editor open.
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('delete-note')).toBeNull());
    expect(screen.getByTestId('note-editor')).toBeTruthy();
    expect(backend.callsTo('delete_note')).toHaveLength(0);

    await user.click(screen.getByTestId('note-delete'));
    await user.click(await screen.findByTestId('delete-note-confirm'));
    await waitFor(() => expect(screen.queryByTestId('note-editor')).toBeNull());
    expect(backend.callsTo('delete_note').map((c) => c.args)).toEqual([{ noteId: NOTE_ID }]);
    await waitFor(() => expect(screen.getByTestId('browse-notice').textContent).toBe('Note deleted; 2 cards left study · Ctrl+Z undoes it'));
    await waitFor(() => expect(screen.getByTestId('browse-count').textContent).toBe('0 cards'));
  });

  it('Edit on a term page edits its note; saved, the page shows it as edited, deleted, Back leaves it', async () => {
    let page: TermPage = { ...makeTerm('pod', 'Pod'), note_id: NOTE_ID };
    const term: NoteDraft = { kind: 'term', name: 'Pod', aliases: [], definition: page.definition, explanation: '', area: 'Testing', level: 'beginner', see_also: [], tags: [] };
    const backend = new Scripted()
      .reply('search', [{ kind: 'term', pack: page.pack, key: 'pod', title: 'Pod', snippet: page.definition }])
      .replyWith('get_term', () => page)
      .reply('get_note', noteView(term, { pack: page.pack, pack_name: 'Kubernetes', personal: false }))
      .replyWith('edit_note', (a) => {
        page = { ...page, definition: (a.draft as { definition: string }).definition, edited: true };
        return { note_id: NOTE_ID, card_ids: [1, 2], added: [], retired: [] };
      });
    const { user } = await openApp(backend);
    await user.keyboard('/');
    await screen.findByTestId('search', {}, LOADED);
    await user.keyboard('pod');
    await waitFor(() => expect(screen.getAllByTestId('hit')).toHaveLength(1));
    await user.keyboard('{Enter}');
    await screen.findByTestId('term-name', {}, LOADED);

    expect(screen.queryByTestId('term-yours')).toBeNull();
    await user.click(screen.getByTestId('term-edit'));
    await screen.findByTestId('note-editor', {}, LOADED);
    expect(backend.callsTo('get_note')[0].args).toEqual({ noteId: NOTE_ID });
    const definition = await screen.findByTestId<HTMLTextAreaElement>('field-definition');
    expect(definition.value).toBe(page.definition);
    await user.clear(definition);
    await user.type(definition, 'The smallest deployable unit.');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(screen.queryByTestId('note-editor')).toBeNull());
    await waitFor(() => expect(screen.getByTestId('term-definition').textContent).toBe('The smallest deployable unit.'));
    expect(screen.getByTestId('term-saved').textContent).toContain('Term saved');
    expect(screen.getByTestId('term-yours').textContent).toContain("the pack's text differs");

    // Deleted with changes typed: the page leaves without asking about them.
    await user.click(screen.getByTestId('term-edit'));
    await screen.findByTestId('note-editor');
    await waitFor(() => expect(field('definition').value).not.toBe(''));
    await user.type(field('definition'), ' More.');
    await user.click(await screen.findByTestId('note-delete'));
    await user.click(await screen.findByTestId('delete-note-confirm'));
    await screen.findByTestId('library');
    expect(screen.queryByTestId('leave-dialog')).toBeNull();
    expect(backend.callsTo('delete_note').map((c) => c.args)).toEqual([{ noteId: NOTE_ID }]);
  });
});
