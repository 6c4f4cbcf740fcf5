# Issue 10: idempotency fingerprints; count and transfer lines keep the stock status they move.
from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.migrations.constraints import UniqueConstraint

class RemoveUniqueTogether(ops.RemoveConstraint):
    """SQLite keeps a table's unique_together inside CREATE TABLE, where no DROP INDEX reaches it: there
    the table is rebuilt without it (SQLite's documented ALTER TABLE procedure); elsewhere it is dropped."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):  # type: ignore[no-untyped-def]
        if state_editor is not None and state_editor.DIALECT == "sqlite":
            await state_editor._remake_table(new_state.apps.get_model(f"{app_label}.{self.model_name}"))
            return
        await super().database_forward(app_label, old_state, new_state, state_editor)


class Migration(migrations.Migration):
    dependencies = [('lotline', '0005_expiry_actions')]

    initial = False

    operations = [
        ops.AddField(
            model_name='IdempotencyKey',
            name='fingerprint',
            field=fields.CharField(default='', max_length=64),
        ),
        ops.AddField(
            model_name='StockCountLine',
            name='status',
            field=fields.CharField(default='available', max_length=16),
        ),
        RemoveUniqueTogether(
            model_name='StockCountLine',
            name=None,
            fields=['count', 'location', 'batch'],
        ),
        ops.AddConstraint(
            model_name='StockCountLine',
            constraint=UniqueConstraint(fields=('count', 'location', 'batch', 'status'), name=None),
        ),
        ops.AddField(
            model_name='TransferLine',
            name='status',
            field=fields.CharField(default='available', max_length=16),
        ),
    ]
