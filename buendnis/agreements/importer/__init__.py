"""Parser for PDF-extracted integration agreements (.txt or .pdf) into structured data."""

from buendnis.agreements.importer.errors import AgreementImportError
from buendnis.agreements.importer.parser import (
    ParsedAgreement,
    ParsedParagraph,
    ParsedPartner,
    ParsedSignatory,
    parse_agreement_text,
    read_agreement_file,
)
from buendnis.agreements.importer.pdf import extract_pdf_text
from buendnis.agreements.importer.text import clean_lines, join_paragraphs

__all__ = [
    "AgreementImportError",
    "ParsedAgreement",
    "ParsedParagraph",
    "ParsedPartner",
    "ParsedSignatory",
    "clean_lines",
    "extract_pdf_text",
    "join_paragraphs",
    "parse_agreement_text",
    "read_agreement_file",
]
