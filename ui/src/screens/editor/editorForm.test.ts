import { describe, expect, it } from 'vitest';
import type { NoteDraft } from '../../lib/bindings';
import {
  addedText,
  draftOf,
  emptyForm,
  fieldText,
  formOf,
  imageMarkup,
  isNewPack,
  missingFields,
  nextClozeNumber,
  nextForm,
  packArg,
  templateLabel,
  withFieldOf,
  wrapCloze,
  writtenKey,
} from './editorForm';

const TERM: NoteDraft = {
  kind: 'term',
  name: 'Pod',
  aliases: ['po', 'pods'],
  definition: 'The smallest deployable unit.',
  explanation: 'One or more **containers**.',
  area: 'kubernetes',
  level: 'intermediate',
  see_also: ['service', 'k8s.core/node'],
  tags: ['k8s'],
};

describe('the note form', () => {
  it('shows a draft and gives it back as it was; lists are comma-separated text', () => {
    const form = formOf(TERM);
    expect(form.term.aliases).toBe('po, pods');
    expect(draftOf(form)).toEqual(TERM);
    form.term.see_also = ' service ,, other ';
    expect(draftOf(form)).toMatchObject({ see_also: ['service', 'other'] });
    const cloze: NoteDraft = { kind: 'cloze', text: '{{c1::x}}', extra: '', tags: [], format: 'html' };
    expect(draftOf(formOf(cloze))).toEqual(cloze);
  });

  it('counts a kind switch alone as nothing written', () => {
    const form = emptyForm('basic');
    const before = writtenKey(form);
    form.kind = 'cloze';
    expect(writtenKey(form)).toBe(before);
    form.cloze.text = 'x';
    expect(writtenKey(form)).not.toBe(before);
  });

  it('names the fields a card still needs', () => {
    expect(missingFields(emptyForm('term'))).toEqual(['name', 'definition']);
    expect(missingFields({ ...emptyForm('basic'), basic: { ...emptyForm().basic, front: 'Q' } })).toEqual(['back']);
    expect(missingFields(emptyForm('cloze'))).toEqual(['text']);
  });

  it('takes a field from the pack’s text, leaving the others', () => {
    const mine = formOf({ ...TERM, definition: 'Mine.', area: 'mine' });
    const pack = formOf(TERM);
    const back = withFieldOf(mine, pack, 'definition');
    expect(back.term.definition).toBe(TERM.definition);
    expect(back.term.area).toBe('mine');
    expect(fieldText(back, 'aliases')).toBe('po, pods');
  });

  it('keeps the kind, tags, area, level and reverse for the next note', () => {
    const form = formOf(TERM);
    form.basic.reverse = true;
    const next = nextForm(form);
    expect(next.kind).toBe('term');
    expect(next.tags).toEqual(['k8s']);
    expect(next.term).toMatchObject({ name: '', definition: '', area: 'kubernetes', level: 'intermediate' });
    expect(next.basic.reverse).toBe(true);
  });
});

describe('cloze deletions', () => {
  it('take the number after the highest', () => {
    expect(nextClozeNumber('no deletion')).toBe(1);
    expect(nextClozeNumber('{{c1::a}} {{c3::b::hint}} {{c2::c}}')).toBe(4);
  });

  it('wrap the selection, the cursor after it; with none, an empty one with the cursor inside', () => {
    expect(wrapCloze('Paris is in France', 0, 5)).toEqual({ text: '{{c1::Paris}} is in France', cursor: 13 });
    expect(wrapCloze('{{c1::Paris}} is in France', 20, 26)).toEqual({
      text: '{{c1::Paris}} is in {{c2::France}}',
      cursor: 34,
    });
    // A selection made backwards is the same selection.
    expect(wrapCloze('ab', 2, 0).text).toBe('{{c1::ab}}');
    expect(wrapCloze('ab', 1, 1)).toEqual({ text: 'a{{c1::}}b', cursor: 7 });
  });
});

describe('packs and words', () => {
  const packs = [
    { id: 'mine.my-cards', name: 'My cards' },
    { id: 'mine.rust', name: 'Rust' },
  ];

  it('names My cards by null, a pack of the learner’s by its id, a new one by its name', () => {
    expect(packArg('My cards', packs)).toBeNull();
    expect(packArg('  ', packs)).toBeNull();
    expect(packArg('rust', packs)).toBe('mine.rust');
    expect(packArg(' Go ', packs)).toBe('Go');
    expect(isNewPack('Go', packs)).toBe(true);
    expect(isNewPack('RUST', packs)).toBe(false);
    expect(isNewPack('my cards', [])).toBe(false);
  });

  it('names an image as Markdown, or as an img tag in a note imported as HTML', () => {
    expect(imageMarkup('media/mine-ab12.png', 'markdown')).toBe('![](media/mine-ab12.png)');
    expect(imageMarkup('media/mine-ab12.png', 'html')).toBe('<img src="mine-ab12.png">');
  });

  it('words what was added and what each card asks', () => {
    expect(addedText(1, 'My cards')).toBe('Added 1 card to My cards');
    expect(addedText(3, 'Rust')).toBe('Added 3 cards to Rust');
    expect(templateLabel('forward', 'term')).toBe('Term → definition');
    expect(templateLabel('reverse', 'basic')).toBe('Back → front');
    expect(templateLabel('c12', 'cloze')).toBe('Cloze 12');
  });
});
