"""The documents: the template context (the contract with template authors), the Vietnamese
sentences it is made of, and the compile-once docx engine.

May import :mod:`pipeline.errors`, :mod:`pipeline.vi` and :mod:`pipeline.domain`.
"""
