"""Custom fields in reports, pure: ``custom.<record>.<key>`` as a dimension or a filter field.

A name is resolved against the fact's record types (``Fact.records``: ``sku`` is alias ``s`` in the stock
fact) and the active custom field definitions the caller passes (``Definitions``: record type -> key ->
kind). Only a key found there, and matching ``customfields.rules.KEY`` (ASCII letters and digits), ever
stands in the SQL text; filter values stay bind parameters. The value is read as the list queries read it
(``domain.customfields.services.value_sql``), typed for the report:

    number, decimal  PostgreSQL ``numeric`` / SQLite ``REAL``  (report kind decimal)
    date             PostgreSQL ``date`` / SQLite text ``YYYY-MM-DD``  (report kind date)
    text, enum       text; boolean as ``true``/``false``  (report kind text)

A stored value that is not of its field's kind (the kind changed since) reads as NULL on PostgreSQL.
"""

from domain.common.errors import ValidationError
from domain.customfields import rules as custom_rules
from domain.reports.facts import Fact, Field, Kind

PREFIX = "custom."
Definitions = dict[str, dict[str, str]]  # record type -> key -> custom field kind
_REPORT_KIND = {
    custom_rules.Kind.NUMBER: Kind.DECIMAL,
    custom_rules.Kind.DECIMAL: Kind.DECIMAL,
    custom_rules.Kind.DATE: Kind.DATE,
}
_NUMBER = r"^-?[0-9]+(\.[0-9]+)?$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def value_sql(alias: str, key: str, kind: Kind, postgres: bool) -> str:
    """The SQL reading custom value ``key`` of the row aliased ``alias``, as ``kind``. ``key`` must already
    be a definition's key; it is checked against ``KEY`` once more because it stands in the SQL text."""
    if not custom_rules.KEY.fullmatch(key) or not alias.isalpha():
        raise ValidationError(f"{key!r} is not a custom field key", ("dimensions",))
    if postgres:
        text = f"({alias}.custom ->> '{key}')"
        if kind is Kind.DECIMAL:
            return f"(CASE WHEN {text} ~ '{_NUMBER}' THEN {text}::numeric END)"
        if kind is Kind.DATE:
            return f"(CASE WHEN {text} ~ '{_DATE}' THEN {text}::date END)"
        return text
    path = f"{alias}.custom, '$.{key}'"
    if kind is Kind.DECIMAL:
        return f"CAST(json_extract({path}) AS REAL)"
    if kind is Kind.DATE:
        return f"json_extract({path})"
    return (
        f"(CASE json_type({path}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' "
        f"ELSE json_extract({path}) END)"
    )


def field_of(fact: Fact, name: str, defs: Definitions | None, postgres: bool, path: tuple[str, ...]) -> Field:
    """The report field of a ``custom.<record>.<key>`` name; ``ValidationError`` at ``path`` when the fact
    has no such record type or the record type no such active field."""
    parts = name.split(".")
    if len(parts) != 3 or parts[0] != PREFIX[:-1]:
        raise ValidationError(f"a custom field is named {PREFIX}<record>.<key>", path)
    record, key = parts[1], parts[2]
    alias = fact.records.get(record)
    if alias is None:
        known = ", ".join(fact.records) or "none"
        raise ValidationError(f"{fact.name} has no custom fields of {record!r} (records: {known})", path)
    kind = (defs or {}).get(record, {}).get(key)
    if kind is None:
        raise ValidationError(f"{key!r} is not a custom field of {record}", path)
    report_kind = _REPORT_KIND.get(custom_rules.Kind(kind), Kind.TEXT)
    return Field(value_sql(alias, key, report_kind, postgres), report_kind)
