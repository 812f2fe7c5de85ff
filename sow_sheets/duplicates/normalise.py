"""Normal forms of the cells that tell who a person is: name, phone number, e-mail address.

    name_form("Berg, R. van der")  # full="berg", ordered="berg", initials="r", letters="br"
    phone_key("+31 6 1234 5678")   # "0612345678", as "06-12345678"

Names: diacritics dropped, case folded, Dutch particles (van, de, der, 't, v.d. ...) left
out, the remaining words sorted (so a swapped first and last name reads the same), single
letters kept apart as initials.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# Dutch (and a few other) particles; "'t" is taken out before (see _THE), and single
# letters are initials, never particles.
PARTICLES = frozenset(
    [
        "van",
        "de",
        "der",
        "den",
        "het",
        "ter",
        "ten",
        "te",
        "op",
        "in",
        "aan",
        "bij",
        "uit",
        "onder",
        "la",
        "le",
        "du",
        "da",
        "di",
        "del",
        "della",
        "von",
        "vom",
        "zu",
        "vd",
    ]
)
_GLUED = re.compile(r"^(?:vander|vanden|vande|vd)(?=[a-z]{3})")
_SEPARATORS = re.compile(r"[^a-z]+")
_V_DOT = re.compile(r"(?<![a-z])v\.\s*(?=(?:'?t|de|der|den)(?![a-z]))")  # "v. 't", "v. der"
_THE = re.compile(r"(?<![a-z])'?t(?![a-z.])")  # 't as in van 't Hof; T. stays an initial


class NameForm(NamedTuple):
    """A name in comparable parts: whole words sorted, initials, and every word's first letter."""

    full: str  # whole words (two letters or more), sorted, space-separated
    ordered: str  # the same words in the order written
    initials: str  # single letters, sorted
    letters: str  # the first letter of every word and initial, sorted


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_form(name: str) -> NameForm:
    """The comparable form of a name as typed."""
    text = _fold(name).replace("v.d.", " ").replace("v/d", " ")
    text = _THE.sub(" ", _V_DOT.sub(" ", text))
    text = text.replace("'", "")
    words: list[str] = []
    initials: list[str] = []
    for word in _SEPARATORS.split(text):
        if not word or word in PARTICLES:
            continue
        word = _GLUED.sub("", word)
        (initials if len(word) == 1 else words).append(word)
    ordered = " ".join(words)
    words.sort()
    initials.sort()
    letters = "".join(sorted(w[0] for w in words + initials))
    return NameForm(" ".join(words), ordered, "".join(initials), letters)


def phone_key(phone: str) -> str:
    """The digits of a phone number, a Dutch country code written as a leading 0; "" when
    fewer than 9 digits remain."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("0031"):
        digits = "0" + digits[4:]
    elif digits.startswith("31") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if len(digits) >= 9 else ""


def email_key(email: str) -> str:
    """An e-mail address trimmed and in lower case."""
    return email.strip().casefold()
