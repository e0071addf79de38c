"""The sentence spoken (and shown) when a ticket is called at a counter."""

import re

from queue_display.announce.terbilang import MAX_NUMBER, number_words_en, terbilang

# Letters whose Indonesian name is the letter itself stay capitals, so the displayed
# text matches the ticket ("Nomor antrean A, ..."); the rest are spelled as their names,
# so every engine says the Indonesian name: espeak-ng -v id does for a lone "B", but the
# browser speechSynthesis fallback may not, and "B" next to "-" or digits is easily skipped.
# fmt: off
LETTER_NAMES_ID: dict[str, str] = {
    "A": "A", "B": "be", "C": "ce", "D": "de", "E": "E", "F": "ef", "G": "ge",
    "H": "ha", "I": "I", "J": "je", "K": "ka", "L": "el", "M": "em", "N": "en",
    "O": "O", "P": "pe", "Q": "ki", "R": "er", "S": "es", "T": "te", "U": "U",
    "V": "fe", "W": "we", "X": "eks", "Y": "ye", "Z": "zet",
}
# fmt: on

LANGUAGES = ("id", "en")

# Prefix letters, an optional separator, then digits: "A-123", "A123", "B-007", "AB 12".
# ASCII only: \d would also accept e.g. Arabic-Indic digits, which int() silently converts.
_CODE_RE = re.compile(r"([A-Za-z]+)[- ]?([0-9]+)")


def _parse_code(code: str) -> tuple[str, int]:
    match = _CODE_RE.fullmatch(code.strip()) if isinstance(code, str) else None
    if match is None:
        raise ValueError(f"Kode antrean tidak valid: {code!r} (contoh: A-123)")
    number = int(match.group(2))
    if number > MAX_NUMBER:
        raise ValueError(f"Nomor antrean terlalu besar: {code!r}")
    return match.group(1).upper(), number


def _counter_words(counter: int | str, lang: str) -> str:
    words = terbilang if lang == "id" else number_words_en
    if isinstance(counter, bool):
        raise ValueError(f"Loket tidak valid: {counter!r}")
    if isinstance(counter, int):
        return words(counter)
    name = str(counter).strip()
    if not name:
        raise ValueError("Nama loket kosong")
    # A counter named "3" or "03" is still read as a number; "Prioritas" is read as is.
    return words(int(name)) if name.isdecimal() and name.isascii() else name


def call_phrase(code: str, counter: int | str, lang: str = "id") -> str:
    """Spoken text for calling ticket `code` to `counter`.

    >>> call_phrase("A-123", 2)
    'Nomor antrean A, seratus dua puluh tiga, silakan menuju loket dua'
    >>> call_phrase("B-007", 4, lang="en")
    'Queue number B, seven, please proceed to counter four'
    """
    if lang not in LANGUAGES:
        raise ValueError(f"Bahasa tidak didukung: {lang!r} (pilihan: {', '.join(LANGUAGES)})")
    letters, number = _parse_code(code)
    counter_text = _counter_words(counter, lang)
    if lang == "id":
        prefix = " ".join(LETTER_NAMES_ID[ch] for ch in letters)
        return f"Nomor antrean {prefix}, {terbilang(number)}, silakan menuju loket {counter_text}"
    # English TTS reads capital letters by their English names, so keep them as capitals.
    prefix = " ".join(letters)
    return (
        f"Queue number {prefix}, {number_words_en(number)}, please proceed to counter "
        f"{counter_text}"
    )
