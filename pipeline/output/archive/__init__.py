"""Issued documents and the archive on a shared drive (issue 11).

The life of a document (docs/luu-tru.md): ``thidua build`` writes drafts; ``thidua ban-hanh``
freezes the issued ones in the output folder's ``ban-hanh/vNNN/``; ``thidua luu-tru`` publishes
an immutable BagIt bag of the issued set to a destination (``DEST/<năm>/<cụm>/vNNN/``);
``thidua kiem-tra`` verifies a destination against its bags.

- :mod:`.names`: Windows-safe names and the 260-character path limit, computed for a destination;
- :mod:`.metadata`: the NĐ 30/2020 Phụ lục VI records (văn bản, hồ sơ), their field names and
  lengths;
- :mod:`.catalogue`: the Mục lục văn bản (Phụ lục V) as .docx, .csv and .json;
- :mod:`.bag`: BagIt (RFC 8493) bags written by us, validated with the ``bagit`` library;
- :mod:`.issued`: the issued area of an output folder;
- :mod:`.lock`: the exclusive lock file of a cluster-year on a destination;
- :mod:`.publish`: the publishing steps (stage, copy, re-hash, rename, pointer);
- :mod:`.verify`: checking a destination;
- :mod:`.bundle`: the hồ sơ .zip for the emulation board.

This package imports nothing from the documents stage: the metadata arrives as plain records
from :mod:`pipeline.issuing` (build stage), which loads the workbook.
"""
