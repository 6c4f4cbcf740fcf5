# Issue 9: one copy of each trace event (canonical; body dropped), recordTime, per-lot hash chains.
from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('lotline', '0002_sku_valuation_pk_attr')]

    initial = False

    operations = [
        ops.CreateModel(
            name='TraceStream',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('stream', fields.CharField(unique=True, max_length=255)),
                ('head_seq', fields.IntField(default=0)),
                ('head_hash', fields.CharField(default='', max_length=64)),
                ('first_time', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'trace_stream', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='TraceEvent',
            name='record_time',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.RemoveField(model_name='TraceEvent', name='body'),
        ops.AddField(
            model_name='TraceEventBatch',
            name='seq',
            field=fields.IntField(null=True),
        ),
        ops.AddIndex(
            model_name='TraceEventBatch',
            index=Index(fields=['epc_class', 'seq']),
        ),
    ]
