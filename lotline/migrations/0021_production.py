from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lotline', '0020_approvals_reports')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Bom',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sku', fields.ForeignKeyField('lotline.Sku', source_field='sku_id', db_constraint=True, to_field='id', related_name='boms', on_delete=OnDelete.RESTRICT)),
                ('version', fields.IntField(default=1)),
                ('yield_rate', fields.DecimalField(default=1, max_digits=6, decimal_places=4)),
                ('active', fields.BooleanField(default=True)),
                ('note', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'bom', 'app': 'lotline', 'unique_together': (('sku', 'version'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ItemGroup',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=32)),
                ('name', fields.CharField(default='', max_length=128)),
            ],
            options={'table': 'item_group', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BomLine',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('bom', fields.ForeignKeyField('lotline.Bom', source_field='bom_id', db_constraint=True, to_field='id', related_name='lines', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(default='component', max_length=16)),
                ('sku', fields.ForeignKeyField('lotline.Sku', source_field='sku_id', db_constraint=True, to_field='id', related_name='bom_lines', on_delete=OnDelete.RESTRICT)),
                ('quantity', fields.DecimalField(max_digits=18, decimal_places=4)),
                ('scrap_rate', fields.DecimalField(default=0, max_digits=6, decimal_places=4)),
                ('unit_value', fields.DecimalField(default=0, max_digits=20, decimal_places=4)),
                ('cost_threshold', fields.DecimalField(default=0, max_digits=6, decimal_places=4)),
                ('item_group', fields.ForeignKeyField('lotline.ItemGroup', source_field='item_group_id', null=True, db_constraint=True, to_field='id', related_name='bom_lines', on_delete=OnDelete.RESTRICT)),
                ('specs', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'bom_line', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BomSubstitute',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('line', fields.ForeignKeyField('lotline.BomLine', source_field='line_id', db_constraint=True, to_field='id', related_name='substitutes', on_delete=OnDelete.CASCADE)),
                ('sku', fields.ForeignKeyField('lotline.Sku', source_field='sku_id', db_constraint=True, to_field='id', related_name='substitute_for', on_delete=OnDelete.RESTRICT)),
                ('ratio', fields.DecimalField(default=1, max_digits=12, decimal_places=4)),
            ],
            options={'table': 'bom_substitute', 'app': 'lotline', 'unique_together': (('line', 'sku'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ItemGroupMember',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('group', fields.ForeignKeyField('lotline.ItemGroup', source_field='group_id', db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.CASCADE)),
                ('sku', fields.ForeignKeyField('lotline.Sku', source_field='sku_id', db_constraint=True, to_field='id', related_name='item_groups', on_delete=OnDelete.RESTRICT)),
                ('ratio', fields.DecimalField(default=1, max_digits=12, decimal_places=4)),
            ],
            options={'table': 'item_group_member', 'app': 'lotline', 'unique_together': (('group', 'sku'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MaterialProcess',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sku', fields.ForeignKeyField('lotline.Sku', source_field='sku_id', db_constraint=True, to_field='id', related_name='processes', on_delete=OnDelete.CASCADE)),
                ('operation_code', fields.CharField(max_length=32)),
                ('equipment', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'material_process', 'app': 'lotline', 'unique_together': (('sku', 'operation_code'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProductionOrder',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('number', fields.CharField(null=True, unique=True, max_length=32)),
                ('bom', fields.ForeignKeyField('lotline.Bom', source_field='bom_id', db_constraint=True, to_field='id', related_name='orders', on_delete=OnDelete.RESTRICT)),
                ('sku_id', fields.IntField()),
                ('warehouse', fields.ForeignKeyField('lotline.Warehouse', source_field='warehouse_id', db_constraint=True, to_field='id', related_name='production_orders', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharField(default='planned', db_index=True, max_length=16)),
                ('planned_quantity', fields.DecimalField(max_digits=18, decimal_places=4)),
                ('completed_quantity', fields.DecimalField(default=0, max_digits=18, decimal_places=4)),
                ('scrap_quantity', fields.DecimalField(default=0, max_digits=18, decimal_places=4)),
                ('material_cost', fields.DecimalField(default=0, max_digits=20, decimal_places=2)),
                ('labour_cost', fields.DecimalField(default=0, max_digits=20, decimal_places=2)),
                ('overhead_cost', fields.DecimalField(default=0, max_digits=20, decimal_places=2)),
                ('planned_date', fields.DateField()),
                ('note', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('released_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'production_order', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProductionCompletion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('number', fields.CharField(null=True, unique=True, max_length=32)),
                ('order', fields.ForeignKeyField('lotline.ProductionOrder', source_field='order_id', db_constraint=True, to_field='id', related_name='completions', on_delete=OnDelete.RESTRICT)),
                ('good_quantity', fields.DecimalField(max_digits=18, decimal_places=4)),
                ('scrap_quantity', fields.DecimalField(default=0, max_digits=18, decimal_places=4)),
                ('material_cost', fields.DecimalField(max_digits=20, decimal_places=2)),
                ('labour_cost', fields.DecimalField(max_digits=20, decimal_places=2)),
                ('overhead_cost', fields.DecimalField(max_digits=20, decimal_places=2)),
                ('output_batch', fields.ForeignKeyField('lotline.Batch', source_field='output_batch_id', db_constraint=True, to_field='id', related_name='production_completions', on_delete=OnDelete.RESTRICT)),
                ('posted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'production_completion', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProductionOrderComponent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('order', fields.ForeignKeyField('lotline.ProductionOrder', source_field='order_id', db_constraint=True, to_field='id', related_name='components', on_delete=OnDelete.CASCADE)),
                ('bom_line', fields.ForeignKeyField('lotline.BomLine', source_field='bom_line_id', db_constraint=True, to_field='id', related_name='order_components', on_delete=OnDelete.RESTRICT)),
                ('sku_id', fields.IntField()),
                ('substitute_for_sku_id', fields.IntField(null=True)),
                ('ratio', fields.DecimalField(default=1, max_digits=12, decimal_places=4)),
                ('score', fields.DecimalField(null=True, max_digits=6, decimal_places=4)),
                ('explanation', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('consumed', fields.DecimalField(default=0, max_digits=18, decimal_places=4)),
                ('consumed_value', fields.DecimalField(default=0, max_digits=20, decimal_places=2)),
            ],
            options={'table': 'production_order_component', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RoutingOperation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('bom', fields.ForeignKeyField('lotline.Bom', source_field='bom_id', db_constraint=True, to_field='id', related_name='operations', on_delete=OnDelete.CASCADE)),
                ('seq', fields.IntField()),
                ('code', fields.CharField(max_length=32)),
                ('work_centre', fields.CharField(max_length=32)),
                ('setup_minutes', fields.DecimalField(default=0, max_digits=10, decimal_places=2)),
                ('minutes_per_unit', fields.DecimalField(default=0, max_digits=10, decimal_places=4)),
                ('labour_rate', fields.DecimalField(default=0, max_digits=12, decimal_places=2)),
                ('overhead_rate', fields.DecimalField(default=0, max_digits=12, decimal_places=2)),
                ('equipment', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'routing_operation', 'app': 'lotline', 'unique_together': (('bom', 'seq'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
