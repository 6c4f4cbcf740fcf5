"""Public codes of batches: what the QR label on a box carries instead of a database id."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.inventory.models import Batch


class BatchPublicCode(Model):
    # One per batch, created on first demand (a label printed, a page asked for); never changed, so a label
    # printed once keeps working. The code is random (80 bits, base32): it reveals neither the batch id
    # nor how many batches exist, and cannot be guessed from a neighbour's label.
    id = fields.IntField(primary_key=True)
    batch: fields.OneToOneRelation["Batch"] = fields.OneToOneField(
        "lotline.Batch", related_name="public_code", on_delete=fields.RESTRICT
    )
    batch_id: int
    code = fields.CharField(max_length=32, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "batch_public_code"
