from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lotline', '0016_portal_arrivals_alerts')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PickWave',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('number', fields.CharField(null=True, unique=True, max_length=32)),
                ('warehouse', fields.ForeignKeyField('lotline.Warehouse', source_field='warehouse_id', db_constraint=True, to_field='id', related_name='pick_waves', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharField(default='open', db_index=True, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'pick_wave', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ZoneBinding',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('lotline.User', source_field='user_id', db_constraint=True, to_field='id', related_name='zone_bindings', on_delete=OnDelete.CASCADE)),
                ('warehouse', fields.ForeignKeyField('lotline.Warehouse', source_field='warehouse_id', db_constraint=True, to_field='id', related_name='zone_bindings', on_delete=OnDelete.CASCADE)),
                ('zones', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'zone_binding', 'app': 'lotline', 'unique_together': (('user', 'warehouse'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='DeviceOperation',
            name='code',
            field=fields.CharField(default='', max_length=32),
        ),
        ops.AddField(
            model_name='PickTask',
            name='wave',
            field=fields.ForeignKeyField('lotline.PickWave', source_field='wave_id', null=True, db_constraint=True, to_field='id', related_name='tasks', on_delete=OnDelete.RESTRICT),
        ),
    ]
