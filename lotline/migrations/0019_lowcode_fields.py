from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lotline', '0018_attestation_scope')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CustomFieldDefinition',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('entity', fields.CharField(max_length=32)),
                ('key', fields.CharField(max_length=40)),
                ('kind', fields.CharField(max_length=16)),
                ('label_zh', fields.CharField(max_length=100)),
                ('label_en', fields.CharField(max_length=100)),
                ('required', fields.BooleanField(default=False)),
                ('default', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('min_length', fields.IntField(null=True)),
                ('max_length', fields.IntField(null=True)),
                ('pattern', fields.CharField(null=True, max_length=200)),
                ('minimum', fields.DecimalField(null=True, max_digits=20, decimal_places=4)),
                ('maximum', fields.DecimalField(null=True, max_digits=20, decimal_places=4)),
                ('places', fields.IntField(null=True)),
                ('choices', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('position', fields.IntField(default=0)),
                ('active', fields.BooleanField(default=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'custom_field_definition', 'app': 'lotline', 'unique_together': (('entity', 'key'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PartnerMapping',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('partner_kind', fields.CharField(max_length=16)),
                ('partner_code', fields.CharField(max_length=32)),
                ('target', fields.CharField(max_length=32)),
                ('version', fields.IntField()),
                ('spec', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('note', fields.CharField(default='', max_length=200)),
                ('created_by', fields.CharField(default='', max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'partner_mapping', 'app': 'lotline', 'unique_together': (('partner_kind', 'partner_code', 'target', 'version'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='AdvanceShippingNotice',
            name='custom',
            field=fields.JSONField(null=True, default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Batch',
            name='custom',
            field=fields.JSONField(null=True, default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Customer',
            name='custom',
            field=fields.JSONField(null=True, default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Customer',
            name='payment_terms',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='CustomerInvoice',
            name='custom',
            field=fields.JSONField(null=True, default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='CustomerInvoice',
            name='due_date',
            field=fields.DateField(null=True, db_index=True),
        ),
        ops.AddField(
            model_name='CustomerInvoice',
            name='schedule',
            field=fields.JSONField(null=True, default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='GoodsReceipt',
            name='custom',
            field=fields.JSONField(null=True, default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='PurchaseOrder',
            name='custom',
            field=fields.JSONField(null=True, default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='PurchaseOrderLine',
            name='custom',
            field=fields.JSONField(null=True, default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='SalesOrder',
            name='custom',
            field=fields.JSONField(null=True, default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Sku',
            name='custom',
            field=fields.JSONField(null=True, default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Supplier',
            name='custom',
            field=fields.JSONField(null=True, default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Supplier',
            name='payment_terms',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='SupplierBill',
            name='custom',
            field=fields.JSONField(null=True, default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='SupplierBill',
            name='due_date',
            field=fields.DateField(null=True, db_index=True),
        ),
        ops.AddField(
            model_name='SupplierBill',
            name='schedule',
            field=fields.JSONField(null=True, default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
    ]
