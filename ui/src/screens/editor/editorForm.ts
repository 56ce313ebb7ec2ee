// The note editor's form, as plain data: what the learner types (lists as comma-separated text),
// the draft the core reads from it, and the few edits the editor makes to text (cloze numbers,
// an image's Markdown). No rule of the core lives here: the core checks every draft.
import type { NoteDraft, TextFormat } from '../../lib/bindings';

export type Kind = NoteDraft['kind'];
export type Level = 'beginner' | 'intermediate' | 'advanced';

export type TermForm = {
  name: string;
  /** Comma-separated. */
  aliases: string;
  definition: string;
  explanation: string;
  area: string;
  level: Level;
  /** Comma-separated term ids. */
  see_also: string;
};
export type BasicForm = { front: string; back: string; reverse: boolean; format: TextFormat };
export type ClozeForm = { text: string; extra: string; format: TextFormat };

/** Each kind keeps its own text, so switching kind and back loses nothing; tags are shared. */
export type NoteForm = { kind: Kind; term: TermForm; basic: BasicForm; cloze: ClozeForm; tags: string[] };

/** The kinds a new note can be, in the switch's order. */
export const KINDS: { kind: Kind; label: string; hint: string }[] = [
  { kind: 'term', label: 'Term', hint: 'a name and its definition, asked both ways' },
  { kind: 'basic', label: 'Basic', hint: 'a front and a back' },
  { kind: 'cloze', label: 'Cloze', hint: 'a text with parts to fill in' },
];

export const LEVELS: Level[] = ['beginner', 'intermediate', 'advanced'];

/** The name of the pack new notes go to unless the learner names another. */
export const MY_CARDS = 'My cards';

export function emptyForm(kind: Kind = 'basic'): NoteForm {
  return {
    kind,
    term: { name: '', aliases: '', definition: '', explanation: '', area: '', level: 'beginner', see_also: '' },
    basic: { front: '', back: '', reverse: false, format: 'markdown' },
    cloze: { text: '', extra: '', format: 'markdown' },
    tags: [],
  };
}

/** A list as the form shows it. */
export function listText(items: string[]): string {
  return items.join(', ');
}

/** A comma-separated list as the draft has it: entries trimmed, blanks left out. */
export function parseList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The form showing `draft`. */
export function formOf(draft: NoteDraft): NoteForm {
  const form = emptyForm(draft.kind);
  form.tags = [...draft.tags];
  switch (draft.kind) {
    case 'term':
      form.term = {
        name: draft.name,
        aliases: listText(draft.aliases),
        definition: draft.definition,
        explanation: draft.explanation,
        area: draft.area,
        level: draft.level,
        see_also: listText(draft.see_also),
      };
      break;
    case 'basic':
      form.basic = { front: draft.front, back: draft.back, reverse: draft.reverse, format: draft.format };
      break;
    case 'cloze':
      form.cloze = { text: draft.text, extra: draft.extra, format: draft.format };
      break;
  }
  return form;
}

/** The draft the form's kind makes, for the core to check, preview and store. */
export function draftOf(form: NoteForm): NoteDraft {
  const tags = [...form.tags];
  switch (form.kind) {
    case 'term': {
      const t = form.term;
      return {
        kind: 'term',
        name: t.name,
        aliases: parseList(t.aliases),
        definition: t.definition,
        explanation: t.explanation,
        area: t.area,
        level: t.level,
        see_also: parseList(t.see_also),
        tags,
      };
    }
    case 'basic':
      return { kind: 'basic', ...form.basic, tags };
    case 'cloze':
      return { kind: 'cloze', ...form.cloze, tags };
  }
}

/** What the learner has written, whatever the kind switch shows: a switch alone is no work. */
export function writtenKey(form: NoteForm): string {
  return JSON.stringify([form.term, form.basic, form.cloze, form.tags]);
}

/** The fields of the form's kind that must be written before it makes any card. */
export function missingFields(form: NoteForm): string[] {
  switch (form.kind) {
    case 'term':
      return (['name', 'definition'] as const).filter((f) => !form.term[f].trim());
    case 'basic':
      return (['front', 'back'] as const).filter((f) => !form.basic[f].trim());
    case 'cloze':
      return form.cloze.text.trim() ? [] : ['text'];
  }
}

/** A field of the form's kind as text, to compare with the pack's and to show it. */
export function fieldText(form: NoteForm, field: string): string {
  if (field === 'tags') return listText(form.tags);
  const value = (form[form.kind] as Record<string, unknown>)[field];
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return typeof value === 'string' ? value : '';
}

/** The form with `field` of its kind as `from` has it (the pack's text of the note). */
export function withFieldOf(form: NoteForm, from: NoteForm, field: string): NoteForm {
  if (field === 'tags') return { ...form, tags: [...from.tags] };
  const kind = form.kind;
  const source = from[kind] as Record<string, unknown>;
  if (!(field in source)) return form;
  return { ...form, [kind]: { ...form[kind], [field]: source[field] } };
}

/** The form for the next note after one is added: the kind, tags, a term's area and level and a
 *  basic note's reverse kept, as Anki's Add window keeps the note type, deck and tags. */
export function nextForm(form: NoteForm): NoteForm {
  const next = emptyForm(form.kind);
  next.tags = [...form.tags];
  next.term.area = form.term.area;
  next.term.level = form.term.level;
  next.basic.reverse = form.basic.reverse;
  return next;
}

/** The number a new cloze deletion takes: one past the highest in `text`. */
export function nextClozeNumber(text: string): number {
  let highest = 0;
  for (const m of text.matchAll(/\{\{c(\d+)::/g)) highest = Math.max(highest, Number(m[1]));
  return highest + 1;
}

/** A text edit: the new text and where the cursor goes. */
export type TextEdit = { text: string; cursor: number };

/** Wraps `text[start..end]` in the next cloze deletion. With nothing selected the deletion is
 *  empty and the cursor inside it; otherwise the cursor goes after it. */
export function wrapCloze(text: string, start: number, end: number): TextEdit {
  const [from, to] = start <= end ? [start, end] : [end, start];
  const open = `{{c${nextClozeNumber(text)}::`;
  const inner = text.slice(from, to);
  const wrapped = `${open}${inner}}}`;
  return {
    text: text.slice(0, from) + wrapped + text.slice(to),
    cursor: inner ? from + wrapped.length : from + open.length,
  };
}

/** How a stored image is named in a field of `format`: Markdown's image, or (for a note imported
 *  as HTML) an img tag naming the file as Anki does, without its folder. */
export function imageMarkup(path: string, format: TextFormat): string {
  return format === 'markdown' ? `![](${path})` : `<img src="${path.replace(/^media\//, '')}">`;
}

/** Puts `insert` in place of `text[start..end]`; the cursor after it. */
export function insertText(text: string, start: number, end: number, insert: string): TextEdit {
  return { text: text.slice(0, start) + insert + text.slice(end), cursor: start + insert.length };
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "Added 2 cards to My cards". */
export function addedText(cards: number, pack: string): string {
  return `Added ${plural(cards, 'card')} to ${pack}`;
}

/** What a preview card asks, by its template. */
export function templateLabel(template: string, kind: Kind): string {
  if (template === 'forward') return kind === 'term' ? 'Term → definition' : 'Front → back';
  if (template === 'reverse') return kind === 'term' ? 'Definition → term' : 'Back → front';
  const cloze = /^c(\d+)$/.exec(template);
  return cloze ? `Cloze ${cloze[1]}` : template;
}

/** The pack a new note goes to, as the commands take it: null for My cards, a personal pack's id
 *  when the name typed is one (any case), else the name typed (a new pack of that name). */
export function packArg(typed: string, packs: { id: string; name: string }[]): string | null {
  const name = typed.trim();
  if (!name || name.toLowerCase() === MY_CARDS.toLowerCase()) return null;
  return packs.find((p) => p.name.toLowerCase() === name.toLowerCase() || p.id === name)?.id ?? name;
}

/** Whether `typed` names a pack that does not exist yet (saving makes it). */
export function isNewPack(typed: string, packs: { id: string; name: string }[]): boolean {
  const arg = packArg(typed, packs);
  return arg !== null && !packs.some((p) => p.id === arg);
}
