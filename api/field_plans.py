"""How ``api.basic_fields.BasicFieldPath`` resolves each basic field of a schema: a plan per field.

A plan says which attribute to read and how to complete it: a leaf (scalar or enum), an object whose
``is_type_of`` reads no info (or none at all), one whose ``is_type_of`` may read it, a list (of objects
completed without info, or of anything else), or relay's ``Node.id``. Fields graphql-core must resolve
itself have no plan.
"""

import weakref
from typing import Any, NamedTuple

from graphql import (
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    is_leaf_type,
    is_list_type,
    is_object_type,
)
from strawberry.schema.schema_converter import GraphQLCoreConverter

from api.global_ids import is_node_id


class Plan(NamedTuple):
    """How to resolve one basic field: the attribute, the type without its non-null wrapper, and which."""

    field: GraphQLField
    attribute: str
    named_type: Any  # GraphQLLeafType, GraphQLObjectType or GraphQLList
    non_null: bool
    kind: int  # LEAF, OBJECT, OBJECT_CHECKED, LIST or NODE_ID
    # A list of objects whose is_type_of (if any) reads no info: the object type, and its items' type
    # (the object type, or non-null of it). ``None`` for other lists and for other kinds.
    items: GraphQLObjectType | None = None
    item_type: Any = None
    # An object that is a relay node (its answers may be shared: ``api.object_completion``).
    node: bool = False


LEAF, OBJECT, OBJECT_CHECKED, LIST, NODE_ID = range(5)

# One plan table per schema, dropped with it (tests build many schemas).
PLANS: "weakref.WeakKeyDictionary[GraphQLSchema, dict[str, dict[str, Plan | None]]]" = (
    weakref.WeakKeyDictionary()
)


def ignores_info(is_type_of: Any) -> bool:
    """Whether ``is_type_of`` is one strawberry generates for a type with interfaces, which never reads
    its info (the parameter is named ``_info``): it is then called with none. A type's own ``is_type_of``
    may read it and is called with graphql-core's."""
    code = getattr(is_type_of, "__code__", None)
    return (
        getattr(is_type_of, "__module__", None) == "strawberry.schema.schema_converter"
        and code is not None
        and code.co_varnames[:2] == ("obj", "_info")
    )


def plan_field(schema: GraphQLSchema, parent_type: GraphQLObjectType, field_name: str) -> Plan | None:
    """The plan of a basic field of ``parent_type``, or ``None`` for a field graphql-core resolves: one with
    arguments, a resolver, a default resolver other than ``getattr``, an interface or union type."""
    field_def = schema.get_field(parent_type, field_name)
    if field_def is None or field_def.args:
        return None
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return_type: Any = field_def.type
    non_null = isinstance(return_type, GraphQLNonNull)
    named = return_type.of_type if non_null else return_type
    if is_node_id(definition) and is_leaf_type(named):
        return Plan(field_def, "", named, non_null, NODE_ID)
    if not getattr(field_def.resolve, "_is_default", False):
        return None
    if definition is None or definition.default_resolver is not getattr:
        return None
    if is_leaf_type(named):
        kind = LEAF
    elif is_object_type(named):
        kind = OBJECT_CHECKED if named.is_type_of and not ignores_info(named.is_type_of) else OBJECT
    elif is_list_type(named):
        item_type = named.of_type
        item = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if is_object_type(item) and (not item.is_type_of or ignores_info(item.is_type_of)):
            return Plan(field_def, definition.python_name, named, non_null, LIST, item, item_type)
        kind = LIST
    else:  # interfaces and unions: graphql-core resolves their runtime type with the info
        return None
    node = kind == OBJECT and any(i.name == "Node" for i in named.interfaces)
    return Plan(field_def, definition.python_name, named, non_null, kind, node=node)
