# Expiry actions (issue 10, kind 2): expiry policies, expiry alerts, promotion proposals.
from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lotline', '0004_anchor_lease_event_context')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ExpiryAlert',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('batch', fields.ForeignKeyField('lotline.Batch', source_field='batch_id', db_constraint=True, to_field='id', related_name='expiry_alerts', on_delete=OnDelete.RESTRICT)),
                ('sku_id', fields.IntField(db_index=True)),
                ('kind', fields.CharField(max_length=16)),
                ('expiry_date', fields.DateField()),
                ('raised_on', fields.DateField(db_index=True)),
                ('days_left', fields.IntField()),
                ('quantity', fields.DecimalField(max_digits=18, decimal_places=4)),
                ('status', fields.CharField(default='open', max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'expiry_alert', 'app': 'lotline', 'unique_together': (('batch', 'kind', 'expiry_date'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ExpiryPolicy',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sku', fields.ForeignKeyField('lotline.Sku', source_field='sku_id', null=True, unique=True, db_constraint=True, to_field='id', related_name='expiry_policies', on_delete=OnDelete.CASCADE)),
                ('category', fields.ForeignKeyField('lotline.Category', source_field='category_id', null=True, unique=True, db_constraint=True, to_field='id', related_name='expiry_policies', on_delete=OnDelete.CASCADE)),
                ('alert_days', fields.IntField()),
                ('promote_days', fields.IntField()),
                ('markdown', fields.DecimalField(max_digits=5, decimal_places=4)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'expiry_policy', 'app': 'lotline', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PromotionProposal',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('batch', fields.ForeignKeyField('lotline.Batch', source_field='batch_id', db_constraint=True, to_field='id', related_name='promotion_proposals', on_delete=OnDelete.RESTRICT)),
                ('sku_id', fields.IntField(db_index=True)),
                ('best_before_date', fields.DateField()),
                ('proposed_on', fields.DateField(db_index=True)),
                ('days_left', fields.IntField()),
                ('quantity', fields.DecimalField(max_digits=18, decimal_places=4)),
                ('suggested_markdown', fields.DecimalField(max_digits=5, decimal_places=4)),
                ('status', fields.CharField(default='proposed', db_index=True, max_length=16)),
                ('markdown', fields.DecimalField(null=True, max_digits=5, decimal_places=4)),
                ('decided_by_id', fields.IntField(null=True)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('note', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'promotion_proposal', 'app': 'lotline', 'unique_together': (('batch', 'best_before_date'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
