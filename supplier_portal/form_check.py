"""The characters a posted portal form may hold: the API's own text grammar (``domain.common.text_grammar``),
so a supplier's form and a GraphQL client meet one rule.

PostgreSQL text and jsonb cannot store NUL, and neither boundary keeps C0/C1 control characters (tab, line
feed and carriage return aside), lone surrogates or bidirectional controls: such a value reached the
database and ended as a 500 (a NUL in a lot code, a note, a reason, a user name or a file's name). One check
of every text value and upload file name, where the form is read, refuses the whole form; nothing of it is
written. ``FormRefused`` is a ``ValidationError`` at the field's input path (``forms.path_of``), so a handler
that shows its form again shows it filled in with the field named, as for any other refused value; elsewhere
the page wrapper answers a 400 page naming the field.
"""

from starlette.datastructures import FormData, UploadFile

from domain.common import text_grammar as grammar
from domain.common.errors import ValidationError
from supplier_portal import forms

# Lengths are each field's own business (``forms.text`` limits them); this bound only keeps the check finite.
_ANY_LENGTH = 1 << 20


class FormRefused(ValidationError):
    """A form field holds a character no store keeps; ``field`` is its form name, ``problem`` says why
    (English), ``path`` its input path (as the domain's errors name inputs)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"含有无法保存的字符 {problem}", forms.path_of(field))
        self.field = field
        self.problem = problem


def check(form: FormData) -> FormData:
    """``form`` itself when every text value and upload file name passes ``grammar.text_problem`` as free
    text; else raises ``FormRefused`` for the first field that does not (form order)."""
    for name, value in form.multi_items():
        text = value.filename or "" if isinstance(value, UploadFile) else value
        problem = grammar.text_problem(text, grammar.TextKind.TEXT, _ANY_LENGTH)
        if problem is not None:
            raise FormRefused(name[:40], problem)
    return form
