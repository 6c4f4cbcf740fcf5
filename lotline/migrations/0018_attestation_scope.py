from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lotline', '0017_handheld_zones_waves')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Attestation',
            name='aggregate',
            field=fields.CharField(default='', max_length=192),
        ),
        ops.AddField(
            model_name='Attestation',
            name='attempts',
            field=fields.IntField(default=0),
        ),
        ops.AddField(
            model_name='Attestation',
            name='last_error',
            field=fields.TextField(default='', unique=False),
        ),
        ops.AddField(
            model_name='Attestation',
            name='signer_party_ids',
            field=fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Attestation',
            name='threshold',
            field=fields.SmallIntField(default=1),
        ),
        ops.AddField(
            model_name='Party',
            name='name_public',
            field=fields.BooleanField(default=True),
        ),
        ops.AddField(
            model_name='Party',
            name='supplier',
            field=fields.ForeignKeyField('lotline.Supplier', source_field='supplier_id', null=True, db_constraint=True, to_field='id', related_name='attestation_parties', on_delete=OnDelete.RESTRICT),
        ),
    ]
