"""GS1 identifiers in their constrained canonical GS1 Digital Link form (CBV 2.0 event hash, rules 17-18).

EPC URIs (``urn:epc:id:``), EPC class URIs (``urn:epc:class:lgtin:``), EPC pattern URIs (``urn:epc:idpat:``)
and GS1 Digital Link URIs on any domain all become ``https://id.gs1.org/<AI>/<key>[/<AI>/<qualifier>]`` with
only the finest level of identification kept (a serial wins over a lot, the CPV is dropped, no query
string). Anything else gives ``None`` and is hashed as it is.

Written from the GS1 Tag Data Standard partitions and checked against the vectors of the reference
implementation (RalphTro/epcis-event-hash-generator); where that implementation is stricter or looser than
the standard on malformed input we follow it, so that hashes agree."""

from __future__ import annotations

import re
from collections.abc import Callable

from domain.common.digits import ascii_digits

GS1_RESOLVER = "https://id.gs1.org"

# GS1 AI 82 character set plus an already percent-encoded triplet: what may stand in an EPC serial.
_SERIAL = r"(?:%[0-9A-Fa-f]{2}|[!'()*+,.0-9:;=A-Za-z_-])+"
# What the constrained canonical DL form accepts in alphanumeric components (reference implementation).
_X = r"[\"'\-.0-9;-?A-Z_a-z]"


def check_digit(digits: str) -> str:
    """GS1 mod-10 check digit for GTIN, GLN, SSCC, GSIN, GSRN, GDTI, GRAI, SGCN keys (GenSpecs 7.9.1)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def percent_encode(value: str) -> str:
    """Encode the characters GS1 Digital Link requires escaped that may appear unescaped in an EPC URI."""
    for char, code in (("!", "%21"), ("(", "%28"), (")", "%29"), ("*", "%2A"), ("+", "%2B"), (",", "%2C")):
        value = value.replace(char, code)
    return value.replace(":", "%3A")


def _digits(value: str, lengths: range = range(6, 13)) -> bool:
    return ascii_digits(value) and len(value) in lengths


def _serial(value: str) -> bool:
    return re.fullmatch(_SERIAL, value) is not None


def _gtin(cp: str, item: str) -> str | None:
    if not (_digits(cp) and _digits(item, range(1, 8)) and len(cp) + len(item) == 13):
        return None
    raw = item[0] + cp + item[1:]
    return raw + check_digit(raw)


def _twelve(cp: str, ref: str) -> str | None:
    """GLN-like 13-digit key (GLN, PGLN, GDTI and SGCN prefixes) from a company prefix and a reference."""
    if not (_digits(cp) and (ref == "" or _digits(ref, range(1, 7))) and len(cp) + len(ref) == 12):
        return None
    return cp + ref + check_digit(cp + ref)


def _sscc(parts: list[str]) -> str | None:
    cp, ref = parts
    if not (_digits(cp) and _digits(ref, range(5, 12)) and len(cp) + len(ref) == 17):
        return None
    raw = ref[0] + cp + ref[1:]
    return f"/00/{raw}{check_digit(raw)}"


def _sgtin(parts: list[str]) -> str | None:
    cp, item, serial = parts
    gtin = _gtin(cp, item)
    return f"/01/{gtin}/21/{percent_encode(serial)}" if gtin and _serial(serial) else None


def _lgtin(parts: list[str]) -> str | None:
    cp, item, lot = parts
    gtin = _gtin(cp, item)
    return f"/01/{gtin}/10/{percent_encode(lot)}" if gtin and _serial(lot) else None


def _upui(parts: list[str]) -> str | None:
    cp, item, tpx = parts
    gtin = _gtin(cp, item)
    return f"/01/{gtin}/235/{percent_encode(tpx)}" if gtin and _serial(tpx) else None


def _sgln(parts: list[str]) -> str | None:
    cp, ref, ext = parts
    gln = _twelve(cp, ref)
    if not gln or not _serial(ext):
        return None
    return f"/414/{gln}" if ext == "0" else f"/414/{gln}/254/{percent_encode(ext)}"


def _pgln(parts: list[str]) -> str | None:
    gln = _twelve(*parts)
    return f"/417/{gln}" if gln else None


def _grai(parts: list[str]) -> str | None:
    cp, asset, serial = parts
    key = _twelve(cp, asset)
    return f"/8003/0{key}{percent_encode(serial)}" if key and _serial(serial) else None


def _gdti(parts: list[str]) -> str | None:
    cp, doc, serial = parts
    key = _twelve(cp, doc)
    return f"/253/{key}{percent_encode(serial)}" if key and _serial(serial) else None


def _sgcn(parts: list[str]) -> str | None:
    cp, coupon, serial = parts
    key = _twelve(cp, coupon)
    return f"/255/{key}{serial}" if key and _digits(serial, range(1, 13)) else None


def _cp_and_ref(ai: str) -> Callable[[list[str]], str | None]:
    """GIAI and GINC: company prefix followed by a free reference, no check digit."""

    def convert(parts: list[str]) -> str | None:
        cp, ref = parts
        return f"/{ai}/{cp}{percent_encode(ref)}" if _digits(cp) and _serial(ref) else None

    return convert


def _numeric(ai: str, length: int) -> Callable[[list[str]], str | None]:
    """GSRN, GSRN-P and GSIN: all-numeric key with a check digit."""

    def convert(parts: list[str]) -> str | None:
        cp, ref = parts
        if not (_digits(cp) and ascii_digits(ref) and len(cp) + len(ref) == length):
            return None
        return f"/{ai}/{cp}{ref}{check_digit(cp + ref)}"

    return convert


def _cpi(parts: list[str]) -> str | None:
    cp, ref, serial = parts
    if not (
        _digits(cp) and re.fullmatch(r"(?:%[0-9A-Fa-f]{2}|[0-9A-Z-])+", ref) and _digits(serial, range(1, 13))
    ):
        return None
    return f"/8010/{percent_encode(cp + ref)}/8011/{serial}"


def _itip(parts: list[str]) -> str | None:
    cp, item, piece, total, serial = parts
    gtin = _gtin(cp, item)
    if not (gtin and _digits(piece, range(2, 3)) and _digits(total, range(2, 3)) and _serial(serial)):
        return None
    return f"/8006/{gtin}{piece}{total}/21/{percent_encode(serial)}"


# scheme -> (number of dot-separated parts, converter)
_EPC_ID: dict[str, tuple[int, Callable[[list[str]], str | None]]] = {
    "sgtin": (3, _sgtin),
    "sscc": (2, _sscc),
    "sgln": (3, _sgln),
    "grai": (3, _grai),
    "giai": (2, _cp_and_ref("8004")),
    "gsrn": (2, _numeric("8018", 17)),
    "gsrnp": (2, _numeric("8017", 17)),
    "gdti": (3, _gdti),
    "cpi": (3, _cpi),
    "sgcn": (3, _sgcn),
    "ginc": (2, _cp_and_ref("401")),
    "gsin": (2, _numeric("402", 16)),
    "itip": (5, _itip),
    "upui": (3, _upui),
    "pgln": (2, _pgln),
}


def _idpat(scheme: str, parts: list[str]) -> str | None:
    """EPC pattern URIs whose last component is ``*``: the class (key without serial)."""
    if parts[-1] != "*":
        return None
    head = parts[:-1]
    if scheme in ("sgtin", "upui") and len(head) == 2:
        gtin = _gtin(*head)
        return f"/01/{gtin}" if gtin else None
    if scheme in ("grai", "gdti", "sgcn") and len(head) == 2:
        key = _twelve(*head)
        return (
            None
            if key is None
            else {"grai": f"/8003/0{key}", "gdti": f"/253/{key}", "sgcn": f"/255/{key}"}[scheme]
        )
    if scheme == "cpi" and len(head) == 2:
        cp, ref = head
        return f"/8010/{percent_encode(cp + ref)}" if _digits(cp) else None
    if scheme == "itip" and len(head) == 4:
        gtin = _gtin(head[0], head[1])
        return f"/8006/{gtin}{head[2]}{head[3]}" if gtin else None
    return None


def _from_epc_uri(uri: str) -> str | None:
    match = re.fullmatch(r"urn:epc:(id|class|idpat):([a-z]+):(.+)", uri)
    if match is None:
        return None
    kind, scheme, body = match.groups()
    path: str | None = None
    if kind == "id" and scheme in _EPC_ID:
        count, convert = _EPC_ID[scheme]
        parts = body.split(".", count - 1)
        if scheme == "cpi":  # the serial is the last component, the part reference has no dot
            cp, _, rest = body.partition(".")
            parts = [cp, *rest.rsplit(".", 1)]
        path = convert(parts) if len(parts) == count else None
    elif kind == "class" and scheme == "lgtin":
        parts = body.split(".", 2)
        path = _lgtin(parts) if len(parts) == 3 else None
    elif kind == "idpat":
        path = _idpat(scheme, body.split("."))
    return None if path is None else GS1_RESOLVER + path


_SHORT_NAMES = {
    "gtin": "01",
    "itip": "8006",
    "cpid": "8010",
    "gln": "414",
    "party": "417",
    "gsrnp": "8017",
    "gsrn": "8018",
    "gcn": "255",
    "sscc": "00",
    "gdti": "253",
    "ginc": "401",
    "gsin": "402",
    "grai": "8003",
    "giai": "8004",
    "cpv": "22",
    "lot": "10",
    "ser": "21",
}
_PRIMARY_KEYS = (
    "00",
    "01",
    "253",
    "255",
    "401",
    "402",
    "414",
    "417",
    "8003",
    "8004",
    "8006",
    "8010",
    "8017",
    "8018",
)
_CANONICAL = re.compile(
    "|".join(
        (
            r"00/\d{18}",
            rf"01/\d{{14}}(?:/21/{_X}{{0,20}}|/10/{_X}{{0,20}}|/235/{_X}{{0,28}})?",
            rf"253/\d{{13}}{_X}{{0,17}}",
            r"255/\d{13}\d{0,12}",
            rf"401/{_X}{{0,30}}",
            r"402/\d{17}",
            rf"414/\d{{13}}(?:/254/{_X}{{0,20}})?",
            r"417/\d{13}",
            rf"8003/\d{{14}}{_X}{{0,16}}",
            rf"8004/{_X}{{0,30}}",
            rf"8006/\d{{18}}(?:/21/{_X}{{0,20}}|/10/{_X}{{0,20}})?",
            r"8010/[#-/0-9A-Z]{0,30}(?:/8011/\d{0,12})?",
            r"8017/\d{18}",
            r"8018/\d{18}",
        )
    )
)


def _from_digital_link(uri: str) -> str | None:
    match = re.fullmatch(r"https?://[^/?#]+(/[^?#]*)(?:\?[^#]*)?(?:#.*)?", uri)
    if match is None:
        return None
    segments = [_SHORT_NAMES.get(s, s) for s in match.group(1).strip("/").split("/")]
    start = next((i for i, s in enumerate(segments) if s in _PRIMARY_KEYS and i + 1 < len(segments)), None)
    if start is None or not re.match(r"\d{4}", segments[start + 1]):
        return None
    rest = segments[start:]
    if len(rest) % 2:
        return None
    ai, key = rest[0], rest[1]
    if ai == "01" and len(key) in (8, 12, 13):
        key = key.zfill(14)
    qualifiers = dict(zip(rest[2::2], rest[3::2], strict=True))
    qualifiers.pop("22", None)
    if "21" in qualifiers:
        qualifiers.pop("10", None)
    path = "/".join([ai, key, *(x for pair in qualifiers.items() for x in pair)])
    return f"{GS1_RESOLVER}/{path}" if _CANONICAL.fullmatch(path) else None


def normalise(value: str) -> str | None:
    """The constrained canonical GS1 Digital Link URI of a GS1 identifier, or None if not one."""
    if value.startswith("urn:epc:"):
        return _from_epc_uri(value)
    if value.startswith(("https://", "http://")):
        return _from_digital_link(value)
    return None
