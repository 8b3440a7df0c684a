"""The ``buendnis`` command: Django's management commands with Bündnis' own listed first."""

import os
import sys

# Bündnis' own commands, shown by ``buendnis --help``; every Django command works too.
COMMANDS = {
    "demo": "Demo-Datenbank anlegen und starten / create the demo database and serve it",
    "serve": "Web-Anwendung starten (gunicorn; --with-worker) / serve the web application",
    "worker": "Hintergrundaufgaben und Zeitpläne / run background tasks and daily schedules",
    "migrate": "Datenbank auf den neuesten Stand bringen / apply database migrations",
    "import-agreement": "Vereinbarung aus .txt oder .pdf einlesen / import an agreement",
    "import-activities": "Aktivitäten aus CSV oder XLSX einlesen / import activities",
    "remind": "Erinnerungen versenden (§ 7, § 8; --dry-run) / e-mail reminders: overdue "
    "documentation, evaluations and adjustments",
    "report": "Auswertungsbericht erzeugen (§ 8) / write the evaluation report (html, pdf, xlsx)",
    "generate": "Synthetische Testdaten erzeugen / generate reproducible sample data",
    "purge": "Freitext-Rückmeldungen nach der Frist löschen / delete free text past retention",
    "purge-counselling": "Beratungskontakte nach der Frist löschen (--dry-run) / delete "
    "counselling contacts past retention",
    "processing-record": "Verzeichnis der Verarbeitungstätigkeiten in docs/privacy.md "
    "schreiben (--check) / write the GDPR Art. 30 record",
    "backup": "Datenbank sichern / back up the database to a file",
    "restore": "Sicherung in eine leere Datenbank zurückspielen / restore a backup",
    "disclosure-audit": "Angriffsprüfung der geschützten Zahlen / attacker audit of the protected "
    "figures (exit 1 if a hidden count can be recovered)",
    "opendata": "Offene Daten als Frictionless Data Package schreiben / write open data",
    "createuser": "Konto mit Organisation und Rolle anlegen / create an account with a role",
    "check": "Konfiguration prüfen / check the configuration",
    "unlock": "Anmeldesperre aufheben / lift a login lockout (username or --address)",
    "reset-2fa": "Zweiten Faktor nach Geräteverlust entfernen / reset a lost second factor",
    "audit-verify": "Protokoll auf Manipulation prüfen / verify the audit log's hash chain "
    "(exit 1 naming the first changed, removed or inserted entry)",
}

USAGE = """Bündnis – Integrationsvereinbarungen in der Praxis

Aufruf / usage: buendnis COMMAND [OPTIONS]   (buendnis COMMAND --help für Details)

Befehle / commands:
{commands}

Alle Django-Befehle stehen ebenfalls zur Verfügung / all Django management commands
work as well: buendnis help --commands
"""


def main(argv: list[str] | None = None) -> None:
    """Run a management command; hyphens in command names stand for underscores."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buendnis.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) < 2 or args[1] in {"-h", "--help"}:
        width = max(len(name) for name in COMMANDS)
        listing = "\n".join(f"  {name:<{width}}  {text}" for name, text in COMMANDS.items())
        sys.stdout.write(USAGE.format(commands=listing))
        return
    args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["buendnis", *args[1:]])


if __name__ == "__main__":
    main()
