"""Custom fields on the portal's forms: one input per active definition, read back into JSON values.

Inputs are named ``cf-<key>``; a checkbox (boolean) that is not ticked is ``false``, any other empty input is
left out (so the definition's default or its "required" applies). The values are then checked by the same
service as the API's (``domain.customfields.services.checked``), whose error names ``customFields.<key>``;
``label`` turns that path into the field's Chinese and English label for the form's error line.
"""

from typing import Any

from starlette.datastructures import FormData

from domain.common.digits import ascii_digits
from domain.customfields import rules
from domain.customfields import services as custom_fields
from supplier_portal import forms


async def fields(entity: rules.Entity) -> list[rules.FieldDef]:
    """The active custom fields of ``entity``, in display order."""
    return await custom_fields.active_fields(entity)


def values(form: FormData, defs: list[rules.FieldDef]) -> dict[str, Any]:
    """The form's custom values, as JSON: numbers as integers when they are whole, the rest as typed."""
    out: dict[str, Any] = {}
    for d in defs:
        raw = form.get(f"cf-{d.key}")
        text = raw.strip() if isinstance(raw, str) else ""  # the check refuses what is too long, naming it
        if d.kind is rules.Kind.BOOLEAN:
            out[d.key] = text in ("on", "true", "1")
        elif not text:
            continue
        elif d.kind is rules.Kind.NUMBER:
            text = text.translate(forms.FULL_WIDTH)
            digits = text.removeprefix("-")  # one sign at most: "--5" is text, named by the check
            out[d.key] = int(text) if ascii_digits(digits) else text  # the check names a non-number
        elif d.kind is rules.Kind.DECIMAL:
            out[d.key] = text.translate(forms.FULL_WIDTH)  # the check reads the API's decimal grammar
        else:
            out[d.key] = text
    return out


def label(defs: list[rules.FieldDef], path: tuple[str, ...]) -> str | None:
    """``("customFields", "grade")`` -> ``等级 Grade``; None for any other path."""
    if len(path) != 2 or path[0] != "customFields":
        return None
    return next((f"{d.label_zh} {d.label_en}" for d in defs if d.key == path[1]), path[1])
