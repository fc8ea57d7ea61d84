"""Units of metrics: which are known, which fit each other, and conversions between them.

A unit is written as names joined by ``/``, ``*``, ``·`` or a space, each with an
optional one-digit power (``ms``, ``USD/month``, ``m/s^2``, ``TB/day``, ``%``). A name is
known when it is one of:

* a unit of `pint`_ (the units library): ``s``, ``ms``, ``min``, ``h``, ``day``, ``GB``,
  ``GiB``, ``Mbit``, ``%``, ``kWh``, ``degC``... (and their plurals: ``days``);
* a **counting unit** from :data:`COUNTING_UNITS` (``users``, ``instances``,
  ``requests``, ``errors``...), singular or plural: each counts its own thing, so
  ``users`` and ``instances`` do not compare, but ``requests/s`` and ``requests/min`` do;
* a **currency**, as its ISO 4217 code from :data:`CURRENCIES` (``USD``, ``EUR``...):
  each is its own dimension (no exchange rates), so ``USD/month`` and ``USD/year``
  compare but ``USD`` and ``EUR`` do not.

Two units fit each other when they measure the same thing (pint's root units, with
counting units and currencies as their own dimensions). Data sizes measure
information (``GB`` does not fit ``%``, although pint alone calls bytes dimensionless).

Why a table of common units (:data:`_COMMON`) besides pint: loading pint's registry
is slow (docs/performance.md), so the units most decisions use (``s``, ``ms``, ``%``,
``GB``, ``USD/month``, ``users``...) are checked without it; a test holds the table to
what pint says. Pint is imported for any other unit, and for conversions.

Every unit string is read by a linear tokenizer and bounded in length before any of it
reaches pint: pint evaluates unit strings as arithmetic (``10**10**10`` would never
finish), so pint only ever sees an expression rebuilt from checked names, ``*``, ``/``
and one-digit powers.

.. _pint: https://pint.readthedocs.io/
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

#: Longest unit accepted (``kilowatt_hour/month`` is 19 characters).
MAX_UNIT_CHARS = 40

#: Things a metric may count, singular and plural (``people`` for ``person``).
COUNTING_UNITS: dict[str, str] = {
    name: plural
    for name, plural in (
        *(
            (n, n + "s")
            for n in (
                "user customer visitor viewer subscriber tenant account team instance server host node container pod "
                "vm vCPU core replica shard partition cluster region zone service component function request "
                "call transaction message event job task build deployment release commit change test error failure "
                "incident outage alert page ticket item record row file object order session connection click visit "
                "stream device step retry hit operation"
            ).split()
        ),
        ("query", "queries"),
        ("person", "people"),
        ("process", "processes"),
        ("patch", "patches"),
    )
}

#: Short names of counting units: the same unit (``req/s`` compares with ``requests/min``).
COUNTING_SYMBOLS = {"req": "request", "op": "operation", "ops": "operation"}

#: ISO 4217 codes of the currencies accepted as units (symbols like ``$`` are not:
#: ``$`` means several currencies).
CURRENCIES = tuple(
    "USD EUR GBP JPY CHF CAD AUD NZD CNY HKD SGD INR KRW SEK NOK DKK PLN CZK HUF RON BRL MXN ZAR TRY ILS AED SAR "
    "THB IDR MYR PHP TWD".split()
)

#: Hints for names people write that are not units (checked before did-you-mean).
_HINTS = {
    "$": "write a currency code such as 'USD' ('$' names several currencies)",
    "€": "write 'EUR'",
    "£": "write 'GBP'",
    "¥": "write 'JPY' or 'CNY'",
    "per": "write '/' between the names, e.g. 'requests/s'",
    "KB": "did you mean 'kB' (kilobyte) or 'KiB'?",
    "Kb": "did you mean 'kbit' (kilobit)?",
    "Mb": "'Mb' is a megabarn: did you mean 'Mbit' or 'MB'?",
    "Gb": "'Gb' is a gilbert: did you mean 'Gbit' or 'GB'?",
}

#: The dimension of the common units, as pint's root units (plus counts and currencies):
#: no pint needed to know them or to tell whether two of them fit.
_TIME = (("second", 1),)
_DATA = (("bit", 1),)
_COMMON: dict[str, tuple[tuple[str, int], ...]] = {
    **dict.fromkeys(
        "s sec second seconds ms millisecond milliseconds us µs μs microsecond microseconds ns nanosecond "
        "nanoseconds min minute minutes h hr hour hours d day days week weeks month months year years".split(),
        _TIME,
    ),
    **dict.fromkeys(
        "B byte bytes kB MB GB TB PB KiB MiB GiB TiB PiB bit bits kbit Mbit Gbit Tbit".split(), _DATA
    ),
    **dict.fromkeys(["%", "percent", "dimensionless"], ()),
    **{name: ((name, 1),) for name in COUNTING_UNITS},
    **{plural: ((name, 1),) for name, plural in COUNTING_UNITS.items()},
    **{symbol: ((name, 1),) for symbol, name in COUNTING_SYMBOLS.items()},
    **{code: ((code, 1),) for code in CURRENCIES},
}

#: One token of a unit: a name (letters, optionally after '°'), '%', an operator, a
#: power, a space run, or anything else (an error). Each alternative is a simple run:
#: finditer reads the text once.
_TOKEN = re.compile(
    r"(?P<name>°?[^\W\d]+|[%$€£¥])|(?P<pow>\^|\*\*)|(?P<op>[/*·])|(?P<num>-?\d+)|(?P<space>\s+)|(?P<other>.)", re.S
)


class UnitError(ValueError):
    """A unit that is not written as one, or names something unknown."""


@dataclass(frozen=True)
class Unit:
    """A parsed unit: its text, the expression pint is given, and what it measures."""

    text: str
    #: (name, power) pairs, powers negative after '/'.
    factors: tuple[tuple[str, int], ...]
    #: Root units and powers, sorted; () for a plain number (``%``).
    dims: tuple[tuple[str, int], ...]

    @property
    def expression(self) -> str:
        """The unit as pint reads it, rebuilt from checked names only."""
        out = ""
        for name, power in self.factors:
            op = "/" if power < 0 else "*"
            part = name if abs(power) == 1 else f"{name}**{abs(power)}"
            out = part if not out and op == "*" else f"{out or '1'}{op}{part}"
        return out

    def fits(self, other: Unit) -> bool:
        return self.dims == other.dims

    def describe(self) -> str:
        return describe_dims(self.dims)


def _factors(text: str) -> tuple[tuple[str, int], ...]:
    """(name, power) pairs of a unit string; :class:`UnitError` when it is not one."""
    if len(text) > MAX_UNIT_CHARS:
        raise UnitError(f"'{text[:MAX_UNIT_CHARS]}...' is too long for a unit (at most {MAX_UNIT_CHARS} characters)")
    factors: list[tuple[str, int]] = []
    sign = 1
    pending_op = False  # an operator was read, a name must follow
    expect_power = False
    leading_one = False  # "1/min": a rate with nothing counted on top
    for m in _TOKEN.finditer(text):
        kind, value = m.lastgroup, m.group()
        if kind == "space":
            continue
        if expect_power:
            if kind != "num" or len(value.lstrip("-")) != 1:
                raise UnitError(f"'{text}': a power is one digit, as in 'm/s^2'")
            name, power = factors[-1]
            factors[-1] = (name, power * int(value))
            expect_power = False
            continue
        if kind == "num" and value == "1" and not factors and not pending_op and not leading_one:
            leading_one = True
        elif leading_one and not factors and kind == "op" and value == "/" and not pending_op:
            sign, pending_op = -1, True
        elif kind == "name":
            factors.append((value, sign))
            sign, pending_op = 1, False
        elif kind == "pow" and factors and not pending_op:
            expect_power = True
        elif kind == "op" and factors and not pending_op:
            sign, pending_op = (-1 if value == "/" else 1), True
        else:
            raise UnitError(f"'{text}' is not a unit such as 'ms', 'GB', 'USD/month' or 'm/s^2'")
    if not factors or pending_op or expect_power:
        raise UnitError(f"'{text}' is not a unit such as 'ms', 'GB', 'USD/month' or 'm/s^2'")
    return tuple(factors)


@cache
def registry() -> Any:
    """pint's unit registry, with the counting units and currencies defined."""
    import pint  # deferred: see the module docstring

    ureg: Any = pint.UnitRegistry()  # pint's own generic types add nothing here
    symbols = {name: symbol for symbol, name in COUNTING_SYMBOLS.items() if not symbol.endswith("s")}
    for name, plural in COUNTING_UNITS.items():
        ureg.define(f"{name} = [{name}] = {symbols.get(name, '_')} = {plural}")
    for code in CURRENCIES:
        ureg.define(f"{code} = [currency_{code}]")
    return ureg


def _pint_dims(name: str) -> tuple[tuple[str, int], ...] | None:
    """The root units of one name by pint, or None when pint does not know it."""
    ureg = registry()
    try:
        _, root = ureg.get_root_units(name)
    except Exception:  # noqa: BLE001 - pint raises several unrelated error types
        return None
    return tuple(sorted((str(k), int(v)) for k, v in root._units.items()))


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> Unit:
    """The :class:`Unit` written as ``text``; :class:`UnitError` says what is wrong."""
    factors = _factors(text)
    dims: dict[str, int] = {}
    for name, power in factors:
        known = _COMMON.get(name)
        if known is None:
            known = _pint_dims(name)
        if known is None:
            raise UnitError(_unknown(name, text))
        for root, p in known:
            dims[root] = dims.get(root, 0) + p * power
    return Unit(text, factors, tuple(sorted((k, v) for k, v in dims.items() if v)))


def _unknown(name: str, text: str) -> str:
    where = f" in '{text}'" if name != text.strip() else ""
    if name in _HINTS:
        return f"'{name}'{where} is not a unit: {_HINTS[name]}"
    names = candidates()
    lower = [c for c in names if c.lower() == name.lower()]
    close = lower[:3] or difflib.get_close_matches(name, names, n=3, cutoff=0.75)
    hint = " (did you mean " + " or ".join(f"'{c}'" for c in close) + "?)" if close else ""
    return (
        f"'{name}'{where} is not a known unit{hint}; use a unit such as 'ms', 'GB', '%', a currency code "
        "('USD/month') or a counting unit ('users', 'requests/s')"
    )


@cache
def candidates() -> list[str]:
    """Every unit name known, for did-you-mean suggestions."""
    names = dict.fromkeys(_COMMON)
    names.update(dict.fromkeys(str(n) for n in registry()._units))
    return list(names)


_WORDS = {
    "second": "time",
    "bit": "data size",
    "meter": "length",
    "gram": "mass",
    "kelvin": "temperature",
    "ampere": "electric current",
    "radian": "angle",
    "count": "count",
    "mole": "amount of substance",
    "candela": "luminous intensity",
}


def _word(root: str) -> str:
    if root in _WORDS:
        return _WORDS[root]
    if root in COUNTING_UNITS:
        return f"number of {COUNTING_UNITS[root]}"
    if root in CURRENCIES:
        return f"money in {root}"
    return root


def describe_dims(dims: tuple[tuple[str, int], ...]) -> str:
    """What a unit measures, in words: 'time', 'data size per time', 'a plain number'."""
    if not dims:
        return "a plain number"

    def part(root: str, power: int) -> str:
        return _word(root) + (f"^{power}" if power != 1 else "")

    up = " × ".join(part(r, p) for r, p in dims if p > 0)
    down = " × ".join(part(r, -p) for r, p in dims if p < 0)
    if up and down:
        return f"{up} per {down}"
    return up or f"1 per {down}"


def convert(value: float, src: str, dst: str) -> float:
    """``value`` in unit ``src`` expressed in ``dst`` (both checked by :func:`parse_unit`)."""
    a, b = parse_unit(src), parse_unit(dst)
    if not a.fits(b):
        raise UnitError(f"'{src}' measures {a.describe()}, '{dst}' measures {b.describe()}")
    ureg = registry()
    try:
        result = ureg.Quantity(value, a.expression).to(b.expression).magnitude
    except Exception as exc:  # noqa: BLE001 - pint raises several unrelated error types
        raise UnitError(f"cannot convert '{src}' to '{dst}': {exc}") from None
    result = float(result)
    if not math.isfinite(result):
        raise UnitError(f"{value:g} {src} is too large to express in {dst}")
    return result
