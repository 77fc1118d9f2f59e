"""Prefect orchestration of the pipeline (the library in ``pipeline/`` knows nothing of Prefect).

- ``environment``: the settings Prefect reads when it is first imported (a quiet, local home);
- ``flow``: the flow that builds editions, a few documents per task, and what a Ctrl-C records;
- ``pages``: a book's pages spread over the Dask cluster that runs the flow's tasks;
- ``server``: the long-lived local Prefect server that scheduling needs;
- ``serve``: the deployment that re-processes the input on a schedule, and its watch on the server;
- ``cli``: the command line (``scan2tei``; ``flows.py`` at the top of the project is its entry point).

Prefect reads its settings at import: ``flows.py`` calls ``environment.use_local_prefect()``
before anything here imports Prefect. Importing these modules sets no environment variable.
"""
