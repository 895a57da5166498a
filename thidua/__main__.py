"""``python -m thidua`` runs the ``thidua`` command line (the same as ``python -m pipeline``)."""

from pipeline._entry import main

if __name__ == "__main__":
    main()
