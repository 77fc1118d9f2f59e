"""Library packages: a METS file, the files it names and the MODS record it carries, read as
one document (see :mod:`pipeline.ingest.mets.package`).

``mets`` reads the METS itself (file groups, the physical and logical structure maps and the
links between them), ``mods`` the bibliographic record, ``groups`` chooses which file group
gives the text and which the images, ``fetch`` reads remote files when asked to, and
``package`` turns it all into the document.
"""
