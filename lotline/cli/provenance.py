"""``label``: a batch's public provenance code (made on first use), its page and its printable label."""

import typer

from lotline.cli import runtime
from lotline.cli.runtime import app


@app.command()
def label(batch_id: int) -> None:
    """批次的公开溯源码与标签 / a batch's public provenance code, page and label (made on first use)."""
    from domain.provenance import services

    code = runtime.run(lambda: services.public_code_for(batch_id))
    settings = runtime.settings()
    page = f"http://{settings.host}:{settings.port}/p/{code}"
    typer.echo(code)
    typer.echo(f"溯源页面 / page: {page}   标签 / label: {page}/label.svg  {page}/label.png")
