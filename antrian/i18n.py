"""Two languages through Flask-Babel: Indonesian (the msgids, the default) and English.

The language of a request: `?lang=` (remembered in the session: a kiosk visit keeps it across
its pages until the visit ends), else the session's choice, else Indonesian. A ticket stores the
language it was taken in, so its slip and its phone page follow it without a request.
Catalogues live in `antrian/translations/`; `make translations` extracts, updates and compiles.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import Translations
from flask import Flask, g, request, session
from flask_babel import Babel, get_locale

from antrian.catalogue import LANGUAGES

DEFAULT_LANGUAGE = LANGUAGES[0]


def known_language(value: str | None) -> str | None:
    return value if value in LANGUAGES else None


def select_locale() -> str:
    return (
        known_language(request.args.get("lang"))
        or known_language(session.get("lang"))
        or known_language(g.get("page_language"))  # e.g. the ticket's, on its phone page
        or DEFAULT_LANGUAGE
    )


def use_page_language(lang: str) -> None:
    """The language of what the page shows, when the person made no choice of their own."""
    g.page_language = lang


def current_language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


CATALOGUES = Path(__file__).with_name("translations")


@cache
def catalogue(lang: str) -> Translations:
    """The compiled catalogue of `lang`, without Flask: the printer process prints a ticket in
    the language it was taken in, long after its request."""
    return Translations.load(str(CATALOGUES), [known_language(lang) or DEFAULT_LANGUAGE])


def localized(record, field: str, lang: str | None = None) -> str:
    """`record.<field>_<lang>` when the office filled it, else the Indonesian text."""
    lang = lang or current_language()
    return getattr(record, f"{field}_{lang}", None) or getattr(record, f"{field}_id")


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    Babel(app, locale_selector=select_locale)

    @app.before_request
    def _remember_choice():
        chosen = known_language(request.args.get("lang"))
        # Only a change writes the session: kiosks and displays that never switch send no
        # cookie back and forth.
        if chosen and session.get("lang", DEFAULT_LANGUAGE) != chosen:
            session["lang"] = chosen

    @app.context_processor
    def _language():
        return {
            "current_language": current_language,
            "languages": LANGUAGES,
            "localized": localized,
        }
