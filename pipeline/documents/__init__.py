"""The documents: from a dossier and its results to the bytes of the .docx files.

- :mod:`~pipeline.documents.context`: the template context, the contract with template authors;
- :mod:`~pipeline.documents.sentences`: the Vietnamese phrases and sentences it is made of;
- :mod:`~pipeline.documents.contract`: the context's shape as data, and the check of a
  template's names against it;
- :mod:`~pipeline.documents.engine`: the compile-once docx engine (compile, render);
- :mod:`~pipeline.documents.analysis`: what compiling a template learns (its parts, checked
  and compiled, and its problems);
- :mod:`~pipeline.documents.limits`: the sandbox templates run in, and what they may cost;
- :mod:`~pipeline.documents.codegen`: the Python code a template compiles to;
- :mod:`~pipeline.documents.filtering`: the filters and tests of a template, strict about
  missing values and within the limits;
- :mod:`~pipeline.documents.package`: a template as a file (read safely, a Word document, its
  external links);
- :mod:`~pipeline.documents.diagnostics`: what a broken tag or a failed render means, in
  Vietnamese;
- :mod:`~pipeline.documents.templates`: finding, compiling and checking the templates (reads
  files).

May import :mod:`pipeline.errors`, :mod:`pipeline.vi`, :mod:`pipeline.domain` and the base
modules (the docx zip writer, :mod:`pipeline.resources`).
"""
