"""The entry point of the command line (installed as ``scan2tei``; ``python flows.py …`` is the
same): see ``orchestration/cli.py`` for the commands. The library is ``pipeline/`` and knows
nothing of Prefect; ``orchestration/`` wraps it in a Prefect flow.

Prefect reads its settings when first imported, so they are set here, before the flow is
imported: a home under the project (.prefect/), quiet consoles (orchestration/environment.py).
"""

from orchestration.environment import use_local_prefect

use_local_prefect()

from orchestration.cli import build_parser, cli, main  # noqa: E402
from orchestration.flow import build_editions  # noqa: E402  (the flow, for deployments and callers)

__all__ = ["build_editions", "build_parser", "cli", "main"]

if __name__ == "__main__":
    cli()
