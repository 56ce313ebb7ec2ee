// The note editor, opened over whatever screen is shown ("Add" from anywhere, "Edit" from the
// review or the browser). App shows it while a request is open; the screen that opened it hears
// what became of the note through the request's callbacks.
import { getContext, setContext } from 'svelte';
import type { NoteAdded, NoteEdited, NoteId } from '../bindings';

export type EditorRequest = {
  /** The note to edit; null writes a new one. */
  noteId: NoteId | null;
  /** A note added (the editor stays open for the next one). */
  onAdded?: (added: NoteAdded) => void;
  /** The note's edit saved (the editor has closed). */
  onSaved?: (edited: NoteEdited) => void;
  /** The note deleted: how many cards left study (the editor has closed). */
  onDeleted?: (cards: number) => void;
};

export class NoteEditorHost {
  /** The editor's request while it is open. */
  request = $state.raw<EditorRequest | null>(null);
  /** Counts the notes added, edited and deleted, for screens that list cards to read again. */
  writes = $state(0);

  open(request: EditorRequest): void {
    this.request = request;
  }

  close(): void {
    this.request = null;
  }

  /** A note was written: screens showing cards read them again. */
  wrote(): void {
    this.writes += 1;
  }
}

const KEY = Symbol('note-editor');

/** Makes the app's editor host, for App and the screens under it. */
export function provideEditor(): NoteEditorHost {
  const host = new NoteEditorHost();
  setContext(KEY, host);
  return host;
}

/** The host App made; a screen outside App (a component test) gets one that shows nothing. */
export function useEditor(): NoteEditorHost {
  return getContext<NoteEditorHost | undefined>(KEY) ?? new NoteEditorHost();
}
