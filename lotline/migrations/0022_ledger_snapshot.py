from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [('lotline', '0021_production')]

    initial = False

    operations = [
        ops.CreateModel(
            name="LedgerSnapshot",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("computed_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("seconds", fields.DecimalField(max_digits=10, decimal_places=3)),
                (
                    "disagreements",
                    fields.JSONField(encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
                ),
            ],
            options={"table": "health_ledger_snapshot", "app": "lotline", "pk_attr": "id"},
            bases=["Model"],
        ),
    ]
