// Syntax highlighting for code blocks in pack text, offline. Only the languages packs use are
// bundled; highlight.js escapes the code it reads, so it cannot inject markup.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import yaml from 'highlight.js/lib/languages/yaml';

hljs.registerLanguage('bash', bash);
hljs.registerLanguage('dockerfile', dockerfile);
hljs.registerLanguage('go', go);
hljs.registerLanguage('ini', ini); // also "toml"
hljs.registerLanguage('json', json);
hljs.registerLanguage('markdown', markdown);
hljs.registerLanguage('python', python);
hljs.registerLanguage('yaml', yaml);
hljs.registerAliases(['sh', 'shell', 'console'], { languageName: 'bash' });

/** Highlights every `<pre><code class="language-…">` under `root` in a language we know. */
export function highlightCode(root: HTMLElement): void {
  for (const code of root.querySelectorAll<HTMLElement>('pre code[class*="language-"]')) {
    const language = [...code.classList].find((c) => c.startsWith('language-'))?.slice('language-'.length);
    if (!language || !hljs.getLanguage(language) || code.dataset.highlighted) continue;
    code.classList.add('hljs');
    code.innerHTML = hljs.highlight(code.textContent ?? '', { language, ignoreIllegals: true }).value;
    code.dataset.highlighted = 'yes';
  }
}
