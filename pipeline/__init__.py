"""Document digitization and cleanup pipeline: scans in, TEI P5 editions out.

The package is a plain library (no Prefect): each stage is a function over the
pydantic document model in :mod:`pipeline.model`, declared in order in :mod:`pipeline.stages`;
:func:`pipeline.process.build_document` reads a source and runs them, :func:`pipeline.process.build_edition`
gives its edition. Orchestration (Prefect) lives in ``orchestration/`` beside it; ``flows.py``
is the command line's entry point.
"""

PIPELINE_NAME = "scan2tei"
__version__ = "0.1.0"
