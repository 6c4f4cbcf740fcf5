from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('lotline', '0005_expiry_actions')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AdvanceShippingNotice',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('number', fields.CharField(null=True, unique=True, max_length=32)),
                ('order', fields.ForeignKeyField('lotline.PurchaseOrder', source_field='order_id', db_constraint=True, to_field='id', related_name='asns', on_delete=OnDelete.RESTRICT)),
                ('supplier', fields.ForeignKeyField('lotline.Supplier', source_field='supplier_id', db_constraint=True, to_field='id', related_name='asns', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharField(default='open', db_index=True, max_length=16)),
                ('expected_arrival', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('note', fields.TextField(default='', unique=False)),
                ('sensor_readings', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('created_by_id', fields.IntField(null=True)),
                ('receipt', fields.ForeignKeyField('lotline.GoodsReceipt', source_field='receipt_id', null=True, db_constraint=True, to_field='id', related_name='asns', on_delete=OnDelete.RESTRICT)),
                ('received_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'advance_shipping_notice', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AsnDifference',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('asn', fields.ForeignKeyField('lotline.AdvanceShippingNotice', source_field='asn_id', db_constraint=True, to_field='id', related_name='differences', on_delete=OnDelete.CASCADE)),
                ('asn_line_id', fields.IntField(null=True)),
                ('field', fields.CharField(max_length=24)),
                ('expected', fields.CharField(default='', max_length=64)),
                ('received', fields.CharField(default='', max_length=64)),
            ],
            options={'table': 'asn_difference', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AsnLine',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('asn', fields.ForeignKeyField('lotline.AdvanceShippingNotice', source_field='asn_id', db_constraint=True, to_field='id', related_name='lines', on_delete=OnDelete.CASCADE)),
                ('order_line', fields.ForeignKeyField('lotline.PurchaseOrderLine', source_field='order_line_id', db_constraint=True, to_field='id', related_name='asn_lines', on_delete=OnDelete.RESTRICT)),
                ('lot_code', fields.CharField(max_length=64)),
                ('quantity', fields.DecimalField(max_digits=18, decimal_places=4)),
                ('production_date', fields.DateField(null=True)),
                ('expiry_date', fields.DateField(null=True)),
                ('best_before_date', fields.DateField(null=True)),
            ],
            options={'table': 'asn_line', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Certificate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('supplier', fields.ForeignKeyField('lotline.Supplier', source_field='supplier_id', db_constraint=True, to_field='id', related_name='certificates', on_delete=OnDelete.RESTRICT)),
                ('asn', fields.ForeignKeyField('lotline.AdvanceShippingNotice', source_field='asn_id', null=True, db_constraint=True, to_field='id', related_name='certificates', on_delete=OnDelete.RESTRICT)),
                ('asn_line_id', fields.IntField(null=True)),
                ('batch', fields.ForeignKeyField('lotline.Batch', source_field='batch_id', null=True, db_constraint=True, to_field='id', related_name='certificates', on_delete=OnDelete.RESTRICT)),
                ('lot_code', fields.CharField(max_length=64)),
                ('kind', fields.CharField(max_length=24)),
                ('sha256', fields.CharField(db_index=True, max_length=64)),
                ('content_type', fields.CharField(max_length=32)),
                ('size', fields.IntField()),
                ('filename', fields.CharField(default='', max_length=200)),
                ('uploaded_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('uploaded_by_id', fields.IntField(null=True)),
                ('event', fields.ForeignKeyField('lotline.TraceEvent', source_field='event_id', null=True, db_constraint=True, to_field='id', related_name='certificates', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'certificate', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PurchaseOrderLineAck',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('order', fields.ForeignKeyField('lotline.PurchaseOrder', source_field='order_id', db_constraint=True, to_field='id', related_name='line_acks', on_delete=OnDelete.RESTRICT)),
                ('order_line', fields.ForeignKeyField('lotline.PurchaseOrderLine', source_field='order_line_id', db_constraint=True, to_field='id', related_name='acks', on_delete=OnDelete.RESTRICT)),
                ('decision', fields.CharField(max_length=16)),
                ('promised_date', fields.DateField(null=True)),
                ('promised_quantity', fields.DecimalField(max_digits=18, decimal_places=4)),
                ('note', fields.TextField(default='', unique=False)),
                ('acknowledged_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('acknowledged_by_id', fields.IntField(null=True)),
            ],
            options={'table': 'purchase_order_line_ack', 'app': 'lotline', 'indexes': [Index(fields=['order_line_id', 'id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
