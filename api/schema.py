"""The schema: Query and Mutation assembled from the areas, with caches, limits and error masking."""

import functools
import logging
from collections.abc import Iterator

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig

from api import error_log, errors, nodes, scalars
from api.anchoring.queries import AnchoringQuery
from api.approvals.mutations import ApprovalMutation
from api.approvals.queries import ApprovalQuery
from api.asn.arrivals import ArrivalMutation, ArrivalQuery
from api.asn.mutations import AsnMutation
from api.asn.queries import AsnQuery
from api.attestations.mutations import AttestationMutation
from api.attestations.queries import AttestationQuery
from api.boundary.check import guard_root_fields
from api.catalog.mutations import CatalogMutation
from api.catalog.queries import CatalogQuery
from api.channels.mutations import ChannelsMutation
from api.channels.queries import ChannelsQuery
from api.context import Info
from api.customfields.operations import CustomFieldsMutation, CustomFieldsQuery
from api.devices.operations import DevicesMutation, DevicesQuery, DevicesSubscription
from api.devices.waves import WavesMutation, WavesQuery
from api.expiry.mutations import ExpiryMutation
from api.expiry.queries import ExpiryQuery
from api.finance.due_dates import DueDatesMutation, DueDatesQuery
from api.finance.mutations import FinanceMutation
from api.finance.queries import FinanceQuery
from api.finance.statements import StatementQuery
from api.health.mutations import HealthMutation
from api.health.queries import HealthQuery
from api.inventory.mutations import InventoryMutation
from api.inventory.queries import InventoryQuery
from api.mappings.operations import MappingsMutation, MappingsQuery
from api.partners.mutations import PartnersMutation
from api.partners.queries import PartnersQuery
from api.production.mutations import ProductionMutation
from api.production.queries import ProductionQuery
from api.purchasing.mutations import PurchasingMutation
from api.purchasing.queries import PurchasingQuery
from api.quality.mutations import QualityMutation
from api.quality.queries import QualityQuery
from api.recall.operations import RecallMutation, RecallQuery
from api.replenishment.forecast_mutations import ForecastRunMutation
from api.replenishment.mutations import PromotionMutation
from api.replenishment.price_mutations import PriceListMutation
from api.replenishment.queries import ForecastRunQuery, PriceListQuery, PromotionQuery, SuggestionQuery
from api.replenishment.suggestion_mutations import SuggestionMutation
from api.reports.schema import ReportMutation, ReportQuery
from api.sales.mutations import SalesMutation
from api.sales.queries import SalesQuery
from api.shared_events import SharingExecutor
from api.trace.mutations import TraceMutation
from api.trace.queries import TraceQuery
from domain.common.errors import DomainError
from lotline.config import Settings

logger = logging.getLogger("api")


@strawberry.type
class NodeQuery:
    @strawberry.field(  # type: ignore[untyped-decorator]
        description="Any object by its global ID (null when out of reach or not a node)."
    )
    async def node(self, info: Info, id: relay.GlobalID) -> relay.Node | None:
        # A well-formed ID of a type that is not a node ("User:1", "Money:1") finds nothing, like an
        # unknown row: null, never an internal error.
        try:
            node_type = id.resolve_type(info)
        except relay.GlobalIDValueError:
            return None
        if not (isinstance(node_type, type) and issubclass(node_type, relay.Node)):
            return None
        node: relay.Node | None = await id.resolve_node(info, required=False)
        return node


@strawberry.type
class Query(
    NodeQuery,
    CatalogQuery,
    PartnersQuery,
    InventoryQuery,
    PurchasingQuery,
    SalesQuery,
    TraceQuery,
    RecallQuery,
    QualityQuery,
    FinanceQuery,
    AnchoringQuery,
    ChannelsQuery,
    DevicesQuery,
    WavesQuery,
    ExpiryQuery,
    AsnQuery,
    ArrivalQuery,
    StatementQuery,
    AttestationQuery,
    HealthQuery,
    PromotionQuery,
    SuggestionQuery,
    ForecastRunQuery,
    ProductionQuery,
    ApprovalQuery,
    ReportQuery,
    PriceListQuery,
    CustomFieldsQuery,
    MappingsQuery,
    DueDatesQuery,
):
    pass


@strawberry.type
class Mutation(
    CatalogMutation,
    PartnersMutation,
    InventoryMutation,
    PurchasingMutation,
    SalesMutation,
    TraceMutation,
    RecallMutation,
    QualityMutation,
    FinanceMutation,
    ChannelsMutation,
    DevicesMutation,
    WavesMutation,
    ExpiryMutation,
    AsnMutation,
    ArrivalMutation,
    AttestationMutation,
    PromotionMutation,
    SuggestionMutation,
    ProductionMutation,
    ApprovalMutation,
    ReportMutation,
    ForecastRunMutation,
    PriceListMutation,
    CustomFieldsMutation,
    MappingsMutation,
    DueDatesMutation,
    HealthMutation,
):
    pass


@strawberry.type
class Subscription(DevicesSubscription):
    pass


def should_mask(error: GraphQLError) -> bool:
    """Masks what was not meant for the caller, after logging it whole.

    Left as they are: validation, syntax and input-coercion errors (no path), our own GraphQL errors
    (authentication, permission) and domain errors raised by queries (bad cursor, bad ID), which are
    written for the caller.
    """
    original = error.original_error
    if original is None or isinstance(original, GraphQLError | DomainError):
        return False
    if error.path is None:
        # Raised before execution, by a scalar reading a literal or a variable ("abc" as a Date): the
        # request's own mistake, already worded for the caller, and no resolver ran.
        return False
    logger.error("unexpected error at %s", error.path, exc_info=original)
    return True


class Masking(MaskErrors):
    """strawberry's MaskErrors, checking a result for errors with ``getattr``: its ``isinstance`` against a
    runtime-checkable Protocol inspects the class on every result, ~7 % of a subscription's fan-out."""

    def _process_result(self, result: object) -> None:
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]


class DomainErrorCodes(SchemaExtension):
    """Gives a domain error that reached the top level (a query's bad argument) its code in ``extensions``."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        for error in getattr(result, "errors", None) or ():
            if isinstance(error.original_error, DomainError):
                error.extensions = {**(error.extensions or {}), "code": error.original_error.code.value}


def create_schema(settings: Settings) -> strawberry.Schema:
    return _schema(settings.graphql_max_depth, settings.graphql_max_aliases, settings.graphql_max_tokens)


@functools.cache
def _schema(max_depth: int, max_aliases: int, max_tokens: int) -> strawberry.Schema:
    # Once per process and limits: strawberry's relay `node` field is changed in place when a schema is
    # built, so building a second schema from the same classes fails (and would be wasted work anyway).
    # The depth and alias rules are built once here: QueryDepthLimiter and MaxAliasesLimiter create a new
    # rule class per instance, and ValidationCache keys on the rule classes, so a limiter per request made
    # every request miss the cache and validate the whole document again (~5 ms for a list page).
    limit_rules = [
        *QueryDepthLimiter(max_depth=max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules,
    ]
    schema = error_log.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[
            errors.ValidationError,
            errors.InsufficientStock,
            errors.NotFound,
            errors.Forbidden,
            errors.Conflict,
            errors.ApprovalRequired,
            nodes.Posted,
        ],
        config=StrawberryConfig(scalar_map=scalars.SCALAR_MAP),
        # Subscription events sent as SharedEvent are executed once per distinct selection, not per
        # subscriber (api/shared_events.py); everything else executes as strawberry's own executor does.
        execution_context_class=SharingExecutor,
        # Factories, so each request gets fresh extension instances; the parser and validation caches
        # are module-level in strawberry (keyed by maxsize), so they are still shared across requests.
        extensions=[
            # MaskErrors first: extensions nest, so the first one sees the final result last.
            lambda: Masking(should_mask_error=should_mask, error_message="Internal server error"),
            DomainErrorCodes,
            lambda: ParserCache(maxsize=512),
            lambda: ValidationCache(maxsize=512),
            lambda: AddValidationRules(limit_rules),
            lambda: MaxTokensLimiter(max_token_count=max_tokens),
        ],
    )
    guard_root_fields(schema._schema)
    return schema
