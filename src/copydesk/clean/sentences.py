"""Sentence splitting with character offsets, one paragraph at a time.

nupunkt (a Punkt implementation trained on legal and news English) handles
abbreviations, initials and quotes; splitting per paragraph keeps a headline or a
paragraph without final punctuation from running into the next one.
"""

from __future__ import annotations

import re

from copydesk.models import Sentence

_PARAGRAPH = re.compile(r"[^\n]+")


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Sentences of ``text`` as spans; whitespace is never inside a span's ends."""
    import nupunkt

    out: list[Sentence] = []
    for para in _PARAGRAPH.finditer(text):
        base = para.start()
        for start, end in nupunkt.sent_spans(para.group()):
            chunk = text[base + start : base + end]
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk) - len(chunk.rstrip())
            if chunk.strip():
                out.append(Sentence(base + start + lead, base + end - trail))
    return tuple(out)
