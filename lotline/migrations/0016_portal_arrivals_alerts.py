from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lotline', '0015_supplier_price_breaks')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Arrival',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('number', fields.CharField(null=True, unique=True, max_length=32)),
                ('order', fields.ForeignKeyField('lotline.PurchaseOrder', source_field='order_id', db_constraint=True, to_field='id', related_name='arrivals', on_delete=OnDelete.RESTRICT)),
                ('supplier', fields.ForeignKeyField('lotline.Supplier', source_field='supplier_id', db_constraint=True, to_field='id', related_name='arrivals', on_delete=OnDelete.RESTRICT)),
                ('asn', fields.ForeignKeyField('lotline.AdvanceShippingNotice', source_field='asn_id', null=True, unique=True, db_constraint=True, to_field='id', related_name='arrivals', on_delete=OnDelete.RESTRICT)),
                ('arrived_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('vehicle', fields.CharField(default='', max_length=32)),
                ('note', fields.TextField(default='', unique=False)),
                ('recorded_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('recorded_by_id', fields.IntField(null=True)),
            ],
            options={'table': 'arrival', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='HealthAlert',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('supplier_id', fields.IntField()),
                ('week', fields.CharField(max_length=8)),
                ('metric', fields.CharField(max_length=32)),
                ('value', fields.DecimalField(null=True, max_digits=18, decimal_places=4)),
                ('threshold', fields.DecimalField(max_digits=18, decimal_places=4)),
                ('samples', fields.IntField(default=0)),
                ('raised_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('notified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('attempts', fields.IntField(default=0)),
            ],
            options={'table': 'health_alert', 'app': 'lotline', 'unique_together': (('supplier_id', 'week', 'metric'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='AdvanceShippingNotice',
            name='cancel_reason',
            field=fields.TextField(default='', unique=False),
        ),
        ops.AddField(
            model_name='AdvanceShippingNotice',
            name='cancelled_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='AdvanceShippingNotice',
            name='cancelled_by_id',
            field=fields.IntField(null=True),
        ),
    ]
