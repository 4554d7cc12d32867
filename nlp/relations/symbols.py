"""Property symbols and phrases the tagger does not mark, offered to the linker as property candidates."""
from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.records import Mention

METHOD = "facts.linker.v1"

# Symbols and phrases the tagger does not mark as properties: "T c" (space-split, as in many
# abstracts), "R p", "σ", "PPD". The case of "T c" / "T C" tells a critical from a Curie temperature.
_SYMBOLS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), k) for p, k in (
    (r"(?<![\w-])T\s?c(?:\s?,?\s?(?:on|onset|end|zero|0|mid|max))?(?![\w-])", "critical temperature"),
    (r"(?<![\w-])T\s?C(?![\w-])", "curie temperature"),
    (r"(?<![\w-])T\s?N(?![\w-])", "néel temperature"),
    (r"(?<![\w-])E\s?g(?![\w-])", "band gap"),
    (r"\bsuperconduct(?:ing|ivity|s)?(?:\s+transition)?(?:\s+temperature)?\b", "critical temperature"),
    (r"(?<![\w-])R\s?[pP](?:ol)?(?![\w-])", "polarization resistance"),
    (r"(?<![\w-])R\s?(?:ohm|Ω|Ohm|o)(?![\w-])", "ohmic resistance"),
    (r"(?<![\w-])σ(?:\s?(?:ion|el|e|i|tot|total|b|gb))?(?![\w-])", "conductivity"),
    (r"(?<![\w-])(?:PPD|MPD|P\s?max)(?![\w-])", "power density"),
    (r"(?<![\w-])V\s?oc(?![\w-])", "open-circuit voltage"),
    (r"(?<![\w-])J\s?sc(?![\w-])", "short-circuit current"),
))


def symbol_properties(text: str, props: Sequence[Mention]) -> list[Mention]:
    """Property symbols and phrases written where the tagger marked no property that takes a value
    (`props`, nlp.facts.properties)."""
    taken = [(m.start, m.end) for m in props]
    out = []
    for pattern, key in _SYMBOLS:
        for m in pattern.finditer(text):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                out.append(Mention("PRO", m.group(), m.start(), m.end(), key, METHOD, 0.5))
                taken.append((m.start(), m.end()))
    return sorted(out, key=lambda p: p.start)
