"""Organisation names: articles, dative inflection, word keys, matching and aliases."""

import re
from collections import Counter

ARTICLES = frozenset({"dem", "der", "den", "die", "das", "des"})
STOPWORDS = frozenset({"und", "für", "der", "die", "das", "des", "dem", "den", "von", "zur", "zum"})
_QUOTES = "„“”\"'‚‘’»«"
_LEGAL_FORM = re.compile(r"(?:\be\.\s?V\.|\bg?GmbH\b|\be\.\s?G\.|\bgUG\b|\bAöR\b|\bKdöR\b)")
_NEUTER_ENDINGS = (
    "ium", "um", "ment", "werk", "amt", "büro", "institut", "zentrum", "bündnis", "haus",
    "kolleg", "komitee", "referat", "dezernat", "sekretariat", "kreuz", "team", "projekt",
    "programm", "land", "gremium",
)  # fmt: skip
_TRAILING_SHORT_NAME = re.compile(r"\s*\(([^()]{2,12})\)$")
_INFLECTION_ENDINGS = ("es", "en", "er", "em", "e", "s", "n")


def has_legal_form(text: str) -> bool:
    """Tell whether text names a legal form such as e.V. or gGmbH."""
    return bool(_LEGAL_FORM.search(text))


def strip_article(name: str) -> str:
    """Remove a leading article (dem, der, den, die, das, des)."""
    words = name.split()
    while words and words[0].casefold() in ARTICLES:
        words = words[1:]
    return " ".join(words)


def _is_neuter(noun: str) -> bool:
    return noun.casefold().endswith(_NEUTER_ENDINGS)


# article -> (ending of the adjective as written, its nominative for feminine/masculine/neuter)
_DECLENSION = {
    "dem": ("en", {"m": "er", "n": "es"}),
    "der": ("en", {"f": "e"}),
    "den": ("en", {"m": "er"}),
    "das": ("e", {"n": "es"}),
}


def _gender(article: str, noun: str) -> str:
    if article == "der":
        return "f"
    if article == "das":
        return "n"
    if article == "den":
        return "m"
    return "n" if _is_neuter(noun) else "m"


def nominative(name: str) -> str:
    """Turn "dem Hessischen Ministerium" (any case after an article) into the nominative."""
    words = name.split()
    if not words:
        return ""
    article = words[0].casefold()
    rest = words[1:] if article in ARTICLES else words
    if article not in _DECLENSION:
        return " ".join(rest)
    written, endings = _DECLENSION[article]
    count = 0
    while (
        count < len(rest) - 1
        and rest[count][:1].isupper()
        and rest[count].endswith(written)
        and rest[count].isalpha()
        and len(rest[count]) > 4
    ):
        count += 1
    if count == 0:
        return " ".join(rest)
    ending = endings[_gender(article, rest[count])]
    inflected = [word[: -len(written)] + ending for word in rest[:count]]
    return " ".join(inflected + rest[count:])


def clean_name(name: str) -> tuple[str, list[str]]:
    """Tidy a partner name and split off a trailing short name in brackets as an alias."""
    name = " ".join(name.split()).strip(" ,;:" + _QUOTES)
    aliases = []
    match = _TRAILING_SHORT_NAME.search(name)
    if match:
        aliases.append(match.group(1).strip())
        name = name[: match.start()].rstrip(" ,")
    return name, aliases


def word_key(token: str) -> str:
    """Comparable form of a word: case-folded, without punctuation and inflection ending."""
    key = token.casefold().strip(_QUOTES + "()[]{},;:!?")
    if key.endswith(".") and key.count(".") == 1:
        key = key[:-1]
    if len(key) > 4 and key.isalpha():
        for ending in _INFLECTION_ENDINGS:
            if key.endswith(ending):
                return key[: -len(ending)]
    return key


def name_keys(name: str) -> list[str]:
    """Word keys of a name, in order."""
    return [key for key in (word_key(token) for token in name.split()) if key]


def content_keys(text: str) -> set[str]:
    """Word keys of text without stopwords and articles."""
    return {key for key in name_keys(text) if key not in STOPWORDS and key not in ARTICLES}


def same_organisation(first: str, second: str) -> bool:
    """Tell whether two names use the same words (in any order and inflection)."""
    return Counter(name_keys(first)) == Counter(name_keys(second))


def part_of(text: str, name: str) -> bool:
    """Tell whether all content words of text occur in the name."""
    keys = content_keys(text)
    return bool(keys) and keys <= set(name_keys(name))


def best_match(text: str, names: list[str]) -> int | None:
    """Index of the name that text refers to (same words, or most of them), else None."""
    for index, name in enumerate(names):
        if same_organisation(text, name):
            return index
    keys = content_keys(text)
    best, best_score = None, 0.0
    for index, name in enumerate(names):
        wanted = content_keys(name)
        if not keys or not wanted:
            continue
        score = len(keys & wanted) / len(keys | wanted)
        if score > best_score:
            best, best_score = index, score
    return best if best_score >= 0.6 else None


def find_aliases(name: str, texts: list[str]) -> list[str]:
    """Find the name written with its words in another order in any of the texts."""
    wanted = name_keys(name)
    target = Counter(wanted)
    size = len(wanted)
    aliases: list[str] = []
    for text in texts:
        tokens = text.split()
        keys = [word_key(token) for token in tokens]
        for start in range(len(tokens) - size + 1):
            window = keys[start : start + size]
            if window[0] not in target or window == wanted or Counter(window) != target:
                continue
            alias = _respell(tokens[start : start + size], name)
            if alias not in aliases and alias != name:
                aliases.append(alias)
    return aliases


def _respell(tokens: list[str], name: str) -> str:
    """Write a found word order with the name's own spelling of each word (no inflection)."""
    spelling = {word_key(token): token.rstrip(",;:") for token in name.split()}
    words = []
    for token in tokens:
        core = token.rstrip(",;:")
        words.append(spelling.get(word_key(token), core) + token[len(core) :])
    alias = " ".join(words).strip(_QUOTES + ",;:()")
    if alias.endswith(".") and not name.endswith(".") and alias.count(".") == 1:
        alias = alias[:-1]
    return alias
