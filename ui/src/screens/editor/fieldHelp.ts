// What the note editor gives each kind's fields: the core's refusal of a field, the pack's text
// of a field the learner changed, and pasted images.

export type FieldHelp = {
  /** Why the core refused the draft at `name`, or null. */
  error: (name: string) => string | null;
  /** The pack's text of `name` while the learner's differs from it, else null. */
  packText: (name: string) => string | null;
  /** Puts the pack's text of `name` into the field. */
  usePack: (name: string) => void;
  /** The ids describing the control of `name`: its hint (when it has one) and its error. */
  describedBy: (name: string, hint?: boolean) => string | undefined;
  /** An image pasted or dropped into Markdown field `name`, in place of `start..end`. */
  image: (name: string, file: File, start: number, end: number) => void;
};

/** The first image among pasted or dropped files, if any. */
export function imageOf(files: FileList | File[] | null | undefined): File | null {
  return [...(files ?? [])].find((f) => f.type.startsWith('image/')) ?? null;
}
