from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lotline', '0002_sku_valuation_pk_attr')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Anchor',
            name='lease_expires_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Anchor',
            name='lease_owner',
            field=fields.CharField(null=True, max_length=96),
        ),
        ops.AddField(
            model_name='TraceEvent',
            name='context',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='TraceEvent',
            name='declared_event_id',
            field=fields.CharField(null=True, db_index=True, max_length=255),
        ),
    ]
