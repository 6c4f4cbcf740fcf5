# Tortoise 1.1 records a one-to-one primary key's pk_attr as "sku" in 0001 and "sku_id" on the model;
# this no-op schema change makes the two agree so the autodetector stays quiet.
from tortoise import migrations
from tortoise.migrations import operations as ops

class Migration(migrations.Migration):
    dependencies = [('lotline', '0001_initial')]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name='SkuValuation',
            options={'table': 'sku_valuation', 'app': 'lotline', 'pk_attr': 'sku_id'},
        ),
    ]
