"""Import errors whose message is one line: German first, then English."""


class AgreementImportError(Exception):
    """An agreement file could not be imported; str() is one line, German / English."""

    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        self.message = " ".join(message.split())
        if code is not None:
            self.code = code
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class EmptyFileError(AgreementImportError):
    """The file holds no text at all."""

    code = "empty"

    def __init__(self) -> None:
        super().__init__("Die Datei ist leer. / The file is empty.")


class FileMissingError(AgreementImportError):
    """The file does not exist or cannot be opened."""

    code = "missing"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"Die Datei „{name}“ kann nicht geöffnet werden. / The file cannot be opened."
        )


class UnsupportedFileTypeError(AgreementImportError):
    """The file is neither .txt nor .pdf."""

    code = "unsupported_type"

    def __init__(self, suffix: str) -> None:
        shown = suffix or "ohne Endung"
        super().__init__(
            f"Der Dateityp „{shown}“ wird nicht unterstützt (nur .txt und .pdf). / "
            f"Unsupported file type “{suffix or 'none'}” (only .txt and .pdf)."
        )


class BinaryFileError(AgreementImportError):
    """A .txt file that holds binary data instead of text."""

    code = "binary"

    def __init__(self) -> None:
        super().__init__(
            "Die Datei enthält keinen lesbaren Text (Binärdaten). / "
            "The file contains no readable text (binary data)."
        )


class CorruptPdfError(AgreementImportError):
    """A PDF that pypdf cannot read."""

    code = "corrupt_pdf"

    def __init__(self) -> None:
        super().__init__(
            "Die PDF-Datei ist beschädigt oder unvollständig. / "
            "The PDF file is corrupt or incomplete."
        )


class EncryptedPdfError(AgreementImportError):
    """A PDF protected by a password."""

    code = "encrypted_pdf"

    def __init__(self) -> None:
        super().__init__(
            "Die PDF-Datei ist verschlüsselt; bitte eine ungeschützte Fassung hochladen. / "
            "The PDF file is encrypted; please provide an unprotected copy."
        )


class PdfWithoutTextError(AgreementImportError):
    """A PDF without extractable text, e.g. a scan."""

    code = "pdf_without_text"

    def __init__(self) -> None:
        super().__init__(
            "Die PDF-Datei enthält keinen auslesbaren Text (eingescannt?). / "
            "The PDF file contains no extractable text (scanned?)."
        )


class NotAnAgreementError(AgreementImportError):
    """The text has no § sections."""

    code = "not_an_agreement"

    def __init__(self) -> None:
        super().__init__(
            "Keine §-Abschnitte gefunden – der Text ist keine Vereinbarung. / "
            "No § sections found – the text is not an agreement."
        )


class MissingTitleError(AgreementImportError):
    """Nothing stands before § 1."""

    code = "missing_title"

    def __init__(self) -> None:
        super().__init__("Vor § 1 steht kein Titel. / There is no title before § 1.")


class MissingPartnersError(AgreementImportError):
    """Fewer than two partners could be found."""

    code = "missing_partners"

    def __init__(self, found: int) -> None:
        if found == 0:
            message = "Keine Bündnispartner gefunden. / No partners found."
        else:
            message = (
                "Nur ein Bündnispartner gefunden (mindestens zwei nötig). / "
                "Only one partner found (at least two are needed)."
            )
        super().__init__(message)


class MissingParagraphError(AgreementImportError):
    """A § number is skipped."""

    code = "missing_paragraph"

    def __init__(self, number: int | str) -> None:
        self.number = number
        super().__init__(f"§ {number} fehlt. / § {number} is missing.")


class DuplicateParagraphError(AgreementImportError):
    """A § number occurs twice."""

    code = "duplicate_paragraph"

    def __init__(self, number: int | str) -> None:
        self.number = number
        super().__init__(f"§ {number} kommt mehrfach vor. / § {number} appears more than once.")


class ParagraphOrderError(AgreementImportError):
    """The § numbers are not in ascending order."""

    code = "paragraph_order"

    def __init__(self, number: int | str) -> None:
        self.number = number
        super().__init__(f"§ {number} steht an der falschen Stelle. / § {number} is out of order.")


class InvalidDateError(AgreementImportError):
    """The signing date does not exist."""

    code = "invalid_date"

    def __init__(self, raw: str) -> None:
        super().__init__(f"Das Datum „{raw}“ ist ungültig. / The date “{raw}” is not a valid date.")
