"""Every outbox topic written has a consumer: each declared topic has an actor in the worker, and every
``enqueue`` call in the code names a declared topic."""

import ast
import importlib
from pathlib import Path

import pytest
from dramatiq.brokers.stub import StubBroker

from domain.common import outbox
from lotline.config import Settings
from workers import attestations
from workers import main as worker_main
from workers.anchoring import Anchorer, AnchoringConfig
from workers.channels import ChannelWorker
from workers.platform_client import PlatformClient
from workers.runtime import Runtime

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("api", "domain", "workers", "supplier_portal", "lotline")


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _resolve(module: object, node: ast.expr) -> object:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return getattr(module, node.id)
    if isinstance(node, ast.Attribute):
        return getattr(_resolve(module, node.value), node.attr)
    raise AssertionError(f"topic given as {ast.dump(node)}: use a constant")


def enqueued_topics() -> list[tuple[str, int, object]]:
    """(module, line, topic) of every ``enqueue(topic, …)`` call in the application packages."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"))
            calls = [
                n
                for n in ast.walk(tree)
                if isinstance(n, ast.Call)
                and (getattr(n.func, "id", None) == "enqueue" or getattr(n.func, "attr", None) == "enqueue")
                and n.args
            ]
            if calls:
                module = importlib.import_module(_module_name(path))
                found += [(_module_name(path), c.lineno, _resolve(module, c.args[0])) for c in calls]
    return found


def test_every_enqueue_in_the_code_names_a_topic_that_has_a_consumer():
    found = enqueued_topics()

    assert found  # the scan sees the trace recorder's call at least
    assert [(m, line, t) for m, line, t in found if t not in outbox.CONSUMERS] == []


def test_every_declared_topic_has_an_actor_in_the_worker():
    broker = StubBroker()
    runtime = Runtime(Settings(database_url="sqlite://:memory:"))  # not started: actors only declared
    anchorer = Anchorer(lambda: None, AnchoringConfig())  # type: ignore[arg-type,return-value]
    try:
        channel_worker = ChannelWorker(PlatformClient({}))
        submitter = attestations.Submitter.for_registry("http://127.0.0.1:1", "0x" + "11" * 20, "0x01")
        actors = worker_main.declare_consumers(broker, runtime, anchorer, channel_worker, submitter)
    finally:
        runtime.loop.close()
        broker.close()

    assert set(actors) == set(outbox.CONSUMERS)
    assert {a.actor_name for a in actors.values()} <= set(broker.get_declared_actors())


def test_a_topic_without_consumer_is_refused():
    with pytest.raises(outbox.UnconsumedTopic) as exc:
        outbox.check_topic("goods_receipt.posted")

    assert exc.value.topic == "goods_receipt.posted"
    assert "has no consumer" in str(exc.value)
