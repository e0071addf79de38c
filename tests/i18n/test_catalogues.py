"""The catalogues are complete: every text the code and templates mark has English, the
compiled .mo files say what the .po files say, and the public screens mark every text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "antrian" / "translations"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
FIX = "run `make translations`, then fill the English msgstr in en/LC_MESSAGES/messages.po"

# The templates a walk-in, a phone or the lobby sees: no text may bypass the catalogues.
PUBLIC_TEMPLATES = [
    "antrian/templates/base.html",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "kiosk" / "templates").rglob("*.html")),
    "queue_display/templates/display/board.html",
]


def marked_messages() -> set[str]:
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def po(lang: str):
    with open(CATALOGUES / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def test_every_marked_text_has_an_english_translation():
    english = {m.id: m.string for m in po("en") if m.id}
    untranslated = sorted(m for m in marked_messages() if not english.get(m))
    assert not untranslated, f"without English ({FIX}):\n" + "\n".join(untranslated)


def test_translations_keep_their_placeholders():
    problems = [f"{message.id!r}: {errors}" for message, errors in po("en").check() if message.id]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_compiled_catalogue_matches_its_source(lang):
    with open(CATALOGUES / lang / "LC_MESSAGES" / "messages.mo", "rb") as f:
        compiled = {m.id: m.string for m in read_mo(f) if m.id and m.string}
    source = {m.id: m.string for m in po(lang) if m.id and m.string}
    assert compiled == source, f"messages.mo is stale: {FIX}"


class _VisibleText(HTMLParser):
    """Collects text a person would see or hear (text nodes, labels for screen readers)."""

    SPOKEN = ("aria-label", "title", "placeholder", "alt")

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in self.SPOKEN and value and re.search(r"[^\W\d_]", value):
                self.found.append(f"{tag}[{name}]={value!r}")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and re.search(r"[^\W\d_]", data):
            self.found.append(data.strip())


def literal_texts(source: str) -> list[str]:
    # Everything Jinja computes goes; what stays is what the template says literally. (A page's
    # body_class and screen_class blocks name CSS, not text.)
    source = re.sub(
        r"\{% block (body|screen)_class %\}.*?\{% endblock %\}", " ", source, flags=re.S
    )
    source = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.S)
    parser = _VisibleText()
    parser.feed(source)
    return parser.found


@pytest.mark.parametrize("template", PUBLIC_TEMPLATES)
def test_public_template_has_no_text_outside_the_catalogue(template):
    assert literal_texts((ROOT / template).read_text()) == []


def test_the_literal_check_sees_literals():
    """The check above must be able to fail: a sample with a bare text and a bare label."""
    sample = '<p>Ambil nomor</p><div aria-label="Kode QR">{{ qr }}</div><p>{{ _("Selesai") }}</p>'
    assert literal_texts(sample) == ["Ambil nomor", "div[aria-label]='Kode QR'"]
