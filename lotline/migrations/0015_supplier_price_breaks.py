from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lotline', '0014_recall_capture_context')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SupplierPriceBreak',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('price', fields.ForeignKeyField('lotline.SupplierPrice', source_field='price_id', db_constraint=True, to_field='id', related_name='breaks', on_delete=OnDelete.CASCADE)),
                ('min_quantity', fields.DecimalField(max_digits=18, decimal_places=4)),
                ('unit_price', fields.DecimalField(max_digits=20, decimal_places=4)),
            ],
            options={'table': 'supplier_price_break', 'app': 'lotline', 'unique_together': (('price', 'min_quantity'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
