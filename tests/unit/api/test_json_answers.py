"""``api.graphql_http.encode_json``: orjson writes the answers; any JSON value reads back as it was."""

import json
import math

from hypothesis import given
from hypothesis import strategies as st

from api.graphql_http import encode_json

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()  # beyond 64 bits too: orjson refuses them, the standard library writes them
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
_VALUES = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4)
)


@given(_VALUES)
def test_any_json_value_reads_back_as_it_was(value: object) -> None:
    text = encode_json(value)

    assert isinstance(text, str)  # a WebSocket message goes out as a text frame
    assert json.loads(text) == value


def test_an_integer_beyond_64_bits_is_written_whole() -> None:
    assert json.loads(encode_json({"n": 2**70, "m": -(2**64)})) == {"n": 2**70, "m": -(2**64)}


def test_characters_are_written_as_they_are_and_nan_as_null() -> None:
    assert encode_json({"名称": "冷链 €"}) == '{"名称":"冷链 €"}'
    assert encode_json([math.nan, math.inf]) == "[null,null]"
