"""The ``lotline`` command: migrate, seed, serve, users and tokens, the consistency check, anchoring.

Each command opens Tortoise, does its work and closes it. Modules written by other areas (the API app, the
demo seed, the workers, the consistency check) are imported only when their command runs, so the CLI keeps
working while one of them is missing or broken.

Layout: ``runtime`` holds the Typer ``app`` and what every command uses (the settings, running one unit of
work with the database open, optional modules); ``database`` opens Tortoise and applies the migrations; each
family of commands is a module that registers its commands on ``app`` when imported below, in the order
``lotline --help`` lists them. A new family: a module of its own here and one import line in the block below.

``lotline.cli.get_settings`` is the one place the commands read their settings from (tests replace it).
"""

from lotline.cli.database import database, rebind_models, run_migrations
from lotline.cli.runtime import app
from lotline.config import get_settings

# isort: off
from lotline.cli import service  # migrate, seed-demo, serve, worker
from lotline.cli import accounts  # create-user, create-token
from lotline.cli import provenance  # label
from lotline.cli import consistency  # check
from lotline.cli import anchoring  # verify, audit, export-proof
from lotline.cli import attestations  # export-attestation (verify checks attestation proofs too)
from lotline.cli import legacy  # seal-legacy
from lotline.cli import portal  # portal-link
from lotline.cli import forecasting  # forecast
# isort: on

from lotline.cli.service import DEMO_ADMIN, DEMO_TOKEN_FILE, _serve_app, demo_token

portal.register(app)

__all__ = [
    "DEMO_ADMIN",
    "DEMO_TOKEN_FILE",
    "_serve_app",
    "accounts",
    "anchoring",
    "app",
    "attestations",
    "consistency",
    "database",
    "demo_token",
    "forecasting",
    "get_settings",
    "legacy",
    "portal",
    "provenance",
    "rebind_models",
    "run_migrations",
    "service",
]


def main() -> None:  # pragma: no cover - console entry, as `python -m lotline.cli`
    app()
