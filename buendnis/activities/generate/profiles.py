"""The numbers that make generated data look real: weights, ranges and word lists."""

from dataclasses import dataclass, field

from buendnis.accounts.models import Organisation

Sector = Organisation.Sector


@dataclass(frozen=True)
class FormatProfile:
    """How activities of one format usually look."""

    weight: float
    label: str
    participants: tuple[int, int]
    hours: tuple[float, float]
    start_hours: tuple[int, ...]
    group: dict[str, float]
    migration: dict[str, float] = field(
        default_factory=lambda: {"own": 50, "family": 20, "none": 20, "unknown": 10}
    )
    sector: dict[str, float] = field(
        default_factory=lambda: {
            "administration": 30,
            "counselling": 25,
            "education": 25,
            "company": 10,
            "other": 10,
        }
    )
    goals: tuple[str, ...] = ()
    partner_share: float = 0.15


FATHERS = {"fathers": 85, "men": 7, "mothers": 4, "children": 2, "multipliers": 2}
MULTIPLIERS = {"multipliers": 100}

FORMAT_PROFILES: dict[str, FormatProfile] = {
    "vaetergruppe": FormatProfile(
        18, "Väter-Café", (5, 15), (2.0, 2.5), (17, 18, 19), FATHERS, goals=("Z1", "Z6")
    ),
    "workshop": FormatProfile(
        18,
        "Workshop",
        (8, 20),
        (3.0, 4.0),
        (10, 14, 17),
        {"fathers": 60, "men": 15, "mothers": 15, "multipliers": 10},
        goals=("Z1", "Z3"),
    ),
    "begegnung": FormatProfile(
        14,
        "Begegnung",
        (10, 40),
        (2.5, 4.0),
        (11, 15, 17),
        {"fathers": 40, "men": 20, "mothers": 18, "children": 17, "multipliers": 5},
        migration={"own": 35, "family": 15, "none": 40, "unknown": 10},
        goals=("Z2",),
        partner_share=0.6,
    ),
    "qualifizierung": FormatProfile(
        10,
        "Qualifizierung",
        (8, 26),
        (3.5, 7.0),
        (9, 10, 13),
        MULTIPLIERS,
        migration={"own": 15, "family": 15, "none": 55, "unknown": 15},
        goals=("Z3",),
        partner_share=0.7,
    ),
    "fachtag": FormatProfile(
        3,
        "Fachtag",
        (30, 120),
        (6.0, 7.5),
        (9,),
        {"multipliers": 80, "fathers": 10, "men": 5, "mothers": 5},
        migration={"own": 20, "family": 15, "none": 50, "unknown": 15},
        goals=("Z3", "Z5"),
        partner_share=0.9,
    ),
    "vernetzung": FormatProfile(
        10,
        "Vernetzungstreffen",
        (4, 15),
        (1.5, 2.5),
        (10, 14),
        MULTIPLIERS,
        migration={"own": 15, "family": 10, "none": 55, "unknown": 20},
        goals=("Z5",),
        partner_share=0.95,
    ),
    "veranstaltung": FormatProfile(
        6,
        "Veranstaltung",
        (20, 150),
        (2.0, 3.0),
        (15, 18),
        {"fathers": 30, "men": 20, "mothers": 25, "children": 20, "multipliers": 5},
        migration={"own": 35, "family": 20, "none": 30, "unknown": 15},
        goals=("Z2", "Z5"),
        partner_share=0.5,
    ),
    "online": FormatProfile(
        6, "Online-Vätertreff", (3, 14), (1.5, 2.0), (19, 20), FATHERS, goals=("Z1", "Z6")
    ),
}
OTHER_FORMAT = FormatProfile(2, "Angebot", (5, 20), (2.0, 3.0), (10, 16), FATHERS)

# Activities per Kreis follow population and where migrant communities live: the big cities
# carry most of the work, rural Kreise see little.
KREIS_WEIGHTS = {
    "06412": 22,  # Frankfurt am Main
    "06413": 12,  # Offenbach am Main
    "06414": 11,  # Wiesbaden
    "06611": 9,  # Kassel
    "06411": 6,  # Darmstadt
    "06438": 4,  # Kreis Offenbach
    "06435": 4,  # Main-Kinzig-Kreis
    "06531": 4,  # Gießen
    "06433": 3,  # Groß-Gerau
    "06436": 2.5,
    "06440": 2.5,
    "06532": 2.5,
    "06534": 2,
    "06431": 2,
    "06432": 2,
    "06434": 2,
    "06631": 2,
    "06633": 1.5,
}
RURAL_KREIS_WEIGHT = 0.6

# Summer holidays (July/August) and December are quiet; spring and autumn are busy.
MONTH_WEIGHTS = (1.0, 1.1, 1.15, 0.95, 1.05, 1.0, 0.6, 0.45, 1.15, 1.05, 1.2, 0.55)
WEEKEND_ACCEPT = 0.3

LANGUAGE_WEIGHTS = {
    "ar": 30,
    "tr": 25,
    "fa": 12,
    "uk": 10,
    "ru": 8,
    "en": 8,
    "ku": 6,
    "ti": 4,
    "so": 3,
    "fr": 3,
    "pl": 3,
}

TOPICS = (
    "Vater sein in zwei Kulturen",
    "Erziehung zwischen Tradition und Aufbruch",
    "Rollenbilder im Wandel",
    "Schule, Kita und Elternarbeit",
    "Mehrsprachig aufwachsen",
    "Familiennachzug – was Familien wissen sollten",
    "Gesundheit und Männlichkeit",
    "Konflikte gewaltfrei lösen",
    "Väter und Kinder in der Pubertät",
    "Arbeit, Familie und Zeit",
    "Rassismus im Alltag begegnen",
    "Partnerschaft auf Augenhöhe",
)
REFLECTIONS = (
    "Lebhafte Diskussion, viele eigene Erfahrungen wurden geteilt.",
    "Die Gruppe war offen; das Thema soll beim nächsten Mal vertieft werden.",
    "Sprachmittlung hat gut funktioniert.",
    "Weniger Teilnehmende als erwartet, aber intensiver Austausch.",
    "Mehrere Teilnehmende wünschen sich eine Fortsetzung.",
    "Die Kooperation mit dem Netzwerkpartner hat den Zugang erleichtert.",
    "Der Termin kollidierte mit Schulferien; künftig früher planen.",
    "Gute Resonanz auf das neue Material.",
)
VENUES = (
    "Familienzentrum",
    "Stadtteilzentrum",
    "Bürgerhaus",
    "Gemeindezentrum",
    "Nachbarschaftstreff",
    "Volkshochschule",
    "Geschäftsstelle",
)

# Institutions partners cooperate with, named by kind and place (organisations, not people).
INSTITUTIONS = (
    ("Jugendamt", Sector.PUBLIC_ADMINISTRATION),
    ("Jobcenter", Sector.PUBLIC_ADMINISTRATION),
    ("Integrationsbüro", Sector.PUBLIC_ADMINISTRATION),
    ("Familienberatungsstelle", Sector.COUNSELLING),
    ("Migrationsberatung", Sector.COUNSELLING),
    ("Erziehungsberatung", Sector.COUNSELLING),
    ("Volkshochschule", Sector.EDUCATION),
    ("Familienbildungsstätte", Sector.EDUCATION),
    ("Staatliches Schulamt", Sector.EDUCATION),
    ("Stadtteilverein", Sector.CIVIL_SOCIETY),
    ("Moscheegemeinde", Sector.CIVIL_SOCIETY),
    ("Sportverein", Sector.CIVIL_SOCIETY),
    ("Handwerkskammer", Sector.COMPANY),
    ("Ausbildungsverbund", Sector.COMPANY),
)

# Generated partner organisations: a kind of body and a region, plus a topic.
PARTNER_BODIES = (
    "Familienbildungswerk",
    "Interkultureller Verein",
    "Väterzentrum",
    "Migrantenselbstorganisation",
    "Bildungswerk",
    "Landesarbeitsgemeinschaft",
    "Netzwerk Vielfalt",
    "Beratungsverbund",
)
PARTNER_REGIONS = (
    "Rhein-Main",
    "Nordhessen",
    "Mittelhessen",
    "Osthessen",
    "Südhessen",
    "Wetterau",
    "Lahn-Dill",
    "Bergstraße",
    "Vogelsberg",
    "Taunus",
)
AGREEMENT_TOPICS = (
    ("Väter stärken", "Migrationssensible Väterarbeit in der Region"),
    ("Vielfalt leben", "Interkulturelle Öffnung von Vereinen und Verwaltung"),
    ("Gemeinsam ankommen", "Begleitung neu zugewanderter Familien"),
    ("Bildung öffnet Türen", "Elternarbeit mit zugewanderten Familien"),
    ("Zusammenhalt vor Ort", "Begegnung zwischen Alteingesessenen und Zugewanderten"),
    ("Stark gegen Rassismus", "Prävention und Empowerment im Alltag"),
)
