"""Bytes to text: detect the encoding so that no mojibake reaches the pipeline."""

from __future__ import annotations

import codecs
import re

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


# What browsers do with a declared label (WHATWG Encoding): the superset wins, since pages
# that say latin-1 or Shift_JIS use the bytes of windows-1252 or windows-31j.
_LABEL_ALIASES = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "euc_kr": "cp949",
    "utf-16": "utf-8",  # a document read as ASCII cannot be UTF-16, whatever it says
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
}
_HEADER_CHARSET = re.compile(rb"charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_META_CHARSET = re.compile(
    rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I | re.S
)
_XML_ENCODING = re.compile(rb"^\s*<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]+)", re.I)
# How much damage still counts as UTF-8: at least two valid multi-byte sequences per bad
# one. Legacy text rarely forms valid UTF-8 by chance: none in cp1252 or cp1251 prose,
# about one character in six of GBK or Big5, fewer in Shift_JIS or EUC-JP (kana).
_NEARLY_UTF8_RATIO = 2


def _codec(label: bytes | str | None) -> str | None:
    """The Python codec for a declared charset label, or None when it names no codec."""
    if not label:
        return None
    name = label.decode("ascii", "ignore") if isinstance(label, bytes) else label
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return _LABEL_ALIASES.get(name.strip().lower())
    return _LABEL_ALIASES.get(codec, codec)


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset the input declares: an HTTP Content-Type header first, as browsers do,
    then the page's own ``<meta charset>``, ``<meta http-equiv>`` or XML declaration."""
    if content_type:
        match = _HEADER_CHARSET.search(content_type.encode("latin-1", "replace"))
        codec = _codec(match[1]) if match else None
        if codec:
            return codec
    head = data[:8192]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return _codec(match[1]) if match else None


def _utf8_damage(data: bytes) -> tuple[int, int]:
    """(good, bad): non-ASCII characters that decode as UTF-8, and sequences that do not."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return non_ascii - bad, bad


def _stray_bytes_as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    """Decode error handler: a lone stray byte in UTF-8 text is most often a cp1252
    character pasted in (a curly quote, an accented letter); longer bad runs are U+FFFD."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    if len(bad) == 1:
        return bad.decode("cp1252", errors="replace"), exc.end
    return "\ufffd", exc.end


codecs.register_error("copydesk-stray-cp1252", _stray_bytes_as_cp1252)


def _lenient_utf8(data: bytes) -> str:
    return data.decode("utf-8", errors="copydesk-stray-cp1252")


def _is_mojibake(text: str) -> bool:
    """UTF-8 read in a one-byte encoding ("atak\u221a\u2265w", "caf\u00c3\u00a9"), by ftfy."""
    from ftfy.badness import is_bad

    return bool(is_bad(text[:200_000]))


def _decode_declared(data: bytes, codec: str) -> str | None:
    """``data`` in its declared codec; None when the bytes do not fit it at all."""
    if codec == "utf-8":
        return _lenient_utf8(data)
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
        return text if text.count("\ufffd") <= max(3, len(text) // 1000) else None
    except LookupError:
        return None


def _decode_unmarked(data: bytes, content_type: str | None) -> str:
    """Text without a BOM that is not strict UTF-8: declared charset, nearly-UTF-8, guess.

    A guess comes last because charset_normalizer, given a UTF-8 page with one stray
    byte, answers a one-byte encoding and turns the whole page into mojibake. Whatever
    is chosen, a result that reads as mojibake yields to the UTF-8 reading.
    """
    good, bad = _utf8_damage(data)
    utf8 = _lenient_utf8(data)
    declared = declared_charset(data, content_type)
    if declared is not None:
        text = _decode_declared(data, declared)
        if text is not None and not (_is_mojibake(text) and not _is_mojibake(utf8)):
            return text
    if good > 0 and bad * _NEARLY_UTF8_RATIO <= good:
        return utf8
    best = from_bytes(data[:200_000]).best()
    guessed = best.encoding if best is not None else "cp1252"
    try:
        text = data.decode(guessed)
    except (UnicodeDecodeError, LookupError):
        text = data.decode("cp1252", errors="replace")
    if _is_mojibake(text) and not _is_mojibake(utf8):
        return utf8
    return text


def decode_bytes(data: bytes, source: str, *, content_type: str | None = None) -> str:
    """Decode ``data``: BOM, strict UTF-8, the declared charset, nearly-UTF-8, then a guess.

    ``content_type`` is an HTTP Content-Type header when the caller has one (a WARC
    record); its charset outranks the page's own declaration. Raises
    :class:`InputError` for binary data, which no encoding turns into text.
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
    if encoding is not None:
        text = data.decode(encoding, errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_unmarked(data, content_type)
        else:
            if data.isascii() and b"\x1b" in data:  # ISO-2022-JP and kin are 7-bit
                declared = declared_charset(data, content_type)
                if declared is not None and declared.startswith("iso2022"):
                    text = _decode_declared(data, declared) or text
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
