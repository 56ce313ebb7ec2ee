// Quiz prompts and options mark code with backticks, as the pack format allows
// (`kubectl apply -f web.yaml`): split into plain and code runs, shown as text nodes and <code>,
// so nothing in them is ever read as markup.

export type Run = { text: string; code: boolean };

/** "Run `a` then `b`" → Run, a (code), then, b (code). An unpaired backtick stays as it is. */
export function codeRuns(text: string): Run[] {
  const parts = text.split('`');
  // An even count of parts means one backtick has no partner: keep the last one literal.
  if (parts.length % 2 === 0) parts.splice(-2, 2, `${parts[parts.length - 2]}\`${parts[parts.length - 1]}`);
  return parts.map((t, i) => ({ text: t, code: i % 2 === 1 })).filter((r) => r.text !== '' || r.code);
}
