"""Which prefixes an export declares, and where, so captured events hash as they did at capture."""

from domain.trace import epcis, event_hash

GS1 = epcis.EPCIS_CONTEXT_URL
DEFAULTS = {"cbvmda": "urn:epcglobal:cbv:mda"}


def test_prefixes_of_several_documents_go_once_into_the_document_context():
    context, own = epcis.export_contexts(
        [
            [{"a": "https://a/"}],
            None,
            [{"a": "https://a/", "b": "https://b/"}, "https://ctx.example/x.jsonld"],
        ],
        [{"a:x": 1}, {"type": "ObjectEvent"}, {"b:y": 2}],
        DEFAULTS,
    )

    assert context == [GS1, "https://ctx.example/x.jsonld", {"a": "https://a/", "b": "https://b/"}]
    assert own == [None, None, None]


def test_an_event_whose_prefix_means_something_else_carries_its_own_binding():
    context, own = epcis.export_contexts(
        [[{"a": "https://one/"}], [{"a": "https://two/"}], [{"cbvmda": "https://mine/"}]],
        [{"a:x": 1}, {"a:x": 1}, {"cbvmda:y": 2}],
        DEFAULTS,
    )

    assert context == [GS1, {"a": "https://one/"}]  # the GS1 meaning of cbvmda stays the document's
    assert own == [None, {"a": "https://two/"}, {"cbvmda": "https://mine/"}]


def test_an_event_using_a_prefix_its_document_left_undeclared_unbinds_it():
    _, own = epcis.export_contexts([[{"a": "https://a/"}], None], [{"a:x": 1}, {"a:z": 3}], DEFAULTS)

    assert own == [None, {"a": None}]


def test_an_events_own_context_rebinds_prefixes_for_the_hash():
    event = {"type": "ObjectEvent", "eventTime": "2030-01-01T00:00:00Z", "acme:lot": "7"}
    declared = {"@context": [GS1, {"acme": "https://acme/"}], "epcisBody": {"eventList": [event]}}
    carried = {
        "@context": [GS1],
        "epcisBody": {"eventList": [{"@context": {"acme": "https://acme/"}, **event}]},
    }
    unbound = {
        "@context": [GS1, {"acme": "https://acme/"}],
        "epcisBody": {"eventList": [{"@context": {"acme": None}, **event}]},
    }
    bare = {"@context": [GS1], "epcisBody": {"eventList": [event]}}

    assert event_hash.document_hash_ids(carried) == event_hash.document_hash_ids(declared)
    assert event_hash.document_hash_ids(unbound) == event_hash.document_hash_ids(bare)
    assert event_hash.document_hash_ids(bare) != event_hash.document_hash_ids(declared)
