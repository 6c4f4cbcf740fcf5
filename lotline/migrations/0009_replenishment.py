from decimal import Decimal
from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('lotline', '0006_valuation')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ForecastRun',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('status', fields.CharField(default='queued', db_index=True, max_length=16)),
                ('as_of', fields.DateField()),
                ('horizon_weeks', fields.IntField()),
                ('window_start', fields.DateField()),
                ('window_end', fields.DateField()),
                ('parameters', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('versions', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('metrics', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('shards_total', fields.IntField(default=0)),
                ('shards_done', fields.IntField(default=0)),
                ('shards_failed', fields.IntField(default=0)),
                ('series_total', fields.IntField(default=0)),
                ('error', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'forecast_run', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Forecast',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('run', fields.ForeignKeyField('lotline.ForecastRun', source_field='run_id', db_constraint=True, to_field='id', related_name='forecasts', on_delete=OnDelete.CASCADE)),
                ('sku', fields.ForeignKeyField('lotline.Sku', source_field='sku_id', db_constraint=True, to_field='id', related_name='forecasts', on_delete=OnDelete.RESTRICT)),
                ('warehouse', fields.ForeignKeyField('lotline.Warehouse', source_field='warehouse_id', db_constraint=True, to_field='id', related_name='forecasts', on_delete=OnDelete.RESTRICT)),
                ('week_start', fields.DateField()),
                ('p50', fields.DecimalField(max_digits=18, decimal_places=4)),
                ('p90', fields.DecimalField(max_digits=18, decimal_places=4)),
                ('model', fields.CharField(max_length=32)),
                ('backtest_wape', fields.DecimalField(null=True, max_digits=10, decimal_places=4)),
            ],
            options={'table': 'forecast', 'app': 'lotline', 'unique_together': (('run', 'sku', 'warehouse', 'week_start'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Promotion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('sku', fields.ForeignKeyField('lotline.Sku', source_field='sku_id', null=True, db_constraint=True, to_field='id', related_name='promotions', on_delete=OnDelete.RESTRICT)),
                ('category', fields.ForeignKeyField('lotline.Category', source_field='category_id', null=True, db_constraint=True, to_field='id', related_name='promotions', on_delete=OnDelete.RESTRICT)),
                ('starts_on', fields.DateField(db_index=True)),
                ('ends_on', fields.DateField()),
                ('discount', fields.DecimalField(max_digits=5, decimal_places=4)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'promotion', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StoreAssignment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('lotline.User', source_field='user_id', db_constraint=True, to_field='id', related_name='store_assignments', on_delete=OnDelete.CASCADE)),
                ('warehouse', fields.ForeignKeyField('lotline.Warehouse', source_field='warehouse_id', db_constraint=True, to_field='id', related_name='store_assignments', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'store_assignment', 'app': 'lotline', 'unique_together': (('user', 'warehouse'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Suggestion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sku', fields.ForeignKeyField('lotline.Sku', source_field='sku_id', db_constraint=True, to_field='id', related_name='suggestions', on_delete=OnDelete.RESTRICT)),
                ('warehouse', fields.ForeignKeyField('lotline.Warehouse', source_field='warehouse_id', db_constraint=True, to_field='id', related_name='suggestions', on_delete=OnDelete.RESTRICT)),
                ('period_start', fields.DateField()),
                ('supplier', fields.ForeignKeyField('lotline.Supplier', source_field='supplier_id', null=True, db_constraint=True, to_field='id', related_name='suggestions', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharField(default='draft', db_index=True, max_length=16)),
                ('suggested_quantity', fields.DecimalField(max_digits=18, decimal_places=4)),
                ('quantity', fields.DecimalField(max_digits=18, decimal_places=4)),
                ('unit_price', fields.DecimalField(null=True, max_digits=20, decimal_places=4)),
                ('explanation', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('forecast_run', fields.ForeignKeyField('lotline.ForecastRun', source_field='forecast_run_id', null=True, db_constraint=True, to_field='id', related_name='suggestions', on_delete=OnDelete.SET_NULL)),
                ('purchase_order_id', fields.IntField(null=True)),
                ('decided_by_id', fields.IntField(null=True)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'replenishment_suggestion', 'app': 'lotline', 'unique_together': (('sku', 'warehouse', 'period_start'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SupplierPrice',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('supplier', fields.ForeignKeyField('lotline.Supplier', source_field='supplier_id', db_constraint=True, to_field='id', related_name='prices', on_delete=OnDelete.RESTRICT)),
                ('sku', fields.ForeignKeyField('lotline.Sku', source_field='sku_id', db_constraint=True, to_field='id', related_name='supplier_prices', on_delete=OnDelete.RESTRICT)),
                ('unit_price', fields.DecimalField(max_digits=20, decimal_places=4)),
                ('currency', fields.CharField(default='CNY', max_length=3)),
                ('min_quantity', fields.DecimalField(default=0, max_digits=18, decimal_places=4)),
                ('pack_size', fields.DecimalField(default=1, max_digits=18, decimal_places=4)),
                ('capacity_per_week', fields.DecimalField(null=True, max_digits=18, decimal_places=4)),
                ('lead_time_days', fields.IntField(null=True)),
                ('valid_from', fields.DateField()),
                ('valid_to', fields.DateField(null=True)),
            ],
            options={'table': 'supplier_price', 'app': 'lotline', 'indexes': [Index(fields=['sku_id', 'valid_from'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WarehouseProfile',
            fields=[
                ('warehouse', fields.OneToOneField('lotline.Warehouse', source_field='warehouse_id', primary_key=True, db_index=True, db_constraint=True, to_field='id', related_name='replenishment_profile', on_delete=OnDelete.CASCADE)),
                ('region', fields.CharField(default='', max_length=32)),
                ('review_period_days', fields.IntField(default=7)),
                ('service_level', fields.DecimalField(default=Decimal('0.95'), max_digits=5, decimal_places=4)),
            ],
            options={'table': 'warehouse_profile', 'app': 'lotline', 'pk_attr': 'warehouse_id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WeatherIndex',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('region', fields.CharField(max_length=32)),
                ('week_start', fields.DateField()),
                ('value', fields.DecimalField(max_digits=8, decimal_places=4)),
                ('source', fields.CharField(default='', max_length=64)),
            ],
            options={'table': 'weather_index', 'app': 'lotline', 'unique_together': (('region', 'week_start'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        # As 0002 for SkuValuation: Tortoise records the one-to-one primary key's pk_attr as "warehouse" on
        # creation and "warehouse_id" on the model; this no-op makes them agree.
        ops.AlterModelOptions(
            name='WarehouseProfile',
            options={'table': 'warehouse_profile', 'app': 'lotline', 'pk_attr': 'warehouse_id'},
        ),
    ]
