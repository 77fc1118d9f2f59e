"""Document digitization and cleanup pipeline: scans in, TEI P5 editions out.

The package is a plain library (no Prefect): each stage is a function over the
pydantic document model in :mod:`pipeline.model`; :func:`pipeline.process.process_bytes`
runs them in order. Orchestration lives in ``flows.py`` at the project root.
"""

PIPELINE_NAME = "scan2tei"
__version__ = "0.1.0"
