"""The domain: what a cluster's year is made of, and what follows from it.

- :mod:`~pipeline.domain.model`: the types (a :class:`~pipeline.domain.model.Dossier` and its
  parts);
- :mod:`~pipeline.domain.scoring`: totals, ranks with ties, votes, quotas and prize money;
- :mod:`~pipeline.domain.rules`: the validation rules, one module per group of domain-thidua.md
  §9.

Pure: no I/O, no clock, no locale. May import :mod:`pipeline.errors` and :mod:`pipeline.vi` only.
"""
