"""``python -m thidua``: the ``thidua`` command line under the name users know.

The package itself is :mod:`pipeline`; this alias only lets ``python -m thidua`` (or
``py -m thidua`` on Windows, when the ``Scripts`` folder is not on ``PATH``) run the same
command as ``thidua`` and ``python -m pipeline``.
"""

from pipeline import __version__

__all__ = ["__version__"]
