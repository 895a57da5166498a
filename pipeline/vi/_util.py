"""Small helpers shared by the ``pipeline.vi`` modules (pure: no I/O, no clock, no locale)."""

from __future__ import annotations

_MAX_SHOWN = 60


def show(value: object) -> str:
    """Render ``value`` for an error message: its ``repr``, shortened, and never failing.

    >>> show("2014-13-45")
    "'2014-13-45'"
    >>> show("x" * 100)[-3:]
    "x…'"
    >>> show(10**5000)
    '<int rất lớn>'
    """
    try:
        text = repr(value)
    except Exception:  # a repr that fails, or an int too long to print
        return f"<{type(value).__name__} rất lớn>" if isinstance(value, int) else "<?>"
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 2] + "…" + text[-1]
    return text


def require_str(value: object, func: str, what: str = "chuỗi văn bản") -> str:
    """Return ``value`` if it is a ``str``; otherwise raise a ``ValueError`` naming it.

    >>> require_str("Lạng Sơn", "dia_danh_ngay")
    'Lạng Sơn'
    >>> require_str(None, "in_hoa")
    Traceback (most recent call last):
    ...
    ValueError: in_hoa: None không phải là chuỗi văn bản
    """
    if not isinstance(value, str):
        raise ValueError(f"{func}: {show(value)} không phải là {what}")
    return value


def require_bool(value: object, name: str, func: str) -> bool:
    """Return an option that must be ``True`` or ``False``; otherwise raise ``ValueError``.

    >>> require_bool(True, "pad_hour", "gio")
    True
    >>> require_bool("yes", "pad_hour", "gio")
    Traceback (most recent call last):
    ...
    ValueError: gio: pad_hour='yes' phải là True hoặc False
    """
    if not isinstance(value, bool):
        raise ValueError(f"{func}: {name}={show(value)} phải là True hoặc False")
    return value
