"""``python -m pipeline`` runs the ``thidua`` command line."""

from pipeline._entry import main

if __name__ == "__main__":
    main()
