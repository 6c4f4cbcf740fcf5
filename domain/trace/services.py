"""Trace postings: transformations (repacking, processing) and destruction of rejected stock.

Each is one transaction: ledger moves, the document, its EPCIS event, lineage edges and the outbox row.
The use cases live in ``transformation`` (``batch_transform``) and ``destruction`` (``batch_destroy``); their
public names are re-exported here, so ``services.<name>`` keeps working for every caller.
"""

from domain.trace.destruction import batch_destroy as batch_destroy
from domain.trace.transformation import MAX_LINES as MAX_LINES
from domain.trace.transformation import PRODUCTION_CODE as PRODUCTION_CODE
from domain.trace.transformation import TRANSFORM_STEPS as TRANSFORM_STEPS
from domain.trace.transformation import TransformInput as TransformInput
from domain.trace.transformation import TransformOutput as TransformOutput
from domain.trace.transformation import batch_transform as batch_transform
from domain.trace.transformation import production_location as production_location
