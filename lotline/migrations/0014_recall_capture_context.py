from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lotline', '0013_attestations')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RecallDocument',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('number', fields.CharField(null=True, unique=True, max_length=32)),
                ('batch', fields.ForeignKeyField('lotline.Batch', source_field='batch_id', db_constraint=True, to_field='id', related_name='recalls', on_delete=OnDelete.RESTRICT)),
                ('reason', fields.TextField(default='', unique=False)),
                ('notice_zh', fields.TextField(default='', unique=False)),
                ('notice_en', fields.TextField(default='', unique=False)),
                ('status', fields.CharField(default='open', db_index=True, max_length=16)),
                ('opened_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('summary', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('close_event_id', fields.BigIntField(null=True)),
            ],
            options={'table': 'recall_document', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RecallDisposal',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('recall', fields.ForeignKeyField('lotline.RecallDocument', source_field='recall_id', db_constraint=True, to_field='id', related_name='disposals', on_delete=OnDelete.RESTRICT)),
                ('destruction', fields.OneToOneField('lotline.BatchDestruction', source_field='destruction_id', db_constraint=True, to_field='id', related_name='recall_disposal', on_delete=OnDelete.RESTRICT)),
                ('batch_id', fields.IntField()),
                ('quantity', fields.DecimalField(max_digits=18, decimal_places=4)),
                ('posted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'recall_disposal', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RecallLot',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('recall', fields.ForeignKeyField('lotline.RecallDocument', source_field='recall_id', db_constraint=True, to_field='id', related_name='lots', on_delete=OnDelete.RESTRICT)),
                ('batch', fields.ForeignKeyField('lotline.Batch', source_field='batch_id', db_constraint=True, to_field='id', related_name='recall_lots', on_delete=OnDelete.RESTRICT)),
                ('previous_status', fields.CharField(max_length=16)),
            ],
            options={'table': 'recall_lot', 'app': 'lotline', 'unique_together': (('recall', 'batch'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        # A captured event's document context now lives inside its hashed JSON (lotline:capture); the old
        # column sat outside the anchored hash. Events captured before this migration keep their stored JSON
        # (re-writing it would break their anchors): an export of one declares no extra prefixes.
        ops.RemoveField(model_name='TraceEvent', name='context'),
    ]
