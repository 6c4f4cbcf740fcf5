"""Relay's ``Node.id`` made as strawberry's resolver makes it, for the basic-field path (issue 15).

strawberry resolves every node's ``id`` through ``Node._id`` — an ``Info``, argument parsing and the
extension chain per node, 100 times on a list page — to ``GlobalID(<the path's type name>, str(<NodeID
attribute>))``. ``api.basic_fields`` makes the same value here when the node's class keeps strawberry's
``resolve_id`` and ``resolve_typename``; otherwise (an override, an id that is not an int or str) it lets
strawberry's resolver run. ``tests/unit/api/test_basic_fields.py`` pins both.
"""

from typing import Any

from strawberry.relay import GlobalID, Node


def is_node_id(definition: Any) -> bool:
    """Whether the field is relay's ``Node.id`` as strawberry defines it (no permission, no extension)."""
    resolver = getattr(definition, "base_resolver", None)
    wrapped = getattr(getattr(resolver, "wrapped_func", None), "__func__", None)
    return (
        wrapped is not None
        and wrapped is Node._id.__func__
        and not definition.extensions
        and not definition.permission_classes
    )


# Per Node class: the attribute its global ID is made of, or None when the class resolves its ID or its
# type name its own way (then strawberry's resolver runs).
_NODE_ID_ATTRS: dict[type, str | None] = {}


def _node_id_attr(cls: type) -> str | None:
    if not issubclass(cls, Node):
        return None
    if (
        cls.resolve_id.__func__ is not Node.resolve_id.__func__  # type: ignore[attr-defined]
        or cls.resolve_typename.__func__ is not Node.resolve_typename.__func__  # type: ignore[attr-defined]
    ):
        return None
    try:
        return cls.resolve_id_attr()
    except Exception:  # no or several NodeID fields: strawberry's resolver raises its own error
        return None


def global_id(source: Any, type_name: str) -> GlobalID | None:
    """``Node.id`` of ``source`` as strawberry's resolver makes it (``GlobalID(type name, str(id))``,
    the type name being the path's, i.e. the parent type's), or None to let that resolver run."""
    cls = type(source)
    try:
        attr = _NODE_ID_ATTRS[cls]
    except KeyError:
        attr = _NODE_ID_ATTRS[cls] = _node_id_attr(cls)
    if attr is None:
        return None
    node_id = getattr(source, attr, None)
    if type(node_id) not in (int, str):  # None, awaitables and the rest: strawberry's resolver decides
        return None
    return GlobalID(type_name=type_name, node_id=str(node_id))
