"""Which language a whole text is written in: py3langid (langid.py's naive Bayes model, in the wheel).

The wheel ships the model as an LZMA-compressed npz that takes about half a second to unpack on
every start; the first run unpacks it once into the user's cache folder (``cache_dir()``) as plain
.npy files, which later runs map from disk in a few milliseconds. When the cache cannot be written
the model is unpacked in memory as before. A 500-word article then takes about a millisecond.
langid.py is unreliable on a few words, so callers decide on enough text (MT110's min-letters).
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from array import array
from pathlib import Path
from typing import Any

from qualcheck.user_cache import cache_dir, mark_used, prune

ENGINE = "py3langid"
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def _model_file() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return MODEL_DIR / MODEL_FILE


def _unpacked(model: Path) -> Path:
    """The model's arrays as .npy files in the cache (written on first use); raises OSError when it cannot be."""
    import lzma

    import numpy as np
    import py3langid

    st = model.stat()
    folder = cache_dir() / f"py3langid-{py3langid.__version__}-{st.st_size}-{st.st_mtime_ns}"
    if (folder / "out_feat.npy").is_file():
        mark_used(folder)
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".py3langid-", dir=folder.parent))
    try:
        with tempfile.TemporaryFile(suffix=".npz", dir=tmp) as npz:
            with lzma.open(model) as src:
                shutil.copyfileobj(src, npz, length=1 << 20)
            npz.seek(0)
            with np.load(npz, allow_pickle=False) as data:
                for name in _ARRAYS:  # out_feat last: its presence marks a complete folder
                    np.save(tmp / f"{name}.npy", data[name], allow_pickle=False)
        try:
            tmp.rename(folder)
        except OSError:  # another process unpacked it first
            if not (folder / "out_feat.npy").is_file():
                raise
        else:
            prune(folder, "py3langid-")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def _stdlib_array(values: Any) -> array:
    """A numpy unsigned int array as a stdlib array, which py3langid's DFA walk indexes fastest."""
    out = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
    out.frombytes(memoryview(values).cast("B"))
    return out


def _from_cache(model: Path) -> Any:
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    folder = _unpacked(model)
    arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _ARRAYS}
    # the same objects py3langid's own loader builds, in the same types, so scores are identical
    return LanguageIdentifier(
        # mapped: only the rows of features a text has are read from disk; as a plain ndarray view
        # of the mapping, since np.memmap's Python-level __getitem__ costs a tenth of a sentence's score
        arrays["ptc"].view(np.ndarray),
        np.array(arrays["pc"]),
        np.array(arrays["classes"]).tolist(),
        _stdlib_array(np.ascontiguousarray(arrays["nextmove"])),
        np.array(arrays["out_feat"]).tolist(),
        norm_probs=True,
        tk_row=_stdlib_array(np.ascontiguousarray(arrays["nextmove_row"])),
    )


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import LanguageIdentifier

    model = _model_file()
    if model.name.endswith(".npz.xz"):  # py3langid 0.4's layout; older releases pickle their model
        try:
            return _from_cache(model)
        except (OSError, ValueError, KeyError, TypeError):  # read-only home, full disk, a damaged cache
            pass
    return LanguageIdentifier.from_model_file(model, norm_probs=True)


def identify(text: str) -> list[tuple[str, float]]:
    """(ISO 639 code, probability) of each language ``text`` may be written in, likeliest first."""
    ranked = _identifier().rank(text)
    # py3langid 0.4 ranks Python str codes with Python floats (its scores pass through tolist()):
    # converting its 97 pairs again cost a sixth of each call
    if ranked and type(ranked[0][0]) is str and type(ranked[0][1]) is float:
        return ranked
    return [(str(code), float(p)) for code, p in ranked]


@functools.lru_cache(maxsize=128)
def name(code: str) -> str:
    """The English name of a language code ("de" -> "German"), from langcodes' CLDR data."""
    import langcodes

    try:
        return langcodes.Language.get(code).display_name()
    except (ImportError, LookupError, ValueError):
        return code
