import { describe, expect, it } from 'vitest';
import { codeRuns } from './inlineCode';

describe('codeRuns', () => {
  it('marks backticked runs as code and keeps the rest as text', () => {
    expect(codeRuns('When `kubectl apply` returns, `web` runs.')).toEqual([
      { text: 'When ', code: false },
      { text: 'kubectl apply', code: true },
      { text: ' returns, ', code: false },
      { text: 'web', code: true },
      { text: ' runs.', code: false },
    ]);
  });

  it('leaves text without backticks, and an unpaired backtick, as it is', () => {
    expect(codeRuns('Plain text.')).toEqual([{ text: 'Plain text.', code: false }]);
    expect(codeRuns('A ` alone')).toEqual([{ text: 'A ` alone', code: false }]);
    expect(codeRuns('`a` and ` b')).toEqual([
      { text: 'a', code: true },
      { text: ' and ` b', code: false },
    ]);
  });

  it('never reads markup: a tag stays text', () => {
    expect(codeRuns('`<script>` is <b>text</b>')).toEqual([
      { text: '<script>', code: true },
      { text: ' is <b>text</b>', code: false },
    ]);
  });
});
