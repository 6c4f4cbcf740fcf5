# Issue 15: each quant carries its batch's place in FEFO order (``rules.fefo_dates``), and a partial index
# reads a warehouse's stock of a SKU in that order (``domain.inventory.fefo_prefix``).
#
# Written by hand: Tortoise's ``AlterField`` rebuilds an SQLite table without its unique constraint and
# indexes, so the columns are added here with SQL each database accepts (SQLite adds a NOT NULL column only
# with a default; PostgreSQL fills the rows first and then sets NOT NULL), and ``AddField`` only records them.
from tortoise import fields, migrations
from tortoise.migrations import operations as ops

# ``rules.fefo_dates`` in SQL both databases run: the earlier of expiry and best-before (either may be
# missing), an undated lot last.
_LIMIT = (
    "COALESCE(CASE WHEN b.expiry_date IS NULL THEN b.best_before_date "
    "WHEN b.best_before_date IS NULL OR b.expiry_date <= b.best_before_date THEN b.expiry_date "
    "ELSE b.best_before_date END, '9999-12-31')"
)
_FILL = (
    f"UPDATE stock_quant SET fefo_limit = (SELECT {_LIMIT} FROM batch AS b WHERE b.id = stock_quant.batch_id), "
    "fefo_expiry = (SELECT COALESCE(b.expiry_date, '9999-12-31') FROM batch AS b "
    "WHERE b.id = stock_quant.batch_id)"
)
_ADD = {
    "sqlite": [
        "ALTER TABLE stock_quant ADD COLUMN fefo_limit DATE NOT NULL DEFAULT '9999-12-31'",
        "ALTER TABLE stock_quant ADD COLUMN fefo_expiry DATE NOT NULL DEFAULT '9999-12-31'",
        _FILL,
    ],
    "postgres": [
        "ALTER TABLE stock_quant ADD COLUMN fefo_limit DATE, ADD COLUMN fefo_expiry DATE",
        _FILL,
        "ALTER TABLE stock_quant ALTER COLUMN fefo_limit SET NOT NULL, ALTER COLUMN fefo_expiry SET NOT NULL",
    ],
}
# Only quants with stock: emptied ones stay as rows (the ledger's read model keeps them) but FEFO never
# needs them, and over years they would outnumber the live ones many times.
_INDEX = (
    "CREATE INDEX stock_quant_fefo_order ON stock_quant "
    "(warehouse_id, sku_id, fefo_limit, fefo_expiry, batch_id, location_id) WHERE quantity > 0"
)


class _Recorded(ops.AddField):
    """``AddField`` for the migration state only: ``_add_columns`` changed the database."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None) -> None:
        return None

    async def database_backward(self, app_label, old_state, new_state, state_editor=None) -> None:
        return None


async def _add_columns(apps, schema_editor) -> None:
    for sql in _ADD["sqlite" if schema_editor.DIALECT == "sqlite" else "postgres"]:
        await schema_editor.client.execute_script(sql)


async def _drop_columns(apps, schema_editor) -> None:
    await schema_editor.client.execute_script("ALTER TABLE stock_quant DROP COLUMN fefo_limit")
    await schema_editor.client.execute_script("ALTER TABLE stock_quant DROP COLUMN fefo_expiry")


class Migration(migrations.Migration):
    dependencies = [('lotline', '0022_ledger_snapshot')]

    initial = False

    operations = [
        ops.RunPython(_add_columns, _drop_columns),
        _Recorded(model_name='StockQuant', name='fefo_expiry', field=fields.DateField()),
        _Recorded(model_name='StockQuant', name='fefo_limit', field=fields.DateField()),
        ops.RunSQL(_INDEX, reverse_sql="DROP INDEX stock_quant_fefo_order"),
    ]
