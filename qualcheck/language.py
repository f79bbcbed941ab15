"""The English variants qualcheck checks, and what each means for the engines that depend on it.

Every check is built for English (the lexicon, link-grammar's dictionary, the language model,
the calques), so ``--language`` chooses a variant, not a language. It decides which spellings
count as correct: ``en`` (the default) accepts American and British spelling alike, because a
corpus of news from many outlets mixes both; a variant tag accepts only its own Hunspell
dictionary and asks LanguageTool for the same variant.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Variant:
    tag: str  # BCP 47, as LanguageTool spells it
    dictionaries: tuple[str, ...]  # Hunspell dictionaries whose words count as correctly spelt, the first for suggestions
    languagetool: str  # the language LanguageTool checks
    package: str  # Debian package with the first dictionary


VARIANTS = {
    # LanguageTool spell-checks only a variant; with "en" it checks American spelling, as it always has
    "en": Variant("en", ("en_US", "en_GB"), "en-US", "hunspell-en-us"),
    "en-US": Variant("en-US", ("en_US",), "en-US", "hunspell-en-us"),
    "en-GB": Variant("en-GB", ("en_GB",), "en-GB", "hunspell-en-gb"),
    "en-AU": Variant("en-AU", ("en_AU",), "en-AU", "hunspell-en-au"),
    "en-CA": Variant("en-CA", ("en_CA",), "en-CA", "hunspell-en-ca"),
    "en-ZA": Variant("en-ZA", ("en_ZA",), "en-ZA", "hunspell-en-za"),
}
DEFAULT = "en"


def parse(tag: str) -> Variant:
    """The variant a tag names ("en_gb" and "EN-GB" both mean en-GB); ValueError names what is supported."""
    key = tag.strip().replace("_", "-")
    for name, variant in VARIANTS.items():
        if name.lower() == key.lower():
            return variant
    raise ValueError(f"{tag!r} is not supported: qualcheck checks English text ({', '.join(VARIANTS)})")
