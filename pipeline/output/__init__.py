"""The last stage: files on disk.

- :mod:`~pipeline.output.names`: Windows-safe, ASCII-folded names;
- :mod:`~pipeline.output.staged`: all-or-nothing writes of a batch of files;
- :mod:`~pipeline.output.manifest`: what each output folder holds and who wrote it;
- :mod:`~pipeline.output.pdf`: PDF copies through LibreOffice.
"""
