"""The SHA-256 of every version of the bundled Word templates thidua has ever shipped.

``thidua templates cap-nhat`` (:func:`pipeline.project.update_templates`) compares a working
folder's template with these: a file equal to one of them was never edited and is replaced by
the new version; any other file is the user's work and is kept. The list only grows: when a
bundled template changes, add the new digest (``tests/test_update_templates.py`` fails, naming
the line to add, until it is here). Taken from every version of ``templates/docx/`` in the
repository's history.
"""

from __future__ import annotations

SHIPPED: dict[str, frozenset[str]] = {
    "01-bao-cao-tong-ket.docx": frozenset(
        {
            "3b80b540764cfc05814bb9c5dbbf4760ddbdce9b19b2a10ae91d27d0874bf790",
            "5281c43d98ef341c17f70099edab3693d77cc63296c972abf50250a2c25779d8",
            "636b656e8011f2197d1c05ab2270c397ce886ca621beb1dde1f05788e44290d2",
            "6e833424c2d325797524473571b866b78ef9411931264eb0af7cc862e2b58987",
            "a25d69b61ad5a56e1fb4fc26e19db5677de08c12fc6b830c1c8e60ee8d60a6d0",
        }
    ),
    "02-bien-ban-hoi-nghi.docx": frozenset(
        {
            "527d3caf54f83f73b09ce8c2b6dfaa166010b92eb16b2fd0500b82288153e701",
            "7b1a0ebcf8fa4cfd466b8d47bc6bbbe36e095efec63ef66780074dab910d72ee",
            "bb454abc9d04736182501a08d3500a2b7dc868e0cc8fc06157f888344a268e69",
            "bdec1a1f76fbab81463123f054055394b51c3716a7cd197089de7c24ed39792a",
            "ca5e027b73159f0e36f92f3eb6af232cb69301e4dfd81634ae6604d6c9df7fa9",
            "dc3cd00ffbd6711dfda60c25e3a444cd9ca1995cb8d846cceca378850985391c",
        }
    ),
    "03-giao-uoc-thi-dua.docx": frozenset(
        {
            "3847872e7caaffa495b7891de4ad785a1425c50750e26179dbaca8ddc4f6ba9b",
            "7876b4dfe8cb3ebf20ad4a7331c6260faabc54c8bcca644b265a81e852645565",
            "8a134ca9e256a8ef3e42af3ad1875ab9848ded18f172e733375a59e655fa3f8f",
            "96d7397a5d7d6444f64f5b87f7298e979c1d5a790e344f4dba4b36368cb8862f",
            "995db323b602e85a064f8c2feacc7b92b70d432eb7bf59465dbb6f066b685b36",
            "d38ad93f440308f18e48d0a29982c6dc6684449cca005f2683d0d6d3e5d53f84",
            "ed7606948536cb44b2b1db1b0d426f4c814e48976b347905c854582b74ec0177",
        }
    ),
    "04-danh-sach-de-nghi-khen-thuong.docx": frozenset(
        {
            "194667838af32d5229c6f27bfe42c559fa10e59784ac5ab2f4722d452b16fcc9",
            "203f2f0ff16e91920134c8f66d1001b6c707f6fe683a732b7d1e4dee26402dfc",
            "cf5591c7c6794e57d65e01f3badfc8a6e8df5e18308e8b1f6235a90df43c4934",
            "d522cdc898aa392ede43263f7b95c866d938b73d4eda7e21561d0f47c946c295",
            "dd517724fdbfe8fcb796e28bb366999fcd35ff16851e3dc178e1fffbc31c7917",
            "f8c9db19677f556e3a528f4951f22e4730837c3cedc0e10dcc132bca66fa6d1b",
        }
    ),
}
