"""Numbers as words, Indonesian ("terbilang") and English, for spoken announcements.

TTS engines read digits their own way (espeak-ng -v id says "007" as "nol nol tujuh"),
and the browser fallback voices differ again, so the phrase is built from words and the
engine only has to pronounce them.
"""

MAX_NUMBER = 999_999_999

# fmt: off
_ID_UNITS = (
    "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
)

_EN_UNITS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)
_EN_TENS = (
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
)
# fmt: on


def _check_range(n: int) -> None:
    # bool is an int subclass; True would silently read as "satu".
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"expected int, got {type(n).__name__}")
    if not 0 <= n <= MAX_NUMBER:
        raise ValueError(f"number out of range 0..{MAX_NUMBER}: {n}")


def _id_below_thousand(n: int) -> list[str]:
    """Words for 1..999; empty for 0 so callers can skip empty groups."""
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds > 1:
        words += [_ID_UNITS[hundreds], "ratus"]
    if rest == 0:
        return words
    if rest < 10:
        words.append(_ID_UNITS[rest])
    elif rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif rest < 20:
        words += [_ID_UNITS[rest - 10], "belas"]
    else:
        tens, units = divmod(rest, 10)
        words += [_ID_UNITS[tens], "puluh"]
        if units:
            words.append(_ID_UNITS[units])
    return words


def terbilang(n: int) -> str:
    """Indonesian words for 0..999_999_999, e.g. 123 -> "seratus dua puluh tiga".

    The "se-" prefix applies to exactly one hundred/thousand (seratus, seribu), but a
    million is "satu juta", and 101_000 is "seratus satu ribu", not "seratus seribu".
    """
    _check_range(n)
    if n == 0:
        return "nol"
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    words: list[str] = []
    if millions:
        words += _id_below_thousand(millions) + ["juta"]
    if thousands == 1:
        words.append("seribu")
    elif thousands:
        words += _id_below_thousand(thousands) + ["ribu"]
    words += _id_below_thousand(units)
    return " ".join(words)


def _en_below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words += [_EN_UNITS[hundreds], "hundred"]
    if rest == 0:
        return words
    if rest < 20:
        words.append(_EN_UNITS[rest])
    else:
        tens, units = divmod(rest, 10)
        words.append(_EN_TENS[tens] + (f"-{_EN_UNITS[units]}" if units else ""))
    return words


def number_words_en(n: int) -> str:
    """English words for 0..999_999_999, e.g. 123 -> "one hundred twenty-three".

    No "and" (American style): shorter to speak and what espeak-ng's "en" voice expects.
    """
    _check_range(n)
    if n == 0:
        return "zero"
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    words: list[str] = []
    if millions:
        words += _en_below_thousand(millions) + ["million"]
    if thousands:
        words += _en_below_thousand(thousands) + ["thousand"]
    words += _en_below_thousand(units)
    return " ".join(words)
