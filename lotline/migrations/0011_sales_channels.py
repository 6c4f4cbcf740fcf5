from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lotline', '0010_asn')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SalesChannel',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=32)),
                ('name', fields.CharField(max_length=200)),
                ('kind', fields.CharField(max_length=16)),
                ('warehouse', fields.ForeignKeyField('lotline.Warehouse', source_field='warehouse_id', db_constraint=True, to_field='id', related_name='channels', on_delete=OnDelete.RESTRICT)),
                ('customer', fields.ForeignKeyField('lotline.Customer', source_field='customer_id', db_constraint=True, to_field='id', related_name='channels', on_delete=OnDelete.RESTRICT)),
                ('platform_store_id', fields.CharField(null=True, max_length=64)),
                ('active', fields.BooleanField(default=True)),
            ],
            options={'table': 'sales_channel', 'app': 'lotline', 'unique_together': (('kind', 'platform_store_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AllocationRule',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('channel', fields.ForeignKeyField('lotline.SalesChannel', source_field='channel_id', db_constraint=True, to_field='id', related_name='rules', on_delete=OnDelete.CASCADE)),
                ('sku', fields.ForeignKeyField('lotline.Sku', source_field='sku_id', null=True, db_constraint=True, to_field='id', related_name='allocation_rules', on_delete=OnDelete.CASCADE)),
                ('category', fields.ForeignKeyField('lotline.Category', source_field='category_id', null=True, db_constraint=True, to_field='id', related_name='allocation_rules', on_delete=OnDelete.CASCADE)),
                ('share', fields.DecimalField(default=0, max_digits=5, decimal_places=4)),
                ('floor', fields.DecimalField(default=0, max_digits=18, decimal_places=4)),
                ('priority', fields.IntField(default=0)),
            ],
            options={'table': 'channel_allocation_rule', 'app': 'lotline', 'unique_together': (('channel', 'sku', 'category'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ChannelOrder',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('channel', fields.ForeignKeyField('lotline.SalesChannel', source_field='channel_id', db_constraint=True, to_field='id', related_name='orders', on_delete=OnDelete.RESTRICT)),
                ('platform_order_id', fields.CharField(max_length=64)),
                ('sales_order', fields.OneToOneField('lotline.SalesOrder', source_field='sales_order_id', db_constraint=True, to_field='id', related_name='channel_order', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharField(default='open', max_length=16)),
                ('refunded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'channel_order', 'app': 'lotline', 'unique_together': (('channel', 'platform_order_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PlatformEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('event_key', fields.CharField(max_length=160)),
                ('channel', fields.ForeignKeyField('lotline.SalesChannel', source_field='channel_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharField(max_length=16)),
                ('platform_order_id', fields.CharField(db_index=True, max_length=64)),
                ('payload', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharField(default='pending', db_index=True, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(default='', unique=False)),
                ('processed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'platform_event', 'app': 'lotline', 'unique_together': (('platform', 'event_key'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PlatformSkuMapping',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('channel', fields.ForeignKeyField('lotline.SalesChannel', source_field='channel_id', db_constraint=True, to_field='id', related_name='mappings', on_delete=OnDelete.CASCADE)),
                ('platform_sku_id', fields.CharField(max_length=64)),
                ('sku', fields.ForeignKeyField('lotline.Sku', source_field='sku_id', db_constraint=True, to_field='id', related_name='platform_mappings', on_delete=OnDelete.RESTRICT)),
                ('base_per_portion', fields.DecimalField(default=1, max_digits=18, decimal_places=4)),
                ('pushed', fields.IntField(null=True)),
                ('pushed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('push_attempts', fields.IntField(default=0)),
                ('next_push_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('push_error', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'platform_sku_mapping', 'app': 'lotline', 'unique_together': (('channel', 'platform_sku_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='SalesOrder',
            name='channel',
            field=fields.ForeignKeyField('lotline.SalesChannel', source_field='channel_id', null=True, db_constraint=True, to_field='id', related_name='sales_orders', on_delete=OnDelete.RESTRICT),
        ),
    ]
