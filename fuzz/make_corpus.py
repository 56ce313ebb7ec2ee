#!/usr/bin/env python3
"""Writes the seed corpus, fuzz/corpus/<target>/, from the repository's own files.

Run from anywhere: `python3 fuzz/make_corpus.py`. Needs only Python's standard library and, for
the current-layout Anki seeds, the `zstd` command. Every seed stays under 64 KiB; the whole
corpus under 1 MiB. The files it writes are committed: re-run it only to refresh them (the
fuzzers add what they find to their own working corpus, fuzz/target/corpus/, never here).

Bundles (`%%%% <path>` lines, see fuzz/src/lib.rs) carry several files in one seed.
"""

import io
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
ROOT = FUZZ.parent
CORPUS = FUZZ / "corpus"
MAX_SEED = 64 << 10


def bundle(files):
    """Files (path -> bytes or str) as one bundle, in path order."""
    out = []
    for name in sorted(files):
        data = files[name]
        if isinstance(data, str):
            data = data.encode()
        assert b"\n%%%% " not in data, f"{name} holds the bundle mark"
        out.append(b"%%%% " + name.encode() + b"\n" + data)
    return b"\n".join(out)


def write(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    assert len(data) < MAX_SEED, f"{target}/{name} is {len(data)} bytes"
    path = CORPUS / target / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def zip_of(files, method=zipfile.ZIP_DEFLATED, prefix="", **kw):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name in sorted(files):
            data = files[name]
            z.writestr(prefix + name, data.encode() if isinstance(data, str) else data, **kw)
    return buf.getvalue()


# --- A minimal valid pack, written for the fuzzer: every kind of file, every question kind.

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    '<rect width="10" height="10" fill="#08c"/><text x="1" y="8">loop</text></svg>\n'
)
MINIMAL = {
    "pack.toml": """format = 1
id = "fuzz.minimal"
name = "Minimal"
version = "1.0.0"
author = "Fuzz"
license = "CC0-1.0"
description = "The smallest pack with one of everything."
""",
    "areas/basics.md": """+++
id = "basics"
name = "Basics"
+++

What the *area* covers: [a link](https://example.org) and `code`.
""",
    "lessons/loops.md": """+++
id = "loops"
title = "Loops"
summary = "How a loop compares desired and actual state."
level = "beginner"
tags = ["loops"]
terms = ["alpha", "beta", "gamma"]
+++

## A loop

1. Observe
   - nested *item* with **bold**
2. Compare

> A quote with `code`.

| a | b |
|---|---|
| 1 | 2 |

```yaml
kind: Loop
```

![A diagram of a loop](media/loop.svg)
""",
    "lessons/loops.quiz.toml": """[[questions]]
id = "one"
kind = "single"
prompt = "Which one?"
options = ["this", "that"]
correct = [0]
explanation = "This one."

[[questions]]
id = "many"
kind = "multiple"
prompt = "Which ones?"
options = ["a", "b", "c"]
correct = [0, 2]
explanation = "A and c."

[[questions]]
id = "truth"
kind = "true_false"
prompt = "Loops loop."
answer = true
explanation = "They do."
""",
    "media/loop.svg": SVG,
    "flash/0001.toml": """key = "anki:cloze1"
kind = "cloze"
notetype = "Cloze"
deck = "Fuzz::Cloze"
tags = ["cloze"]
cards = ["c1", "c2"]
front = "Gold is {{c1::Au::symbol}}; silver is {{c2::Ag}} <img src=\\"loop.svg\\">."
back = "Extra [sound:none.mp3]"
""",
    "flash/0002.toml": """key = "anki:basic1"
kind = "basic"
notetype = "Basic (and reversed card)"
deck = "Fuzz"
tags = []
cards = ["forward", "reverse"]
front = "<b>rojo</b>"
back = "red"
""",
}
for i, (term, see) in enumerate([("alpha", "beta"), ("beta", "gamma"), ("gamma", "alpha")]):
    MINIMAL[f"terms/{term}.md"] = f"""+++
id = "{term}"
name = "{term.title()}"
aliases = ["{term[0].upper()}{i}"]
definition = "The {i}th letter of a made-up alphabet."
area = "basics"
level = "{['beginner', 'intermediate', 'advanced'][i]}"
lessons = ["loops"]
see_also = ["{see}"]
tags = ["letters"]
+++

An explanation with a list:

- one
- two
"""


def kubernetes_lesson():
    """The built-in `kubernetes` lesson with its terms and diagram, cut loose from the rest."""
    content = ROOT / "content" / "kubernetes-containers"
    files = {
        "pack.toml": (content / "pack.toml").read_text(),
        "areas/kubernetes-containers.md": (content / "areas/kubernetes-containers.md").read_text(),
        "lessons/kubernetes.md": (content / "lessons/kubernetes.md").read_text(),
        "lessons/kubernetes.quiz.toml": (content / "lessons/kubernetes.quiz.toml").read_text(),
    }
    lesson = files["lessons/kubernetes.md"]
    terms = re.search(r"^terms = \[(.*)\]$", lesson, re.M).group(1)
    for term in re.findall(r'"([^"]+)"', terms):
        text = (content / f"terms/{term}.md").read_text()
        text = re.sub(r"^see_also = .*\n", "", text, flags=re.M)
        text = re.sub(r"^lessons = .*$", 'lessons = ["kubernetes"]', text, flags=re.M)
        if "lessons = " not in text:
            text = text.replace("\n+++\n", '\nlessons = ["kubernetes"]\n+++\n', 1)
        files[f"terms/{term}.md"] = text
    for media in re.findall(r"\(media/([^)]+)\)", lesson):
        files[f"media/{media}"] = (content / "media" / media).read_text()
    return files


def pack_load():
    write("pack_load", "valid-minimal", bundle(MINIMAL))
    write("pack_load", "valid-kubernetes-lesson", bundle(kubernetes_lesson()))
    broken = dict(MINIMAL)
    broken["pack.toml"] = MINIMAL["pack.toml"].replace("format = 1", "format = 9") + "extra = 1\n"
    broken["terms/alpha.md"] = MINIMAL["terms/alpha.md"].replace('area = "basics"', 'area = "nowhere"')
    broken["terms/Bad Name.md"] = "no front matter"
    broken["lessons/orphan.quiz.toml"] = "[[questions]]\nid = 3\n"
    broken["media/evil.svg"] = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    broken["flash/0003.toml"] = (
        'key = ""\nkind = "cloze"\nnotetype = ""\ndeck = ""\ntags = []\n'
        'cards = ["c9", "forward"]\nfront = "{{c1::{{c2::{{c3::deep}}}}}}"\nback = ""\n'
    )
    broken["other/file.txt"] = "not a pack file"
    write("pack_load", "invalid-many-problems", bundle(broken))
    deep = dict(MINIMAL)
    deep["areas/basics.md"] = MINIMAL["areas/basics.md"] + "".join(
        "  " * i + "- level\n" for i in range(70)
    )
    deep["flash/0002.toml"] = MINIMAL["flash/0002.toml"].replace(
        '"<b>rojo</b>"', '"' + "<i>" * 70 + "x" + "</i>" * 70 + '"'
    )
    write("pack_load", "invalid-too-deep", bundle(deep))
    not_utf8 = {"pack.toml": b"format = 1\nid = \"\xff\xfe\"\n", "terms/x.md": b"+++\n\x00\x00+++"}
    write("pack_load", "invalid-not-utf8", bundle(not_utf8))
    write("pack_load", "empty", b"")
    write("pack_load", "valid-only-manifest", bundle({"pack.toml": MINIMAL["pack.toml"]}))


def render():
    samples = {
        "lists.md": "- a\n  - b\n    - c\n      1. d\n      2. e\n\n> quote\n> > nested\n",
        "html-attacks.md": (
            '<script>alert(1)</script>\n<img src=x onerror="alert(1)">\n'
            '<a href="javascript:alert(1)">x</a> <a href="JaVa&#x09;script:alert(1)">y</a>\n'
            '<iframe srcdoc="<script>x</script>"></iframe><svg><use href="data:image/svg+xml,x"/></svg>\n'
            '[link](javascript:alert(1)) [data](data:text/html,<script>x</script>)\n'
            '<style>*{}</style><div style="x" onclick="y">z</div><math><mi>x</mi></math>\n'
            '<a href="data:image/png;base64,AAAA">img link</a> <form action="https://x"><input></form>\n'
        ),
        "images.md": "![a](media/loop.svg) ![b](media/x.png \"title\") ![c](../../etc/passwd)\n"
        "![d](https://example.org/e.gif) <img src=\"media/f.jpg\">\n",
        "table-code.md": "| a | b |\n|:-|-:|\n| `x` | ~~y~~ |\n\n```python\nprint('<b>')\n```\n\n    indented\n",
        "clozes.txt": "{{c1::Au::symbol}} and {{c2::Ag}} and {{c1::{{c3::nested::h}}::outer}}"
        " and {{c10::ten}} and {{c0::zero}} and {{c1::unclosed\0Back with <b>html</b> [sound:a.mp3]",
        "cloze-deep.txt": "{{c1::" * 10 + "x" + "}}" * 10,
        "html-deep.html": "<div>" * 80 + "x" + "</div>" * 80,
        "markdown-deep.md": "> " * 80 + "x\n",
        "anki-field.html": '<div>Front <img src="paste-1.png"></div><br>[sound:rec.mp3]'
        '<span style="color:red" class="cloze">x</span>&nbsp;&amp;&lt;\0<hr id=answer>Back',
        "entities.md": "&lt;script&gt; &#60;script&#62; &#x3c;script&#x3e; &amp;lt; <!-- comment --> <![CDATA[x]]>\n",
        "unicode.md": "É ü 日本語 🎉 \u202e rtl \u0000 nul * _ ` \n",
    }
    for name, text in samples.items():
        write("render", name, text)


def zips():
    files = {k: v for k, v in MINIMAL.items()}
    write("zip", "pack-deflated.zip", zip_of(files))
    write("zip", "pack-stored-in-folder.zip", zip_of(files, zipfile.ZIP_STORED, prefix="minimal/"))
    write("zip", "empty.zip", zip_of({}))
    write("zip", "slip.zip", zip_of({"../evil.txt": "x", "/abs.txt": "y", "C:/win.txt": "z"}))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("dir/"), b"")
        with z.open("big.txt", "w", force_zip64=True) as f:
            f.write(b" " * 20000)
        z.writestr("pack.toml", MINIMAL["pack.toml"])
    write("zip", "zip64-with-dir.zip", buf.getvalue())


def csvs():
    rows = [("term", "definition", "tags"), ("le chien", "the dog", "animals"), ("l'eau", "water", "")]
    write("csv", "comma-header.csv", "".join(",".join(r) + "\n" for r in rows))
    write("csv", "semicolon.csv", (ROOT / "tests/fixtures/terms_semicolon.csv").read_bytes())
    write("csv", "tab.csv", "front\tback\nuno\tone\ndos\ttwo\n")
    write(
        "csv",
        "quoted-multiline.csv",
        '"a, quoted","with ""quotes"" and\nnewline",tag1 tag2\n"<b>html</b>","<script>x</script>&amp;"\n',
    )
    write("csv", "bom-crlf.csv", "\ufeffword,meaning\r\nhola,hello\r\nhola,again\r\n,empty\r\n")
    write("csv", "ragged.csv", "only-one-field\na,b,c,d,e\n\n\"unterminated,quote\n")
    write("csv", "not-utf8.csv", b"caf\xe9,coffee\n")


def anki():
    fixtures = ROOT / "tests/fixtures"
    genanki = fixtures / "genanki_mixed_30.apkg"
    write("anki", "genanki_mixed_30.apkg", genanki.read_bytes())
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # Schema 11 (genanki), as a bundle with a smaller page size.
        with zipfile.ZipFile(genanki) as z:
            entries = {n: z.read(n) for n in z.namelist()}
        col = tmp / "genanki.sqlite"
        col.write_bytes(entries["collection.anki2"])
        shrink(col, keep_notes=None)
        entries["collection.anki2"] = col.read_bytes()
        write("anki", "bundle-genanki-anki2", bundle(entries))
        # Schema 18 (Anki 26.09 with review history), cut to a few notes.
        with zipfile.ZipFile(fixtures / "anki_history_200.apkg") as z:
            entries = {n: z.read(n) for n in z.namelist()}
        zst = tmp / "c.zst"
        zst.write_bytes(entries["collection.anki21b"])
        col = tmp / "history.sqlite"
        subprocess.run(["zstd", "-q", "-d", str(zst), "-o", str(col)], check=True)
        shrink(col, keep_notes=6)
        subprocess.run(["zstd", "-q", "-19", "-f", str(col), "-o", str(zst)], check=True)
        current = {
            "meta": entries["meta"],
            "media": entries["media"],
            "0": entries["0"],
            "1": entries["1"],
            "collection.anki21b": zst.read_bytes(),
            # The dummy a current package carries for older Ankis.
            "collection.anki2": b"",
        }
        write("anki", "history-anki21b.apkg", zip_of(current, zipfile.ZIP_STORED))
        write("anki", "bundle-history-anki21b", bundle(current))
        plain = {"collection.anki21": col.read_bytes(), "media": "{}"}
        write("anki", "bundle-history-schema18-plain", bundle(plain))
    write("anki", "not-a-collection.apkg", zip_of({"collection.anki2": "SQLite format 3\0 but not"}))
    write("anki", "newer-meta", bundle({"meta": b"\x08\x09", "collection.anki21b": b""}))


def shrink(path, keep_notes):
    """Keeps the first `keep_notes` notes (all if None) with their cards and reviews, and
    rewrites the file with 512-byte pages."""
    con = sqlite3.connect(path)
    con.create_collation("unicase", lambda a, b: (a.lower() > b.lower()) - (a.lower() < b.lower()))
    if keep_notes is not None:
        con.execute(
            "DELETE FROM notes WHERE id NOT IN (SELECT id FROM notes ORDER BY id LIMIT ?)",
            (keep_notes,),
        )
        con.execute("DELETE FROM cards WHERE nid NOT IN (SELECT id FROM notes)")
        con.execute("DELETE FROM revlog WHERE cid NOT IN (SELECT id FROM cards)")
        for table in ("sqlite_stat1", "sqlite_stat4", "graves"):
            try:
                con.execute(f"DELETE FROM {table}")
            except sqlite3.OperationalError:
                pass
    con.commit()
    con.execute("PRAGMA journal_mode = DELETE")
    con.execute("PRAGMA page_size = 512")
    con.execute("VACUUM")
    con.close()


def main():
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    pack_load()
    render()
    zips()
    csvs()
    anki()
    total = sum(f.stat().st_size for f in CORPUS.rglob("*") if f.is_file())
    assert total < 1 << 20, f"the corpus is {total} bytes"
    for target in sorted(os.listdir(CORPUS)):
        files = list((CORPUS / target).iterdir())
        size = sum(f.stat().st_size for f in files)
        print(f"{target:10} {len(files):3} seeds {size:7} bytes")
    print(f"{'total':10} {total:15} bytes")


if __name__ == "__main__":
    main()
