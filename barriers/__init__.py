"""Coded interview findings: models, loaders (YAML, CSV, REFI-QDA), agreement, salience and privacy."""

from barriers.agreement import Agreement, AgreementStats, agreement, cohen_kappa, krippendorff_alpha
from barriers.csvformat import read_csv, write_csv
from barriers.folder import CODED_DIR, ImportReport, coded_files, export_coded, import_into, load_coded, read_any
from barriers.model import Barrier, CodedData, Coding, Excerpt, Participant, Source, UnmappedCode
from barriers.privacy import IdentifierFinding, find_identifiers, pseudonymise
from barriers.qdpx import read_qdc, read_qdpx, write_qdc, write_qdpx
from barriers.salience import BarrierSalience, DomainSalience, Salience, SalienceRule, salience
from barriers.yamlformat import dump_coded, read_coded

__all__ = [
    "CODED_DIR",
    "Agreement",
    "AgreementStats",
    "Barrier",
    "BarrierSalience",
    "CodedData",
    "Coding",
    "DomainSalience",
    "Excerpt",
    "IdentifierFinding",
    "ImportReport",
    "Participant",
    "Salience",
    "SalienceRule",
    "Source",
    "UnmappedCode",
    "agreement",
    "coded_files",
    "cohen_kappa",
    "dump_coded",
    "export_coded",
    "find_identifiers",
    "import_into",
    "krippendorff_alpha",
    "load_coded",
    "pseudonymise",
    "read_any",
    "read_coded",
    "read_csv",
    "read_qdc",
    "read_qdpx",
    "salience",
    "write_csv",
    "write_qdc",
    "write_qdpx",
]
