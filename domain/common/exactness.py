"""The check that every stored decimal is an exact decimal of its column's scale.

PostgreSQL's ``numeric(p, s)`` cannot hold anything else; SQLite has no decimal type, and a value that once
went through binary floating point (``-9.99e-16``, ``0.699999999999999``) stays there unnoticed while the
books still agree with each other. ``lotline check`` lists every such value: table, row id, column, text.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tortoise import Tortoise, fields
from tortoise.models import Model


@dataclass(frozen=True)
class Inexact:
    table: str
    row_id: object
    column: str
    stored: str  # the text the database holds
    scale: int  # the column's decimal places

    def __str__(self) -> str:
        return (
            f"inexact_decimal {self.table}#{self.row_id}.{self.column}: stored {self.stored!r}, "
            f"not a decimal with {self.scale} places / 非精确小数"
        )


def is_exact(text: str, scale: int) -> bool:
    """Whether ``text`` is a finite decimal with at most ``scale`` places (``10``, ``10.5000``; not
    ``1e-16`` rounded away, ``nan`` or ``0.699999999999999``)."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return False
    return value.is_finite() and value == value.quantize(Decimal(1).scaleb(-scale))


def _models() -> list[type[Model]]:
    apps = Tortoise.apps
    return list(apps.get_models_iterable()) if apps else []


async def inexact_decimals(models: Iterable[type[Model]] | None = None) -> list[Inexact]:
    """Every stored value of every decimal column (of ``models``, default all registered) that is not an
    exact decimal of the column's scale, read as the database's own text."""
    found: list[Inexact] = []
    for model in _models() if models is None else models:
        meta = model._meta
        pk = meta.fields_db_projection[meta.pk_attr]
        for name, field in meta.fields_map.items():
            if not isinstance(field, fields.DecimalField):
                continue
            col = meta.fields_db_projection[name]
            sql = (
                f'SELECT "{pk}" AS pk, CAST("{col}" AS TEXT) AS v FROM "{meta.db_table}" '
                f'WHERE "{col}" IS NOT NULL'
            )
            for row in await meta.db.execute_query_dict(sql):
                if not is_exact(str(row["v"]), field.decimal_places):
                    found.append(Inexact(meta.db_table, row["pk"], name, str(row["v"]), field.decimal_places))
    return found
