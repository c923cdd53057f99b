"""Dataset fingerprints: a stable content hash of a table.

:func:`fingerprint` returns the SHA-256 (hex) of a DataFrame's content. The
same data gives the same fingerprint in every process and on every machine;
any change to a value, a column name, the column or row order, or a dtype
gives a different one. The index is ignored unless ``index=True`` (a
``reset_index`` or a filtered-then-renumbered copy of the same rows is the
same dataset).

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
>>> fp = fingerprint(df)
>>> len(fp), fp == fingerprint(df.copy())
(64, True)
>>> fingerprint(df.rename(columns={"a": "A"})) == fp
False
"""

from __future__ import annotations

import hashlib
import json

from mlops_kit._params import check_param
from mlops_kit.errors import InputError

__all__ = ["DIGEST_LENGTH", "fingerprint", "mlflow_digest"]

#: MLflow stores a dataset digest in a 36-character column: the kit uses the
#: first 32 hex characters (128 bits) of the fingerprint there.
DIGEST_LENGTH = 32

_ALLOWED = "a pandas DataFrame, a pandas Series or a numpy array"


def _name_token(name) -> list[str]:
    # Keep the type so that column 1 and column "1" differ.
    return [type(name).__name__, str(name)]


def _column_bytes(col) -> bytes:
    import pandas as pd

    hashed = pd.util.hash_pandas_object(col, index=False, categorize=True)
    out = hashed.to_numpy(dtype="<u8").tobytes()
    if col.dtype == object:
        kind = pd.api.types.infer_dtype(col, skipna=True)
        if kind not in ("string", "empty", "bytes"):
            # pandas hashes mixed objects through str(), so 1 and "1" would collide:
            # add the type of every value.
            types = col.map(lambda v: type(v).__name__)
            out += pd.util.hash_pandas_object(types, index=False).to_numpy(dtype="<u8").tobytes()
    return out


def fingerprint(data, index: bool = False) -> str:
    """Return the SHA-256 hex digest of a table's content.

    The hash covers the shape, the column names (with their types), the
    dtypes and every value in row and column order. It uses pandas'
    ``hash_pandas_object`` (fixed key, so stable across processes) per
    column, so it is fast on large frames.

    Parameters
    ----------
    data : pandas.DataFrame, pandas.Series or numpy.ndarray
        The data to fingerprint.
    index : bool, default False
        Include the index (values, names and dtype) in the hash.

    Returns
    -------
    str
        64 hexadecimal characters.

    Raises
    ------
    InputError
        If ``data`` is not one of the types above.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [1.0, 2.0]})
    >>> fingerprint(df) == fingerprint(pd.DataFrame({"x": [1.0, 2.0]}))
    True
    >>> fingerprint(df) == fingerprint(df.astype("float32"))
    False
    """
    import numpy as np
    import pandas as pd

    if isinstance(data, np.ndarray):
        if data.dtype == object:
            if data.ndim not in (1, 2):
                raise InputError.invalid(
                    "data", f"object array with {data.ndim} dimensions", "1 or 2 dimensions"
                )
            data = pd.DataFrame(data)
        else:
            h = hashlib.sha256()
            header = {"kind": "ndarray", "dtype": data.dtype.str, "shape": list(data.shape)}
            h.update(json.dumps(header, sort_keys=True).encode())
            h.update(np.ascontiguousarray(data).tobytes())
            return h.hexdigest()
    if isinstance(data, pd.Series):
        data = data.to_frame(name=data.name if data.name is not None else 0)
    if not isinstance(data, pd.DataFrame):
        raise InputError.invalid("data", type(data).__name__, _ALLOWED)
    check_param("index", index, ["boolean"])

    h = hashlib.sha256()
    header = {
        "kind": "DataFrame",
        "shape": list(data.shape),
        "columns": [_name_token(c) for c in data.columns],
        "dtypes": [str(t) for t in data.dtypes],
    }
    if index:
        header["index"] = {"names": [_name_token(n) for n in data.index.names]}
        header["index"]["dtype"] = str(data.index.dtype)
    h.update(json.dumps(header, sort_keys=True).encode())
    if index:
        idx = data.index.to_frame(index=False)
        for pos in range(idx.shape[1]):
            h.update(_column_bytes(idx.iloc[:, pos]))
    for pos in range(data.shape[1]):
        h.update(_column_bytes(data.iloc[:, pos]))
    return h.hexdigest()


def mlflow_digest(fp: str) -> str:
    """Return the part of a fingerprint stored as an MLflow dataset digest.

    MLflow's dataset table limits the digest to 36 characters, so the first
    :data:`DIGEST_LENGTH` characters are used; the full fingerprint goes in a
    run tag.

    Examples
    --------
    >>> mlflow_digest("ab" * 32)
    'abababababababababababababababab'
    """
    return fp[:DIGEST_LENGTH]
