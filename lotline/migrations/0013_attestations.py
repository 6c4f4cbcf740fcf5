from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lotline', '0012_devices')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Attestation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('batch', fields.ForeignKeyField('lotline.Batch', source_field='batch_id', db_constraint=True, to_field='id', related_name='attestations', on_delete=OnDelete.RESTRICT)),
                ('claim', fields.CharField(max_length=32)),
                ('root', fields.CharField(max_length=66)),
                ('time', fields.BigIntField()),
                ('chain_id', fields.BigIntField()),
                ('registry', fields.CharField(max_length=42)),
                ('message', fields.TextField(unique=False)),
                ('status', fields.CharField(default='collecting', max_length=16)),
                ('tx_hash', fields.CharField(null=True, max_length=66)),
                ('block_number', fields.BigIntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'attestation', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Party',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('role', fields.CharField(max_length=16)),
                ('public_key', fields.CharField(unique=True, max_length=96)),
                ('key_id', fields.CharField(max_length=66)),
                ('status', fields.CharField(default='active', max_length=16)),
                ('registered_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('replaces', fields.ForeignKeyField('lotline.Party', source_field='replaces_id', null=True, db_constraint=True, to_field='id', related_name='replaced_by', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'attestation_party', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AttestationSignature',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('attestation', fields.ForeignKeyField('lotline.Attestation', source_field='attestation_id', db_constraint=True, to_field='id', related_name='signatures', on_delete=OnDelete.CASCADE)),
                ('party', fields.ForeignKeyField('lotline.Party', source_field='party_id', db_constraint=True, to_field='id', related_name='signatures', on_delete=OnDelete.RESTRICT)),
                ('signature', fields.CharField(max_length=192)),
                ('signed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'attestation_signature', 'app': 'lotline', 'unique_together': (('attestation', 'party'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
