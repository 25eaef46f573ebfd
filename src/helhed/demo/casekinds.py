"""What casework the demo municipality has: per department, who has cases and of what kind.

Rates are shares of the citizens in the department's age group on the reference day,
chosen to look like a Danish municipality's (Danmarks Statistik and KL's nøgletal, rounded):
about 4–5 % of children have a case in children and families (most open), 2–3 % of adults
one in the adults' social services, about 6 % of the 18–66-year-olds one in the jobcenter,
8–9 % of those over 67 one in health and care, and smaller shares in the addiction and
social psychiatry centres.

Each kind of case names its KLE subject (checked against the catalogue when the demo is
built), its candidate legal bases (the first one the catalogue has is used; with none, the
case gets no decisions, and its grants no legal basis) and the grants it leads to.
"""

from __future__ import annotations

from dataclasses import dataclass

from helhed.demo.data import MAX_AGE

OPENED = "aabnet"
INVESTIGATION = "undersoegelse"
DECIDED = "afgoerelse"
DELIVERY = "levering"
CLOSED = "afsluttet"


@dataclass(frozen=True)
class GrantKind:
    title: str
    unit: str  # a Grant.Unit value
    low: float
    high: float
    step: float = 1.0
    providers: tuple[str, ...] = ()  # provider names (institutions.PROVIDERS); empty: none


@dataclass(frozen=True)
class CaseKind:
    title: str
    kle: str  # the primary KLE subject
    bases: tuple[str, ...]  # legal basis codes, the first in the catalogue is used
    grants: tuple[GrantKind, ...] = ()
    weight: int = 1
    group: str = ""  # a second KLE number at group level, on some cases
    investigation: bool = False  # a kind for cases still being investigated
    unit: str = ""  # the unit that handles this kind (else by district or age)


@dataclass(frozen=True)
class Area:
    """One department's casework."""

    code: str
    ages: tuple[int, int]  # age on the reference day
    min_age_at_opening: int
    open_share: float
    closed_share: float
    second_case: float  # share of its citizens with a second case (single-case concept)
    open_states: dict[str, int]
    kinds: tuple[CaseKind, ...]
    district_unit: str  # "Familieteam {district}", or one unit for the whole municipality
    age_units: tuple[tuple[str, int, int, float], ...] = ()  # (unit, from age, to age, share)
    other_units: tuple[tuple[str, float], ...] = ()  # (unit, share)
    followup_basis: str = ""
    goal: str = ""


def _g(title: str, unit: str, low: float, high: float, step: float = 1.0,
       *providers: str) -> GrantKind:
    return GrantKind(title, unit, low, high, step, providers)


FAMILY_PROVIDERS = ("Familiehuset", "Familiebehandling Nord ApS")
SUPPORT_PROVIDERS = ("Bostøtten", "Støttekontakten ApS", "Bo og Udvikling A/S")

CHILDREN = Area(
    code="boernesocial", ages=(0, 17), min_age_at_opening=0,
    open_share=0.034, closed_share=0.013, second_case=0.0,
    open_states={OPENED: 8, INVESTIGATION: 22, DECIDED: 4, DELIVERY: 66},
    kinds=(
        CaseKind("Underretning og børnefaglig undersøgelse", "34.10.10", ("bl-20",),
                 weight=3, group="34.10", investigation=True),
        CaseKind("Støttende indsatser til barnet og familien", "34.15.25", ("bl-32",), (
            _g("Familiebehandling", "timer_uge", 2, 6, 0.5, *FAMILY_PROVIDERS),
            _g("Fast kontaktperson for barnet", "timer_uge", 2, 5, 0.5,
               "Støttekontakten ApS"),
            _g("Aflastning i weekender", "dage_uge", 1, 2, 1),
        ), weight=8, group="34.40"),
        CaseKind("Anbringelse uden for hjemmet", "34.25.00", ("bl-46", "bl-47"), (
            _g("Anbringelse på opholdssted", "plads", 1, 1, 1, "Opholdsstedet Kompasset ApS"),
            _g("Anbringelse på døgninstitution", "plads", 1, 1, 1,
               "Specialbørnehjemmet Kastanjegården, Region Demo"),
            _g("Anbringelse i plejefamilie", "plads", 1, 1, 1),
        ), weight=2, group="34.30"),
        CaseKind("Støtte til barn med funktionsnedsættelse", "34.45.50", ("bl-32",), (
            _g("Aflastningsordning", "dage_uge", 1, 3, 1),
            _g("Praktisk og pædagogisk støtte i hjemmet", "timer_uge", 2, 8, 1),
        ), weight=2, unit="Handicapteamet for børn"),
    ),
    district_unit="Familieteam {district}",
    age_units=(("Ungeteamet", 14, 17, 0.45),),
    followup_basis="bl-95",
    goal="sikre barnets trivsel og udvikling",
)

ADULTS = Area(
    code="voksensocial", ages=(18, MAX_AGE), min_age_at_opening=18,
    open_share=0.019, closed_share=0.008, second_case=0.12,
    open_states={OPENED: 8, INVESTIGATION: 15, DECIDED: 5, DELIVERY: 72},
    kinds=(
        CaseKind("Socialpædagogisk støtte", "27.36.12", ("sel-85",), (
            _g("Socialpædagogisk støtte (bostøtte)", "timer_uge", 1.5, 10, 0.5,
               *SUPPORT_PROVIDERS),
        ), weight=8, group="27.12"),
        CaseKind("Midlertidigt botilbud", "27.57.04", ("sel-107",), (
            _g("Midlertidigt botilbud", "plads", 1, 1, 1, "Botilbuddet Egely",
               "Bo og Udvikling A/S"),
        ), weight=2),
        CaseKind("Længerevarende botilbud", "27.57.08", ("sel-108",), (
            _g("Længerevarende botilbud", "plads", 1, 1, 1, "Botilbuddet Egely"),
        ), weight=1),
        CaseKind("Støtte- og kontaktperson", "27.48.08", ("sel-99",), (
            _g("Støtte- og kontaktperson", "timer_uge", 2, 6, 1, "Støttekontakten ApS"),
        ), weight=2),
        CaseKind("Handleplan for voksne", "27.12.12", ("sel-141",), weight=1,
                 investigation=True),
    ),
    district_unit="Voksenteam {district}",
    other_units=(("Visitationen, voksne", 0.25),),
    goal="du kan klare dig bedst muligt i din hverdag",
)

JOBCENTRE = Area(
    code="jobcenter", ages=(18, 66), min_age_at_opening=18,
    open_share=0.028, closed_share=0.032, second_case=0.08,
    open_states={OPENED: 35, INVESTIGATION: 65},
    kinds=(
        CaseKind("Virksomhedspraktik", "15.18.05", ("lab-57",), (
            _g("Virksomhedspraktik", "timer_uge", 15, 37, 1),
        ), weight=5, group="15.20"),
        CaseKind("Vejledning og opkvalificering", "15.18.20", ("lab-90",), (
            _g("Kursus: vejledning og opkvalificering", "kr_engang", 4000, 25000, 500),
        ), weight=4, group="15.20"),
        CaseKind("Sygedagpengeopfølgning", "15.17.06", (), weight=3, investigation=True),
        CaseKind("Hjælp til forsørgelse (kontanthjælp)", "32.24.04", (), weight=2,
                 group="15.20", investigation=True),
    ),
    district_unit="Jobcenter Team {district}",
    age_units=(("Ungeindsatsen", 18, 29, 0.5),),
    goal="du kan komme tættere på arbejdsmarkedet",
)

HEALTH = Area(
    code="sundhed", ages=(67, MAX_AGE), min_age_at_opening=65,
    open_share=0.078, closed_share=0.014, second_case=0.0,
    open_states={OPENED: 6, INVESTIGATION: 8, DECIDED: 4, DELIVERY: 82},
    kinds=(
        CaseKind("Personlig og praktisk hjælp", "27.36.04", ("sel-83", "aeldrel-10"), (
            _g("Praktisk hjælp (rengøring)", "timer_maaned", 1, 3, 0.5),
            _g("Personlig pleje", "timer_uge", 1.5, 14, 0.5),
        ), weight=6, group="27.36"),
        CaseKind("Madservice", "27.36.24", ("aeldrel-12", "sel-83"), (
            _g("Madservice (hovedretter)", "dage_uge", 3, 7, 1),
        ), weight=2),
        CaseKind("Genoptræning efter sygehusophold", "29.21.04", ("sul-140",), (
            _g("Genoptræningsforløb", "forloeb", 1, 1, 1),
        ), weight=2),
        CaseKind("Hjælpemidler", "27.60.08", ("sel-112",), (
            _g("Rollator", "kr_engang", 1500, 4000, 100),
            _g("Kørestol", "kr_engang", 6000, 18000, 500),
        ), weight=2, unit="Hjælpemiddelcentret"),
    ),
    district_unit="Visitationen",
    goal="du kan klare dig selv så længe som muligt i eget hjem",
)

ADDICTION = Area(
    code="misbrugscenter", ages=(18, 80), min_age_at_opening=18,
    open_share=0.004, closed_share=0.003, second_case=0.05,
    open_states={OPENED: 10, INVESTIGATION: 10, DECIDED: 5, DELIVERY: 75},
    kinds=(
        CaseKind("Social behandling for stofmisbrug", "27.51.04", ("sel-101",), (
            _g("Dagbehandling for stofmisbrug", "forloeb", 1, 1, 1, "Rusmiddelcenter Helhed",
               "Misbrugsbehandling Vest ApS"),
            _g("Ambulant behandling for stofmisbrug", "timer_uge", 1, 4, 1,
               "Rusmiddelcenter Helhed"),
        ), weight=3, group="27.51"),
        CaseKind("Alkoholbehandling", "29.24.04", ("sul-141",), (
            _g("Ambulant alkoholbehandling", "forloeb", 1, 1, 1, "Rusmiddelcenter Helhed"),
        ), weight=2),
    ),
    district_unit="Rusmiddelvisitationen",
    goal="du kan nedbringe eller stoppe dit forbrug",
)

PSYCHIATRY = Area(
    code="socialpsykiatri", ages=(18, 80), min_age_at_opening=18,
    open_share=0.005, closed_share=0.002, second_case=0.05,
    open_states={OPENED: 8, INVESTIGATION: 10, DECIDED: 4, DELIVERY: 78},
    kinds=(
        CaseKind("Socialpædagogisk støtte (socialpsykiatri)", "27.36.12", ("sel-85",), (
            _g("Socialpædagogisk støtte", "timer_uge", 2, 8, 0.5, "Bostøtten",
               "Støttekontakten ApS"),
        ), weight=4, group="27.12"),
        CaseKind("Midlertidigt botilbud (socialpsykiatri)", "27.57.04", ("sel-107",), (
            _g("Midlertidigt botilbud", "plads", 1, 1, 1, "Bostedet Ørnereden"),
        ), weight=1),
        CaseKind("Aktivitets- og samværstilbud", "27.54.08", ("sel-104",), (
            _g("Plads på værested", "dage_uge", 1, 5, 1),
        ), weight=2),
    ),
    district_unit="Socialpsykiatrisk Center",
    goal="du kan få en stabil hverdag",
)

AREAS: tuple[Area, ...] = (CHILDREN, ADULTS, JOBCENTRE, HEALTH, ADDICTION, PSYCHIATRY)
AREA_OF: dict[str, Area] = {area.code: area for area in AREAS}

# Grants without a case (EOJ C): about one in five grants; (department, kind, share).
CASELESS_GRANTS: tuple[tuple[str, CaseKind, float], ...] = (
    ("sundhed", CaseKind("Hjælpemidler", "27.60.08", ("sel-112",), (
        _g("Badebænk", "kr_engang", 600, 1500, 50),
        _g("Rollator", "kr_engang", 1500, 4000, 100),
        _g("Toiletforhøjer", "kr_engang", 400, 900, 50),
    )), 0.45),
    ("sundhed", CaseKind("Madservice", "27.36.24", ("aeldrel-12", "sel-83"), (
        _g("Madservice (hovedretter)", "dage_uge", 3, 7, 1),
    )), 0.15),
    ("voksensocial", CaseKind("Ledsageordning", "27.48.04", ("sel-97",), (
        _g("Ledsagelse", "timer_maaned", 5, 15, 1),
    )), 0.15),
    ("jobcenter", CaseKind("Befordringsgodtgørelse", "15.20.38", ("lab-82",), (
        _g("Befordringsgodtgørelse", "kr_maaned", 300, 1800, 50),
    )), 0.25),
)
CASELESS_SHARE = 0.25  # of the grants with a case: 20 % of all grants have none
