"""REFI-QDA exchange: import .qdpx projects and .qdc codebooks from NVivo, ATLAS.ti, MAXQDA, QualCoder or
Taguette, and export barriermap's coded data as schema-valid .qdpx and .qdc.

Reading lives in `barriers.qdpx_read`, writing in `barriers.qdpx_write`, what both share in
`barriers.qdpx_schema`; this module keeps the names the package has always offered.
"""

from __future__ import annotations

from barriers.qdpx_read import read_qdc, read_qdpx
from barriers.qdpx_schema import MAX_CODE_DEPTH, MAX_EXPANDED_BYTES, guid
from barriers.qdpx_write import write_qdc, write_qdpx

__all__ = ["MAX_CODE_DEPTH", "MAX_EXPANDED_BYTES", "guid", "read_qdc", "read_qdpx", "write_qdc", "write_qdpx"]
