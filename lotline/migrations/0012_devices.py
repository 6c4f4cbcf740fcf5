from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lotline', '0011_sales_channels')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Device',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=64)),
                ('warehouse', fields.ForeignKeyField('lotline.Warehouse', source_field='warehouse_id', db_constraint=True, to_field='id', related_name='devices', on_delete=OnDelete.RESTRICT)),
                ('user', fields.ForeignKeyField('lotline.User', source_field='user_id', db_constraint=True, to_field='id', related_name='devices', on_delete=OnDelete.RESTRICT)),
                ('last_sequence', fields.BigIntField(default=0)),
                ('last_seen_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'device', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DeviceOperation',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('device', fields.ForeignKeyField('lotline.Device', source_field='device_id', db_constraint=True, to_field='id', related_name='operations', on_delete=OnDelete.RESTRICT)),
                ('sequence', fields.BigIntField()),
                ('kind', fields.CharField(max_length=24)),
                ('payload', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('scanned_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharField(db_index=True, max_length=16)),
                ('reason', fields.TextField(default='', unique=False)),
                ('resolved_by_id', fields.IntField(null=True)),
                ('resolution', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'device_operation', 'app': 'lotline', 'unique_together': (('device', 'sequence'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PickTask',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('order', fields.ForeignKeyField('lotline.SalesOrder', source_field='order_id', db_constraint=True, to_field='id', related_name='pick_tasks', on_delete=OnDelete.RESTRICT)),
                ('warehouse', fields.ForeignKeyField('lotline.Warehouse', source_field='warehouse_id', db_constraint=True, to_field='id', related_name='pick_tasks', on_delete=OnDelete.RESTRICT)),
                ('assignee', fields.ForeignKeyField('lotline.User', source_field='assignee_id', null=True, db_constraint=True, to_field='id', related_name='pick_tasks', on_delete=OnDelete.RESTRICT)),
                ('zone', fields.CharField(default='', max_length=64)),
                ('status', fields.CharField(default='open', db_index=True, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'pick_task', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PickLine',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('task', fields.ForeignKeyField('lotline.PickTask', source_field='task_id', db_constraint=True, to_field='id', related_name='lines', on_delete=OnDelete.CASCADE)),
                ('order_line', fields.ForeignKeyField('lotline.SalesOrderLine', source_field='order_line_id', db_constraint=True, to_field='id', related_name='pick_lines', on_delete=OnDelete.RESTRICT)),
                ('batch', fields.ForeignKeyField('lotline.Batch', source_field='batch_id', db_constraint=True, to_field='id', related_name='pick_lines', on_delete=OnDelete.RESTRICT)),
                ('location', fields.ForeignKeyField('lotline.Location', source_field='location_id', db_constraint=True, to_field='id', related_name='pick_lines', on_delete=OnDelete.RESTRICT)),
                ('quantity', fields.DecimalField(max_digits=18, decimal_places=4)),
                ('picked_quantity', fields.DecimalField(null=True, max_digits=18, decimal_places=4)),
                ('picked_batch_id', fields.IntField(null=True)),
                ('reason', fields.CharField(default='', max_length=200)),
                ('status', fields.CharField(default='open', max_length=16)),
            ],
            options={'table': 'pick_line', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
