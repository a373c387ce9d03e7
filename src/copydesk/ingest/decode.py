"""Bytes to text: detect the encoding so that no mojibake reaches the pipeline."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from copydesk.errors import InputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than tab, newline and carriage return mark binary data.
_CONTROL = {chr(c) for c in range(32) if c not in (9, 10, 13)} | {"\x7f"}


def _looks_like_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte of ASCII-heavy text is NUL."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd_nul = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _is_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    bad = sum(1 for ch in sample if ch in _CONTROL or ch == "\ufffd")
    return bad / len(sample) > 0.01


def decode_bytes(data: bytes, source: str) -> str:
    """Decode ``data``: BOMs first, then strict UTF-8, then a detected legacy encoding.

    Raises :class:`InputError` for binary data, which no encoding turns into text.
    """
    encoding: str | None = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            break
    if encoding is None:
        encoding = _looks_like_utf16(data)
    if encoding is None and b"\x00" in data[:8192]:
        raise InputError(
            source, "binary data, not text (NUL bytes); give a text, HTML, JSON, feed or WARC file"
        )
    text: str | None = None
    if encoding is not None:
        text = data.decode(encoding, errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            best = from_bytes(data[:200_000]).best()
            guessed = best.encoding if best is not None else "cp1252"
            try:
                text = data.decode(guessed)
            except (UnicodeDecodeError, LookupError):
                text = data.decode("cp1252", errors="replace")
    if _is_binary(text):
        raise InputError(
            source, "binary data, not text; give a text, HTML, JSON, feed or WARC file"
        )
    return text


def repair_text(text: str) -> str:
    """Undo mojibake that the input already carried (UTF-8 once read as cp1252), with ftfy.

    Quotes stay curly and HTML entities stay as they are: only encoding damage is fixed.
    """
    import ftfy

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = ftfy.fix_text(
        text,
        uncurl_quotes=False,
        unescape_html=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        normalization="NFC",
    )
    return text.replace("\u200b", "").replace("\ufeff", "").replace("\u00ad", "")
