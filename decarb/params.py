"""URL parameters of the dashboard's controls: parsing and encoding, pure (no Streamlit).

Every control is a `Choice`: its key is both the URL parameter and the session-state key; values in the URL
are the stable codes (ISO3, sector codes, source ids, years), never the labels shown on screen. A value that
is not one of the options is ignored and explained in a notice; it never raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

SEPARATOR = ","  # multi-valued parameters: ?countries=SWE,IND
Value = str | tuple[str, ...]
QUOTE_LIMIT = 40  # characters of a link's value that a notice quotes: enough to recognise it (a link can hold 50 kB)
LIST_LIMIT = 5  # values a notice quotes from one list, then "and N more"


def quote(text: object, limit: int = QUOTE_LIMIT) -> str:
    """Text from a link as a notice quotes it: in single quotes, on one line, printable characters only (no
    control or bidi characters), cut to `limit` characters with an ellipsis. Plain text: a page that shows it as
    markdown escapes it there (decarb/ui/state.py)."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in str(text)).split())
    return f"'{flat if len(flat) <= limit else flat[: limit - 1].rstrip() + '…'}'"


def quote_all(texts: Sequence[object], limit: int = LIST_LIMIT) -> str:
    """The first `limit` of `texts` quoted, separated by commas, then how many more there are."""
    shown = ", ".join(quote(t) for t in texts[:limit])
    return shown + (f" and {len(texts) - limit} more" if len(texts) > limit else "")


@dataclass(frozen=True)
class Choice:
    """One control: URL key, label, allowed codes, default, and the labels shown for the codes."""

    key: str
    label: str
    options: tuple[str, ...]
    default: Value
    labels: Mapping[str, str] = field(default_factory=dict)
    multi: bool = False
    help: str | None = None

    def fmt(self, code: str) -> str:
        return self.labels.get(code, code)

    def is_valid(self, value: object) -> bool:
        if self.multi:
            return isinstance(value, list | tuple) and all(v in self.options for v in value)
        return value in self.options

    def _lookup(self, text: str) -> str | None:
        """The option matching `text` exactly, else case-insensitively (people type iso3 in lower case)."""
        if text in self.options:
            return text
        folded = {o.casefold(): o for o in self.options}
        return folded.get(text.strip().casefold())

    def parse(self, raw: str | Sequence[str] | None) -> tuple[Value, str | None]:
        """The value for a URL parameter, and a notice when (part of) it was ignored. None: the default."""
        if raw is None:
            return self.default, None
        if not isinstance(raw, str):  # repeated parameter (?k=a&k=b): read all of them
            raw = SEPARATOR.join(raw)
        if self.multi:
            if raw.strip() == "":
                return (), None
            parts = [p for p in (s.strip() for s in raw.split(SEPARATOR)) if p]
            looked_up = [self._lookup(p) for p in parts]
            kept = tuple(dict.fromkeys(f for f in looked_up if f is not None))
            bad = [p for p, f in zip(parts, looked_up, strict=True) if f is None]
            if not bad:
                return kept, None
            if not kept:
                return self.default, (
                    f"Ignored {self.label.lower()} {quote(raw)} from the link: none of it is available; "
                    "showing the default."
                )
            return kept, (
                f"Ignored {quote_all([self.fmt(b) for b in bad])} in {self.label.lower()} from the link: "
                "not available here."
            )
        found = self._lookup(raw)
        if found is None and raw in self.labels:  # a known value this selection lacks: named by its label
            return self.coerce(raw)
        if found is None:
            return self.default, (
                f"Ignored {self.label.lower()} {quote(raw)} from the link: not one of the options; "
                f"showing {self.fmt(str(self.default))}."
            )
        return found, None

    def encode(self, value: Value) -> str | None:
        """The URL text for a value; None when it is the default (then the parameter is left out)."""
        if self.multi:
            value = tuple(value)
            if value == tuple(self.default):
                return None
            return SEPARATOR.join(value)
        if value == self.default:
            return None
        return str(value)

    def coerce(self, value: object) -> tuple[Value, str | None]:
        """Keep a value that is still valid (options can change with another control), else the default."""
        if self.multi:
            values = tuple(value) if isinstance(value, list | tuple) else ()
            kept = tuple(v for v in values if v in self.options)
            if len(kept) == len(values):
                return kept, None
            dropped = [self.fmt(v) for v in values if v not in self.options]
            return kept, f"{', '.join(dropped)} not available for this selection: left out of {self.label.lower()}."
        if value in self.options:
            return value, None
        return self.default, (
            f"{self.fmt(str(value))} is not available for this selection: "
            f"{self.label.lower()} set to {self.fmt(str(self.default))}."
        )


def unknown_keys(params: Iterable[str], known: Sequence[str], ignore: Sequence[str] = ()) -> list[str]:
    """URL parameters that no control on the page claims (embed options excepted)."""
    claimed = set(known) | set(ignore)
    return sorted(k for k in params if k not in claimed)


def unknown_notice(keys: Sequence[str]) -> str | None:
    if not keys:
        return None
    return f"Ignored unknown link parameter{'s' if len(keys) > 1 else ''} {quote_all(keys)}: not used on this page."
