"""docker-compose.yml stays in step with the code: settings it sets exist, commands it runs exist."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from lotline.cli import app
from lotline.config import Settings

ROOT = Path(__file__).parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
OURS = ("api", "worker")


def _environment(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):  # the "KEY=value" form
        return dict(item.split("=", 1) for item in env)
    return env


def _cli_commands() -> dict[str, Any]:
    # Typer 0.2x vendors its own click: read the group's commands without checking click's classes.
    group = typer.main.get_command(app)
    commands: dict[str, Any] = group.commands  # type: ignore[attr-defined]
    return dict(commands)


def test_the_stack_has_the_five_services():
    assert set(SERVICES) == {"postgres", "redis", "anvil", "api", "worker"}


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_has_a_healthcheck(name):
    check = SERVICES[name].get("healthcheck")
    assert check is not None
    assert check.get("test")
    assert not check.get("disable", False)


@pytest.mark.parametrize("name", OURS)
def test_our_services_set_only_lotline_settings_that_exist(name):
    env = _environment(SERVICES[name])
    fields = set(Settings.model_fields)

    assert env
    assert [k for k in env if not k.startswith("LOTLINE_")] == []
    assert [k for k in env if k.removeprefix("LOTLINE_").lower() not in fields] == []


def test_the_api_and_worker_reach_the_other_services_by_name():
    for name in OURS:
        env = _environment(SERVICES[name])
        assert "@postgres:5432/" in env["LOTLINE_DATABASE_URL"]
        assert env["LOTLINE_DATABASE_URL"].startswith("postgres://")
        assert env["LOTLINE_REDIS_URL"].startswith("redis://redis:")
        assert env["LOTLINE_CHAIN_RPC_URL"] == "http://anvil:8545"
    assert _environment(SERVICES["api"])["LOTLINE_HOST"] == "0.0.0.0"


@pytest.mark.parametrize("name", OURS)
def test_our_services_run_a_real_cli_command_with_real_options(name):
    command = SERVICES[name]["command"]
    assert isinstance(command, list)
    assert command[0] == "lotline"
    cli = _cli_commands()

    assert command[1] in cli
    options = {opt for param in cli[command[1]].params for opt in getattr(param, "opts", [])}
    assert [arg for arg in command[2:] if arg.startswith("-") and arg not in options] == []


def test_the_api_command_answers_help():
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [*SERVICES["api"]["command"][1:2], "--help"])

    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_dependency_waits_for_health(name):
    depends_on = SERVICES[name].get("depends_on", {})
    assert isinstance(depends_on, dict), "use the long form so each dependency has a condition"
    for target, spec in depends_on.items():
        assert target in SERVICES
        assert spec == {"condition": "service_healthy"}


def test_the_api_and_worker_wait_for_the_database_broker_and_chain():
    for name in OURS:
        assert {"postgres", "redis", "anvil"} <= set(SERVICES[name]["depends_on"])


def test_the_api_and_worker_are_built_from_this_repository():
    for name in OURS:
        assert SERVICES[name]["build"] == "."
    assert (Path(__file__).parents[2] / "Dockerfile").is_file()


PINNED = re.compile(
    r"^[^:@]+(?::[\w.-]*\d+\.\d+[\w.-]*)(?:@sha256:[0-9a-f]{64})?$|^[^@]+@sha256:[0-9a-f]{64}$"
)


@pytest.mark.parametrize("name", ["postgres", "redis", "anvil"])
def test_every_image_is_pinned_to_an_exact_version(name):
    image = SERVICES[name]["image"]

    assert PINNED.fullmatch(image), image
    assert not image.endswith((":latest", ":stable", ":nightly"))


def test_the_anvil_image_is_the_foundry_release_the_tests_run():
    package = json.loads((ROOT / "contracts_solidity" / "package.json").read_text())

    assert SERVICES["anvil"]["image"].endswith(":v" + package["devDependencies"]["@foundry-rs/anvil"])


def test_the_image_we_build_starts_from_a_pinned_python():
    [base] = re.findall(r"^FROM (\S+)", (ROOT / "Dockerfile").read_text(), re.MULTILINE)

    assert PINNED.fullmatch(base), base


def test_the_api_creates_the_admin_and_keeps_its_token_on_a_volume():
    command = SERVICES["api"]["command"]
    token_file = command[command.index("--admin-token-file") + 1]
    mounts = dict(v.split(":", 1) for v in SERVICES["api"]["volumes"])

    assert "--migrate" in command
    [volume] = [v for v, target in mounts.items() if token_file.startswith(target.rstrip("/") + "/")]
    assert volume in COMPOSE["volumes"]  # a named volume: the token outlives the container
